/**
 * Command Execution 1.2 contexts: one long-lived Python process per context, keeping globals
 * between commands, with the same dbutils as task runs (mounts made here are seen by runs).
 */
import { ChildProcess, spawn } from "node:child_process";
import * as readline from "node:readline";
import type { Readable, Writable } from "node:stream";
import { runnerPath } from "./executor";

/** The `results` object of `commands/status`. */
export interface CommandResult {
  resultType: "text" | "error";
  data?: string;
  cause?: string;
  summary?: string;
}

/** Options of {@link PythonContext.start}. */
export interface PythonContextOptions {
  dbfsRoot: string;
  mountsFile: string;
  secrets: Record<string, Record<string, string>>;
  python?: string;
}

/** One execution context. */
export class PythonContext {
  private readonly pending: ((answer: Record<string, unknown>) => void)[] = [];

  private constructor(private readonly child: ChildProcess, answers: Readable) {
    readline.createInterface({ input: answers }).on("line", (line) => this.pending.shift()?.(JSON.parse(line)));
    child.once("exit", () => {
      for (const resolve of this.pending.splice(0)) resolve({ resultType: "error", summary: "The execution context was destroyed." });
    });
  }

  /** Starts the Python process and waits until it is ready. */
  static async start(opts: PythonContextOptions): Promise<PythonContext> {
    const child = spawn(opts.python ?? process.env.AMLDB_PYTHON ?? "python3", [runnerPath("context_runner.py")], {
      stdio: ["pipe", "ignore", "ignore", "pipe"],
      env: { ...process.env, PYTHONUNBUFFERED: "1", PYTHONDONTWRITEBYTECODE: "1" },
    });
    const context = new PythonContext(child, child.stdio[3] as Readable);
    const ready = new Promise<Record<string, unknown>>((resolve) => {
      context.pending.push(resolve);
      child.once("error", (err) => resolve({ summary: `could not start ${opts.python ?? process.env.AMLDB_PYTHON ?? "python3"}: ${err.message}` }));
    });
    child.stdin!.write(`${JSON.stringify({ dbfsRoot: opts.dbfsRoot, mountsFile: opts.mountsFile, secrets: opts.secrets })}\n`);
    const answer = await ready;
    if (answer.ready !== true) throw new Error(`the Python context did not start: ${String(answer.summary ?? "")}`);
    return context;
  }

  /** Runs code in the context's globals; output and the last expression's repr become `data`. */
  execute(code: string, opts: { timeoutMs?: number } = {}): Promise<CommandResult> {
    return new Promise((resolve) => {
      const timer = opts.timeoutMs
        ? setTimeout(() => {
            this.cancel();
            resolve({ resultType: "error", summary: `Command timed out after ${opts.timeoutMs} ms` });
          }, opts.timeoutMs)
        : undefined;
      this.pending.push((answer) => {
        if (timer) clearTimeout(timer);
        resolve(answer as unknown as CommandResult);
      });
      (this.child.stdin as Writable).write(`${JSON.stringify({ code })}\n`);
    });
  }

  /** Stops whatever runs by ending the process (the context is then unusable, as after a cancel of a stuck command). */
  cancel(): void {
    this.child.kill("SIGKILL");
  }

  /** Ends the process. */
  async destroy(): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    await new Promise<void>((resolve) => {
      this.child.once("exit", () => resolve());
      this.child.kill("SIGTERM");
    });
  }
}
