/**
 * Runs a step's command as a process (through `bash -c`, as the compute's runtime does), its
 * standard output and error both written to the step's log. Cancellation lets it clean up as a
 * container being stopped does: SIGTERM to its process group, SIGKILL after {@link KILL_GRACE_MS}.
 */
import { spawn, type ChildProcess } from "node:child_process";
import * as fs from "node:fs";

/** How many lines of a failing step's log its error shows. */
export const LOG_TAIL_LINES = 20;

/**
 * How long a cancelled step has between SIGTERM and SIGKILL, ms. Azure ML documents no figure for
 * a cancelled job; its steps run in Docker containers, and this is `docker stop`'s default grace.
 */
export const KILL_GRACE_MS = 10_000;

/** A running step process. */
export interface StepProcess {
  /** Resolves with the exit code (a signal counts as failure, code -1). */
  readonly exited: Promise<number>;
  /** Ends the process group: SIGTERM now, SIGKILL if it still runs after `graceMs` (default {@link KILL_GRACE_MS}). */
  kill(graceMs?: number): void;
}

/** Starts `command` in `cwd` with `env`, its output appended to `logFile`. */
export function startStepProcess(command: string, cwd: string, env: NodeJS.ProcessEnv, logFile: string): StepProcess {
  const log = fs.openSync(logFile, "a");
  let child: ChildProcess;
  try {
    child = spawn("bash", ["-c", command], { cwd, env, stdio: ["ignore", log, log], detached: true });
  } finally {
    fs.closeSync(log);
  }
  const exited = new Promise<number>((resolve) => {
    child.on("error", () => resolve(-1));
    child.on("exit", (code) => resolve(code ?? -1));
  });
  const signalGroup = (signal: NodeJS.Signals): void => {
    try {
      process.kill(-(child.pid as number), signal);
    } catch {
      // The whole group has ended.
    }
  };
  let killing = false;
  return {
    exited,
    kill: (graceMs = KILL_GRACE_MS) => {
      if (killing || child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
      killing = true;
      signalGroup("SIGTERM");
      // Whatever of the group outlives the grace (the leader may have gone first) is killed; the
      // emulator's own exit does not wait for it.
      setTimeout(() => signalGroup("SIGKILL"), graceMs).unref();
    },
  };
}

/** The last {@link LOG_TAIL_LINES} lines of a log. */
export function logTail(logFile: string): string {
  const text = fs.existsSync(logFile) ? fs.readFileSync(logFile, "utf8") : "";
  return text.trimEnd().split("\n").slice(-LOG_TAIL_LINES).join("\n");
}
