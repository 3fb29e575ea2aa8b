/**
 * A command step run as a job: the status moves a step makes (`Queued`, `Preparing`, `Running`,
 * `Finalizing`, then `Completed`, or `Failed` with its error), in a folder of its own below the
 * system's temporary folder (named so that a later emulator cleans what a killed one left:
 * `../../execution/workDirs`). A pipeline's steps and standalone command jobs both run this way.
 */
import { makeWorkDir, removeWorkDir } from "../../execution/workDirs";
import type { JobStatus } from "../jobs";
import { runCommandStep, StepFailure, stepLogFile, type CommandStepSpec, type RunningStep, type StepHost } from "./commandStep";

/** Moves a job's status (the run's own guard decides whether it still may). */
export type MoveJob = (job: string, status: JobStatus, error?: string) => void;

/** What a step job runs, made once it is `Preparing` (a bad input fails the job). */
export type StepJobSpec = () => Omit<CommandStepSpec, "onPhase" | "workDir">;

/** Runs step `step` as job `job`; `done` rejects with the error its job ended `Failed` with. */
export function runStepJob(host: StepHost, job: string, step: string, spec: StepJobSpec, move: MoveJob): RunningStep {
  move(job, "Queued");
  const workDir = makeWorkDir("task");
  move(job, "Preparing");
  let running: RunningStep;
  try {
    running = runCommandStep(host, { ...spec(), workDir, onPhase: (phase) => move(job, phase) });
  } catch (err) {
    running = { logFile: stepLogFile(workDir), done: Promise.reject(err), cancel: () => undefined };
  }
  const done = running.done
    .then(
      () => move(job, "Completed"),
      (err: unknown) => {
        const message = err instanceof StepFailure ? err.message : `step ${step} could not run: ${err instanceof Error ? err.message : String(err)}`;
        move(job, "Failed", message);
        throw new Error(message);
      },
    )
    .finally(() => removeWorkDir(workDir));
  return { logFile: running.logFile, done, cancel: () => running.cancel() };
}
