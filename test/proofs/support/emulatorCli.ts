/**
 * The emulator as users start it: the built CLI (`dist/src/emulator/cli.js`, the package's
 * `azureml-databricks-emulator` command) in a process of its own on loopback, over https with its
 * CA (trusted in this process), its token in the environment. For the proofs that load it, kill it
 * and start it again on the same state folder. Requests go over at most {@link CONNECTIONS}
 * kept-alive connections (more wait for one), as an SDK's connection pool sends them. Run
 * `npm run build` first.
 */
import * as assert from "node:assert/strict";
import { spawn, type ChildProcess } from "node:child_process";
import * as fs from "node:fs";
import * as https from "node:https";
import * as path from "node:path";
import { until } from "../../support/emulator";
import { trustInThisProcess } from "../../support/trust";

/** The built CLI. */
export const CLI_PATH = path.join(__dirname, "..", "..", "..", "dist", "src", "emulator", "cli.js");

/** Connections to the emulator at once. */
export const CONNECTIONS = 64;

/** A running emulator process. */
export interface EmulatorCli {
  readonly url: string;
  readonly pid: number;
  /** Milliseconds from the spawn to the line saying it listens. */
  readonly startMs: number;
  /** Calls the emulator (JSON in and out) with its token. */
  call(method: string, route: string, body?: unknown): Promise<{ status: number; body: any; text: string }>;
  /** Sends SIGKILL and resolves once the process is gone. */
  kill(): Promise<void>;
  /** Sends SIGTERM and resolves once the process is gone. */
  stop(): Promise<void>;
  /** The last 8 kB of its stderr. */
  stderr(): string;
}

/** Starts the CLI on `stateDir` with `token` and `args`; resolves once it listens. */
export async function startEmulatorCli(stateDir: string, token: string, args: string[] = []): Promise<EmulatorCli> {
  assert.ok(fs.existsSync(CLI_PATH), `${CLI_PATH} is missing: run npm run build first`);
  const started = Date.now();
  const child: ChildProcess = spawn(process.execPath, [CLI_PATH, "--state-dir", stateDir, ...args], {
    env: { ...process.env, AMLDB_LOCAL_TOKEN: token },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stdout!.on("data", (c: Buffer) => (stdout += c.toString()));
  child.stderr!.on("data", (c: Buffer) => (stderr = (stderr + c.toString()).slice(-8000)));
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  await until(
    () => `the emulator listens (stderr: ${stderr})`,
    () => {
      if (child.exitCode !== null) assert.fail(`the emulator exited with ${child.exitCode}: ${stderr}`);
      return stdout.includes("\n");
    },
    120_000,
  );
  const startMs = Date.now() - started;
  const { url, caPath } = JSON.parse(stdout.split("\n")[0]) as { url: string; caPath: string };
  trustInThisProcess(caPath);
  const agent = new https.Agent({ keepAlive: true, maxSockets: CONNECTIONS });
  const end = async (signal: NodeJS.Signals): Promise<void> => {
    if (child.exitCode === null && child.signalCode === null) child.kill(signal);
    await exited;
    agent.destroy();
  };
  return {
    url,
    pid: child.pid!,
    startMs,
    call: (method, route, body) => request(agent, `${url}${route}`, method, token, body),
    kill: () => end("SIGKILL"),
    stop: () => end("SIGTERM"),
    stderr: () => stderr,
  };
}

/** One JSON request over `agent`; resolves with the status and the parsed body. */
function request(agent: https.Agent, url: string, method: string, token: string, body: unknown): Promise<{ status: number; body: any; text: string }> {
  const payload = body === undefined ? undefined : JSON.stringify(body);
  const headers: Record<string, string> = { Authorization: `Bearer ${token}` };
  if (payload !== undefined) headers["Content-Type"] = "application/json";
  return new Promise((resolve, reject) => {
    const req = https.request(url, { method, agent, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("error", reject);
      res.on("end", () => {
        const text = Buffer.concat(chunks).toString("utf8");
        let parsed: unknown;
        try {
          parsed = text ? JSON.parse(text) : undefined;
        } catch {
          parsed = undefined;
        }
        resolve({ status: res.statusCode ?? 0, body: parsed, text });
      });
    });
    req.on("error", reject);
    req.end(payload);
  });
}
