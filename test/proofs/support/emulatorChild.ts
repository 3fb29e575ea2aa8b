/**
 * The emulator as users start it, its command line in a child process, with everything it prints
 * kept: for audits of what it writes to its standard output and error.
 */
import * as assert from "node:assert/strict";
import { spawn } from "node:child_process";
import * as path from "node:path";
import { REPO_ROOT } from "../../../scripts/localEngine";
import { until } from "../../support/emulator";
import { trustInThisProcess } from "../../support/trust";

/** What the emulator prints on its first stdout line when it listens. */
export interface ListeningEmulator {
  url: string;
  keyVaultUrl: string;
  blobUrl: string;
  caPath: string;
  clientEnv: Record<string, string>;
}

/** A running emulator child. */
export interface EmulatorChild extends ListeningEmulator {
  /** Everything it printed so far. */
  stdout(): string;
  stderr(): string;
  /** Stops it with SIGTERM (a clean stop) and waits for it to exit. */
  stop(): Promise<void>;
}

/**
 * Starts the built emulator (`dist/src/emulator/cli.js`, as `npm run emulator` does; the e2e
 * suites need `npm run build` first) on `stateDir` (Databricks runs end at once) with `token` in
 * AMLDB_LOCAL_TOKEN, `args` added to its command line and `env` to its environment.
 */
export async function startEmulatorChild(opts: { stateDir: string; token: string; args?: string[]; env?: Record<string, string> }): Promise<EmulatorChild> {
  const child = spawn(
    process.execPath,
    [path.join(REPO_ROOT, "dist", "src", "emulator", "cli.js"), "--state-dir", opts.stateDir, "--databricks-lifecycle", "immediate", ...(opts.args ?? [])],
    { env: { ...process.env, ...opts.env, AMLDB_LOCAL_TOKEN: opts.token }, stdio: ["ignore", "pipe", "pipe"] },
  );
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (c: Buffer) => (stdout += c.toString()));
  child.stderr.on("data", (c: Buffer) => (stderr += c.toString()));
  const exited = new Promise<void>((resolve) => child.on("exit", () => resolve()));
  await until(
    () => `the emulator child listens (stderr: ${stderr.slice(-4000)})`,
    () => {
      if (child.exitCode !== null) assert.fail(`the emulator child exited with ${child.exitCode}: ${stderr.slice(-4000)}`);
      return stdout.includes("\n");
    },
    // Its first start makes its CA and starts Azurite: seconds, many more on a loaded machine.
    180_000,
  );
  const listening = JSON.parse(stdout.split("\n")[0]) as ListeningEmulator;
  trustInThisProcess(listening.caPath);
  return {
    ...listening,
    stdout: () => stdout,
    stderr: () => stderr,
    stop: async () => {
      if (child.exitCode === null) child.kill("SIGTERM");
      await exited;
    },
  };
}
