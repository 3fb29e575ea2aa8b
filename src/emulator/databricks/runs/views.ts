/**
 * Runs as the Jobs API returns them: `runs/get`, `runs/list` items, `runs/get-output` (with its
 * `metadata`), and as the control plane lists them. Links use the real run page format
 * `<host>/?o=<workspace id>#job/<job id>/run/<run id>`, with the host the client addressed.
 */
import { EMULATOR_USER, EMULATOR_WORKSPACE_ID } from "../config";
import { API_2_2_PAGE_SIZE, arrayPage } from "../paging";
import type { JsonObject } from "../request";
import { compact } from "../response";
import { TASK_TYPES } from "../taskSpecs";
import type { StoredRun, StoredRunState, StoredTaskAttempt, StoredTaskRun } from "./models";
import { currentAttempt } from "./records";

/** The page of a run (or task run). */
export function runPageUrl(baseUrl: string, jobId: number, runId: number): string {
  return `${baseUrl}/?o=${EMULATOR_WORKSPACE_ID}#job/${jobId}/run/${runId}`;
}

/** A state as sent. */
export function stateWire(state: StoredRunState): JsonObject {
  return compact({
    life_cycle_state: state.life_cycle_state,
    result_state: state.result_state,
    state_message: state.state_message,
    user_cancelled_or_timedout: state.user_cancelled_or_timedout,
  });
}

function durations(a: StoredTaskAttempt | StoredRun): JsonObject {
  return { start_time: a.start_time, setup_duration: a.setup_duration, execution_duration: a.execution_duration, cleanup_duration: a.cleanup_duration, end_time: a.end_time };
}

/** One task run as it appears in a run's `tasks`. */
export function taskWire(run: StoredRun, task: StoredTaskRun, baseUrl: string): JsonObject {
  const a = currentAttempt(task);
  return compact({
    ...task.spec,
    run_if: task.spec.run_if ?? "ALL_SUCCESS",
    run_id: a.run_id,
    state: stateWire(a.state),
    run_page_url: runPageUrl(baseUrl, run.job_id, a.run_id),
    ...durations(a),
    attempt_number: a.attempt_number,
    cluster_instance: a.cluster_instance,
  });
}

/** Options of {@link runWire}. */
export interface RunWireOptions {
  /** API version of the request (2.0 shows a single-task run's `task`, 2.2 pages `tasks`). */
  version: string;
  /** Include `tasks` (runs/list only with `expand_tasks`). */
  includeTasks: boolean;
  /** 2.2: the page of `tasks` to return. */
  pageToken?: string;
}

/** A run as `runs/get` (and `runs/list`) return it. */
export function runWire(run: StoredRun, baseUrl: string, options: RunWireOptions): JsonObject {
  const single = run.format === "SINGLE_TASK" && run.tasks.length === 1 ? run.tasks[0] : undefined;
  const singleAttempt = single && currentAttempt(single);
  let tasks = options.includeTasks ? run.tasks.map((t) => taskWire(run, t, baseUrl)) : [];
  let nextPageToken: string | undefined;
  if (options.version === "2.2" && tasks.length > API_2_2_PAGE_SIZE) {
    const page = arrayPage(tasks, options.pageToken);
    tasks = page.items;
    nextPageToken = page.next_page_token;
  }
  const legacy20 = options.version === "2.0" && single !== undefined;
  return compact({
    job_id: run.job_id,
    run_id: run.run_id,
    creator_user_name: run.creator_user_name,
    number_in_job: run.number_in_job,
    original_attempt_run_id: run.original_attempt_run_id,
    state: stateWire(run.state),
    task: legacy20 ? taskOnly(single.spec) : undefined,
    tasks: legacy20 ? undefined : tasks,
    job_clusters: run.job_clusters as unknown[] | undefined,
    cluster_spec: single ? clusterSpecOf(single.spec) : undefined,
    cluster_instance: singleAttempt?.cluster_instance,
    git_source: run.git_source,
    overriding_parameters: run.overriding_parameters,
    job_parameters: run.job_parameters,
    ...durations(run),
    run_duration: run.end_time > 0 ? run.end_time - run.start_time : undefined,
    trigger: run.trigger,
    run_name: run.run_name,
    run_page_url: runPageUrl(baseUrl, run.job_id, run.run_id),
    run_type: run.run_type,
    attempt_number: 0,
    format: run.format,
    next_page_token: nextPageToken,
  });
}

/** `runs/get-output` of one task attempt: its output and `metadata`. */
export function outputWire(run: StoredRun, task: StoredTaskRun, attempt: StoredTaskAttempt, baseUrl: string): JsonObject {
  const metadata = compact({
    job_id: run.job_id,
    run_id: attempt.run_id,
    creator_user_name: EMULATOR_USER,
    number_in_job: attempt.run_id,
    original_attempt_run_id: task.attempts[0].run_id,
    state: stateWire(attempt.state),
    task: taskOnly(task.spec),
    cluster_spec: clusterSpecOf(task.spec),
    cluster_instance: attempt.cluster_instance,
    ...durations(attempt),
    run_duration: attempt.end_time > 0 && attempt.start_time > 0 ? attempt.end_time - attempt.start_time : undefined,
    trigger: run.trigger,
    run_name: run.run_name,
    run_page_url: runPageUrl(baseUrl, run.job_id, attempt.run_id),
    run_type: run.run_type,
    attempt_number: attempt.attempt_number,
    task_key: task.task_key,
    format: "SINGLE_TASK",
  });
  return compact({ ...(attempt.output ?? {}), metadata });
}

function taskOnly(spec: JsonObject): JsonObject {
  return Object.fromEntries(TASK_TYPES.filter((t) => spec[t] !== undefined).map((t) => [t, spec[t]]));
}

function clusterSpecOf(spec: JsonObject): JsonObject | undefined {
  const out = compact({ existing_cluster_id: spec.existing_cluster_id, new_cluster: spec.new_cluster, job_cluster_key: spec.job_cluster_key, libraries: spec.libraries as unknown[] | undefined });
  return Object.keys(out).length > 0 ? out : undefined;
}

/** A run as the control plane lists it (`GET /_emulator/databricks/runs`): states and ids, no output. */
export function runSummary(run: StoredRun): JsonObject {
  return {
    run_id: run.run_id,
    job_id: run.job_id,
    run_name: run.run_name,
    run_type: run.run_type,
    deleted: run.deleted ?? false,
    ...(run.idempotency_token !== undefined ? { idempotency_token: run.idempotency_token } : {}),
    state: stateWire(run.state),
    start_time: run.start_time,
    end_time: run.end_time,
    tasks: run.tasks.map((t) => {
      const a = currentAttempt(t);
      return { task_key: t.task_key, run_id: a.run_id, attempt_number: a.attempt_number, state: stateWire(a.state) };
    }),
  };
}
