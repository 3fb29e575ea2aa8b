/**
 * Runs one Databricks task for real: a fresh `python3 runner.py` per task, the spec (secrets
 * included) written to its stdin, stdout/stderr collected as the task's logs, killed on timeout
 * or cancel.
 */
import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

/** What to run and with what. */
export interface TaskSpec {
  /** A notebook (cells) or a Python file (`__main__`). */
  kind: "notebook" | "python_file";
  /** Local file holding the code. */
  path: string;
  /** Notebook format. Default `SOURCE`. */
  format?: "SOURCE" | "JUPYTER";
  /** Notebook widget values (base parameters). */
  widgets?: Record<string, string>;
  /** Command-line parameters of a Python file. */
  argv?: string[];
  /** Secret scopes and their values, for `dbutils.secrets`. */
  secrets: Record<string, Record<string, string>>;
  /** Local folder standing in for DBFS. */
  dbfsRoot: string;
  /** JSON file recording the mounts, shared by every task and command context. */
  mountsFile: string;
  /** Where the runner writes its result. Default: a temporary file. */
  resultFile?: string;
  /** Local folder of workspace files. */
  workspaceRoot: string;
}

/** How a task ended. */
export interface TaskOutcome {
  state: "SUCCESS" | "FAILED" | "TIMEDOUT" | "CANCELED";
  /** `dbutils.notebook.exit` value. */
  result?: string;
  /** `ExceptionType: message`. */
  error?: string;
  errorTrace?: string;
  /** stdout and stderr, interleaved. */
  logs: string;
  logsTruncated: boolean;
  durationMs: number;
}

/** Options of {@link executeTask}. */
export interface ExecuteOptions {
  timeoutSeconds?: number;
  signal?: AbortSignal;
  /** Python interpreter. Default `AMLDB_PYTHON` or `python3`. */
  python?: string;
  /** Log bytes kept. Default 1 MB. */
  maxLogBytes?: number;
}

/** The Python files, next to this file in src/ or, from dist/, in the package's src/. */
export function runnerPath(file = "runner.py"): string {
  const candidates = [path.join(__dirname, file), path.resolve(__dirname, "..", "..", "..", "..", "..", "src", "emulator", "databricks", "execution", file)];
  const found = candidates.find((p) => fs.existsSync(p));
  if (!found) throw new Error(`${file} not found (looked in ${candidates.join(", ")})`);
  return found;
}

/** Runs the task and reports how it ended; never throws for failures of the task itself. */
export async function executeTask(spec: TaskSpec, opts: ExecuteOptions = {}): Promise<TaskOutcome> {
  const started = Date.now();
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "amldb-task-"));
  const resultFile = spec.resultFile ?? path.join(tmp, "result.json");
  const maxLog = opts.maxLogBytes ?? 1_000_000;
  let logs = "";
  let truncated = false;
  const append = (chunk: Buffer) => {
    if (logs.length >= maxLog) return void (truncated = true);
    logs += chunk.toString("utf8");
    if (logs.length > maxLog) [logs, truncated] = [logs.slice(0, maxLog), true];
  };
  try {
    const child = spawn(opts.python ?? process.env.AMLDB_PYTHON ?? "python3", [runnerPath()], {
      cwd: spec.workspaceRoot && fs.existsSync(spec.workspaceRoot) ? spec.workspaceRoot : tmp,
      detached: true,
      stdio: ["pipe", "pipe", "pipe"],
      env: { ...process.env, PYTHONUNBUFFERED: "1", PYTHONDONTWRITEBYTECODE: "1" },
    });
    child.stdout.on("data", append);
    child.stderr.on("data", append);
    let ended: "TIMEDOUT" | "CANCELED" | undefined;
    const kill = (why: "TIMEDOUT" | "CANCELED") => {
      ended ??= why;
      try {
        process.kill(-child.pid!, "SIGKILL");
      } catch {
        child.kill("SIGKILL");
      }
    };
    const timer = opts.timeoutSeconds ? setTimeout(() => kill("TIMEDOUT"), opts.timeoutSeconds * 1000) : undefined;
    const onAbort = () => kill("CANCELED");
    opts.signal?.addEventListener("abort", onAbort);
    if (opts.signal?.aborted) onAbort();
    const exit = await new Promise<{ code: number | null; error?: Error }>((resolve) => {
      child.once("error", (error) => resolve({ code: null, error }));
      child.once("close", (code) => resolve({ code }));
      child.stdin.end(JSON.stringify({ ...spec, resultFile }));
    });
    if (timer) clearTimeout(timer);
    opts.signal?.removeEventListener("abort", onAbort);
    const base = { logs, logsTruncated: truncated, durationMs: Date.now() - started };
    if (exit.error) return { ...base, state: "FAILED", error: `Could not start Python (${exit.error.message}); install python3 or set AMLDB_PYTHON.` };
    if (ended === "TIMEDOUT") return { ...base, state: "TIMEDOUT", error: `Run timed out after ${opts.timeoutSeconds} seconds` };
    if (ended === "CANCELED") return { ...base, state: "CANCELED", error: "Run was cancelled" };
    if (!fs.existsSync(resultFile)) return { ...base, state: "FAILED", error: `The Python process exited with code ${exit.code} before reporting a result.` };
    const r = JSON.parse(fs.readFileSync(resultFile, "utf8")) as { status: string; result: string | null; error: string | null; errorTrace: string | null };
    const outcome: TaskOutcome = { ...base, state: r.status === "success" ? "SUCCESS" : "FAILED" };
    if (r.result !== null) outcome.result = r.result;
    if (r.error) outcome.error = r.error;
    if (r.errorTrace) outcome.errorTrace = r.errorTrace;
    return outcome;
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}
