/**
 * Following a submitted pipeline job: waiting for a terminal status with the one polling loop,
 * printing the job's status and each step's status changes; what the run records of it (steps,
 * outputs with their blob URLs); and how a job that did not complete is told.
 */
import { pollUntil } from "../../core/poll";
import { durationMs, runPollSchedule } from "../../core/pollSchedule";
import { progress } from "../../core/progress";
import type { AzureMlApi, Job } from "../client";
import { isJobTerminal } from "../client";
import type { AmlPipelineRunOutput, AmlPipelineRunStep } from "./amlPipelineRun";
import { bindingOf } from "./inputs";

/** A step as recorded: its child job, status and outputs (the resource's `steps` output). */
export type StepRecord = AmlPipelineRunStep;
/** Where an output is. */
export type OutputRecord = AmlPipelineRunOutput;

/** The job and its children, as last read. */
export interface JobSnapshot {
  job: Job;
  children: Record<string, Job>;
}

/** The job's status. */
export function statusOf(job: Job): string {
  return job.properties?.status ?? "Unknown";
}

/** The job's studio page. */
export function studioUrlOf(job: Job): string {
  return job.properties?.services?.Studio?.endpoint ?? "";
}

/** Reads the job and its child jobs. */
export async function snapshot(api: AzureMlApi, name: string, signal?: AbortSignal): Promise<JobSnapshot> {
  const job = await api.jobs.get(name, { signal });
  const children = statusOf(job) === "NotStarted" ? {} : await api.jobs.children(name, { signal });
  return { job, children };
}

/** How long a job took on the service's clock, from its creation to its end (ms); undefined unless it ended. */
export function jobDurationMs(job: Job): number | undefined {
  const end = job.properties?.properties?.EndTimeUtc;
  const created = job.systemData?.createdAt;
  return durationMs(created ? Date.parse(created) : undefined, end ? Date.parse(end) : undefined);
}

/**
 * Waits until the job ends, printing its status changes and each step's; throws the core's
 * `PollTimeout` (its `last` the last snapshot) past `timeoutMs`. `expectedMs`: how long the
 * previous execution took, to poll sparsely until the job is due.
 */
export async function waitForJob(api: AzureMlApi, name: string, label: string, timeoutMs: number, expectedMs?: number): Promise<JobSnapshot> {
  const seen = new Map<string, string>();
  return pollUntil<JobSnapshot>({
    label,
    timeoutMs,
    read: async (signal) => {
      const s = await snapshot(api, name, signal);
      for (const [step, child] of Object.entries(s.children)) {
        const status = statusOf(child);
        if (seen.get(step) !== status) progress(`${label}: step "${step}" ${status}${seen.has(step) ? "" : ` (job ${String(child.name)})`}`);
        seen.set(step, status);
      }
      return s;
    },
    done: (s) => isJobTerminal(statusOf(s.job)),
    describe: (s) => `job ${name} ${statusOf(s.job)}`,
    delayMs: runPollSchedule(expectedMs),
  });
}

/** Each step's child job, status and outputs (with their https URLs where the datastore has them). */
export async function stepRecords(api: AzureMlApi, s: JobSnapshot): Promise<Record<string, StepRecord>> {
  const urls = blobUrls(api);
  const steps: Record<string, StepRecord> = {};
  for (const [step, child] of Object.entries(s.children)) {
    const outputs: Record<string, OutputRecord> = {};
    for (const [o, out] of Object.entries(child.properties?.outputs ?? {})) if (out.uri) outputs[o] = await urls(out.uri);
    steps[step] = { jobName: String(child.name), status: statusOf(child), outputs };
  }
  return steps;
}

/**
 * The pipeline's outputs: where the step output bound to each (`${{parent.outputs.<o>}}`) went,
 * else the job's own output URI.
 */
export async function pipelineOutputs(api: AzureMlApi, job: Job, steps: Record<string, StepRecord>): Promise<Record<string, OutputRecord>> {
  const urls = blobUrls(api);
  const result: Record<string, OutputRecord> = {};
  const definitions = (job.properties?.jobs ?? {}) as Record<string, { outputs?: Record<string, { value?: unknown }> }>;
  for (const [name, declared] of Object.entries(job.properties?.outputs ?? {})) {
    for (const [step, definition] of Object.entries(definitions)) {
      for (const [o, value] of Object.entries(definition.outputs ?? {})) {
        const written = steps[step]?.outputs[o];
        if (bindingOf(value?.value) === `outputs.${name}` && written) result[name] = written;
      }
    }
    if (!result[name] && declared.uri) result[name] = await urls(declared.uri);
  }
  return result;
}

/**
 * A URI's record with its https URL: `azureml://datastores/<ds>/paths/<p>` of a blob datastore is
 * `<blob service>/<container>/<p>` (the emulator names its blob service URL on the datastore).
 */
function blobUrls(api: AzureMlApi): (uri: string) => Promise<OutputRecord> {
  const bases = new Map<string, Promise<string | undefined>>();
  return async (uri) => {
    const m = /^azureml:\/\/datastores\/([^/]+)\/paths\/(.*)$/.exec(uri);
    if (!m) return { uri };
    if (!bases.has(m[1])) {
      bases.set(
        m[1],
        api.datastores.get(m[1]).then((d) => {
          const p = d.properties;
          if (p?.datastoreType !== "AzureBlob" || !p.accountName || !p.containerName) return undefined;
          const service = p.properties?.["emulator.blobServiceUrl"] ?? `${p.protocol ?? "https"}://${p.accountName}.blob.${p.endpoint ?? "core.windows.net"}`;
          return `${service}/${p.containerName}`;
        }),
      );
    }
    const base = await bases.get(m[1]);
    return base ? { uri, url: `${base}/${m[2].split("/").map(encodeURIComponent).join("/")}` } : { uri };
  };
}

/**
 * How a job that did not complete is told. `summary` (the error's reasons, kept in the stack's
 * state): its status and each failed step's, and the studio page. `message` (printed, not kept):
 * the same with each failed step's error, which holds its exit code and the end of its log (step
 * output may hold secrets).
 */
export function jobFailure(label: string, s: JobSnapshot): { summary: string; message: string } {
  const name = String(s.job.name);
  const own = s.job.properties?.properties?.["azureml.error"];
  const head = `${label}: job ${name} ended ${statusOf(s.job)}`;
  const summary = [head];
  const message = [head];
  const errors: string[] = [];
  for (const [step, child] of Object.entries(s.children)) {
    const status = statusOf(child);
    if (status !== "Failed" && status !== "Canceled") continue;
    const line = `  step "${step}" (job ${String(child.name)}) ${status}`;
    summary.push(line);
    const error = child.properties?.properties?.["azureml.error"];
    message.push(error ? `${line}: ${indent(error)}` : line);
    if (error) errors.push(error);
  }
  if (own && !errors.includes(own)) message.splice(1, 0, `  ${indent(own)}`);
  const page = `Studio: ${studioUrlOf(s.job) || "(none)"}`;
  summary.push("The steps' errors and log tails are printed above, not kept in the stack's state, as step output may hold secrets; the studio page has them too.", page);
  message.push(page);
  return { summary: summary.join("\n"), message: message.join("\n") };
}

function indent(text: string): string {
  return text.trimEnd().split("\n").join("\n    ");
}
