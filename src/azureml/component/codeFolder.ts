/**
 * A component's `code:` folder: its files as Azure ML uploads them (each folder's `.amlignore`, or
 * else its `.gitignore`, excludes files below it; the CLI reads only the top folder's, so a nested
 * one here leaves out more than `az ml` would), and one content hash of the whole (the CLI's), so a
 * change of any uploaded file shows at preview.
 */
import { createHash, Hash } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import ignore, { Ignore } from "ignore";
import type { UploadFile } from "../client";

/** The ignore files, first found wins in each folder. */
export const IGNORE_FILES = [".amlignore", ".gitignore"] as const;

/** What the CLI never uploads with a component's code, whatever the ignore files say. */
export const ALWAYS_IGNORED = ["__pycache__"] as const;

interface Rules {
  base: string;
  matcher: Ignore;
}

/**
 * The files of `root` that are uploaded, sorted by relative path (`/` separators). A single file
 * `root` is itself the one file. `__pycache__` folders are left out, as the CLI leaves them out of
 * a component's code. Symbolic links are followed, as the CLI follows them (the link's
 * path, the target's content); a folder link back into a folder being walked is not walked again.
 *
 * @throws Error when `root` is neither a folder nor a file.
 */
export function codeFiles(root: string): UploadFile[] {
  const stat = statOf(root);
  if (stat?.isFile()) return [{ relative: path.basename(root), absolute: root }];
  if (!stat?.isDirectory()) throw new Error(`code ${root} is not a folder or a file.`);
  const files: UploadFile[] = [];
  walk(root, "", [{ base: "", matcher: ignore().add([...ALWAYS_IGNORED]) }], files, new Set());
  return files.sort((a, b) => compare(a.relative, b.relative));
}

function walk(root: string, relative: string, inherited: Rules[], out: UploadFile[], walking: Set<string>): void {
  const dir = path.join(root, relative);
  const real = fs.realpathSync(dir);
  if (walking.has(real)) return;
  walking.add(real);
  const rules = [...inherited];
  for (const name of IGNORE_FILES) {
    const file = path.join(dir, name);
    if (statOf(file)?.isFile()) {
      rules.push({ base: relative, matcher: ignore().add(fs.readFileSync(file, "utf8")) });
      break;
    }
  }
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const rel = relative ? `${relative}/${entry.name}` : entry.name;
    const target = entry.isSymbolicLink() ? statOf(path.join(root, rel)) : entry;
    const isDir = target?.isDirectory() === true;
    if (ignored(rules, rel, isDir)) continue;
    if (isDir) walk(root, rel, rules, out, walking);
    else if (target?.isFile()) out.push({ relative: rel, absolute: path.join(root, rel) });
  }
  walking.delete(real);
}

function ignored(rules: Rules[], rel: string, isDir: boolean): boolean {
  return rules.some((r) => {
    const local = r.base ? rel.slice(r.base.length + 1) : rel;
    return r.matcher.ignores(isDir ? `${local}/` : local);
  });
}

function statOf(p: string): fs.Stats | undefined {
  try {
    return fs.statSync(p);
  } catch {
    return undefined;
  }
}

/** The hash scheme of {@link hashCode}, as the CLI names it (`hashVersion` of the lookup, `hash_version` of a code version). */
export const CODE_HASH_VERSION = "202208";

/**
 * The content hash the Azure ML CLI (azure-ai-ml, hash version 202208) gives the same files, so that
 * a lookup by hash finds code the CLI uploaded and the CLI finds ours: sha256 (hex) over the file
 * count, then `#<relative path>#<size>` of each file, then each file's bytes, files ordered by their
 * lower-cased relative path.
 */
export function hashCode(files: readonly UploadFile[]): string {
  const hash = createHash("sha256");
  const ordered = [...files].sort((a, b) => compare(a.relative.toLowerCase(), b.relative.toLowerCase()));
  hash.update(String(ordered.length));
  for (const f of ordered) hash.update(`#${f.relative}#${sizeOf(f.absolute)}`);
  for (const f of ordered) hashBytes(hash, f.absolute);
  return hash.digest("hex");
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function sizeOf(file: string): number {
  const stat = statOf(file);
  if (!stat?.isFile()) throw new Error(`code file ${file} cannot be read.`);
  return stat.size;
}

/** Feeds a file's bytes to `hash` in chunks (code folders may hold large files). */
function hashBytes(hash: Hash, file: string): void {
  const fd = fs.openSync(file, "r");
  try {
    const chunk = Buffer.alloc(1 << 20);
    for (let n = fs.readSync(fd, chunk); n > 0; n = fs.readSync(fd, chunk)) hash.update(chunk.subarray(0, n));
  } finally {
    fs.closeSync(fd);
  }
}

/** A GUID-shaped code asset name from a content hash: the same code is the same asset. */
export function codeAssetName(codeHash: string): string {
  const h = codeHash.slice(0, 32);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
}
