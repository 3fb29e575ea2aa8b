/**
 * DatabricksRun inputs as the provider sees them, their validation, the runs/submit request
 * they describe, and what a change of them does (re-run or not). Pure functions: no network.
 */
import { createHash } from "node:crypto";
import { canonical, CheckFailure, known, sameJson, UNKNOWN } from "../../core/check";
import type { Library, NewCluster, RunSubmitRequest, TaskSpec } from "../client/types";

/** A new job cluster, camelCase (see `NewCluster` for the wire form). */
export interface NewClusterInput {
  sparkVersion: string;
  nodeTypeId?: string;
  driverNodeTypeId?: string;
  instancePoolId?: string;
  numWorkers?: number;
  autoscale?: { minWorkers: number; maxWorkers: number };
  sparkConf?: Record<string, string>;
  sparkEnvVars?: Record<string, string>;
  customTags?: Record<string, string>;
  initScripts?: Record<string, { destination: string }>[];
  clusterLogPath?: string;
}

/** A library to install, camelCase; exactly one kind per entry. */
export interface LibraryInput {
  pypi?: { package: string; repo?: string };
  maven?: { coordinates: string; repo?: string; exclusions?: string[] };
  cran?: { package: string; repo?: string };
  jar?: string;
  egg?: string;
  whl?: string;
}

/** Inputs as they reach the provider (secrets unwrapped). */
export interface RunInputs {
  host: string;
  /** Identity of the resource in its stack: part of the idempotency token. */
  identity: string;
  runName?: string;
  spec?: Record<string, unknown>;
  notebookTask?: { notebookPath: string; baseParameters?: Record<string, string>; source?: string };
  sparkPythonTask?: { pythonFile: string; parameters?: string[] };
  sparkJarTask?: { mainClassName: string; parameters?: string[]; jarUri?: string };
  pythonWheelTask?: { packageName: string; entryPoint: string; parameters?: string[]; namedParameters?: Record<string, string> };
  existingClusterId?: string;
  newCluster?: NewClusterInput;
  libraries?: LibraryInput[];
  timeoutSeconds?: number;
  maxRetries?: number;
  minRetryIntervalMillis?: number;
  retryOnTimeout?: boolean;
  secureInput?: Record<string, string>;
  secureOutput?: boolean;
  codeHash?: string;
  triggers?: Record<string, unknown>;
  waitTimeoutSeconds?: number;
  keepHistory?: boolean;
}

const TASK_KINDS = ["notebookTask", "sparkPythonTask", "sparkJarTask", "pythonWheelTask"] as const;
const WIRE_TASK_KINDS = ["notebook_task", "spark_python_task", "spark_jar_task", "python_wheel_task", "spark_submit_task", "pipeline_task", "sql_task", "dbt_task"];
const LEGACY_TASK_FIELDS = ["existing_cluster_id", "new_cluster", "libraries", "max_retries", "min_retry_interval_millis", "retry_on_timeout", ...WIRE_TASK_KINDS];

/** Inputs whose change means a new run (the run is replaced). */
const RERUN_KEYS = [
  "host", "runName", "spec", ...TASK_KINDS, "existingClusterId", "newCluster", "libraries", "timeoutSeconds",
  "maxRetries", "minRetryIntervalMillis", "retryOnTimeout", "secureInput", "codeHash", "triggers",
] as const;
/** Inputs that only change how the resource behaves (no new run). */
const SETTING_KEYS = ["secureOutput", "waitTimeoutSeconds", "keepHistory"] as const;

/** Validates inputs; every failure at once, each naming its property and the fix. */
export function checkRunInputs(news: Record<string, unknown>): CheckFailure[] {
  const failures: CheckFailure[] = [];
  const fail = (property: string, reason: string) => failures.push({ property, reason });

  const kinds = TASK_KINDS.filter((k) => news[k] !== undefined);
  if (kinds.length > 1) fail(kinds[1], `${kinds[0]} and ${kinds[1]} are mutually exclusive: a run executes one task; use spec with tasks[] for several.`);
  const spec = news.spec;
  const specTasks = known(spec) && isObject(spec) && Array.isArray(spec.tasks) ? (spec.tasks as unknown[]) : undefined;
  if (kinds.length === 0 && !known(spec)) {
    if (spec === undefined) fail("notebookTask", "a task is required: set notebookTask, sparkPythonTask, sparkJarTask or pythonWheelTask, or pass a complete runs/submit JSON as spec.");
  }
  if (spec !== undefined && known(spec)) {
    if (!isObject(spec)) fail("spec", "spec must be the runs/submit request as an object (snake_case, as in the Jobs API).");
    else if (kinds.length === 0 && !specTasks && !WIRE_TASK_KINDS.some((k) => spec[k] !== undefined)) {
      fail("spec", "spec has no task: give it tasks[] or a legacy single task (notebook_task, spark_python_task, spark_jar_task, ...), or set one of the named task inputs.");
    }
    if (specTasks && specTasks.length > 1 && (kinds.length > 0 || news.existingClusterId !== undefined || news.newCluster !== undefined || news.libraries !== undefined)) {
      fail("spec", "spec has several tasks; named task inputs (notebookTask, newCluster, libraries, ...) only apply to a single-task run: put them in the tasks of spec.");
    }
  }

  checkTask(news, fail);
  if (news.existingClusterId !== undefined && news.newCluster !== undefined) {
    fail("newCluster", "existingClusterId and newCluster are mutually exclusive: run on an existing cluster or on a new job cluster.");
  }
  if (kinds.length > 0 && news.existingClusterId === undefined && news.newCluster === undefined && !specHasCluster(spec)) {
    fail("newCluster", "a cluster is required: set existingClusterId or newCluster (or new_cluster/existing_cluster_id in spec).");
  }
  if (known(news.existingClusterId) && (typeof news.existingClusterId !== "string" || news.existingClusterId === "")) fail("existingClusterId", "existingClusterId must be a cluster id string.");
  checkNewCluster(news.newCluster, fail);
  checkLibraries(news.libraries, fail);
  for (const key of ["timeoutSeconds", "maxRetries", "minRetryIntervalMillis"] as const) {
    const v = news[key];
    if (known(v) && !(Number.isInteger(v) && (v as number) >= 0)) fail(key, `${key} must be a whole number >= 0, not ${JSON.stringify(v)}.`);
  }
  if (known(news.maxRetries) && (news.maxRetries as number) > 1000) fail("maxRetries", "maxRetries must be at most 1000.");
  if (known(news.waitTimeoutSeconds) && !(Number.isInteger(news.waitTimeoutSeconds) && (news.waitTimeoutSeconds as number) > 0)) {
    fail("waitTimeoutSeconds", `waitTimeoutSeconds must be a whole number of seconds > 0, not ${JSON.stringify(news.waitTimeoutSeconds)}.`);
  }
  for (const key of ["retryOnTimeout", "secureOutput", "keepHistory"] as const) {
    if (known(news[key]) && typeof news[key] !== "boolean") fail(key, `${key} must be true or false, not ${JSON.stringify(news[key])}.`);
  }
  if (known(news.runName) && (typeof news.runName !== "string" || news.runName.length > 4096)) fail("runName", "runName must be a string of at most 4096 characters.");
  checkStringMap(news.secureInput, "secureInput", fail);
  if (news.secureInput !== undefined && news.notebookTask === undefined && !(isObject(spec) && (spec.notebook_task || specTasks?.some((t) => isObject(t) && t.notebook_task)))) {
    fail("secureInput", "secureInput passes secret notebook parameters (widgets): it needs a notebook task.");
  }
  if (known(news.triggers) && !isObject(news.triggers)) fail("triggers", "triggers must be a map; change any of its values to force a new run.");
  return failures;
}

function checkTask(news: Record<string, unknown>, fail: (p: string, r: string) => void): void {
  const nb = news.notebookTask;
  if (known(nb)) {
    if (!isObject(nb) || (known(nb.notebookPath) && (typeof nb.notebookPath !== "string" || !nb.notebookPath.startsWith("/")))) {
      fail("notebookTask.notebookPath", "notebookTask.notebookPath must be an absolute workspace path such as /Shared/etl (for example a DatabricksWorkspaceItem's path).");
    } else checkStringMap(nb.baseParameters, "notebookTask.baseParameters", fail);
  }
  const py = news.sparkPythonTask;
  if (known(py)) {
    if (!isObject(py) || (known(py.pythonFile) && (typeof py.pythonFile !== "string" || py.pythonFile === ""))) {
      fail("sparkPythonTask.pythonFile", "sparkPythonTask.pythonFile must be a dbfs:/, workspace or cloud path to the script.");
    } else checkStringList(py.parameters, "sparkPythonTask.parameters", fail);
  }
  const jar = news.sparkJarTask;
  if (known(jar)) {
    if (!isObject(jar) || (known(jar.mainClassName) && (typeof jar.mainClassName !== "string" || jar.mainClassName === ""))) {
      fail("sparkJarTask.mainClassName", "sparkJarTask.mainClassName must name the class with the main method; add the JAR to libraries.");
    } else checkStringList(jar.parameters, "sparkJarTask.parameters", fail);
  }
  const whl = news.pythonWheelTask;
  if (known(whl)) {
    if (!isObject(whl) || (known(whl.packageName) && !whl.packageName) || (known(whl.entryPoint) && !whl.entryPoint)) {
      fail("pythonWheelTask", "pythonWheelTask needs packageName and entryPoint; add the wheel to libraries.");
    }
  }
}

function checkNewCluster(c: unknown, fail: (p: string, r: string) => void): void {
  if (!known(c)) return;
  if (!isObject(c)) return fail("newCluster", "newCluster must be an object with at least sparkVersion.");
  if (c.sparkVersion === undefined || c.sparkVersion === "") fail("newCluster.sparkVersion", 'newCluster.sparkVersion is required, e.g. "15.4.x-scala2.12".');
  if (c.nodeTypeId !== undefined && c.instancePoolId !== undefined) fail("newCluster.instancePoolId", "newCluster.nodeTypeId and newCluster.instancePoolId are mutually exclusive: the pool decides the node type.");
  if (c.nodeTypeId === undefined && c.instancePoolId === undefined) fail("newCluster.nodeTypeId", 'newCluster needs nodeTypeId (e.g. "Standard_DS3_v2") or instancePoolId.');
  if (c.numWorkers !== undefined && c.autoscale !== undefined) fail("newCluster.autoscale", "newCluster.numWorkers and newCluster.autoscale are mutually exclusive: a fixed size or a range.");
  if (known(c.numWorkers) && !(Number.isInteger(c.numWorkers) && (c.numWorkers as number) >= 0)) fail("newCluster.numWorkers", "newCluster.numWorkers must be a whole number >= 0.");
  if (known(c.autoscale)) {
    const a = c.autoscale as Record<string, unknown>;
    if (!isObject(a) || !(Number.isInteger(a.minWorkers) && Number.isInteger(a.maxWorkers) && (a.minWorkers as number) >= 1 && (a.maxWorkers as number) >= (a.minWorkers as number))) {
      fail("newCluster.autoscale", "newCluster.autoscale needs whole numbers 1 <= minWorkers <= maxWorkers.");
    }
  }
  checkStringMap(c.sparkConf, "newCluster.sparkConf", fail);
  checkStringMap(c.sparkEnvVars, "newCluster.sparkEnvVars", fail);
  checkStringMap(c.customTags, "newCluster.customTags", fail);
  if (known(c.clusterLogPath) && (typeof c.clusterLogPath !== "string" || !c.clusterLogPath.startsWith("dbfs:/"))) {
    fail("newCluster.clusterLogPath", "newCluster.clusterLogPath must be a dbfs:/ path, e.g. dbfs:/cluster-logs.");
  }
}

function checkLibraries(libs: unknown, fail: (p: string, r: string) => void): void {
  if (!known(libs)) return;
  if (!Array.isArray(libs)) return fail("libraries", "libraries must be a list such as [{ pypi: { package: \"pandas==2.2.2\" } }].");
  libs.forEach((lib, i) => {
    if (!known(lib)) return;
    const kinds = isObject(lib) ? Object.keys(lib).filter((k) => ["pypi", "maven", "cran", "jar", "egg", "whl"].includes(k)) : [];
    if (kinds.length !== 1 || Object.keys(lib as object).length !== 1) {
      fail(`libraries[${i}]`, "each library names exactly one of pypi, maven, cran, jar, egg or whl.");
    }
  });
}

function checkStringMap(v: unknown, property: string, fail: (p: string, r: string) => void): void {
  if (!known(v)) return;
  if (!isObject(v) || Object.values(v).some((x) => known(x) && typeof x !== "string")) fail(property, `${property} must map names to string values.`);
}

function checkStringList(v: unknown, property: string, fail: (p: string, r: string) => void): void {
  if (!known(v)) return;
  if (!Array.isArray(v) || v.some((x) => known(x) && typeof x !== "string")) fail(property, `${property} must be a list of strings.`);
}

function specHasCluster(spec: unknown): boolean {
  if (!isObject(spec)) return spec === UNKNOWN;
  const tasks = Array.isArray(spec.tasks) ? spec.tasks : [spec];
  return tasks.every((t) => isObject(t) && (t.existing_cluster_id !== undefined || t.new_cluster !== undefined || t.job_cluster_key !== undefined)) || Array.isArray(spec.job_clusters);
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

/**
 * The runs/submit request: the spec (legacy single-task form turned into tasks[]) with the
 * named inputs merged over it, and `secureInput` added to the notebook's base parameters.
 */
export function buildSubmitRequest(inputs: RunInputs, defaultRunName: string): RunSubmitRequest {
  const spec = structuredClone(inputs.spec ?? {}) as Record<string, unknown>;
  const tasks = (Array.isArray(spec.tasks) ? spec.tasks : []) as TaskSpec[];
  const legacy = Object.fromEntries(LEGACY_TASK_FIELDS.filter((k) => spec[k] !== undefined).map((k) => [k, spec[k]]));
  for (const k of LEGACY_TASK_FIELDS) delete spec[k];
  if (tasks.length === 0) tasks.push({ task_key: "main", ...legacy } as TaskSpec);
  if (tasks.length === 1) mergeNamed(tasks[0], namedTaskFields(inputs));
  if (inputs.secureInput) {
    for (const task of tasks) {
      if (task.notebook_task) task.notebook_task.base_parameters = { ...task.notebook_task.base_parameters, ...inputs.secureInput };
    }
  }
  const request: RunSubmitRequest = { ...(spec as RunSubmitRequest), tasks };
  request.run_name = effectiveRunName(inputs, defaultRunName);
  return request;
}

/** The name the run gets: runName, else the spec's run_name, else the default (the resource name). */
export function effectiveRunName(inputs: Pick<RunInputs, "runName" | "spec" | "identity">, defaultRunName = inputs.identity.split("/").pop() ?? "pulumi-run"): string {
  return inputs.runName ?? (inputs.spec?.run_name as string | undefined) ?? defaultRunName;
}

/** Named fields win over the spec's, including over the spec's alternatives to them. */
function mergeNamed(task: TaskSpec, named: Partial<TaskSpec>): void {
  const clusterKeys = ["existing_cluster_id", "new_cluster", "job_cluster_key"];
  const groups = [clusterKeys, WIRE_TASK_KINDS];
  for (const group of groups) {
    if (group.some((k) => k in named)) for (const k of group) delete (task as unknown as Record<string, unknown>)[k];
  }
  Object.assign(task, named);
}

export function namedTaskFields(inputs: Omit<RunInputs, "host" | "identity">): Partial<TaskSpec> {
  const t: Partial<TaskSpec> = {};
  if (inputs.notebookTask) {
    t.notebook_task = { notebook_path: inputs.notebookTask.notebookPath };
    if (inputs.notebookTask.baseParameters) t.notebook_task.base_parameters = { ...inputs.notebookTask.baseParameters };
    if (inputs.notebookTask.source) t.notebook_task.source = inputs.notebookTask.source;
  }
  if (inputs.sparkPythonTask) t.spark_python_task = { python_file: inputs.sparkPythonTask.pythonFile, ...(inputs.sparkPythonTask.parameters && { parameters: inputs.sparkPythonTask.parameters }) };
  if (inputs.sparkJarTask) {
    t.spark_jar_task = { main_class_name: inputs.sparkJarTask.mainClassName };
    if (inputs.sparkJarTask.parameters) t.spark_jar_task.parameters = inputs.sparkJarTask.parameters;
    if (inputs.sparkJarTask.jarUri) t.spark_jar_task.jar_uri = inputs.sparkJarTask.jarUri;
  }
  if (inputs.pythonWheelTask) {
    const w = inputs.pythonWheelTask;
    t.python_wheel_task = { package_name: w.packageName, entry_point: w.entryPoint, ...(w.parameters && { parameters: w.parameters }), ...(w.namedParameters && { named_parameters: w.namedParameters }) };
  }
  if (inputs.existingClusterId) t.existing_cluster_id = inputs.existingClusterId;
  if (inputs.newCluster) t.new_cluster = toWireCluster(inputs.newCluster);
  if (inputs.libraries) t.libraries = inputs.libraries.map(toWireLibrary);
  if (inputs.timeoutSeconds !== undefined) t.timeout_seconds = inputs.timeoutSeconds;
  if (inputs.maxRetries !== undefined) t.max_retries = inputs.maxRetries;
  if (inputs.minRetryIntervalMillis !== undefined) t.min_retry_interval_millis = inputs.minRetryIntervalMillis;
  if (inputs.retryOnTimeout !== undefined) t.retry_on_timeout = inputs.retryOnTimeout;
  return t;
}

/** camelCase cluster input to the API's snake_case, field by field (user maps keep their keys). */
export function toWireCluster(c: NewClusterInput): NewCluster {
  const w: NewCluster = { spark_version: c.sparkVersion };
  if (c.nodeTypeId !== undefined) w.node_type_id = c.nodeTypeId;
  if (c.driverNodeTypeId !== undefined) w.driver_node_type_id = c.driverNodeTypeId;
  if (c.instancePoolId !== undefined) w.instance_pool_id = c.instancePoolId;
  if (c.numWorkers !== undefined) w.num_workers = c.numWorkers;
  if (c.autoscale) w.autoscale = { min_workers: c.autoscale.minWorkers, max_workers: c.autoscale.maxWorkers };
  if (c.sparkConf) w.spark_conf = { ...c.sparkConf };
  if (c.sparkEnvVars) w.spark_env_vars = { ...c.sparkEnvVars };
  if (c.customTags) w.custom_tags = { ...c.customTags };
  if (c.initScripts) w.init_scripts = c.initScripts.map((s) => ({ ...s }));
  if (c.clusterLogPath) w.cluster_log_conf = { dbfs: { destination: c.clusterLogPath } };
  return w;
}

function toWireLibrary(l: LibraryInput): Library {
  return { ...l } as Library;
}

/**
 * The idempotency token of attempt `attempt`: a hash of the resource's identity and everything
 * that defines the run, so a retried or crashed `up` finds the run it already started. It holds
 * no input in clear (secure inputs included) and is never stored in state.
 */
export function idempotencyToken(inputs: RunInputs, request: RunSubmitRequest, attempt: number): string {
  const material = JSON.stringify(canonical({ identity: inputs.identity, host: inputs.host, request, codeHash: inputs.codeHash, triggers: inputs.triggers, attempt }));
  return createHash("sha256").update(material).digest("hex"); // 64 characters, the API's limit
}

/** What a change of inputs does to a run. */
export interface RunDiff {
  changes: boolean;
  /** Keys whose change means a new run; non-empty => replace. */
  replaces: string[];
  changedKeys: string[];
}

/** A change of anything the run executes (code included) re-runs it; settings only update. */
export function diffRun(olds: Partial<RunInputs>, news: Partial<RunInputs>): RunDiff {
  const replaces: string[] = RERUN_KEYS.filter((k) => !sameJson(olds[k], news[k]) || (news[k] as unknown) === UNKNOWN);
  const settings: string[] = SETTING_KEYS.filter((k) => !sameJson(olds[k], news[k]));
  const changedKeys = [...replaces, ...settings];
  return { changes: changedKeys.length > 0, replaces, changedKeys };
}
