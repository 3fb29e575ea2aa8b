/**
 * The emulator as a separate process (its command line), for tests of what a killed emulator
 * leaves behind and what the next one on the same state makes of it.
 */
import * as assert from "node:assert/strict";
import { spawn } from "node:child_process";
import * as path from "node:path";
import { until } from "./emulator";
import { trustInThisProcess } from "./trust";

/** The emulator CLI in a child process on `stateDir` with `token` (manual clock, immediate Databricks lifecycle); resolves with its URL and a way to kill it (SIGKILL). */
export async function startEmulatorProcess(stateDir: string, token: string): Promise<{ url: string; kill: () => Promise<void> }> {
  const child = spawn(
    process.execPath,
    ["-r", "ts-node/register/transpile-only", path.join(__dirname, "../../src/emulator/cli.ts"), "--state-dir", stateDir, "--databricks-lifecycle", "immediate", "--manual-clock"],
    { env: { ...process.env, AMLDB_LOCAL_TOKEN: token }, stdio: ["ignore", "pipe", "pipe"] },
  );
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (c: Buffer) => (stdout += c.toString()));
  child.stderr.on("data", (c: Buffer) => (stderr = (stderr + c.toString()).slice(-4000)));
  const exited = new Promise<void>((resolve) => child.on("exit", () => resolve()));
  await until(
    () => `the emulator child listens (stderr: ${stderr})`,
    () => {
      if (child.exitCode !== null) assert.fail(`the emulator child exited with ${child.exitCode}: ${stderr}`);
      return stdout.includes("\n");
    },
    30_000,
  );
  const { url, caPath } = JSON.parse(stdout.split("\n")[0]) as { url: string; caPath: string };
  trustInThisProcess(caPath);
  return {
    url,
    kill: async () => {
      child.kill("SIGKILL");
      await exited;
    },
  };
}
