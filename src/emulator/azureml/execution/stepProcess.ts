/**
 * Runs a step's command as a process (through `bash -c`, as the compute's runtime does), its
 * standard output and error both written to the step's log; it can be killed (cancellation).
 */
import { spawn, type ChildProcess } from "node:child_process";
import * as fs from "node:fs";

/** How many lines of a failing step's log its error shows. */
export const LOG_TAIL_LINES = 20;

/** A running step process. */
export interface StepProcess {
  /** Resolves with the exit code (a signal counts as failure, code -1). */
  readonly exited: Promise<number>;
  /** Ends the process group. */
  kill(): void;
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
  return {
    exited,
    kill: () => {
      if (child.pid !== undefined && child.exitCode === null) {
        try {
          process.kill(-child.pid, "SIGKILL");
        } catch {
          // It ended in between.
        }
      }
    },
  };
}

/** The last {@link LOG_TAIL_LINES} lines of a log. */
export function logTail(logFile: string): string {
  const text = fs.existsSync(logFile) ? fs.readFileSync(logFile, "utf8") : "";
  return text.trimEnd().split("\n").slice(-LOG_TAIL_LINES).join("\n");
}
