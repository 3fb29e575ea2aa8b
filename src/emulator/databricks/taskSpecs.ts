/**
 * Reading task definitions as the Jobs API takes them: the multi-task `tasks[]` form and the legacy
 * single-task form (top-level `new_cluster`, `notebook_task`, `spark_python_task`, ... as Airflow
 * and Kubeflow send it), with numbers and booleans given as strings. The result is the task list
 * a run or job keeps, checked for unique keys and a dependency graph without unknown keys or cycles.
 * Shared by jobs (create, reset, update) and runs (submit).
 */
import { invalidParameter } from "./errors";
import { optBool, optInt, optObject, optString, optStringList, optStringMap, type JsonObject } from "./request";

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
    for (const field of LEGACY_TASK_FIELDS) if (body[field] !== undefined && body[field] !== null) task[field] = body[field];
    return checkGraph([readTask(task, 0)]);
  }
  const tasks = body.tasks;
  if (tasks === undefined || tasks === null || (Array.isArray(tasks) && tasks.length === 0)) {
    if (required) throw invalidParameter("At least one task must be specified: tasks is empty and no task type (notebook_task, spark_python_task, ...) is given.");
    return [];
  }
  if (!Array.isArray(tasks)) throw invalidParameter("Invalid value for field tasks: expected an array.");
  return checkGraph(tasks.map((t, i) => readTask(t, i)));
}

function legacyTaskKey(name: string | undefined): string {
  const key = (name ?? "").replace(/[^\w-]+/g, "_").replace(/^_+|_+$/g, "").slice(0, 100);
  return key || "task";
}

/** Checks and normalises one task definition. */
export function readTask(input: unknown, index: number): JsonObject {
  const where = `tasks[${index}]`;
  if (typeof input !== "object" || input === null || Array.isArray(input)) throw invalidParameter(`Invalid value for field ${where}: expected an object.`);
  const t: JsonObject = { ...(input as JsonObject) };
  const key = optString(t, "task_key", `${where}.task_key`);
  if (!key) throw invalidParameter(`Missing required field: ${where}.task_key`);
  if (!TASK_KEY_PATTERN.test(key)) throw invalidParameter(`Invalid task_key "${key}": it must be 1 to 100 letters, digits, '_' or '-'.`);
  const types = TASK_TYPES.filter((type) => t[type] !== undefined && t[type] !== null);
  if (types.length !== 1) throw invalidParameter(`Task ${key} must specify exactly one task type (${types.length === 0 ? "none" : types.join(", ")} given).`);
  for (const field of ["timeout_seconds", "max_retries", "min_retry_interval_millis"] as const) {
    const n = optInt(t, field, `${where}.${field}`);
    if (n !== undefined) t[field] = n;
  }
  const retryOnTimeout = optBool(t, "retry_on_timeout", `${where}.retry_on_timeout`);
  if (retryOnTimeout !== undefined) t.retry_on_timeout = retryOnTimeout;
  const runIf = optString(t, "run_if", `${where}.run_if`);
  if (runIf !== undefined && !RUN_IF.includes(runIf)) throw invalidParameter(`Invalid run_if "${runIf}" for task ${key}: expected one of ${RUN_IF.join(", ")}.`);
  const cluster = optObject(t, "new_cluster", `${where}.new_cluster`);
  if (cluster) t.new_cluster = newCluster(cluster, `${where}.new_cluster`);
  const notebook = optObject(t, "notebook_task", `${where}.notebook_task`);
  if (notebook) {
    if (!optString(notebook, "notebook_path", `${where}.notebook_task.notebook_path`)) throw invalidParameter(`Missing required field: ${where}.notebook_task.notebook_path`);
    const params = optStringMap(notebook, "base_parameters", `${where}.notebook_task.base_parameters`);
    t.notebook_task = { ...notebook, ...(params ? { base_parameters: params } : {}) };
  }
  const python = optObject(t, "spark_python_task", `${where}.spark_python_task`);
  if (python) {
    if (!optString(python, "python_file", `${where}.spark_python_task.python_file`)) throw invalidParameter(`Missing required field: ${where}.spark_python_task.python_file`);
    const params = optStringList(python, "parameters", `${where}.spark_python_task.parameters`);
    t.spark_python_task = { ...python, ...(params ? { parameters: params } : {}) };
  }
  for (const type of ["spark_jar_task", "spark_submit_task", "python_wheel_task"] as const) {
    const spec = optObject(t, type, `${where}.${type}`);
    const params = spec && optStringList(spec, "parameters", `${where}.${type}.parameters`);
    if (spec && params) t[type] = { ...spec, parameters: params };
  }
  if (t.depends_on !== undefined && t.depends_on !== null) {
    if (!Array.isArray(t.depends_on)) throw invalidParameter(`Invalid value for field ${where}.depends_on: expected an array.`);
    t.depends_on = t.depends_on.map((d, i) => {
      const dep = typeof d === "object" && d !== null ? (d as JsonObject) : {};
      const depKey = optString(dep, "task_key", `${where}.depends_on[${i}].task_key`);
      if (!depKey) throw invalidParameter(`Missing required field: ${where}.depends_on[${i}].task_key`);
      return { ...dep, task_key: depKey };
    });
  }
  return t;
}

/** Checks a job or task cluster specification; numbers given as strings become numbers. */
export function newCluster(input: JsonObject, where: string): JsonObject {
  if (typeof input.spark_version !== "string" || input.spark_version === "") throw invalidParameter(`Missing required field: ${where}.spark_version`);
  const cluster: JsonObject = { ...input };
  for (const field of ["num_workers", "autotermination_minutes"] as const) {
    const n = optInt(cluster, field, `${where}.${field}`);
    if (n !== undefined) cluster[field] = n;
  }
  const autoscale = optObject(cluster, "autoscale", `${where}.autoscale`);
  if (autoscale) {
    cluster.autoscale = { ...autoscale };
    for (const field of ["min_workers", "max_workers"] as const) {
      const n = optInt(autoscale, field, `${where}.autoscale.${field}`);
      if (n !== undefined) (cluster.autoscale as JsonObject)[field] = n;
    }
  }
  return cluster;
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
