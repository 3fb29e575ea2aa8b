/** Temporary folders of a suite, removed by its `after` hook. */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

/**
 * Registers an `after` hook that removes the folders made by the returned function, which makes
 * one under the system's temporary folder named `<prefix><random>` (as `fs.mkdtempSync`).
 */
export function useTempDirs(): (prefix: string) => string {
  const made: string[] = [];
  after(() => {
    for (const dir of made.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
  });
  return (prefix) => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
    made.push(dir);
    return dir;
  };
}
