/**
 * Writing files so that a crash leaves either the old content or the new one, never a torn file,
 * and so that a write is on disk before it is acknowledged: the content goes to a temporary file
 * in the same folder, is flushed (`fsync`), and replaces the target by `rename`; the folder is
 * flushed too, so that the rename survives. A temporary file left by an interrupted write has a
 * name {@link isTemporaryName} recognises, so that they can be cleared at start (`removal.ts`).
 */
import { randomBytes } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";

/** The prefix of every temporary file the emulator writes (hidden, and unlikely for a user's file). */
export const TEMPORARY_PREFIX = ".~emulator-";

/** Mode of files holding a user's content (DBFS files, workspace notebooks): readable, as before. */
export const CONTENT_FILE_MODE = 0o644;

/** True for the name of a temporary file of an interrupted write. */
export function isTemporaryName(name: string): boolean {
  return name.startsWith(TEMPORARY_PREFIX);
}

/** A fresh temporary name in `dir` (`kind` says what it is for: `write`, `probe`, `trash`). */
export function temporaryPath(dir: string, kind: string): string {
  return path.join(dir, `${TEMPORARY_PREFIX}${kind}-${process.pid}-${randomBytes(6).toString("hex")}`);
}

/** Replaces (or creates) `file` with `data`, durably and atomically. */
export function writeFileDurably(file: string, data: string | Uint8Array, mode = 0o600): void {
  const dir = path.dirname(file);
  const temp = temporaryPath(dir, "write");
  try {
    const fd = fs.openSync(temp, "wx", mode);
    try {
      fs.writeFileSync(fd, data);
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
    fs.renameSync(temp, file);
  } catch (err) {
    fs.rmSync(temp, { force: true });
    throw err;
  }
  syncFolder(dir);
}

/** Moves `from` to `to` (same file system) and flushes both folders, so the move survives a crash. */
export function renameDurably(from: string, to: string): void {
  fs.renameSync(from, to);
  syncFolder(path.dirname(to));
  if (path.dirname(from) !== path.dirname(to)) syncFolder(path.dirname(from));
}

/** Flushes a file's content to disk. */
export function syncFile(file: string): void {
  const fd = fs.openSync(file, "r+");
  try {
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
}

/** Flushes a folder's entries (a rename or creation in it) to disk. */
export function syncFolder(dir: string): void {
  const fd = fs.openSync(dir, "r");
  try {
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
}
