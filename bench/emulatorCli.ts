/** The emulator as users start it, for the benchmarks: the built CLI in a child process. */
import { spawn } from "node:child_process";
import * as path from "node:path";

/** A running emulator CLI: its URL, the token it accepts, and how to stop it. */
export interface BenchEmulator {
  url: string;
  token: string;
  close(): Promise<void>;
}

/**
 * Starts the emulator CLI (built, beside this file's build) on plain http, as the bench process
 * cannot trust a CA made after it started (NODE_EXTRA_CA_CERTS), with `args` added; resolves once
 * it printed its URL.
 */
export async function startEmulatorCli(stateDir: string, token: string, args: string[] = []): Promise<BenchEmulator> {
  const cli = path.join(__dirname, "..", "src", "emulator", "cli.js");
  const child = spawn(process.execPath, [cli, "--state-dir", stateDir, "--http", ...args], {
    env: { ...process.env, AMLDB_LOCAL_TOKEN: token },
    stdio: ["ignore", "pipe", "ignore"],
  });
  const exited = new Promise<void>((resolve) => child.on("exit", () => resolve()));
  const url = await new Promise<string>((resolve, reject) => {
    let out = "";
    child.stdout.on("data", (chunk: Buffer) => {
      out += chunk.toString();
      if (out.includes("\n")) resolve((JSON.parse(out.split("\n")[0]) as { url: string }).url);
    });
    child.on("exit", (code) => reject(new Error(`the emulator exited with ${code}`)));
  });
  return {
    url,
    token,
    close: async () => {
      child.kill("SIGTERM");
      await exited;
    },
  };
}
