/**
 * Removing folder trees of any depth. `fs.rmSync` with `recursive` recurses in JavaScript on
 * Node 20 and overflows the stack on a chain of a few thousand folders, which a notebook can make;
 * and no path deeper than the system's limit (4096 bytes on Linux) can even be named. Here removal
 * is a loop over an explicit stack, and a folder whose path grows long is first moved up next to
 * the tree's root, so every path stays short whatever the depth. Symbolic links are removed, never
 * followed.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { isTemporaryName, temporaryPath } from "./durableFile";

/** Folders deeper than this many bytes of path are moved up before their content is read. */
const HOIST_PATH_BYTES = 2048;

/** Removes a file, a symbolic link or a whole folder tree; nothing when `target` is missing. */
export function removeTree(target: string): void {
  let stat: fs.Stats;
  try {
    stat = fs.lstatSync(target);
  } catch (err) {
    if (isMissing(err)) return;
    throw err;
  }
  if (!stat.isDirectory()) {
    fs.unlinkSync(target);
    return;
  }
  // Deep folders are moved into a temporary folder beside the target, created when first needed.
  let hoisted: string | undefined;
  let hoistedCount = 0;
  const hoist = (dir: string): string => {
    hoisted ??= makeTemporaryFolder(path.dirname(target));
    const to = path.join(hoisted, String(hoistedCount++));
    fs.renameSync(dir, to);
    return to;
  };
  const pending = [target];
  while (pending.length > 0) {
    const dir = pending[pending.length - 1];
    const children: string[] = [];
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (!entry.isDirectory()) fs.unlinkSync(full);
      else children.push(Buffer.byteLength(full) > HOIST_PATH_BYTES ? hoist(full) : full);
    }
    // Emptied on this visit or, once its sub-folders are gone, on the next one.
    if (children.length === 0) {
      fs.rmdirSync(dir);
      pending.pop();
    } else {
      pending.push(...children);
    }
  }
  if (hoisted) fs.rmdirSync(hoisted);
}

/**
 * Removes what interrupted writes and removals left under `root` (see `durableFile.ts`), in its
 * sub-folders too unless `deep` is false, without following symbolic links; returns how many
 * entries it removed. Nothing when `root` is missing.
 */
export function removeTemporaryFiles(root: string, deep = true): number {
  let removed = 0;
  const pending = [root];
  for (let dir = pending.pop(); dir !== undefined; dir = pending.pop()) {
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(dir, { withFileTypes: true });
    } catch (err) {
      // A folder that went away, or one too deep to name: nothing the emulator wrote is there.
      if (isMissing(err) || (err as NodeJS.ErrnoException).code === "ENAMETOOLONG") continue;
      throw err;
    }
    for (const entry of entries) {
      const full = path.join(dir, entry.name);
      if (isTemporaryName(entry.name)) {
        removeTree(full);
        removed++;
      } else if (deep && entry.isDirectory()) {
        pending.push(full);
      }
    }
  }
  return removed;
}

function makeTemporaryFolder(parent: string): string {
  const dir = temporaryPath(parent, "removal");
  fs.mkdirSync(dir, { mode: 0o700 });
  return dir;
}

function isMissing(err: unknown): boolean {
  const code = (err as NodeJS.ErrnoException).code;
  return code === "ENOENT" || code === "ENOTDIR";
}
