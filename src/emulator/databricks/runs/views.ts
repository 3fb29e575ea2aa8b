/**
 * Runs and jobs as the Jobs API returns them: `runs/get`, `runs/list` items, `runs/get-output`
 * (with its `metadata`), `jobs/get`. Links use the real run page format
 * `<host>/?o=<workspace id>#job/<job id>/run/<run id>`, with the host the client addressed.
 */
import { EMULATOR_USER, EMULATOR_WORKSPACE_ID } from "../config";
import type { StoredJob, StoredRun, StoredRunState, StoredTaskAttempt, StoredTaskRun } from "../models";
import { compact, type JsonObject } from "../request";
import { currentAttempt } from "./records";
import { TASK_TYPES } from "./taskSpecs";

/** Largest page of an array in a 2.2 response (longer arrays are paged with `page_token`). */
export const API_2_2_PAGE_SIZE = 100;

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
  now?: number;
}

/** A run as `runs/get` (and `runs/list`) return it. */
export function runWire(run: StoredRun, baseUrl: string, options: RunWireOptions): JsonObject {
  const single = run.format === "SINGLE_TASK" && run.tasks.length === 1 ? run.tasks[0] : undefined;
  const singleAttempt = single && currentAttempt(single);
  let tasks = options.includeTasks ? run.tasks.map((t) => taskWire(run, t, baseUrl)) : [];
  let nextPageToken: string | undefined;
  if (options.version === "2.2" && tasks.length > API_2_2_PAGE_SIZE) {
    const offset = pageOffset(options.pageToken);
    nextPageToken = offset + API_2_2_PAGE_SIZE < tasks.length ? pageToken(offset + API_2_2_PAGE_SIZE) : undefined;
    tasks = tasks.slice(offset, offset + API_2_2_PAGE_SIZE);
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

/** A job as `jobs/get` returns it (2.2 pages `tasks` over 100). */
export function jobWire(job: StoredJob, options: { version: string; includeTasks: boolean; pageToken?: string }): JsonObject {
  const settings: JsonObject = { ...job.settings };
  let hasMore: boolean | undefined;
  let nextPageToken: string | undefined;
  if (!options.includeTasks) {
    delete settings.tasks;
    delete settings.job_clusters;
  } else if (options.version === "2.2" && Array.isArray(settings.tasks) && settings.tasks.length > API_2_2_PAGE_SIZE) {
    const offset = pageOffset(options.pageToken);
    const all = settings.tasks;
    settings.tasks = all.slice(offset, offset + API_2_2_PAGE_SIZE);
    hasMore = offset + API_2_2_PAGE_SIZE < all.length;
    nextPageToken = hasMore ? pageToken(offset + API_2_2_PAGE_SIZE) : undefined;
    if (offset > 0) delete settings.job_clusters;
  }
  return compact({
    job_id: job.job_id,
    creator_user_name: job.creator_user_name,
    run_as_user_name: job.creator_user_name,
    settings,
    created_time: job.created_time,
    has_more: hasMore === true ? true : undefined,
    next_page_token: nextPageToken,
  });
}

/** A page token for an offset (opaque to clients). */
export function pageToken(offset: number): string {
  return Buffer.from(JSON.stringify({ offset }), "utf8").toString("base64url");
}

/** The offset of a page token; 0 for none or one the emulator did not make. */
export function pageOffset(token: string | undefined | null): number {
  if (!token) return 0;
  try {
    const offset = (JSON.parse(Buffer.from(token, "base64url").toString("utf8")) as { offset?: unknown }).offset;
    return typeof offset === "number" && Number.isInteger(offset) && offset >= 0 ? offset : 0;
  } catch {
    return 0;
  }
}

function taskOnly(spec: JsonObject): JsonObject {
  return Object.fromEntries(TASK_TYPES.filter((t) => spec[t] !== undefined).map((t) => [t, spec[t]]));
}

function clusterSpecOf(spec: JsonObject): JsonObject | undefined {
  const out = compact({ existing_cluster_id: spec.existing_cluster_id, new_cluster: spec.new_cluster, job_cluster_key: spec.job_cluster_key, libraries: spec.libraries as unknown[] | undefined });
  return Object.keys(out).length > 0 ? out : undefined;
}
