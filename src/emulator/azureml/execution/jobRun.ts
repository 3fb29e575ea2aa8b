import type { Resources } from "../resources";
import { moveJob } from "./jobRecords";
import type { MoveJob } from "./stepJob";

/** What the executor holds of each job it runs (a pipeline, or a standalone command job). */
export interface JobRun {
  /** Runs the job to its end; never rejects (a failure is the job's status). */
  run(): Promise<void>;
  /** Kills the running steps, whose jobs end `Canceled`; the job ends `Canceled` when its cancel operation completes. */
  cancel(): void;
  /**
   * The emulator stops: kills the running steps and writes nothing more, so the job stays as it
   * is in the state and the next emulator on the same state resumes it (`./resume`).
   */
  stop(): void;
  /** The log file of step job `job` of this run while it runs (its log is uploaded when it ends). */
  logFile(job: string): string | undefined;
}

/** Moves jobs on while `stillMay()` (a run that stops, or whose job's cancel decides its end, writes nothing more). */
export function guardedMove(resources: Resources, stillMay: () => boolean): MoveJob {
  return (job, status, error) => {
    if (stillMay()) moveJob(resources, job, status, error);
  };
}
