/**
 * The metadata sidecar a killed engine can leave truncated in a file backend. The backend stores
 * each file (`<stack>.json`, its `.bak`, history entries, the lock) through Go CDK's fileblob,
 * which writes the new content to a temporary file, then the `<file>.attrs` sidecar (content
 * type, MD5) in place (truncated, then written), then renames the temporary file over the file.
 * A SIGKILL inside the sidecar's write leaves it empty or half-written beside the file's previous
 * content (whole: the engine's previous save), and every later command on the stack
 * (`pulumi cancel`, `up`, `stack export`) stops with `failed to load checkpoint: EOF` (or
 * `unexpected EOF`). The backend reads a missing sidecar as default metadata, so removing a
 * sidecar that does not parse loses nothing the backend uses; a sidecar that parses is never
 * touched.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { fileBackendRoot, stackBaseName, stackFolders } from "./fileBackend";

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/** Whether a sidecar's content is what fileblob writes: one JSON object. */
function wellFormed(file: string): boolean {
  try {
    const value: unknown = JSON.parse(fs.readFileSync(file, "utf8"));
    return typeof value === "object" && value !== null && !Array.isArray(value);
  } catch {
    return false;
  }
}

/**
 * The sidecars of stack `stack` of project `project` in the file backend at `backendUrl` (a
 * relative one from `cwd`) that do not parse (empty or cut short); none for another kind of backend.
 */
export function truncatedSidecars(backendUrl: string | undefined, project: string, stack: string, cwd?: string): string[] {
  const root = fileBackendRoot(backendUrl, cwd);
  if (root === undefined) return [];
  const folders = stackFolders(root, project, stack);
  // The checkpoint, its backup and retained copies: `<stack>.json[.gz|.zst][.bak|.<time>].attrs`.
  const checkpoint = new RegExp(`^${escape(stackBaseName(stack))}\\.(json|ya?ml)(\\.gz|\\.zst)?(\\.bak|\\.\\d+)?\\.attrs$`);
  const list = (dir: string, match: (name: string) => boolean) =>
    fs.existsSync(dir) ? fs.readdirSync(dir).filter((f) => match(f) && fs.statSync(path.join(dir, f)).isFile()).map((f) => path.join(dir, f)) : [];
  const candidates = [
    ...folders.stacks.flatMap((dir) => list(dir, (f) => checkpoint.test(f))),
    ...[...folders.perStack, ...folders.locks].flatMap((dir) => list(dir, (f) => f.endsWith(".attrs"))),
  ];
  return candidates.filter((f) => !wellFormed(f)).sort();
}

/**
 * Removes the stack's sidecars that do not parse (see {@link truncatedSidecars}), printing each
 * through `log`; resolves to how many it removed. Run only when no live process holds the stack.
 */
export function removeTruncatedSidecars(backendUrl: string | undefined, project: string, stack: string, log: (line: string) => void, cwd?: string): number {
  let removed = 0;
  for (const file of truncatedSidecars(backendUrl, project, stack, cwd)) {
    let bytes: number;
    try {
      bytes = fs.statSync(file).size;
      fs.rmSync(file, { force: true });
    } catch {
      continue; // gone meanwhile
    }
    removed++;
    log(
      `recover: removed ${file} (${bytes} bytes): metadata the killed engine cut short while saving the stack, which fails every pulumi command with ` +
        `"failed to load checkpoint: EOF" (or "unexpected EOF"); the state file beside it holds the engine's previous save`,
    );
  }
  return removed;
}
