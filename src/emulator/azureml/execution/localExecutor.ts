/**
 * The workspace's compute, on this machine: a {@link JobExecutor} that runs each submitted
 * pipeline job ({@link PipelineRun}) in a folder of its own below the system's temporary folder,
 * and kills a job's running steps when it is cancelled. Other job types are not run yet (they stay
 * `NotStarted`).
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import type { JobExecutor } from "../jobs";
import type { StepHost } from "./commandStep";
import { jobProperties } from "./jobRecords";
import { PipelineRun } from "./pipelineRun";

/** The prefix of the temporary folder of each job run. */
const WORK_DIR_PREFIX = "azureml-job-";

/** Runs pipeline jobs locally once {@link LocalJobExecutor.attach}ed to the emulator. */
export class LocalJobExecutor implements JobExecutor {
  private host: StepHost | undefined;
  private readonly runs = new Map<string, { run: PipelineRun; ended: Promise<void> }>();

  constructor(private readonly log: (line: string) => void) {}

  /** Gives it what steps need (the provider is made after its executor). */
  attach(host: StepHost): void {
    this.host = host;
  }

  submitted(jobName: string): void {
    const host = this.host;
    if (!host || jobProperties(host.resources, jobName)?.jobType !== "Pipeline") return;
    const run = new PipelineRun(host, jobName, fs.mkdtempSync(path.join(os.tmpdir(), WORK_DIR_PREFIX)));
    // After the submission's answer: the job is seen NotStarted first.
    const ended = new Promise<void>((resolve) => setImmediate(resolve))
      .then(() => run.run())
      .catch((err: unknown) => this.log(`Azure ML job ${jobName} could not run: ${err instanceof Error ? err.message : String(err)}`))
      .finally(() => this.runs.delete(jobName));
    this.runs.set(jobName, { run, ended });
  }

  cancelRequested(jobName: string): void {
    this.runs.get(jobName)?.run.cancel();
  }

  /** Cancels every running job and waits for them to end (the emulator stops or resets). */
  async close(): Promise<void> {
    const runs = [...this.runs.values()];
    for (const { run } of runs) run.cancel(true);
    await Promise.allSettled(runs.map((r) => r.ended));
  }
}
