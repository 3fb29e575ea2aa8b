/**
 * What the page of an Azure ML job shows, read from the workspace: the job's status, times, error
 * and status history, and for each of its steps (a pipeline's child jobs; a command job is its own
 * one step) the same plus the step's log, `user_logs/std_log.txt` from the datastore (its last
 * {@link LOG_LIMIT_BYTES}; a step still running has not uploaded it yet).
 */
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

/** A step: its job and its log. */
export interface AmlStepView {
  readonly step: string;
  readonly job: AmlJobSummary;
  /** The log's text (its end when long), or `undefined` when there is none yet. */
  readonly log?: string;
  readonly logTruncated: boolean;
}

/** The page's content. */
export interface AmlJobView {
  readonly job: AmlJobSummary;
  readonly experiment: string;
  readonly steps: readonly AmlStepView[];
}

/** The view of job `name`, or `undefined` when it does not exist. */
export async function amlJobView(resources: Resources, storage: BlobStorage | undefined, name: string): Promise<AmlJobView | undefined> {
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
      return { step, job: summary(resources, c.name, c.properties), ...(await stepLog(resources, storage, c.name)) };
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

/** The end of a job's `std_log.txt`, if it was uploaded. */
async function stepLog(resources: Resources, storage: BlobStorage | undefined, job: string): Promise<{ log?: string; logTruncated: boolean }> {
  if (!storage) return { logTruncated: false };
  const logs = locate(resources, storage, defaultOutputUri(job, "user_logs"));
  const blob = logs.container.getBlockBlobClient(`${logs.path}std_log.txt`);
  if (!(await blob.exists())) return { logTruncated: false };
  const size = (await blob.getProperties()).contentLength ?? 0;
  const offset = Math.max(0, size - LOG_LIMIT_BYTES);
  const text = (await blob.downloadToBuffer(offset)).toString("utf8");
  return { log: text, logTruncated: offset > 0 };
}
