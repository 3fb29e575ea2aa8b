/**
 * The workspace's compute, on this machine: a {@link JobExecutor} that runs each submitted
 * pipeline job ({@link PipelineRun}) and command job ({@link CommandJobRun}), and kills a job's
 * running steps when it is cancelled. Other job types are not run (they stay `NotStarted`).
 *
 * When the emulator stops, the running steps are killed and the jobs left as they are; the next
 * emulator on the same state resumes every job that had not ended ({@link LocalJobExecutor.resume}):
 * a pipeline keeps its completed steps and runs the others (a step that was running as a new child
 * job), a command job runs again. A killed emulator leaves the same state, and the processes it
 * left are ended at the next start.
 */
import * as fs from "node:fs";
import type { JobExecutor } from "../jobs";
import { TERMINAL_JOB_STATUSES } from "../operations";
import type { JsonObject } from "../state";
import { CommandJobRun } from "./commandJobRun";
import type { StepHost } from "./commandStep";
import { jobProperties, PARENT_RUN_ID } from "./jobRecords";
import type { JobRun } from "./jobRun";
import { PipelineRun } from "./pipelineRun";

/** The job types run, and how. */
const RUNS: Record<string, new (host: StepHost, name: string) => JobRun> = { Pipeline: PipelineRun, Command: CommandJobRun };

/** Runs jobs locally once {@link LocalJobExecutor.attach}ed to the emulator. */
export class LocalJobExecutor implements JobExecutor {
  private host: StepHost | undefined;
  private readonly runs = new Map<string, { run: JobRun; ended: Promise<void> }>();

  constructor(private readonly log: (line: string) => void) {}

  /** Gives it what steps need (the provider is made after its executor). */
  attach(host: StepHost): void {
    this.host = host;
  }

  submitted(jobName: string): void {
    const host = this.host;
    const job = host && jobProperties(host.resources, jobName);
    const Run = job && RUNS[String(job.jobType)];
    // A pipeline's child jobs are run by their pipeline.
    if (!host || !Run || this.runs.has(jobName) || ((job.properties ?? {}) as JsonObject)[PARENT_RUN_ID] !== undefined) return;
    const run = new Run(host, jobName);
    // After the submission's answer: the job is seen NotStarted first.
    const ended = new Promise<void>((resolve) => setImmediate(resolve))
      .then(() => run.run())
      .catch((err: unknown) => this.log(`Azure ML job ${jobName} could not run: ${err instanceof Error ? err.message : String(err)}`))
      .finally(() => {
        if (this.runs.get(jobName)?.run === run) this.runs.delete(jobName);
      });
    this.runs.set(jobName, { run, ended });
  }

  cancelRequested(jobName: string): void {
    this.runs.get(jobName)?.run.cancel();
  }

  /** Resumes the jobs an earlier emulator on the same state had not ended (those whose cancel was asked end by their operation). Returns their names. */
  resume(): string[] {
    const host = this.host;
    if (!host) return [];
    const unfinished = host.resources
      .list("jobs")
      .map((j) => j.path.slice("jobs/".length))
      .filter((name) => {
        const status = String(jobProperties(host.resources, name)?.status);
        return !TERMINAL_JOB_STATUSES.includes(status) && status !== "CancelRequested";
      });
    for (const name of unfinished) this.submitted(name);
    const resumed = unfinished.filter((name) => this.runs.has(name));
    if (resumed.length > 0) this.log(`Azure ML jobs resumed after a restart: ${resumed.join(", ")}`);
    return resumed;
  }

  /** The log so far of step job `job` while it runs (a pipeline's child or a command job), if it has one yet. */
  liveLog(job: string): string | undefined {
    for (const { run } of this.runs.values()) {
      const file = run.logFile(job);
      if (file !== undefined && fs.existsSync(file)) return file;
    }
    return undefined;
  }

  /** Kills every running step and waits for the runs to end, writing nothing more (the emulator stops or resets). */
  async close(): Promise<void> {
    const runs = [...this.runs.values()];
    this.runs.clear();
    for (const { run } of runs) run.stop();
    await Promise.allSettled(runs.map((r) => r.ended));
  }
}
