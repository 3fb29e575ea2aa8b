/**
 * Reading task definitions as the Jobs API takes them: the multi-task `tasks[]` form and the legacy
 * single-task form (top-level `new_cluster`, `notebook_task`, `spark_python_task`, ... as Airflow
 * and Kubeflow send it), with numbers and booleans given as strings. Every field is typed as the
 * service types it (`TASK` of `./wireShapes`). The result is the task list a run or job keeps,
 * checked for unique keys and a dependency graph without unknown keys or cycles.
 * Shared by jobs (create, reset, update) and runs (submit).
 */
import { checkedClusterSpec } from "./clusters/spec";
import { invalidParameter } from "./errors";
import type { JsonObject } from "./request";
import { checked, field } from "./shapes";
import { TASK } from "./wireShapes";

/** Task types the Jobs API knows. */
export const TASK_TYPES = [
  "notebook_task",
  "spark_python_task",
  "spark_jar_task",
  "spark_submit_task",
  "python_wheel_task",
  "pipeline_task",
  "sql_task",
  "dbt_task",
  "run_job_task",
  "condition_task",
  "for_each_task",
  "dashboard_task",
  "power_bi_task",
  "clean_rooms_notebook_task",
  "gen_ai_compute_task",
] as const;

/** Fields of the legacy single-task form that belong to the task. */
export const LEGACY_TASK_FIELDS = ["new_cluster", "existing_cluster_id", "libraries", "max_retries", "min_retry_interval_millis", "retry_on_timeout", ...TASK_TYPES] as const;

const TASK_KEY_PATTERN = /^[\w-]{1,100}$/;
const RUN_IF = ["ALL_SUCCESS", "ALL_DONE", "NONE_FAILED", "AT_LEAST_ONE_SUCCESS", "ALL_FAILED", "AT_LEAST_ONE_FAILED"];

/** The type of a task (`notebook_task`, ...). */
export function taskTypeOf(task: JsonObject): string {
  return TASK_TYPES.find((t) => task[t] !== undefined && task[t] !== null) ?? "unknown";
}

/** True when the body uses the legacy single-task form. */
export function isLegacySingleTask(body: JsonObject): boolean {
  return !Array.isArray(body.tasks) && TASK_TYPES.some((t) => body[t] !== undefined && body[t] !== null);
}

/**
 * The tasks of a submit, create or reset body: `tasks[]`, or the one task of the legacy form, whose
 * key is the run (or job) name made into a valid key, or `task`.
 */
export function readTasks(body: JsonObject, name: string | undefined, required: boolean): JsonObject[] {
  if (isLegacySingleTask(body)) {
    const task: JsonObject = { task_key: legacyTaskKey(name) };
    for (const f of LEGACY_TASK_FIELDS) if (body[f] !== undefined && body[f] !== null) task[f] = body[f];
    return checkGraph([readTask(task, "")]);
  }
  const tasks = body.tasks;
  if (tasks === undefined || tasks === null || (Array.isArray(tasks) && tasks.length === 0)) {
    if (required) throw invalidParameter("At least one task must be specified: tasks is empty and no task type (notebook_task, spark_python_task, ...) is given.");
    return [];
  }
  if (!Array.isArray(tasks)) throw invalidParameter("Invalid value for field tasks: expected an array.");
  return checkGraph(tasks.map((t, i) => readTask(t, `tasks[${i}]`)));
}

function legacyTaskKey(name: string | undefined): string {
  const key = (name ?? "").replace(/[^\w-]+/g, "_").replace(/^_+|_+$/g, "").slice(0, 100);
  return key || "task";
}

/**
 * Checks and normalises one task definition; `where` names it in errors (`tasks[0]`, or `""` for
 * the legacy form, whose fields are at the top level).
 */
export function readTask(input: unknown, where: string): JsonObject {
  const t = checked(input, TASK, where) as JsonObject;
  const at = (name: string) => field(where, name);
  const key = t.task_key as string | undefined;
  if (!key) throw invalidParameter(`Missing required field: ${at("task_key")}`);
  if (!TASK_KEY_PATTERN.test(key)) throw invalidParameter(`Invalid task_key "${key}": it must be 1 to 100 letters, digits, '_' or '-'.`);
  const types = TASK_TYPES.filter((type) => t[type] !== undefined && t[type] !== null);
  if (types.length !== 1) throw invalidParameter(`Task ${key} must specify exactly one task type (${types.length === 0 ? "none" : types.join(", ")} given).`);
  const runIf = t.run_if as string | undefined;
  if (runIf !== undefined && runIf !== null && !RUN_IF.includes(runIf)) throw invalidParameter(`Invalid run_if "${runIf}" for task ${key}: expected one of ${RUN_IF.join(", ")}.`);
  if (t.new_cluster !== undefined && t.new_cluster !== null) t.new_cluster = checkedClusterSpec(t.new_cluster, at("new_cluster"));
  const notebook = t.notebook_task as JsonObject | undefined;
  if (notebook && !notebook.notebook_path) throw invalidParameter(`Missing required field: ${at("notebook_task.notebook_path")}`);
  const python = t.spark_python_task as JsonObject | undefined;
  if (python && !python.python_file) throw invalidParameter(`Missing required field: ${at("spark_python_task.python_file")}`);
  ((t.depends_on as JsonObject[] | undefined) ?? []).forEach((dep, i) => {
    if (!dep?.task_key) throw invalidParameter(`Missing required field: ${at(`depends_on[${i}].task_key`)}`);
  });
  return t;
}

/** The task keys a task depends on. */
export function dependenciesOf(task: JsonObject): string[] {
  return Array.isArray(task.depends_on) ? (task.depends_on as JsonObject[]).map((d) => String(d.task_key)) : [];
}

function checkGraph(tasks: JsonObject[]): JsonObject[] {
  const keys = new Map<string, JsonObject>();
  for (const t of tasks) {
    const key = String(t.task_key);
    if (keys.has(key)) throw invalidParameter(`Task key ${key} is used by more than one task; task keys must be unique.`);
    keys.set(key, t);
  }
  for (const t of tasks) {
    for (const dep of dependenciesOf(t)) {
      if (!keys.has(dep)) throw invalidParameter(`Task ${String(t.task_key)} depends on ${dep}, which is not a task of this run.`);
      if (dep === t.task_key) throw invalidParameter(`Task ${dep} cannot depend on itself.`);
    }
  }
  const state = new Map<string, "visiting" | "done">();
  const visit = (key: string, path: string[]): void => {
    if (state.get(key) === "done") return;
    if (state.get(key) === "visiting") throw invalidParameter(`The task dependencies form a cycle: ${[...path, key].join(" -> ")}.`);
    state.set(key, "visiting");
    for (const dep of dependenciesOf(keys.get(key)!)) visit(dep, [...path, key]);
    state.set(key, "done");
  };
  for (const key of keys.keys()) visit(key, []);
  return tasks;
}
