/**
 * Local files a program hands to a resource (notebooks, uploads, code): hashed by the program so a
 * change shows at preview, read again by the provider at apply time so their bytes never enter
 * the state.
 */
import { createHash } from "node:crypto";
import * as fs from "node:fs";

/** sha256 (hex) of bytes. */
export function sha256(bytes: Buffer | string): string {
  return createHash("sha256").update(bytes).digest("hex");
}

/** sha256 (hex) of a file, read 1 MB at a time; undefined when it cannot be read. */
export function hashFile(file: string): string | undefined {
  let fd: number;
  try {
    fd = fs.openSync(file, "r");
  } catch {
    return undefined;
  }
  try {
    const hash = createHash("sha256");
    const buffer = Buffer.alloc(1024 * 1024);
    for (let n; (n = fs.readSync(fd, buffer, 0, buffer.length, null)) > 0; ) hash.update(buffer.subarray(0, n));
    return hash.digest("hex");
  } catch {
    return undefined;
  } finally {
    fs.closeSync(fd);
  }
}

/** The size of a regular file, or undefined when there is none at `file`. */
export function fileSize(file: string): number | undefined {
  try {
    const stat = fs.statSync(file);
    return stat.isFile() ? stat.size : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The file's bytes, provided they still hash to what the program computed at preview; otherwise
 * the file changed in between and applying it would not be what was previewed.
 */
export function readUnchanged(file: string, expectedHash: string, what: string): Buffer {
  const bytes = fs.readFileSync(file);
  if (sha256(bytes) !== expectedHash) {
    throw new Error(`${what}: ${file} changed after the program read it (preview); run pulumi up again to apply its current content.`);
  }
  return bytes;
}
