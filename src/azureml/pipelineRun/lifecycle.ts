/**
 * The AmlPipelineRun provider's operations: check builds the REST job (components resolved), create
 * submits it under a deterministic name (or adopts the job an interrupted `up` submitted) and
 * waits for it, a job that did not complete is recorded so the next `up` runs it again, delete
 * cancels a running job. Required by the provider at call time.
 */
import { CheckFailure, failureList, sameJson, UNKNOWN } from "../../core/check";
import { PollTimeout } from "../../core/poll";
import { reviewedDiff, ReviewedDiff } from "../../core/detailedDiff";
import { EngineDiff, toEngineDiff } from "../../core/engineDiff";
import { progress } from "../../core/progress";
import { currentTarget } from "../../core/target";
import { AzureMlApi, isJobTerminal, Job } from "../client";
import { ifPresent, inContext } from "../shared/errors";
import { azureMlApi } from "../shared/workspace";
import { resolveComponents } from "./components";
import { checkPipelineRun, diffPipelineRun, hasUnknown, jobBody, jobNameOf, PipelineRunInputs, resourceName, restPipelineJob } from "./inputs";
import { noteExpectedDuration, takeExpectedDuration } from "../../core/expectedDurations";
import { JobSnapshot, jobDurationMs, jobFailure, OutputRecord, pipelineOutputs, statusOf, StepRecord, stepRecords, studioUrlOf, waitForJob } from "./jobWait";

/** What state holds for a run besides its inputs. */
export interface PipelineRunOutputs extends PipelineRunInputs {
  jobName: string;
  status: string;
  studioUrl: string;
  steps: Record<string, StepRecord>;
  pipelineOutputs: Record<string, OutputRecord>;
  /** How long the job took from its creation to its end (ms), once it ended. */
  durationMs?: number;
}

const DEFAULT_WAIT_SECONDS = 24 * 60 * 60;
const CANCEL_WAIT_MS = 10 * 60 * 1000;
const MAX_ATTEMPTS = 100;

/** Validation at preview and up: the pipeline document, then its components (looked up), then the REST job. */
export async function check(_olds: Record<string, unknown>, news: Record<string, unknown>): Promise<{ inputs: Record<string, unknown>; failures: CheckFailure[] }> {
  const inputs: Record<string, unknown> = { ...news };
  const { failures, fail } = failureList();
  const document = checkPipelineRun(inputs, fail, currentTarget());
  if (failures.length > 0) return { inputs, failures };
  const ws = inputs as unknown as PipelineRunInputs;
  if (!document || hasUnknown(document.doc) || hasUnknown([ws.armEndpoint, ws.subscriptionId, ws.resourceGroupName, ws.workspaceName])) {
    inputs.componentIds = UNKNOWN;
    inputs.pipelineJob = UNKNOWN;
    return { inputs, failures };
  }
  const componentIds = await resolveComponents(azureMlApi(ws), ws, document, String(inputs.file ?? "the pipeline file"), fail);
  if (!componentIds) return { inputs, failures };
  const { job, problems } = restPipelineJob(document.doc, componentIds, ws);
  failures.push(...problems);
  inputs.componentIds = componentIds;
  inputs.pipelineJob = job;
  return { inputs, failures };
}

/** Runs again on a change of definition, components, triggers or code files (replace); a job that did not complete runs again (update). */
export async function diff(_id: string, olds: PipelineRunOutputs, news: PipelineRunInputs): Promise<EngineDiff> {
  const { diff: d, reason } = reviewPipelineRun(olds, news);
  if (reason) progress(reason);
  // A replacement's create gets the new inputs only: it polls by the old job's duration noted here.
  if (d.replaces.length > 0) noteExpectedDuration(news, olds.durationMs);
  return toEngineDiff(d);
}

/** The engine's diff of a run and the line that says why it runs again (or not). */
export function reviewPipelineRun(olds: PipelineRunOutputs, news: PipelineRunInputs): { diff: ReviewedDiff; reason?: string } {
  const d = diffPipelineRun(olds, news);
  const label = labelOf(olds);
  if (d.replaces.length > 0) return { diff: reviewedDiff(d.detail, d.replaces, false), reason: `${label}: will run again (replace): ${d.reasons.join("; ")} changed.` };
  if (olds.status !== "Completed") return { diff: reviewedDiff(d.detail, [], false, true), reason: `${label}: job ${olds.jobName} ended ${olds.status}; will run again.` };
  if (!d.changes) return { diff: reviewedDiff({}, [], false, false) };
  return { diff: reviewedDiff(d.detail, [], false), reason: `${label}: ${d.updates.join(", ")} changed; no new run (update).` };
}

export async function create(inputs: PipelineRunInputs): Promise<{ id: string; outs: PipelineRunOutputs }> {
  const outs = await execute(inputs, undefined, takeExpectedDuration(inputs));
  return { id: outs.jobName, outs };
}

/**
 * A job that did not complete runs again (the resource keeps its id; `jobName` names the new job);
 * otherwise the display name, description and tags are set on the job, without a new run.
 */
export async function update(id: string, olds: PipelineRunOutputs, news: PipelineRunInputs): Promise<{ outs: PipelineRunOutputs }> {
  if (olds.status !== "Completed") return { outs: await execute(news, { id, outs: olds }) };
  const api = azureMlApi(news);
  if (!sameDisplay(olds, news)) {
    const job = await ifPresent(`read job "${olds.jobName}" in ${api.calls.where}`, () => api.jobs.get(olds.jobName));
    if (job) await submit(api, olds.jobName, { ...news, pipelineJob: olds.pipelineJob }, "update");
  }
  return { outs: { ...olds, ...news, pipelineJob: olds.pipelineJob, componentIds: olds.componentIds } };
}

/**
 * Refreshes the job's status and steps. A display name, description or tags changed on the job
 * flow back as drift, so the next `up` sets the program's again (without a new run); a status
 * other than Completed makes the next `up` run it again. A job the service no longer has (deleted)
 * keeps what state knew: a run is an event, not a living object, and its outputs are still where
 * it wrote them; the next `up` does not run it again (change `triggers` to).
 */
export async function read(id: string, props: PipelineRunOutputs): Promise<{ id: string; props: PipelineRunOutputs }> {
  const api = azureMlApi(props);
  const job = await ifPresent(`read job "${props.jobName}" in ${api.calls.where}`, () => api.jobs.get(props.jobName));
  if (!job) {
    progress(`${labelOf(props)}: job ${props.jobName} is no longer in ${api.calls.where} (deleted); state keeps its record, and pulumi up does not run it again (change triggers to run it again).`);
    return { id, props };
  }
  const s: JobSnapshot = { job, children: await api.jobs.children(props.jobName) };
  const duration = jobDurationMs(job);
  const outs: PipelineRunOutputs = { ...props, status: statusOf(job), steps: await stepRecords(api, s), ...(duration !== undefined && { durationMs: duration }) };
  const submitted = jobBody(props);
  const live = (job.properties ?? {}) as Record<string, unknown>;
  const drifted = (["displayName", "description", "tags"] as const).filter((k) => !sameJson(emptyAsAbsent(live[k]), emptyAsAbsent(submitted[k])));
  for (const k of drifted) {
    const value = emptyAsAbsent(live[k]);
    if (value === undefined) delete outs[k];
    else (outs as unknown as Record<string, unknown>)[k] = value;
  }
  if (drifted.length > 0) progress(`${labelOf(props)}: ${drifted.join(", ")} of job ${props.jobName} changed in the workspace; the next pulumi up sets the program's again (no new run).`);
  return { id, props: outs };
}

/** null, "" and {} as absent: how the service may answer a field never set. */
function emptyAsAbsent(v: unknown): unknown {
  if (v === null || v === "" || (typeof v === "object" && !Array.isArray(v) && Object.keys(v as object).length === 0)) return undefined;
  return v;
}

/** Cancels the run's job if it still runs and waits for it to stop; then deletes it unless keepHistory. */
export async function remove(_id: string, props: PipelineRunOutputs): Promise<void> {
  const api = azureMlApi(props);
  const label = labelOf(props);
  const operation = `cancel job "${props.jobName}" in ${api.calls.where}`;
  const job = await ifPresent(`read job "${props.jobName}" in ${api.calls.where}`, () => api.jobs.get(props.jobName));
  if (!job) return;
  if (!isJobTerminal(statusOf(job))) {
    progress(`${label}: cancelling job ${props.jobName} (${statusOf(job)})`);
    try {
      await api.jobs.cancel(props.jobName);
      await waitForJob(api, props.jobName, label, CANCEL_WAIT_MS);
    } catch (err) {
      throw inContext(err, { operation });
    }
  }
  if (!props.keepHistory) await deleteJob(api, props.jobName);
}

async function deleteJob(api: AzureMlApi, name: string): Promise<void> {
  await ifPresent(`delete job "${name}" in ${api.calls.where}`, () => api.jobs.delete(name));
}

function labelOf(inputs: Pick<PipelineRunInputs, "identity">): string {
  return `Azure ML pipeline run "${resourceName(inputs)}"`;
}

function sameDisplay(a: PipelineRunInputs, b: PipelineRunInputs): boolean {
  return JSON.stringify([a.displayName, a.description, a.tags]) === JSON.stringify([b.displayName, b.description, b.tags]);
}

/**
 * Submits (or adopts) the job and waits for it. A job that does not complete is still recorded
 * (the error carries the resource's id and the run's state), so the next `up` runs it again and
 * `destroy` removes it.
 */
async function execute(inputs: PipelineRunInputs, previous?: { id: string; outs: PipelineRunOutputs }, expectedMs = previous?.outs.durationMs): Promise<PipelineRunOutputs> {
  const api = azureMlApi(inputs);
  const label = labelOf(inputs);
  const name = await submitOrAdopt(api, inputs, label);
  // The job this resource recorded before (one that did not complete) is replaced by the new one, as destroy would delete it.
  if (previous && previous.outs.jobName !== name && !inputs.keepHistory) await deleteJob(api, previous.outs.jobName);
  let s: JobSnapshot;
  try {
    s = await waitForJob(api, name, label, (inputs.timeoutSeconds ?? DEFAULT_WAIT_SECONDS) * 1000, expectedMs);
  } catch (err) {
    if (!(err instanceof PollTimeout)) throw inContext(err, { operation: `wait for job "${name}" in ${api.calls.where}` });
    // Recorded like a failed job: the next `up` adopts it (same name) and waits again; `destroy` cancels it.
    const last = err.last as JobSnapshot;
    const message = `${label}: job ${name} is still ${statusOf(last.job)} after ${Math.round(err.elapsedMs / 1000)} s; it keeps running. Raise timeoutSeconds, or run pulumi up again to adopt it and keep waiting. Studio: ${studioUrlOf(last.job)}`;
    throw Object.assign(new Error(message), { id: previous?.id ?? name, properties: await outputsOf(api, inputs, last), reasons: [message] });
  }
  const outs = await outputsOf(api, inputs, s);
  if (statusOf(s.job) !== "Completed") {
    const failure = jobFailure(label, s);
    progress(failure.message);
    throw Object.assign(new Error(failure.message), { id: previous?.id ?? name, properties: outs, reasons: [failure.summary] });
  }
  return outs;
}

/**
 * The job of the first attempt whose job either does not exist (it is submitted) or exists and did
 * not fail (an interrupted `up` submitted it: adopted). A job of an attempt that failed or was
 * canceled moves on to the next attempt's name.
 */
async function submitOrAdopt(api: AzureMlApi, inputs: PipelineRunInputs, label: string): Promise<string> {
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    const name = jobNameOf(inputs, attempt);
    const existing = await ifPresent(`read job "${name}" in ${api.calls.where}`, () => api.jobs.get(name));
    if (!existing) {
      const job = await submit(api, name, inputs, "submit");
      progress(`${label}: submitted job ${name}; studio: ${studioUrlOf(job)}`);
      return name;
    }
    const status = statusOf(existing);
    if (isJobTerminal(status) && status !== "Completed") continue;
    progress(`${label}: found job ${name} (${status}) from an earlier pulumi up with the same definition; adopting it. Studio: ${studioUrlOf(existing)}`);
    return name;
  }
  throw new Error(`${label}: ${MAX_ATTEMPTS} earlier jobs with this definition failed or were canceled; change triggers to start afresh.`);
}

async function submit(api: AzureMlApi, name: string, inputs: PipelineRunInputs, verb: "submit" | "update"): Promise<Job> {
  try {
    return await api.jobs.submit(name, { properties: jobBody(inputs) as unknown as Job["properties"] });
  } catch (err) {
    throw inContext(err, { operation: `${verb} job "${name}" in ${api.calls.where}` });
  }
}

async function outputsOf(api: AzureMlApi, inputs: PipelineRunInputs, s: JobSnapshot): Promise<PipelineRunOutputs> {
  const steps = await stepRecords(api, s);
  const duration = jobDurationMs(s.job);
  return { ...inputs, jobName: String(s.job.name), status: statusOf(s.job), studioUrl: studioUrlOf(s.job), steps, pipelineOutputs: await pipelineOutputs(api, s.job, steps), ...(duration !== undefined && { durationMs: duration }) };
}
