/**
 * The execution engine of the Databricks emulator: runs one task (a notebook or a Python file) for
 * real in a fresh `python3 runner.py` process.
 *
 * - The spec, secret values included, goes to the child's stdin: never to disk, never to argv.
 *   stdin stays open while the task runs: when it closes (the emulator stopped or was killed),
 *   the task and every process it started end.
 * - stdout and stderr, interleaved in the order they were written, are the task's logs (the
 *   last `maxLogBytes` are kept, as Databricks keeps the last 5 MB); the runner redacts secret
 *   values in them and in its result (`redaction.py`).
 * - The task runs in its own process group: the end of the task, a timeout or an abort kills the
 *   whole group (the task's `%sh` and background children included); its temporary folder is
 *   removed ({@link makeWorkDir}). A timeout or an abort first asks the runner (SIGTERM) to pass
 *   on what the task wrote, so the logs are whole up to the stop.
 * - The Python files (`runner.py`, `dbutils_local.py`, `redaction.py`, `context_runner.py`) sit
 *   beside this module ({@link runnerPath}).
 */
import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { systemClock, type Clock } from "../core/clock";
import { childTrustEnvironment } from "../core/tls/childTrust";
import { EXECUTION_DIR_ENV, makeWorkDir, removeWorkDir } from "./workDirs";

/** What to run, and with what. */
export interface TaskSpec {
  /** `notebook` runs the cells of a notebook; `python_file` runs a file as `__main__` (spark_python_task). */
  kind: "notebook" | "python_file";
  /** The local file holding the notebook or the Python file. */
  path: string;
  /**
   * Notebook format: `SOURCE` (a Databricks `.py` export: `# Databricks notebook source`, cells
   * separated by `# COMMAND ----------`) or `JUPYTER` (.ipynb). Default: recognised from the content.
   */
  format?: "SOURCE" | "JUPYTER";
  /** Notebook parameters (`base_parameters`): `dbutils.widgets.get` sees them over widget defaults. */
  widgets?: Record<string, string>;
  /** Command-line parameters of a Python file: `sys.argv = [path, ...argv]`. */
  argv?: string[];
  /** Secret scopes and their values, for `dbutils.secrets`. Sent to the process on stdin only. */
  secrets: Record<string, Record<string, string>>;
  /** Local folder standing in for DBFS: `dbfs:/x`, `/x` in dbutils.fs and `/dbfs/x` in `open()` are `<dbfsRoot>/x`. */
  dbfsRoot: string;
  /** The JSON mount table shared by every run and command context (`dbutils.fs.mount` writes it). */
  mountsFile: string;
  /** Where the runner writes its result document. Default: a temporary file, removed afterwards. */
  resultFile?: string;
  /** Local folder of the workspace files: `%run` targets and modules next to a notebook are found there. */
  workspaceRoot: string;
  /** Values set by upstream tasks with `dbutils.jobs.taskValues.set`, by task key. */
  taskValues?: Record<string, Record<string, unknown>>;
  /** The emulator's mount agent, through which mounts reach its blob storage; absent: a mount is a local folder only. */
  storage?: StorageLink;
}

/** How `dbutils.fs.mount` reaches the emulator's blob storage (sent on stdin, like secrets). */
export interface StorageLink {
  /** The mount agent's URL, `http://127.0.0.1:<port>`. */
  url: string;
  /** Its bearer token. */
  token: string;
}

/** How a task ended. */
export interface TaskOutcome {
  /** SUCCESS, FAILED (an exception, or the process could not run), TIMEDOUT or CANCELED. */
  state: "SUCCESS" | "FAILED" | "TIMEDOUT" | "CANCELED";
  /** The value given to `dbutils.notebook.exit`, if the code called it. */
  result?: string;
  /** Why it failed: `<ExceptionType>: <message>` for an exception. */
  error?: string;
  /** The traceback, without the emulator's own frames. */
  errorTrace?: string;
  /** stdout and stderr, interleaved (the last `maxLogBytes` bytes). */
  logs: string;
  /** True when older output was dropped to keep `logs` within `maxLogBytes`. */
  logsTruncated: boolean;
  /** How long the run took, in the clock's time. */
  durationMs: number;
  /** Values the task set with `dbutils.jobs.taskValues.set`, if any. */
  taskValues?: Record<string, unknown>;
}

/** Options of {@link executeTask}. */
export interface ExecuteOptions {
  /** Kill the run after this many seconds (state TIMEDOUT). Default: no limit. */
  timeoutSeconds?: number;
  /** Aborting kills the run (state CANCELED). */
  signal?: AbortSignal;
  /** Python interpreter. Default: `AMLDB_PYTHON`, else `python3`. */
  python?: string;
  /** Log bytes kept (the last ones). Default 1 000 000. */
  maxLogBytes?: number;
  /** The clock that measures the run and its timeout. Default: real time. */
  clock?: Clock;
  /** Where the run's temporary folder is made. Default: the system's temporary folder. */
  tempDir?: string;
}

const CANCELED_MESSAGE = "Run was cancelled";
/** How long a stopped run's process may take to pass on its last output before its group is killed (real time). */
const STOP_GRACE_MS = 3000;

/**
 * The path of a Python file of the execution engine. They sit beside this module: in `src/` under
 * ts-node, and in `dist/` where the build copies them (`scripts/copyAssets.ts`).
 */
export function runnerPath(file = "runner.py"): string {
  return path.join(__dirname, file);
}

/** The Python interpreter to run: the option, else `AMLDB_PYTHON`, else `python3`. */
export function pythonCommand(python?: string): string {
  return python || process.env.AMLDB_PYTHON || "python3";
}

/** The environment of the Python processes of the execution whose temporary folder is `workDir`. */
export function pythonEnvironment(workDir: string): NodeJS.ProcessEnv {
  return { ...process.env, ...childTrustEnvironment(), PYTHONUNBUFFERED: "1", PYTHONDONTWRITEBYTECODE: "1", PYTHONIOENCODING: "utf-8", [EXECUTION_DIR_ENV]: workDir };
}

/** Why Python could not start, with what to do about it. */
export function pythonStartError(python: string, err: Error): string {
  return `Could not start Python ("${python}": ${err.message}). The local Databricks emulator runs notebooks with Python 3: install it or set AMLDB_PYTHON to its path.`;
}

/** Sends a signal to one process; quiet when it is gone. */
function signalProcess(pid: number | undefined, signal: NodeJS.Signals): void {
  if (pid === undefined) return;
  try {
    process.kill(pid, signal);
  } catch {
    // already gone
  }
}

/**
 * Kills a detached child's whole process group (its children too); quiet when already gone. Only
 * the group: once it is gone, its pid may already belong to another process.
 */
export function killProcessGroup(pid: number | undefined, signal: NodeJS.Signals = "SIGKILL"): void {
  if (pid === undefined) return;
  try {
    process.kill(-pid, signal);
  } catch {
    // already gone
  }
}

/** Keeps the last `max` bytes of a stream of chunks. */
export class ByteTail {
  private chunks: Buffer[] = [];
  private size = 0;
  /** True once bytes were dropped. */
  truncated = false;

  constructor(private readonly max: number) {}

  push(chunk: Buffer): void {
    if (chunk.length === 0) return;
    this.chunks.push(chunk);
    this.size += chunk.length;
    if (this.size > 2 * Math.max(this.max, 1) + 65536) this.compact();
  }

  private compact(): void {
    const all = Buffer.concat(this.chunks);
    const keep = Math.max(this.max, 0);
    if (all.length > keep) this.truncated = true;
    const tail = keep === 0 ? Buffer.alloc(0) : all.subarray(all.length - Math.min(keep, all.length));
    this.chunks = [Buffer.from(tail)];
    this.size = tail.length;
  }

  /** The kept bytes as UTF-8 text (a character cut by the truncation is dropped). */
  text(): string {
    this.compact();
    let tail = this.chunks[0] ?? Buffer.alloc(0);
    if (this.truncated) {
      let i = 0;
      while (i < tail.length && i < 4 && (tail[i] & 0xc0) === 0x80) i++;
      tail = tail.subarray(i);
    }
    return tail.toString("utf8");
  }
}

interface RunnerResult {
  status?: string;
  result?: unknown;
  error?: unknown;
  errorTrace?: unknown;
  taskValues?: unknown;
}

/**
 * Runs the task to its end and reports how it ended. Never throws for a failure of the task or
 * of Python itself (a missing interpreter is a FAILED outcome with a clear error).
 */
export async function executeTask(spec: TaskSpec, opts: ExecuteOptions = {}): Promise<TaskOutcome> {
  const clock = opts.clock ?? systemClock;
  const started = clock.now();
  const python = pythonCommand(opts.python);
  const logs = new ByteTail(opts.maxLogBytes ?? 1_000_000);
  const done = (outcome: Omit<TaskOutcome, "logs" | "logsTruncated" | "durationMs">): TaskOutcome => ({
    ...outcome,
    logs: logs.text(),
    logsTruncated: logs.truncated,
    durationMs: clock.now() - started,
  });
  if (opts.signal?.aborted) return done({ state: "CANCELED", error: CANCELED_MESSAGE });
  let runner: string;
  try {
    runner = runnerPath("runner.py");
  } catch (err) {
    return done({ state: "FAILED", error: (err as Error).message });
  }

  const tmp = makeWorkDir("task", opts.tempDir);
  const resultFile = path.resolve(spec.resultFile ?? path.join(tmp, "result.json"));
  let cancelTimeout: (() => void) | undefined;
  let onAbort: (() => void) | undefined;
  try {
    fs.rmSync(resultFile, { force: true });
    const child = spawn(python, [runner], { cwd: tmp, detached: true, stdio: ["pipe", "pipe", "pipe"], env: pythonEnvironment(tmp) });
    child.stdout.on("data", (b: Buffer) => logs.push(b));
    child.stderr.on("data", (b: Buffer) => logs.push(b));
    child.stdin.on("error", () => undefined);

    let stopped: "TIMEDOUT" | "CANCELED" | undefined;
    let graceTimer: NodeJS.Timeout | undefined;
    // The runner passes on what the task wrote, then leaves; the group is killed after it (or after the grace).
    const stop = (why: "TIMEDOUT" | "CANCELED") => {
      if (stopped) return;
      stopped = why;
      signalProcess(child.pid, "SIGTERM");
      graceTimer = setTimeout(() => killProcessGroup(child.pid), STOP_GRACE_MS);
    };
    if (opts.timeoutSeconds && opts.timeoutSeconds > 0) cancelTimeout = clock.schedule(opts.timeoutSeconds * 1000, () => stop("TIMEDOUT"));
    onAbort = () => stop("CANCELED");
    opts.signal?.addEventListener("abort", onAbort, { once: true });

    const exit = await new Promise<{ code: number | null; signal: NodeJS.Signals | null; error?: Error }>((resolve) => {
      child.once("error", (error) => {
        if (child.pid === undefined) resolve({ code: null, signal: null, error });
      });
      child.once("close", (code, signal) => resolve({ code, signal }));
      // One line, and stdin stays open: its closing tells the runner the emulator is gone.
      if (child.pid !== undefined) child.stdin.write(`${JSON.stringify({ ...spec, resultFile })}\n`);
    });
    // Processes the task left running in the background end with it.
    clearTimeout(graceTimer);
    killProcessGroup(child.pid);
    child.stdin.destroy();

    if (exit.error) return done({ state: "FAILED", error: pythonStartError(python, exit.error) });
    if (stopped === "TIMEDOUT") return done({ state: "TIMEDOUT", error: `Run timed out after ${opts.timeoutSeconds} seconds` });
    if (stopped === "CANCELED") return done({ state: "CANCELED", error: CANCELED_MESSAGE });

    let r: RunnerResult;
    try {
      r = JSON.parse(fs.readFileSync(resultFile, "utf8")) as RunnerResult;
    } catch {
      const how = exit.signal ? `was killed by signal ${exit.signal}` : `exited with code ${exit.code}`;
      const tail = logs.text().trim().split("\n").slice(-15).join("\n");
      return done({ state: "FAILED", error: `The Python process ${how} before reporting a result.${tail ? `\n${tail}` : ""}` });
    }
    const outcome = done({ state: r.status === "success" ? "SUCCESS" : "FAILED" });
    if (typeof r.result === "string") outcome.result = r.result;
    if (typeof r.error === "string" && r.error) outcome.error = r.error;
    if (typeof r.errorTrace === "string" && r.errorTrace) outcome.errorTrace = r.errorTrace;
    if (r.taskValues && typeof r.taskValues === "object") outcome.taskValues = r.taskValues as Record<string, unknown>;
    if (outcome.state === "FAILED" && !outcome.error) outcome.error = "The task failed.";
    return outcome;
  } finally {
    cancelTimeout?.();
    if (onAbort) opts.signal?.removeEventListener("abort", onAbort);
    removeWorkDir(tmp);
  }
}
