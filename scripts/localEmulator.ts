import { ChildProcess, spawn } from "node:child_process";
import * as path from "node:path";
import * as readline from "node:readline";
import { LOCAL_TOKEN_ENV } from "../src/core/target";

/** A running emulator started as a separate process (as a user would run it). */
export interface EmulatorProcess {
  url: string;
  keyVaultUrl: string;
  /** The CA certificate clients trust (`<stateDir>/tls/ca.pem`); `null` when the emulator serves plain http. */
  caPath: string | null;
  /**
   * What a process talking to the emulator needs in its environment: `NODE_EXTRA_CA_CERTS`,
   * `REQUESTS_CA_BUNDLE` and `SSL_CERT_FILE` naming bundles with its CA (plain http: `AMLDB_LOCAL_HTTP=1`).
   */
  clientEnv: Record<string, string>;
  /** The blob storage's endpoint (Azurite behind the emulator); an account's blob service is `<blobUrl>/<account>`. */
  blobUrl: string;
  /** The emulator's process id. */
  pid: number;
  stop(): Promise<void>;
}

/** How to start the emulator process. */
export interface EmulatorProcessOptions {
  repoRoot: string;
  port: number;
  stateDir: string;
  /** The emulator's token: handed over in its environment ({@link LOCAL_TOKEN_ENV}), never on its command line. */
  token: string;
  /** Node.js arguments that start the CLI; default the built `dist/src/emulator/cli.js` (tests run the TypeScript source). */
  cli?: readonly string[];
}

/**
 * Starts `dist/src/emulator/cli.js` and waits for its "listening" line. Its per-request log
 * goes to `logFile` (stderr of the child), keeping the demo's output to what the engine prints.
 * The token goes in the child's environment: a command line is readable by every user (`ps`).
 */
export async function startEmulatorProcess(opts: EmulatorProcessOptions): Promise<EmulatorProcess> {
  const cli = opts.cli ?? [path.join(opts.repoRoot, "dist", "src", "emulator", "cli.js")];
  const args = [...cli, "--port", String(opts.port), "--state-dir", opts.stateDir, "--databricks-lifecycle", "realistic"];
  const child = spawn(process.execPath, args, {
    env: { ...process.env, [LOCAL_TOKEN_ENV]: opts.token },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stderr = "";
  child.stderr!.on("data", (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-4000);
  });
  const ready = await new Promise<Pick<EmulatorProcess, "url" | "keyVaultUrl" | "blobUrl" | "caPath" | "clientEnv">>((resolve, reject) => {
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
  return { ...ready, pid: child.pid!, stop: () => stopChild(child) };
}

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once("exit", () => resolve());
    child.kill("SIGTERM");
  });
}
