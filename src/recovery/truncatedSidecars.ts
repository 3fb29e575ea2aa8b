/**
 * The metadata sidecar a killed engine can leave truncated in a file backend. The backend stores
 * each file (`<stack>.json`, its `.bak`, history entries, the lock) through Go CDK's fileblob,
 * which writes the file itself atomically (a temporary file renamed) but then its `<file>.attrs`
 * sidecar (content type, MD5) in place: truncated first, then written. A SIGKILL between the two
 * leaves an empty or half-written sidecar beside an intact file, and every later command on the
 * stack (`pulumi cancel`, `up`, `stack export`) stops with `failed to load checkpoint: EOF`.
 * The backend reads a missing sidecar as default metadata, so removing a sidecar that does not
 * parse loses nothing the backend uses; a sidecar that parses is never touched.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { fileBackendRoot, stackFolders } from "./fileBackend";

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
 * The sidecars of stack `stack` of project `project` in the file backend at `backendUrl` that do
 * not parse (empty or cut short); none for another kind of backend.
 */
export function truncatedSidecars(backendUrl: string | undefined, project: string, stack: string): string[] {
  const root = fileBackendRoot(backendUrl);
  if (root === undefined) return [];
  const folders = stackFolders(root, project, stack);
  // The checkpoint, its backup and retained copies: `<stack>.json[.gz|.zst][.bak|.<time>].attrs`.
  const checkpoint = new RegExp(`^${escape(stack)}\\.(json|ya?ml)(\\.gz|\\.zst)?(\\.bak|\\.\\d+)?\\.attrs$`);
  const list = (dir: string, match: (name: string) => boolean) =>
    fs.existsSync(dir) ? fs.readdirSync(dir).filter((f) => match(f) && fs.statSync(path.join(dir, f)).isFile()).map((f) => path.join(dir, f)) : [];
  const candidates = [
    ...folders.stacks.flatMap((dir) => list(dir, (f) => checkpoint.test(f))),
    ...[...folders.perStack, ...folders.locks].flatMap((dir) => list(dir, (f) => f.endsWith(".attrs"))),
  ];
  return candidates.filter((f) => !wellFormed(f)).sort();
}
