/**
 * Content hashes of the local files a resource runs or uploads, keyed by the path a reviewer knows
 * (relative to the program's directory), so that a preview names the file that changed:
 * `codeFiles["notebooks/to_parquet.py"]`. Only hashes enter the state, never the content.
 */
import * as path from "node:path";
import { hashFile } from "./localFile";

/** sha256 (hex) of each file's content, by its path relative to the program's directory (`/`-separated). */
export type CodeFileHashes = Record<string, string>;

/** At most this many files are listed one by one; a larger folder is named by its combined hash only. */
export const MAX_LISTED_FILES = 200;

/**
 * How a reviewer names `file`: relative to `base` (the program's working directory) with `/`
 * separators, or absolute when it lies on another drive.
 */
export function reviewPath(file: string, base: string = process.cwd()): string {
  const relative = path.relative(base, path.resolve(base, file));
  if (relative === "" || path.isAbsolute(relative)) return path.resolve(base, file).split(path.sep).join("/");
  return relative.split(path.sep).join("/");
}

/**
 * The content hash of each file by its review path; undefined when a file cannot be read (the
 * resource's own validation reports it) or there are more than {@link MAX_LISTED_FILES}.
 */
export function codeFileHashes(files: readonly string[], base: string = process.cwd()): CodeFileHashes | undefined {
  if (files.length === 0 || files.length > MAX_LISTED_FILES) return undefined;
  const hashes: CodeFileHashes = {};
  for (const file of files) {
    const hash = hashFile(path.resolve(base, file));
    if (hash === undefined) return undefined;
    hashes[reviewPath(file, base)] = hash;
  }
  return hashes;
}

/** `notebook file a.py`, `code files a.py and b/c.py`: the changed files in a reviewer's words. */
export function describeFiles(noun: string, files: readonly string[]): string {
  if (files.length === 1) return `${noun} file ${files[0]}`;
  const list = files.length === 2 ? files.join(" and ") : `${files.slice(0, -1).join(", ")} and ${files[files.length - 1]}`;
  return `${noun} files ${list}`;
}
