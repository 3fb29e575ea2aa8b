/**
 * What the page of an Azure ML job shows, read from the workspace: the job's status, times, error,
 * status history and outputs; a pipeline's step graph (its steps with their statuses, and an edge
 * wherever a step's input is bound to another step's output, `${{parent.jobs.<s>.outputs.<o>}}`);
 * and for each of its steps (a pipeline's child jobs; a command job is its own one step) the same
 * plus the step's log: `user_logs/std_log.txt` from the datastore once the step has uploaded it,
 * its local log so far while it runs (the last {@link LOG_LIMIT_BYTES}), and the Databricks runs
 * whose pages the log names. The values of the emulator's secrets (secret scopes, Key Vault) are
 * taken out of the logs and errors shown.
 */
import * as fs from "node:fs";
import { fileSize } from "../../core/localFile";
import { REDACTED, redactValues } from "../../core/redact";
import { bindingOf } from "../azureml/execution/bindings";
import { parseDatastoreUri } from "../azureml/execution/datastorePaths";
import { childJobsOf, END_TIME, ERROR, NODE_ID, PARENT_RUN_ID, START_TIME } from "../azureml/execution/jobRecords";
import { defaultOutputUri, locate } from "../azureml/execution/stepData";
import { statusHistory, type StatusChange } from "../azureml/jobHistory";
import type { Resources } from "../azureml/resources";
import type { JsonObject } from "../azureml/state";
import type { BlobStorage } from "../storage/blobStorage";
import { dataPath } from "./links";
import type { GraphEdge, GraphStep } from "./pipelineGraph";

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
  /** Its outputs, in its record's order. */
  readonly outputs: readonly OutputView[];
}

/** One output of a job. */
export interface OutputView {
  readonly name: string;
  /** Where it is written (`azureml://datastores/<ds>/paths/<p>`); `undefined` until the job knows. */
  readonly uri?: string;
  /** The emulator's page listing what is there, for a datastore URI. */
  readonly href?: string;
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
  /** The Databricks runs whose pages its log names (that exist in the emulator's workspace): their page paths. */
  readonly databricksRuns: readonly DatabricksRunLink[];
}

/** A Databricks run a step's log names. */
export interface DatabricksRunLink {
  readonly runId: number;
  /** Its page on the emulator. */
  readonly href: string;
}

/** Where the page reads jobs and their logs. */
export interface AmlJobSources {
  readonly resources: Resources;
  /** The storage of the datastores (uploaded logs). */
  readonly storage?: BlobStorage;
  /** The local log file of a step job while it runs. */
  readonly liveLog?: (job: string) => string | undefined;
  /** The values of the emulator's secrets, taken out of logs and errors. Default: none. */
  readonly secretValues?: () => readonly string[];
  /** The page of Databricks run `runId` of job `jobId`, or `undefined` when the workspace has no such run. Default: none. */
  readonly databricksRunPage?: (jobId: number, runId: number) => string | undefined;
}

/** The page's content. */
export interface AmlJobView {
  readonly job: AmlJobSummary;
  readonly experiment: string;
  /** A pipeline's steps in its definition's order, each with its latest child job's status, and their edges. */
  readonly graph?: { readonly steps: readonly GraphStep[]; readonly edges: readonly GraphEdge[] };
  readonly steps: readonly AmlStepView[];
}

/** Shown instead of a text that holds a secret value too short to take out. */
export const WITHHELD_TEXT = `${REDACTED} (withheld: the value of one of the emulator's secrets is too short to take out of it)`;

/** The view of job `name`, or `undefined` when it does not exist. */
export async function amlJobView(sources: AmlJobSources, name: string): Promise<AmlJobView | undefined> {
  const { resources } = sources;
  const found = resources.find(`jobs/${name}`);
  if (!found) return undefined;
  const secrets = sources.secretValues?.() ?? [];
  const clean = (text: string | undefined): string | undefined => (text === undefined ? undefined : (redactValues(text, secrets) ?? WITHHELD_TEXT));
  const properties = found.body.properties as JsonObject;
  const job = summary(resources, found.path.slice("jobs/".length), properties, clean);
  const children = resources
    .list("jobs")
    .filter((j) => ((j.body.properties as JsonObject).properties as JsonObject | undefined)?.[PARENT_RUN_ID] === job.name)
    .map((j) => ({ name: j.path.slice("jobs/".length), properties: j.body.properties as JsonObject }));
  const own = job.jobType === "Command" ? [{ name: job.name, properties }] : [];
  const steps = await Promise.all(
    [...own, ...children].map(async (c) => {
      const step = String(((c.properties.properties ?? {}) as JsonObject)[NODE_ID] ?? c.name);
      const log = await stepLog(sources, c.name);
      const text = clean(log.log);
      return { step, job: summary(resources, c.name, c.properties, clean), ...log, log: text, databricksRuns: databricksRunsIn(text, sources.databricksRunPage) };
    }),
  );
  const graph = job.jobType === "Pipeline" ? pipelineGraph(resources, job.name, (properties.jobs ?? {}) as Record<string, JsonObject>) : undefined;
  return { job, experiment: String(properties.experimentName ?? "Default"), graph, steps };
}

/** The steps of pipeline `parent` (`jobs` its definition's steps) with their latest child's status, and their bindings to each other. */
function pipelineGraph(resources: Resources, parent: string, jobs: Record<string, JsonObject>): AmlJobView["graph"] {
  const steps: GraphStep[] = [];
  const edges: GraphEdge[] = [];
  for (const [step, definition] of Object.entries(jobs)) {
    const latest = childJobsOf(resources, parent, step).at(-1);
    steps.push({ name: step, status: latest ? String(latest.properties.status) : "NotStarted", href: `#step-${step}` });
    for (const [input, bound] of Object.entries((definition?.inputs ?? {}) as Record<string, JsonObject | undefined>)) {
      const b = bindingOf(bound?.value ?? bound?.uri);
      if (b.kind === "stepOutput") edges.push({ from: b.step, to: step, output: b.output, input });
    }
  }
  return { steps, edges };
}

/** Databricks run pages a log names (`/?o=…#job/<j>/run/<r>` or `/jobs/<j>/runs/<r>`), each once, that exist. */
function databricksRunsIn(log: string | undefined, page: AmlJobSources["databricksRunPage"]): DatabricksRunLink[] {
  if (!log || !page) return [];
  const links = new Map<number, DatabricksRunLink>();
  for (const m of log.matchAll(/(?:#job\/(\d{1,15})\/run\/(\d{1,15}))|(?:\/jobs\/(\d{1,15})\/runs\/(\d{1,15}))/g)) {
    const [jobId, runId] = [Number(m[1] ?? m[3]), Number(m[2] ?? m[4])];
    const href = links.has(runId) ? undefined : page(jobId, runId);
    if (href) links.set(runId, { runId, href });
  }
  return [...links.values()];
}

function summary(resources: Resources, name: string, p: JsonObject, clean: (text: string | undefined) => string | undefined): AmlJobSummary {
  const map = (p.properties ?? {}) as Record<string, string | undefined>;
  return {
    name,
    displayName: String(p.displayName ?? name),
    jobType: String(p.jobType),
    status: String(p.status),
    startTime: map[START_TIME],
    endTime: map[END_TIME],
    error: clean(map[ERROR]),
    history: statusHistory(resources, name),
    outputs: Object.entries((p.outputs ?? {}) as Record<string, JsonObject | null>).map(([output, o]) => {
      const uri = typeof o?.uri === "string" && o.uri !== "" ? o.uri : undefined;
      return { name: output, uri, href: uri && parseDatastoreUri(uri) ? dataPath(uri) : undefined };
    }),
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
