/**
 * Keeping file access inside a folder that others can write to: notebooks run as the emulator's
 * user and can plant symbolic links in DBFS or the workspace folder, so "inside" is decided on the
 * path as the operating system resolves it, not on its text.
 */
import * as fs from "node:fs";
import * as path from "node:path";

/**
 * True when `candidate` (absolute, normalised) resolves inside `root`: the longest part of it that
 * exists, symbolic links followed, lies in `root` (also resolved), and the rest does not exist yet
 * (so it cannot be a link). A dangling link, a loop or an unreadable part counts as outside. While
 * `root` itself is missing nothing can have been planted in it: `candidate` is inside when its
 * text is, and the file operation that follows meets the missing folder itself.
 */
export function resolvesInside(root: string, candidate: string): boolean {
  let realRoot: string;
  try {
    realRoot = fs.realpathSync(root);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    return (code === "ENOENT" || code === "ENOTDIR") && isWithin(path.resolve(root), path.resolve(candidate));
  }
  let existing = candidate;
  for (;;) {
    try {
      fs.lstatSync(existing);
      break;
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code !== "ENOENT" && code !== "ENOTDIR") return false;
      const parent = path.dirname(existing);
      if (parent === existing) return false;
      existing = parent;
    }
  }
  let real: string;
  try {
    real = fs.realpathSync(existing);
  } catch {
    return false;
  }
  return isWithin(realRoot, real);
}

function isWithin(root: string, p: string): boolean {
  return p === root || p.startsWith(root.endsWith(path.sep) ? root : root + path.sep);
}
