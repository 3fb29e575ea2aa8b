/**
 * The emulator as a background process with persistent state, for `npm start` and
 * `npm run emulator -- start|stop|status`: state, token and logs in the local folder (`.local/`,
 * or `AMLDB_LOCAL_DIR`), the running process described in `<local>/emulator.json` (never the token).
 * A later `npm start` finds it running and reuses it, so the pages it prints stay open.
 */
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import * as fs from "node:fs";
import * as net from "node:net";
import * as path from "node:path";
import { ARM_ENDPOINT_ENV } from "../src/azureml/client/endpoint";
import { LOCAL_TOKEN_ENV, TARGET_ENV } from "../src/core/target";
import type { EmulatorProcess } from "./localEmulator";
import { REPO_ROOT } from "./localEngine";

/** The port `npm start` uses unless `AMLDB_EMULATOR_PORT` says otherwise (`0`: any free port). */
export const DEFAULT_PORT = 45845;

/**
 * The environment that points the engine's providers at a background emulator: the local target,
 * its token, its URL as Databricks host and Resource Manager, and its CA (NODE_EXTRA_CA_CERTS).
 */
export function localTargetEnv(emulator: DaemonInfo, token: string): Record<string, string> {
  return { ...emulator.clientEnv, [TARGET_ENV]: "local", [LOCAL_TOKEN_ENV]: token, DATABRICKS_HOST: emulator.url, [ARM_ENDPOINT_ENV]: emulator.url };
}
/** How long a starting emulator may take to listen (Azurite and the TLS files on the first start). */
const START_TIMEOUT_MS = 120_000;
const POLL_MS = 100;

/** A running background emulator, as recorded in `emulator.json`. */
export type DaemonInfo = Pick<EmulatorProcess, "url" | "keyVaultUrl" | "blobUrl" | "caPath" | "clientEnv" | "pid">;

/** The folder of the local stack's state, the emulator's state, token and logs. */
export function localDir(env: NodeJS.ProcessEnv = process.env): string {
  return env.AMLDB_LOCAL_DIR ? path.resolve(env.AMLDB_LOCAL_DIR) : path.join(REPO_ROOT, ".local");
}

/** How messages name `dir`: relative to the repository when inside it. */
export function shownPath(dir: string): string {
  const relative = path.relative(REPO_ROOT, dir);
  return relative && !relative.startsWith("..") ? relative : dir;
}

/** A random secret made once in `dir/<name>` (mode 0600) and read back after. */
export function persistentSecret(dir: string, name: string, bytes: number): string {
  const file = path.join(dir, name);
  if (!fs.existsSync(file)) {
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(file, randomBytes(bytes).toString("hex"), { mode: 0o600 });
  }
  return fs.readFileSync(file, "utf8").trim();
}

/** The emulator's token (`<local>/emulator-token`): the services', the pages' sign-in and the local Databricks PAT. */
export function emulatorToken(dir: string): string {
  return persistentSecret(dir, "emulator-token", 24);
}

const infoFile = (dir: string) => path.join(dir, "emulator.json");

/** The background emulator when it is running (its process alive and its port open), else undefined. */
export async function runningEmulator(dir: string): Promise<DaemonInfo | undefined> {
  if (!fs.existsSync(infoFile(dir))) return undefined;
  const info = JSON.parse(fs.readFileSync(infoFile(dir), "utf8")) as DaemonInfo;
  if (alive(info.pid) && (await portOpen(new URL(info.url)))) return info;
  fs.rmSync(infoFile(dir), { force: true });
  return undefined;
}

/** The running background emulator, or one started now (`started` says which). */
export async function ensureEmulator(dir: string, port: number): Promise<{ info: DaemonInfo; started: boolean }> {
  const running = await runningEmulator(dir);
  if (running) return { info: running, started: false };
  fs.mkdirSync(dir, { recursive: true });
  const out = path.join(dir, "emulator.out");
  const log = path.join(dir, "emulator.log");
  fs.writeFileSync(out, "");
  const cli = path.join(REPO_ROOT, "dist", "src", "emulator", "cli.js");
  const args = [cli, "--port", String(port), "--state-dir", path.join(dir, "emulator"), "--databricks-lifecycle", "realistic"];
  // Detached, its output in files: it outlives this process. The token goes in its environment, never its command line.
  const child = spawn(process.execPath, args, {
    detached: true,
    env: { ...process.env, [LOCAL_TOKEN_ENV]: emulatorToken(dir) },
    stdio: ["ignore", fs.openSync(out, "w"), fs.openSync(log, "a")],
  });
  let exited: number | null | undefined;
  child.once("exit", (code) => (exited = code));
  child.unref();
  const deadline = Date.now() + START_TIMEOUT_MS;
  for (;;) {
    const line = fs.readFileSync(out, "utf8").split("\n").find((l) => l.startsWith('{"event":"listening"'));
    if (line) {
      const { url, keyVaultUrl, blobUrl, caPath, clientEnv } = JSON.parse(line) as DaemonInfo;
      const info: DaemonInfo = { url, keyVaultUrl, blobUrl, caPath, clientEnv, pid: child.pid! };
      fs.writeFileSync(infoFile(dir), JSON.stringify(info, null, 2));
      return { info, started: true };
    }
    if (exited !== undefined) throw new Error(`the emulator exited with code ${exited} before listening; see ${log}:\n${tail(log)}`);
    if (Date.now() > deadline) throw new Error(`the emulator did not listen within ${START_TIMEOUT_MS / 1000} s; see ${log}`);
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
}

/** Stops the background emulator; resolves to its pid, or undefined when none was running. */
export async function stopEmulator(dir: string): Promise<number | undefined> {
  const info = await runningEmulator(dir);
  if (!info) return undefined;
  process.kill(info.pid, "SIGTERM");
  const deadline = Date.now() + START_TIMEOUT_MS;
  while (alive(info.pid)) {
    if (Date.now() > deadline) throw new Error(`the emulator (pid ${info.pid}) did not stop within ${START_TIMEOUT_MS / 1000} s`);
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
  fs.rmSync(infoFile(dir), { force: true });
  return info.pid;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

function portOpen(url: URL): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect(Number(url.port), url.hostname);
    socket.once("connect", () => (socket.destroy(), resolve(true)));
    socket.once("error", () => resolve(false));
  });
}

function tail(file: string): string {
  return fs.existsSync(file) ? fs.readFileSync(file, "utf8").trimEnd().split("\n").slice(-20).join("\n") : "";
}
