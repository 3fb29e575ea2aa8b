/**
 * A component's `code:` folder: its files as Azure ML uploads them (each folder's `.amlignore`, or
 * else its `.gitignore`, excludes files below it, as the CLI honours them), and one content hash of
 * the whole, so a change of any uploaded file shows at preview.
 */
import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import ignore, { Ignore } from "ignore";
import { hashFile } from "../../core/localFile";
import type { UploadFile } from "../client";

/** The ignore files, first found wins in each folder. */
export const IGNORE_FILES = [".amlignore", ".gitignore"] as const;

interface Rules {
  base: string;
  matcher: Ignore;
}

/**
 * The files of `root` that are uploaded, sorted by relative path (`/` separators). A single file
 * `root` is itself the one file.
 *
 * @throws Error when `root` is neither a folder nor a file.
 */
export function codeFiles(root: string): UploadFile[] {
  const stat = statOf(root);
  if (stat?.isFile()) return [{ relative: path.basename(root), absolute: root }];
  if (!stat?.isDirectory()) throw new Error(`code ${root} is not a folder or a file.`);
  const files: UploadFile[] = [];
  walk(root, "", [], files);
  return files.sort((a, b) => (a.relative < b.relative ? -1 : a.relative > b.relative ? 1 : 0));
}

function walk(root: string, relative: string, inherited: Rules[], out: UploadFile[]): void {
  const dir = path.join(root, relative);
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
    const isDir = entry.isDirectory();
    if (ignored(rules, rel, isDir)) continue;
    if (isDir) walk(root, rel, rules, out);
    else if (entry.isFile()) out.push({ relative: rel, absolute: path.join(root, rel) });
  }
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

/** The hash scheme of {@link hashCode}, recorded with the code version. */
export const CODE_HASH_VERSION = "amldb-sha256-v1";

/**
 * sha256 (hex) over the files' relative paths and their contents' sha256, in path order: the same
 * for the same uploaded tree wherever it lies.
 */
export function hashCode(files: readonly UploadFile[]): string {
  const hash = createHash("sha256");
  for (const f of files) {
    const content = hashFile(f.absolute);
    if (content === undefined) throw new Error(`code file ${f.absolute} cannot be read.`);
    hash.update(`${f.relative}\0${content}\n`);
  }
  return hash.digest("hex");
}

/** A GUID-shaped code asset name from a content hash: the same code is the same asset. */
export function codeAssetName(codeHash: string): string {
  const h = codeHash.slice(0, 32);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
}
