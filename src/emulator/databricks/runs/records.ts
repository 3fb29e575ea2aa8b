/**
 * Runs as stored: creating one (ids for the run and each task's first attempt, its idempotency
 * token), finding a task attempt by its run id, the life-cycle vocabulary, whether a task runs
 * given its dependencies' ends (`run_if`), and how a run's state follows from its tasks.
 */
import { EMULATOR_USER } from "../config";
import { invalidParameter } from "../errors";
import { optString, type JsonObject } from "../request";
import type { DatabricksState } from "../state";
import type { StoredRun, StoredRunState, StoredTaskAttempt, StoredTaskRun } from "./models";

/** Longest idempotency token. */
export const MAX_IDEMPOTENCY_TOKEN_LENGTH = 64;

/** Life-cycle states of an unfinished run or task. */
export const ACTIVE_LIFE_CYCLE_STATES: readonly string[] = ["PENDING", "QUEUED", "RUNNING", "TERMINATING", "BLOCKED", "WAITING_FOR_RETRY"];
/** Life-cycle states after which nothing changes. */
export const TERMINAL_LIFE_CYCLE_STATES: readonly string[] = ["TERMINATED", "SKIPPED", "INTERNAL_ERROR"];

/** Message of a task that failed (as the service reports it; details are in the run output). */
export const TASK_FAILED_MESSAGE = "Workload failed, see run output for details";
/** Message of a cancelled run or task. */
export const CANCELLED_MESSAGE = "Run cancelled.";

/** True while a run or task is not finished. */
export function isActive(state: StoredRunState): boolean {
  return !TERMINAL_LIFE_CYCLE_STATES.includes(state.life_cycle_state);
}

/** A state value. */
export function runState(life: string, message = "", result?: string, userCancelledOrTimedout = false): StoredRunState {
  return { life_cycle_state: life, ...(result ? { result_state: result } : {}), state_message: message, user_cancelled_or_timedout: userCancelledOrTimedout };
}

/** What a new run is made of. */
export interface NewRun {
  run_name: string;
  run_type: "SUBMIT_RUN" | "JOB_RUN";
  /** The job of a JOB_RUN; a one-time run gets an id of its own. */
  job_id?: number;
  tasks: JsonObject[];
  format: "SINGLE_TASK" | "MULTI_TASK";
  timeout_seconds?: number;
  idempotency_token?: string;
  /** Names of notebook parameters the submitter marked secure. */
  secure_parameters?: string[];
  git_source?: JsonObject;
  job_clusters?: unknown[];
  overriding_parameters?: JsonObject;
  job_parameters?: { name: string; default?: string; value: string }[];
  api_version: string;
}

/** The idempotency token of a runs/submit or jobs/run-now body, checked (at most 64 characters). */
export function readIdempotencyToken(body: JsonObject): string | undefined {
  const token = optString(body, "idempotency_token");
  if (token === undefined || token === "") return undefined;
  if (token.length > MAX_IDEMPOTENCY_TOKEN_LENGTH) {
    throw invalidParameter(`The idempotency token is ${token.length} characters long; it must be at most ${MAX_IDEMPOTENCY_TOKEN_LENGTH} characters.`);
  }
  return token;
}

/** Adds a new run (PENDING, every task PENDING with its first attempt's run id) to the state. */
export function createRun(s: DatabricksState, input: NewRun, now: number): StoredRun {
  const runId = s.next_id.run++;
  const tasks: StoredTaskRun[] = input.tasks.map((spec) => ({ task_key: String(spec.task_key), spec: structuredClone(spec), attempts: [newAttempt(s, 0)] }));
  const run: StoredRun = {
    run_id: runId,
    job_id: input.job_id ?? s.next_id.job++,
    number_in_job: runId,
    original_attempt_run_id: runId,
    run_name: input.run_name,
    run_type: input.run_type,
    creator_user_name: EMULATOR_USER,
    trigger: "ONE_TIME",
    format: input.format,
    ...(input.idempotency_token !== undefined ? { idempotency_token: input.idempotency_token } : {}),
    ...(input.secure_parameters?.length ? { secure_parameters: [...input.secure_parameters] } : {}),
    state: runState("PENDING"),
    start_time: now,
    end_time: 0,
    setup_duration: 0,
    execution_duration: 0,
    cleanup_duration: 0,
    ...(input.timeout_seconds ? { timeout_seconds: input.timeout_seconds } : {}),
    tasks,
    ...(input.job_clusters ? { job_clusters: structuredClone(input.job_clusters) } : {}),
    ...(input.git_source ? { git_source: input.git_source } : {}),
    ...(input.overriding_parameters ? { overriding_parameters: input.overriding_parameters } : {}),
    ...(input.job_parameters ? { job_parameters: input.job_parameters } : {}),
    api_version: input.api_version,
  };
  s.runs[String(runId)] = run;
  if (input.idempotency_token !== undefined) s.run_tokens[input.idempotency_token] = runId;
  return run;
}

/** A new attempt (PENDING) with a fresh run id. */
export function newAttempt(s: DatabricksState, attemptNumber: number, state: StoredRunState = runState("PENDING")): StoredTaskAttempt {
  return { run_id: s.next_id.run++, attempt_number: attemptNumber, state, start_time: 0, setup_duration: 0, execution_duration: 0, cleanup_duration: 0, end_time: 0 };
}

/** The run, task and attempt of a task run id, or `undefined`. */
export function findAttempt(s: Readonly<DatabricksState>, taskRunId: number): { run: StoredRun; task: StoredTaskRun; attempt: StoredTaskAttempt } | undefined {
  for (const run of Object.values(s.runs)) {
    if (run.deleted) continue;
    for (const task of run.tasks) {
      const attempt = task.attempts.find((a) => a.run_id === taskRunId);
      if (attempt) return { run, task, attempt };
    }
  }
  return undefined;
}

/** The current (last) attempt of a task. */
export function currentAttempt(task: StoredTaskRun): StoredTaskAttempt {
  return task.attempts[task.attempts.length - 1];
}

/** Why a run was stopped early, if it was. */
export type StopReason = "cancel" | "timeout";

/**
 * The final state of a run from its tasks: CANCELED or TIMEDOUT when stopped; INTERNAL_ERROR when
 * a task could not be set up; else FAILED/TIMEDOUT naming the first failed task ("Task x failed
 * with message: ..."); else SUCCESS.
 */
export function finalRunState(run: StoredRun, stopped: StopReason | undefined): StoredRunState {
  if (stopped === "cancel") return runState("TERMINATED", CANCELLED_MESSAGE, "CANCELED", true);
  if (stopped === "timeout") return runState("TERMINATED", `Run timed out after ${run.timeout_seconds ?? 0} seconds.`, "TIMEDOUT", true);
  const attempts = run.tasks.map((t) => ({ key: t.task_key, attempt: currentAttempt(t) }));
  const internal = attempts.find((a) => a.attempt.state.life_cycle_state === "INTERNAL_ERROR");
  if (internal) return runState("INTERNAL_ERROR", internal.attempt.state.state_message, "FAILED");
  const failed = attempts.find((a) => ["FAILED", "TIMEDOUT", "CANCELED"].includes(a.attempt.state.result_state ?? ""));
  if (failed) {
    const message = failed.attempt.state.state_message.replace(/\.$/, "");
    return runState("TERMINATED", `Task ${failed.key} failed with message: ${message}.`, failed.attempt.state.result_state, failed.attempt.state.user_cancelled_or_timedout);
  }
  return runState("TERMINATED", "", "SUCCESS");
}

/** The final state of a task as its dependants see it. */
export type TaskEnd = StoredRunState;

/**
 * Why a task does not run given its dependencies' final states and its `run_if`, or `undefined`
 * when it runs. ALL_SUCCESS (the default) skips it as UPSTREAM_FAILED (or UPSTREAM_CANCELED) as
 * soon as one dependency did not succeed.
 */
export function blockedBy(runIf: string, deps: TaskEnd[]): StoredRunState | undefined {
  if (deps.length === 0) return undefined;
  const succeeded = (d: TaskEnd) => d.result_state === "SUCCESS" || d.result_state === "SUCCESS_WITH_FAILURES";
  const cancelled = (d: TaskEnd) => d.result_state === "CANCELED" || d.result_state === "UPSTREAM_CANCELED";
  const failed = (d: TaskEnd) => !succeeded(d) && !cancelled(d) && d.result_state !== "EXCLUDED";
  const upstreamFailed = runState("SKIPPED", "Upstream task(s) failed.", "UPSTREAM_FAILED");
  const upstreamCancelled = runState("SKIPPED", "Upstream task(s) were canceled.", "UPSTREAM_CANCELED");
  const excluded = runState("SKIPPED", `The run_if condition ${runIf} was not met.`, "EXCLUDED");
  switch (runIf) {
    case "ALL_DONE":
      return undefined;
    case "NONE_FAILED":
      return deps.some(failed) ? upstreamFailed : undefined;
    case "AT_LEAST_ONE_SUCCESS":
      return deps.some(succeeded) ? undefined : upstreamFailed;
    case "ALL_FAILED":
      return deps.every(failed) ? undefined : excluded;
    case "AT_LEAST_ONE_FAILED":
      return deps.some(failed) ? undefined : excluded;
    default:
      if (deps.every(succeeded)) return undefined;
      return deps.some(cancelled) && !deps.some(failed) ? upstreamCancelled : upstreamFailed;
  }
}
