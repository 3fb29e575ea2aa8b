/**
 * Command Execution 1.2 support: a {@link PythonContext} is ONE long-lived Python process
 * (`context_runner.py`) keeping its globals between commands, with the same local dbutils as
 * task runs (so a mount made here is seen by later runs, and the other way round).
 *
 * Protocol: JSON lines. Requests `{"id", "code"}` go to the process's stdin (user code sees
 * /dev/null as stdin); answers come back on file descriptor 3, so nothing user code prints can
 * corrupt them. What a command prints is captured into its result; the process's own stdout and
 * stderr (e.g. programs started with `os.system`) are kept as a short driver log. Both are
 * redacted by the process (`redaction.py`) before they reach this side.
 *
 * The process runs in its own process group, which ends when the context is destroyed or
 * cancelled, and also when stdin closes: the emulator stopped, or was killed.
 */
import { spawn, type ChildProcess } from "node:child_process";
import * as readline from "node:readline";
import type { Readable, Writable } from "node:stream";
import { ByteTail, killProcessGroup, pythonCommand, pythonEnvironment, pythonStartError, runnerPath, type StorageLink } from "./executor";
import { makeWorkDir, removeWorkDir } from "./workDirs";

/** The `results` object of Command Execution 1.2 `commands/status`. */
export interface CommandResult {
  /** `text` when the command ran to its end, `error` when it raised. */
  resultType: "text" | "error";
  /** What the command printed, then the repr of its last expression (if any and not None), like a REPL. */
  data?: string;
  /** The traceback of an error. */
  cause?: string;
  /** `<ExceptionType>: <message>` of an error. */
  summary?: string;
}

/** Options of {@link PythonContext.start}. */
export interface PythonContextOptions {
  /** Local folder standing in for DBFS. */
  dbfsRoot: string;
  /** The JSON mount table shared with task runs. */
  mountsFile: string;
  /** Secret scopes and values, for `dbutils.secrets` (sent on stdin only). */
  secrets: Record<string, Record<string, string>>;
  /** Python interpreter. Default: `AMLDB_PYTHON`, else `python3`. */
  python?: string;
  /** Local folder of workspace files, for `%run /path` in commands. */
  workspaceRoot?: string;
  /** Give up starting after this long. Default 60 000 ms. */
  startTimeoutMs?: number;
  /** Where the context's temporary folder is made. Default: the system's temporary folder. */
  tempDir?: string;
  /** The emulator's mount agent (see the task spec's `storage`); absent: a mount is a local folder only. */
  storage?: StorageLink;
}

type Answer = Record<string, unknown>;

const DRIVER_LOG_BYTES = 64 * 1024;

/** One execution context: a Python process and the commands sent to it. */
export class PythonContext {
  private readonly pending = new Map<number, (result: CommandResult) => void>();
  private readonly driverLog = new ByteTail(DRIVER_LOG_BYTES);
  private nextId = 1;
  private exited = false;
  private stopReason?: string;
  private readonly exitedPromise: Promise<void>;

  private constructor(
    private readonly child: ChildProcess,
    private readonly workDir: string,
  ) {
    child.stdout?.on("data", (b: Buffer) => this.driverLog.push(b));
    child.stderr?.on("data", (b: Buffer) => this.driverLog.push(b));
    child.stdin?.on("error", () => undefined);
    (child.stdio[3] as Readable | null)?.on("error", () => undefined);
    this.exitedPromise = new Promise((resolve) => {
      child.once("close", () => {
        this.exited = true;
        child.stdin?.destroy();
        this.failPending(this.stopReason ?? `The Python process of the execution context ended unexpectedly.`, this.driverLogTail());
        removeWorkDir(this.workDir);
        resolve();
      });
    });
  }

  /**
   * Starts the Python process and waits until it is ready.
   * @throws Error when Python cannot start or the context fails to initialise.
   */
  static start(opts: PythonContextOptions): Promise<PythonContext> {
    const python = pythonCommand(opts.python);
    const script = runnerPath("context_runner.py");
    return new Promise((resolve, reject) => {
      const workDir = makeWorkDir("context", opts.tempDir);
      let settled = false;
      const child = spawn(python, [script], { cwd: workDir, detached: true, stdio: ["pipe", "pipe", "pipe", "pipe"], env: pythonEnvironment(workDir) });
      const context = new PythonContext(child, workDir);
      const fail = (message: string) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        killProcessGroup(child.pid);
        removeWorkDir(workDir);
        reject(new Error(message));
      };
      const timer = setTimeout(() => fail(`The Python execution context did not start within ${opts.startTimeoutMs ?? 60_000} ms.`), opts.startTimeoutMs ?? 60_000);
      child.once("error", (err) => {
        if (child.pid === undefined) fail(pythonStartError(python, err));
      });
      child.once("close", () => fail(`The Python execution context exited while starting.${context.driverLogTail() ? `\n${context.driverLogTail()}` : ""}`));
      readline.createInterface({ input: child.stdio[3] as Readable }).on("line", (line) => {
        let answer: Answer;
        try {
          answer = JSON.parse(line) as Answer;
        } catch {
          return;
        }
        if (!settled && "ready" in answer) {
          if (answer.ready !== true) return fail(`The Python execution context failed to start: ${String(answer.summary ?? "")}`);
          settled = true;
          clearTimeout(timer);
          context.setRef(false);
          return resolve(context);
        }
        context.onAnswer(answer);
      });
      if (child.pid !== undefined) {
        const spec = { dbfsRoot: opts.dbfsRoot, mountsFile: opts.mountsFile, secrets: opts.secrets, workspaceRoot: opts.workspaceRoot, storage: opts.storage };
        (child.stdin as Writable).write(`${JSON.stringify(spec)}\n`);
      }
    });
  }

  /** True while the Python process runs. */
  get alive(): boolean {
    return !this.exited && this.stopReason === undefined;
  }

  /** The end of what the process printed outside commands (for diagnostics). */
  driverLogTail(): string {
    return this.driverLog.text().trim().split("\n").slice(-20).join("\n");
  }

  /**
   * Runs code in the context's globals. Resolves with the command's result: `text` (output, then
   * the repr of a last expression) or `error` (`summary`, `cause`). Never rejects: a context that
   * is gone, a timeout (which stops the context) or a cancel resolve with an `error` result.
   */
  execute(code: string, opts: { timeoutMs?: number } = {}): Promise<CommandResult> {
    if (!this.alive) {
      return Promise.resolve({ resultType: "error", summary: this.stopReason ?? "The execution context is not running." });
    }
    const id = this.nextId++;
    return new Promise((resolve) => {
      const timer =
        opts.timeoutMs !== undefined && opts.timeoutMs > 0
          ? setTimeout(() => this.stop(`The command timed out after ${opts.timeoutMs} ms; its execution context was stopped.`), Math.min(opts.timeoutMs, 2 ** 31 - 1))
          : undefined;
      this.pending.set(id, (result) => {
        if (timer) clearTimeout(timer);
        resolve(result);
      });
      this.setRef(true);
      (this.child.stdin as Writable).write(`${JSON.stringify({ id, code })}\n`);
    });
  }

  /**
   * Cancels what runs by ending the process (and its children): the running and queued commands
   * resolve with an error result, and the context cannot be used afterwards (start a new one).
   */
  cancel(): void {
    this.stop("The command was cancelled.");
  }

  /** Ends the process and waits until it is gone. */
  async destroy(): Promise<void> {
    if (!this.exited) {
      this.stop("The execution context was destroyed.");
      // Wait for the end even when nothing else keeps Node running (the folder goes with it).
      this.setRef(true);
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([this.exitedPromise, new Promise((r) => (timer = setTimeout(r, 5000)))]);
      clearTimeout(timer);
    }
    removeWorkDir(this.workDir);
  }

  private stop(reason: string): void {
    this.stopReason ??= reason;
    killProcessGroup(this.child.pid);
    this.failPending(reason);
  }

  private onAnswer(answer: Answer): void {
    const id = typeof answer.id === "number" ? answer.id : undefined;
    const resolve = id === undefined ? undefined : this.pending.get(id);
    if (!resolve || id === undefined) return;
    this.pending.delete(id);
    const result: CommandResult = { resultType: answer.resultType === "error" ? "error" : "text" };
    for (const key of ["data", "summary", "cause"] as const) if (typeof answer[key] === "string") result[key] = answer[key] as string;
    if (this.pending.size === 0) this.setRef(false);
    resolve(result);
  }

  private failPending(summary: string, cause?: string): void {
    const waiting = [...this.pending.values()];
    this.pending.clear();
    this.setRef(false);
    for (const resolve of waiting) resolve({ resultType: "error", summary, ...(cause ? { cause } : {}) });
  }

  /** An idle context does not keep Node alive (its process ends when Node's pipes close). */
  private setRef(active: boolean): void {
    const handles: unknown[] = [this.child, this.child.stdin, this.child.stdout, this.child.stderr, this.child.stdio[3]];
    for (const h of handles) {
      const handle = h as { ref?: () => void; unref?: () => void; destroyed?: boolean } | null;
      // A closed pipe has nothing to hold (and would queue a listener per call).
      if (handle?.destroyed) continue;
      if (active) handle?.ref?.();
      else handle?.unref?.();
    }
  }
}
