/**
 * One temporary folder per process for what the in-memory emulators of the process share (the
 * in-memory CA's certificate, the trust bundles handed to child processes), made on first use and
 * removed when the process exits.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

let dir: string | undefined;

/** The folder (made on first call, readable by the owner only). */
export function processTempDir(): string {
  if (dir === undefined || !fs.existsSync(dir)) {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), `azureml-databricks-emulator-${process.pid}-`));
    const made = dir;
    process.once("exit", () => fs.rmSync(made, { recursive: true, force: true }));
  }
  return dir;
}
