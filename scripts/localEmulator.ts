import { ChildProcess, spawn } from "node:child_process";
import * as path from "node:path";
import * as readline from "node:readline";

/** A running emulator started as a separate process (as a user would run it). */
export interface EmulatorProcess {
  url: string;
  keyVaultUrl: string;
  stop(): Promise<void>;
}

/**
 * Starts `dist/src/emulator/cli.js` and waits for its "listening" line. Its per-request log
 * goes to `logFile` (stderr of the child), keeping the demo's output to what the engine prints.
 */
export async function startEmulatorProcess(opts: { repoRoot: string; port: number; stateDir: string; token: string }): Promise<EmulatorProcess> {
  const cli = path.join(opts.repoRoot, "dist", "src", "emulator", "cli.js");
  const args = [cli, "--port", String(opts.port), "--state-dir", opts.stateDir, "--token", opts.token, "--databricks-lifecycle", "realistic"];
  const child = spawn(process.execPath, args, {
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stderr = "";
  child.stderr!.on("data", (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-4000);
  });
  const ready = await new Promise<{ url: string; keyVaultUrl: string }>((resolve, reject) => {
    const lines = readline.createInterface({ input: child.stdout! });
    lines.on("line", (line) => {
      try {
        const event = JSON.parse(line);
        if (event.event === "listening") resolve(event);
      } catch {
        // not an event line
      }
    });
    child.once("exit", (code) => reject(new Error(`the emulator exited with code ${code} before listening:\n${stderr.trim()}`)));
  });
  return { ...ready, stop: () => stopChild(child) };
}

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once("exit", () => resolve());
    child.kill("SIGTERM");
  });
}
