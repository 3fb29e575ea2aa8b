/**
 * What the page of an Azure ML job shows, read from the workspace: the job's status, times, error
 * and status history, and for each of its steps (a pipeline's child jobs; a command job is its own
 * one step) the same plus the step's log: `user_logs/std_log.txt` from the datastore once the
 * step has uploaded it, its local log so far while it runs (the last {@link LOG_LIMIT_BYTES}).
 */
import * as fs from "node:fs";
import { fileSize } from "../../core/localFile";
import { END_TIME, ERROR, NODE_ID, PARENT_RUN_ID, START_TIME } from "../azureml/execution/jobRecords";
import { defaultOutputUri, locate } from "../azureml/execution/stepData";
import { statusHistory, type StatusChange } from "../azureml/jobHistory";
import type { Resources } from "../azureml/resources";
import type { JsonObject } from "../azureml/state";
import type { BlobStorage } from "../storage/blobStorage";

/** How much of a step's log the page shows, from its end. */
export const LOG_LIMIT_BYTES = 64 * 1024;

/** One job as the page shows it. */
export interface AmlJobSummary {
  readonly name: string;
  readonly displayName: string;
  readonly jobType: string;
  readonly status: string;
  readonly startTime?: string;
  readonly endTime?: string;
  readonly error?: string;
  readonly history: readonly StatusChange[];
}

/** A step's log as the page shows it. */
export interface StepLog {
  /** The log's text (its end when long), or `undefined` when there is none yet. */
  readonly log?: string;
  readonly logTruncated: boolean;
  /** The step runs: this is its log so far. */
  readonly live: boolean;
}

/** A step: its job and its log. */
export interface AmlStepView extends StepLog {
  readonly step: string;
  readonly job: AmlJobSummary;
}

/** Where the page reads jobs and their logs. */
export interface AmlJobSources {
  readonly resources: Resources;
  /** The storage of the datastores (uploaded logs). */
  readonly storage?: BlobStorage;
  /** The local log file of a step job while it runs. */
  readonly liveLog?: (job: string) => string | undefined;
}

/** The page's content. */
export interface AmlJobView {
  readonly job: AmlJobSummary;
  readonly experiment: string;
  readonly steps: readonly AmlStepView[];
}

/** The view of job `name`, or `undefined` when it does not exist. */
export async function amlJobView(sources: AmlJobSources, name: string): Promise<AmlJobView | undefined> {
  const { resources } = sources;
  const found = resources.find(`jobs/${name}`);
  if (!found) return undefined;
  const job = summary(resources, found.path.slice("jobs/".length), found.body.properties as JsonObject);
  const children = resources
    .list("jobs")
    .filter((j) => ((j.body.properties as JsonObject).properties as JsonObject | undefined)?.[PARENT_RUN_ID] === job.name)
    .map((j) => ({ name: j.path.slice("jobs/".length), properties: j.body.properties as JsonObject }));
  const own = job.jobType === "Command" ? [{ name: job.name, properties: found.body.properties as JsonObject }] : [];
  const steps = await Promise.all(
    [...own, ...children].map(async (c) => {
      const step = String(((c.properties.properties ?? {}) as JsonObject)[NODE_ID] ?? c.name);
      return { step, job: summary(resources, c.name, c.properties), ...(await stepLog(sources, c.name)) };
    }),
  );
  return { job, experiment: String((found.body.properties as JsonObject).experimentName ?? "Default"), steps };
}

function summary(resources: Resources, name: string, p: JsonObject): AmlJobSummary {
  const map = (p.properties ?? {}) as Record<string, string | undefined>;
  return {
    name,
    displayName: String(p.displayName ?? name),
    jobType: String(p.jobType),
    status: String(p.status),
    startTime: map[START_TIME],
    endTime: map[END_TIME],
    error: map[ERROR],
    history: statusHistory(resources, name),
  };
}

/** The end of a job's `std_log.txt`: its local file while the step runs, else the uploaded one, if any. */
async function stepLog(sources: AmlJobSources, job: string): Promise<StepLog> {
  const file = sources.liveLog?.(job);
  const live = file === undefined ? undefined : await fileTail(file);
  if (live) return { ...live, live: true };
  if (!sources.storage) return { logTruncated: false, live: false };
  const logs = locate(sources.resources, sources.storage, defaultOutputUri(job, "user_logs"));
  const blob = logs.container.getBlockBlobClient(`${logs.path}std_log.txt`);
  if (!(await blob.exists())) return { logTruncated: false, live: false };
  const size = (await blob.getProperties()).contentLength ?? 0;
  const offset = Math.max(0, size - LOG_LIMIT_BYTES);
  return { log: (await blob.downloadToBuffer(offset)).toString("utf8"), logTruncated: offset > 0, live: false };
}

/** The last {@link LOG_LIMIT_BYTES} of a local file; `undefined` when it is gone (its step ended in between). */
async function fileTail(file: string): Promise<{ log: string; logTruncated: boolean } | undefined> {
  const size = fileSize(file);
  if (size === undefined) return undefined;
  const offset = Math.max(0, size - LOG_LIMIT_BYTES);
  const chunks: Buffer[] = [];
  try {
    if (size > 0) for await (const chunk of fs.createReadStream(file, { start: offset, end: size - 1 })) chunks.push(chunk as Buffer);
  } catch {
    return undefined;
  }
  return { log: Buffer.concat(chunks).toString("utf8"), logTruncated: offset > 0 };
}
