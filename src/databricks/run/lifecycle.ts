/**
 * The DatabricksRun provider's operations: submit a one-time run and wait for it (create),
 * refresh its record (read), change settings without re-running (update), cancel and delete it.
 * Required by the provider at call time, in the engine's provider process.
 */
import { DatabricksApi, DatabricksApiError, isNotFound } from "../client";
import { ServiceError } from "../../core/errors";
import type { Run, RunSubmitRequest } from "../client/types";
import { CheckFailure, checkListening } from "../../core/check";
import { checkHost, DATABRICKS_HOST_SETTINGS, databricksApi, ignoreGone } from "../shared/connection";
import { progress } from "../../core/progress";
import { redactValues, REDACTED } from "../../core/redact";
import { SECURE_PARAMETERS_HEADER, secureParametersHeaderValue } from "../../core/secureParameters";
import { currentTarget, type Target } from "../../core/target";
import { reviewedDiff, ReviewedDiff } from "../../core/detailedDiff";
import { EngineDiff, toEngineDiff } from "../../core/engineDiff";
import { buildSubmitRequest, checkRunInputs, diffRun, effectiveRunName, idempotencyToken, RunInputs, runDetail } from "./inputs";
import { describeState, isTerminal, runDurationMs, RunWaitTimeout, waitForRun } from "../shared/runWait";
import { noteExpectedDuration, takeExpectedDuration } from "../../core/expectedDurations";

/** What state holds for a run besides its inputs. */
export interface RunOutputs extends RunInputs {
  runId: number;
  runName: string;
  runPageUrl: string;
  lifeCycleState: string;
  resultState?: string;
  stateMessage?: string;
  startTime?: number;
  endTime?: number;
  setupDuration?: number;
  executionDuration?: number;
  cleanupDuration?: number;
  runDuration?: number;
  /** `dbutils.notebook.exit` value of a single-task run. */
  notebookOutput?: string;
  /** Exit values per task key of a multi-task run. */
  taskOutputs?: Record<string, string>;
  /** Task run ids per task key. */
  taskRunIds: Record<string, number>;
}

/**
 * A run that a submit returns and that started this long before the submit is an earlier
 * attempt, not this one. Only terminal runs are judged by it, and a run just created is never
 * terminal at once on the real service, so clock skew cannot make us submit twice.
 */
const EARLIER_ATTEMPT_MS = 5_000;
const MAX_ATTEMPTS = 100;
const DEFAULT_WAIT_SECONDS = 24 * 60 * 60;

export async function check(_olds: Record<string, unknown>, news: Record<string, unknown>): Promise<{ inputs: Record<string, unknown>; failures: CheckFailure[] }> {
  const inputs = { ...news };
  const failures = checkRunInputs(inputs);
  checkHost(inputs, failures);
  await checkListening({ inputs, failures }, "host", DATABRICKS_HOST_SETTINGS);
  return { inputs, failures };
}

export async function diff(_id: string, olds: RunOutputs, news: RunInputs): Promise<EngineDiff> {
  const { diff: d, reason } = reviewRun(olds, news);
  if (reason) progress(reason);
  // A replacement's create gets the new inputs only: it polls by the old run's duration noted here.
  if (d.replaces.length > 0) noteExpectedDuration(news, runDurationMs(olds));
  return toEngineDiff(d);
}

/** The engine's diff of a run and the line that says why it runs again (or not). */
export function reviewRun(olds: RunOutputs, inputs: RunInputs): { diff: ReviewedDiff; reason?: string } {
  // State holds the effective run name under runName; compare like with like.
  const news = { ...inputs, runName: effectiveRunName(inputs) };
  const d = diffRun(olds, news);
  const label = `Databricks run "${olds.runName}"`;
  if (d.replaces.length === 0 && olds.resultState !== "SUCCESS") {
    const { detail } = runDetail(olds, news, d);
    return { diff: reviewedDiff(detail, [], false, true), reason: `${label}: run ${olds.runId} ended ${olds.resultState ?? olds.lifeCycleState}; will run again.` };
  }
  if (!d.changes) return { diff: reviewedDiff({}, [], false, false) };
  const { detail, replaces, causes } = runDetail(olds, news, d);
  const reason = replaces.length > 0 ? `${label}: will run again (replace): ${causes.join(", ")} changed.` : `${label}: ${causes.join(", ")} changed; no new run (update).`;
  return { diff: reviewedDiff(detail, replaces, false), reason };
}

export async function create(inputs: RunInputs): Promise<{ id: string; outs: RunOutputs }> {
  const outs = await execute(inputs, undefined, takeExpectedDuration(inputs));
  return { id: String(outs.runId), outs };
}

/**
 * Submits (or adopts) the run and waits for it. A run that does not succeed is still recorded
 * (the error carries its id and state), so the next `up` runs it again and `destroy` removes it.
 */
async function execute(inputs: RunInputs, previous?: { id: string; outs: RunOutputs }, expectedMs = previous && runDurationMs(previous.outs)): Promise<RunOutputs> {
  const api = databricksApi(inputs.host);
  const request = buildSubmitRequest(inputs, effectiveRunName(inputs));
  const label = `Databricks run "${request.run_name}"`;
  const runId = await submitOrAdopt(api, inputs, request, label, previous?.outs.runId);
  if (previous && previous.outs.runId !== runId && !inputs.keepHistory) await deleteRun(api, previous.outs.runId);
  let run: Run;
  try {
    run = await waitForRun(api, runId, { timeoutMs: (inputs.waitTimeoutSeconds ?? DEFAULT_WAIT_SECONDS) * 1000, log: progress, label, expectedMs });
  } catch (err) {
    if (!(err instanceof RunWaitTimeout)) throw err;
    // Recorded like a failed run, so the next `up` adopts the run (same idempotency token) and
    // waits again, and `destroy` cancels it; the message holds states and the run page only.
    const message = `${label}: ${err.message}`;
    const properties: RunOutputs = { ...inputs, ...runFields(err.run, secretValues(inputs)), runName: request.run_name!, taskRunIds: taskRunIdsOf(err.run) };
    throw Object.assign(new Error(message), { id: previous?.id ?? String(runId), properties, reasons: [message] });
  }
  const outs = await outputsOf(api, inputs, run, request.run_name!);
  if (run.state?.result_state !== "SUCCESS") {
    const secrets = secretValues(inputs);
    const failure = await runFailure(api, run, label, secrets);
    // The engine stores `reasons` and `properties` in the stack's state (as the resource's init
    // errors and outputs) in clear, and prints the reasons; so they hold no notebook text: no task
    // error, trace or exit value, and service messages without the secure inputs. The task's error,
    // with the secure inputs taken out, is printed (an info line, not kept) and is the message.
    progress(failure.message);
    const { notebookOutput: _n, taskOutputs: _t, ...properties } = outs;
    throw Object.assign(new Error(failure.message), { id: previous?.id ?? String(runId), properties, reasons: [failure.summary] });
  }
  return outs;
}

/**
 * For the local emulator only, the names (never the values) of the notebook parameters that hold
 * secure inputs, so that its run page masks them; the real service gets the request as documented.
 */
export function secureParameterHeaders(inputs: Pick<RunInputs, "secureInput">, target: Target = currentTarget()): { headers?: Record<string, string> } {
  const names = Object.keys(inputs.secureInput ?? {});
  if (names.length === 0 || target !== "local") return {};
  return { headers: { [SECURE_PARAMETERS_HEADER]: secureParametersHeaderValue(names) } };
}

/** The values of the run's secure inputs: taken out of anything it reports. */
function secretValues(inputs: Pick<RunInputs, "secureInput">): string[] {
  return Object.values(inputs.secureInput ?? {}).filter((v): v is string => typeof v === "string");
}

/** Service text (a state message) without the secure inputs; a placeholder when one is too short to take out. */
function redacted(text: string, secrets: readonly string[]): string {
  return redactValues(text, secrets) ?? `${REDACTED} (withheld: a secure input is too short to take out of it)`;
}

/**
 * Submits with a deterministic idempotency token, so the run of an interrupted `up` is found
 * again instead of started twice. A token whose run was deleted, or whose run is an earlier
 * attempt that did not succeed, moves on to the next token of the sequence.
 */
async function submitOrAdopt(api: DatabricksApi, inputs: RunInputs, request: RunSubmitRequest, label: string, failedRunId?: number): Promise<number> {
  let refused: DatabricksApiError | undefined;
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    const submittedAt = Date.now();
    let runId: number;
    try {
      ({ run_id: runId } = await api.jobs.runsSubmit({ ...request, idempotency_token: idempotencyToken(inputs, request, attempt) }, secureParameterHeaders(inputs)));
    } catch (err) {
      // The service refuses a token whose run was deleted with a 400 INVALID_PARAMETER_VALUE whose
      // message it does not document (test/contracts/databricks/idempotency-token-deleted.json), so
      // any such refusal moves on to the next token; a request refused whatever its token is
      // reported with the service's own error once every token was tried.
      if (err instanceof DatabricksApiError && err.status === 400 && err.errorCode === "INVALID_PARAMETER_VALUE") {
        refused = err;
        continue;
      }
      throw err;
    }
    const run = await api.jobs.runsGet(runId);
    const earlier = runId === failedRunId || (run.start_time ?? submittedAt) < submittedAt - EARLIER_ATTEMPT_MS;
    if (earlier && isTerminal(run) && run.state?.result_state !== "SUCCESS") continue;
    if (earlier) progress(`${label}: found run ${runId} (${describeState(run)}) from an earlier pulumi up with the same inputs; adopting it.`);
    progress(`${label}: run ${runId} ${run.run_page_url ?? ""}`.trimEnd());
    return runId;
  }
  const exhausted = `${MAX_ATTEMPTS} earlier attempts with these inputs failed or were deleted; change triggers to start afresh.`;
  if (refused) {
    throw new ServiceError({ operation: refused.operation, status: refused.status, code: refused.errorCode, message: refused.serviceMessage, requestId: refused.requestId, hint: `${label}: every idempotency token of these inputs was refused with this error: the request itself is refused, or the runs of ${exhausted}` });
  }
  throw new Error(`${label}: ${exhausted}`);
}

/**
 * What a run that did not succeed is reported with. `summary` (the error's reasons, which the
 * engine prints and keeps in the stack's state): its state and each failed task's, with the
 * service's messages, and the run page. `message` (printed as progress, never kept): the same with
 * each failed task's error and the tail of its trace, which is notebook text. Every secure input
 * value is taken out of both, and a task's text is withheld whole when a value is too short to
 * take out.
 */
async function runFailure(api: DatabricksApi, run: Run, label: string, secrets: readonly string[]): Promise<{ summary: string; message: string }> {
  const state = (s: { state_message?: string } | undefined) => (s?.state_message ? `: ${redacted(s.state_message, secrets)}` : "");
  const summary = [`${label} (run ${run.run_id}) ended ${describeState(run)}${state(run.state)}`];
  const message = [...summary];
  for (const task of run.tasks ?? []) {
    const result = task.state?.result_state;
    if (result === "SUCCESS" || task.run_id === undefined) continue;
    const line = `  task "${task.task_key}" ${result ?? task.state?.life_cycle_state ?? ""}${state(task.state)}`;
    summary.push(line);
    message.push(line);
    const output = await api.jobs.runsGetOutput(task.run_id).catch(() => undefined);
    const text = [output?.error ? `    ${output.error}` : "", ...(output?.error_trace?.trim().split("\n").slice(-12) ?? []).map((l) => `      ${l}`)].filter(Boolean).join("\n");
    if (text) message.push(redactValues(text, secrets) ?? "    (the task's error is withheld: a secure input is too short to take out of it; see the run page)");
  }
  const page = `Run page: ${run.run_page_url ?? "(none)"}`;
  summary.push("The tasks' errors are printed above, not kept in the stack's state, as notebook text may hold secrets; the run page has them too.", page);
  message.push(page);
  return { summary: summary.join("\n"), message: message.join("\n") };
}

/** Task run ids per task key. */
function taskRunIdsOf(run: Run): Record<string, number> {
  return Object.fromEntries((run.tasks ?? []).filter((t) => t.run_id !== undefined && t.task_key).map((t) => [t.task_key!, t.run_id!]));
}

async function outputsOf(api: DatabricksApi, inputs: RunInputs, run: Run, runName: string): Promise<RunOutputs> {
  const taskRunIds = taskRunIdsOf(run);
  const taskOutputs: Record<string, string> = {};
  for (const task of run.tasks ?? []) {
    if (task.run_id === undefined || !task.task_key || !task.notebook_task) continue;
    const out = await api.jobs.runsGetOutput(task.run_id);
    if (out.notebook_output?.result !== undefined) taskOutputs[task.task_key] = out.notebook_output.result;
  }
  const outs: RunOutputs = { ...inputs, ...runFields(run, secretValues(inputs)), runName, taskRunIds };
  const keys = Object.keys(taskOutputs);
  if (keys.length === 1 && Object.keys(taskRunIds).length === 1) outs.notebookOutput = taskOutputs[keys[0]];
  else if (keys.length > 0) outs.taskOutputs = taskOutputs;
  return outs;
}

/** The fields of a run record that state mirrors, the state message without the secure inputs; absent ones stay absent. */
function runFields(run: Run, secrets: readonly string[]): Omit<RunOutputs, keyof RunInputs | "runName" | "taskRunIds" | "notebookOutput" | "taskOutputs"> {
  const f: ReturnType<typeof runFields> = {
    runId: run.run_id,
    runPageUrl: run.run_page_url ?? "",
    lifeCycleState: run.state?.life_cycle_state ?? "UNKNOWN",
  };
  const optional = {
    resultState: run.state?.result_state,
    stateMessage: run.state?.state_message ? redacted(run.state.state_message, secrets) : undefined,
    startTime: run.start_time,
    endTime: run.end_time,
    setupDuration: run.setup_duration,
    executionDuration: run.execution_duration,
    cleanupDuration: run.cleanup_duration,
    runDuration: run.run_duration,
  };
  for (const [k, v] of Object.entries(optional)) if (v !== undefined && v !== "") (f as Record<string, unknown>)[k] = v;
  return f;
}

/**
 * Refreshes the record: its states flow back, and a result other than SUCCESS makes the next `up`
 * run it again. A run is an event, not a living object: when the service no longer keeps it
 * (deleted, or past its retention), state keeps what it knew instead of re-running (say so).
 */
export async function read(id: string, props: RunOutputs): Promise<{ id: string; props: RunOutputs }> {
  try {
    const run = await databricksApi(props.host).jobs.runsGet(props.runId);
    return { id, props: { ...props, ...runFields(run, secretValues(props)) } };
  } catch (err) {
    if (!isNotFound(err)) throw err;
    progress(`Databricks run "${props.runName}": run ${props.runId} is no longer kept by the workspace (deleted, or past its retention); state keeps its record, and pulumi up does not run it again (change triggers to run it again).`);
    return { id, props };
  }
}

/**
 * Settings (secureOutput, waitTimeoutSeconds, keepHistory) change without a new run; a run that
 * did not succeed runs again (the resource keeps its id; `runId` names the new run).
 */
export async function update(id: string, olds: RunOutputs, news: RunInputs): Promise<{ outs: RunOutputs }> {
  if (olds.resultState !== "SUCCESS") return { outs: await execute(news, { id, outs: olds }) };
  return { outs: { ...olds, ...news } };
}

/** Cancels a still-active run and waits for it to stop, then deletes its record unless keepHistory. */
export async function remove(_id: string, props: RunOutputs): Promise<void> {
  const api = databricksApi(props.host);
  const label = `Databricks run "${props.runName}"`;
  try {
    const run = await api.jobs.runsGet(props.runId);
    if (!isTerminal(run)) {
      progress(`${label}: cancelling run ${props.runId} (${describeState(run)})`);
      await api.jobs.runsCancel(props.runId);
      await waitForRun(api, props.runId, { timeoutMs: 10 * 60 * 1000, log: progress, label });
    }
  } catch (err) {
    if (isNotFound(err)) return;
    throw err;
  }
  if (!props.keepHistory) await deleteRun(api, props.runId);
}

function deleteRun(api: DatabricksApi, runId: number): Promise<void> {
  return ignoreGone(() => api.jobs.runsDelete(runId));
}
