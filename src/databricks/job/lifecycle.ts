/**
 * The DatabricksJob provider's operations (CreateJobOp / DeleteJobOp): `jobs/create`, `jobs/reset`
 * with the full settings on change, `jobs/get` on refresh (named settings changed in the workspace
 * flow back as drift), `jobs/delete`. Named parameters are converted to the Jobs 2.1 JSON field
 * by field; user maps (base parameters, tags, Spark conf) keep their keys. Required by the
 * provider at call time.
 */
import { CheckFailure, known, sameJson, UNKNOWN } from "../../core/check";
import { isNotFound } from "../client";
import type { JobCreateRequest, JobSettings, Library, TaskSpec } from "../client/types";
import { checkHost, databricksApi, ignoreGone, progress } from "../shared/connection";
import { checkClusterSettings, checkString, checkStringMap, Fail, fromWireCluster, NewClusterSettings, pruneTo, toWireCluster } from "../cluster/lifecycle";

/** A library, camelCase mirror of the API's (exactly one kind). */
export interface LibraryInput {
  pypi?: { package: string; repo?: string };
  maven?: { coordinates: string; repo?: string; exclusions?: string[] };
  cran?: { package: string; repo?: string };
  jar?: string;
  egg?: string;
  whl?: string;
  requirements?: string;
}

/** A task, camelCase mirror of the Jobs 2.1 task. */
export interface JobTaskInput {
  taskKey: string;
  notebookTask?: { notebookPath: string; baseParameters?: Record<string, string>; source?: string };
  sparkPythonTask?: { pythonFile: string; parameters?: string[]; source?: string };
  sparkJarTask?: { mainClassName: string; parameters?: string[] };
  pythonWheelTask?: { packageName: string; entryPoint: string; parameters?: string[]; namedParameters?: Record<string, string> };
  existingClusterId?: string;
  newCluster?: NewClusterSettings;
  jobClusterKey?: string;
  libraries?: LibraryInput[];
  dependsOn?: string[];
  timeoutSeconds?: number;
  maxRetries?: number;
  minRetryIntervalMillis?: number;
  retryOnTimeout?: boolean;
}

/** A cluster shared by tasks. */
export interface JobClusterInput {
  jobClusterKey: string;
  newCluster: NewClusterSettings;
}

/** Inputs as they reach the provider. */
export interface JobInputs {
  host: string;
  /** The complete `jobs/create` JSON; named fields replace its top-level fields. */
  spec?: Record<string, unknown>;
  name?: string;
  tasks?: JobTaskInput[];
  jobClusters?: JobClusterInput[];
  schedule?: { quartzCronExpression: string; timezoneId: string; pauseStatus?: string };
  maxConcurrentRuns?: number;
  timeoutSeconds?: number;
  emailNotifications?: { onStart?: string[]; onSuccess?: string[]; onFailure?: string[]; noAlertForSkippedRuns?: boolean };
  webhookNotifications?: { onStart?: { id: string }[]; onSuccess?: { id: string }[]; onFailure?: { id: string }[] };
  tags?: Record<string, string>;
  parameters?: { name: string; default: string }[];
}

/** What state holds besides the inputs. */
export interface JobOutputs extends JobInputs {
  jobId: number;
  jobUrl: string;
  createdTime?: number;
}

/** State as any version of this provider left it: the inputs, outputs possibly missing. */
export type StoredJob = JobInputs & Partial<JobOutputs>;

/** Named settings and their wire names, in order. */
const NAMED_SETTINGS = {
  name: "name",
  tasks: "tasks",
  jobClusters: "job_clusters",
  schedule: "schedule",
  maxConcurrentRuns: "max_concurrent_runs",
  timeoutSeconds: "timeout_seconds",
  emailNotifications: "email_notifications",
  webhookNotifications: "webhook_notifications",
  tags: "tags",
  parameters: "parameters",
} as const;
type NamedSetting = keyof typeof NAMED_SETTINGS;
const NAMED_KEYS = Object.keys(NAMED_SETTINGS) as NamedSetting[];
const SETTING_KEYS = [...NAMED_KEYS, "spec"] as const;
const TASK_KINDS = ["notebookTask", "sparkPythonTask", "sparkJarTask", "pythonWheelTask"] as const;
const WIRE_TASK_KINDS = ["notebook_task", "spark_python_task", "spark_jar_task", "python_wheel_task", "spark_submit_task", "pipeline_task", "sql_task", "dbt_task", "run_job_task", "condition_task", "for_each_task"];
/** Top-level fields of a legacy single-task job, replaced by named `tasks`. */
const LEGACY_TASK_FIELDS = ["existing_cluster_id", "new_cluster", "libraries", "max_retries", "min_retry_interval_millis", "retry_on_timeout", ...WIRE_TASK_KINDS];
const CLUSTER_CHOICES = ["existingClusterId", "newCluster", "jobClusterKey"] as const;
const LIBRARY_KINDS = ["pypi", "maven", "cran", "jar", "egg", "whl", "requirements"];
const KEY_PATTERN = /^[\w-]{1,100}$/;
const MAX_TAGS = 25;
const MAX_WEBHOOKS = 3;

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

// ---------------------------------------------------------------------------------------------
// Conversion, field by field

/** A library to the wire. */
export function toWireLibrary(l: LibraryInput): Library {
  const w: Library = {};
  if (l.pypi) w.pypi = { package: l.pypi.package, ...(l.pypi.repo !== undefined && { repo: l.pypi.repo }) };
  if (l.maven) w.maven = { coordinates: l.maven.coordinates, ...(l.maven.repo !== undefined && { repo: l.maven.repo }), ...(l.maven.exclusions && { exclusions: [...l.maven.exclusions] }) };
  if (l.cran) w.cran = { package: l.cran.package, ...(l.cran.repo !== undefined && { repo: l.cran.repo }) };
  if (l.jar !== undefined) w.jar = l.jar;
  if (l.egg !== undefined) w.egg = l.egg;
  if (l.whl !== undefined) w.whl = l.whl;
  if (l.requirements !== undefined) w.requirements = l.requirements;
  return w;
}

/** A task to the wire. */
export function toWireTask(t: JobTaskInput): TaskSpec {
  const w: TaskSpec = { task_key: t.taskKey };
  if (t.dependsOn) w.depends_on = t.dependsOn.map((k) => ({ task_key: k }));
  if (t.notebookTask) {
    const n = t.notebookTask;
    w.notebook_task = { notebook_path: n.notebookPath };
    if (n.baseParameters !== undefined) w.notebook_task.base_parameters = { ...n.baseParameters };
    if (n.source !== undefined) w.notebook_task.source = n.source;
  }
  if (t.sparkPythonTask) {
    const s = t.sparkPythonTask;
    w.spark_python_task = { python_file: s.pythonFile };
    if (s.parameters !== undefined) w.spark_python_task.parameters = [...s.parameters];
    if (s.source !== undefined) w.spark_python_task.source = s.source;
  }
  if (t.sparkJarTask) {
    w.spark_jar_task = { main_class_name: t.sparkJarTask.mainClassName };
    if (t.sparkJarTask.parameters !== undefined) w.spark_jar_task.parameters = [...t.sparkJarTask.parameters];
  }
  if (t.pythonWheelTask) {
    const p = t.pythonWheelTask;
    w.python_wheel_task = { package_name: p.packageName, entry_point: p.entryPoint };
    if (p.parameters !== undefined) w.python_wheel_task.parameters = [...p.parameters];
    if (p.namedParameters !== undefined) w.python_wheel_task.named_parameters = { ...p.namedParameters };
  }
  if (t.existingClusterId !== undefined) w.existing_cluster_id = t.existingClusterId;
  if (t.newCluster !== undefined) w.new_cluster = toWireCluster(t.newCluster) as TaskSpec["new_cluster"];
  if (t.jobClusterKey !== undefined) w.job_cluster_key = t.jobClusterKey;
  if (t.libraries !== undefined) w.libraries = t.libraries.map(toWireLibrary);
  if (t.timeoutSeconds !== undefined) w.timeout_seconds = t.timeoutSeconds;
  if (t.maxRetries !== undefined) w.max_retries = t.maxRetries;
  if (t.minRetryIntervalMillis !== undefined) w.min_retry_interval_millis = t.minRetryIntervalMillis;
  if (t.retryOnTimeout !== undefined) w.retry_on_timeout = t.retryOnTimeout;
  return w;
}

/** A task from the wire (only the fields the named form has). */
export function fromWireTask(w: TaskSpec): JobTaskInput {
  const t: JobTaskInput = { taskKey: w.task_key };
  if (w.depends_on) t.dependsOn = w.depends_on.map((d) => d.task_key);
  if (w.notebook_task) {
    const n = w.notebook_task;
    t.notebookTask = { notebookPath: n.notebook_path };
    if (n.base_parameters !== undefined) t.notebookTask.baseParameters = { ...n.base_parameters };
    if (n.source !== undefined) t.notebookTask.source = n.source;
  }
  if (w.spark_python_task) {
    const s = w.spark_python_task;
    t.sparkPythonTask = { pythonFile: s.python_file };
    if (s.parameters !== undefined) t.sparkPythonTask.parameters = [...s.parameters];
    if (s.source !== undefined) t.sparkPythonTask.source = s.source;
  }
  if (w.spark_jar_task) {
    t.sparkJarTask = { mainClassName: w.spark_jar_task.main_class_name ?? "" };
    if (w.spark_jar_task.parameters !== undefined) t.sparkJarTask.parameters = [...w.spark_jar_task.parameters];
  }
  if (w.python_wheel_task) {
    const p = w.python_wheel_task;
    t.pythonWheelTask = { packageName: p.package_name ?? "", entryPoint: p.entry_point ?? "" };
    if (p.parameters !== undefined) t.pythonWheelTask.parameters = [...p.parameters];
    if (p.named_parameters !== undefined) t.pythonWheelTask.namedParameters = { ...p.named_parameters };
  }
  if (w.existing_cluster_id !== undefined) t.existingClusterId = w.existing_cluster_id;
  if (w.new_cluster !== undefined) t.newCluster = fromWireCluster(w.new_cluster);
  if (w.job_cluster_key !== undefined) t.jobClusterKey = w.job_cluster_key;
  if (w.libraries !== undefined) t.libraries = w.libraries.map((l) => toWireLibrary(l as LibraryInput) as LibraryInput);
  if (w.timeout_seconds !== undefined) t.timeoutSeconds = w.timeout_seconds;
  if (w.max_retries !== undefined) t.maxRetries = w.max_retries;
  if (w.min_retry_interval_millis !== undefined) t.minRetryIntervalMillis = w.min_retry_interval_millis;
  if (w.retry_on_timeout !== undefined) t.retryOnTimeout = w.retry_on_timeout;
  return t;
}

/** One named setting to its wire value. */
function toWireSetting(key: NamedSetting, i: JobInputs): unknown {
  switch (key) {
    case "tasks":
      return i.tasks!.map(toWireTask);
    case "jobClusters":
      return i.jobClusters!.map((c) => ({ job_cluster_key: c.jobClusterKey, new_cluster: toWireCluster(c.newCluster) }));
    case "schedule": {
      const s = i.schedule!;
      return { quartz_cron_expression: s.quartzCronExpression, timezone_id: s.timezoneId, ...(s.pauseStatus !== undefined && { pause_status: s.pauseStatus }) };
    }
    case "emailNotifications": {
      const e = i.emailNotifications!;
      return {
        ...(e.onStart && { on_start: [...e.onStart] }),
        ...(e.onSuccess && { on_success: [...e.onSuccess] }),
        ...(e.onFailure && { on_failure: [...e.onFailure] }),
        ...(e.noAlertForSkippedRuns !== undefined && { no_alert_for_skipped_runs: e.noAlertForSkippedRuns }),
      };
    }
    case "webhookNotifications": {
      const h = i.webhookNotifications!;
      const ids = (list: { id: string }[]) => list.map((d) => ({ id: d.id }));
      return { ...(h.onStart && { on_start: ids(h.onStart) }), ...(h.onSuccess && { on_success: ids(h.onSuccess) }), ...(h.onFailure && { on_failure: ids(h.onFailure) }) };
    }
    case "tags":
      return { ...i.tags };
    case "parameters":
      return i.parameters!.map((p) => ({ name: p.name, default: p.default }));
    default:
      return i[key];
  }
}

/** The named settings of live job settings (camelCase), for drift. */
export function fromWireSettings(s: JobSettings): Partial<JobInputs> {
  const n: Partial<JobInputs> = {};
  if (s.name !== undefined) n.name = s.name;
  if (s.tasks !== undefined) n.tasks = s.tasks.map(fromWireTask);
  if (s.job_clusters !== undefined) n.jobClusters = s.job_clusters.map((c) => ({ jobClusterKey: c.job_cluster_key, newCluster: fromWireCluster(c.new_cluster ?? {}) }));
  if (s.schedule !== undefined) {
    n.schedule = { quartzCronExpression: s.schedule.quartz_cron_expression, timezoneId: s.schedule.timezone_id };
    if (s.schedule.pause_status !== undefined) n.schedule.pauseStatus = s.schedule.pause_status;
  }
  if (s.max_concurrent_runs !== undefined) n.maxConcurrentRuns = s.max_concurrent_runs;
  if (s.timeout_seconds !== undefined) n.timeoutSeconds = s.timeout_seconds;
  if (s.email_notifications !== undefined) {
    const e = s.email_notifications;
    n.emailNotifications = {};
    if (e.on_start) n.emailNotifications.onStart = [...e.on_start];
    if (e.on_success) n.emailNotifications.onSuccess = [...e.on_success];
    if (e.on_failure) n.emailNotifications.onFailure = [...e.on_failure];
    if (e.no_alert_for_skipped_runs !== undefined) n.emailNotifications.noAlertForSkippedRuns = e.no_alert_for_skipped_runs;
  }
  if (s.webhook_notifications !== undefined) {
    const h = s.webhook_notifications;
    n.webhookNotifications = {};
    if (h.on_start) n.webhookNotifications.onStart = h.on_start.map((d) => ({ id: d.id }));
    if (h.on_success) n.webhookNotifications.onSuccess = h.on_success.map((d) => ({ id: d.id }));
    if (h.on_failure) n.webhookNotifications.onFailure = h.on_failure.map((d) => ({ id: d.id }));
  }
  if (s.tags !== undefined) n.tags = { ...s.tags };
  if (s.parameters !== undefined) n.parameters = s.parameters.map((p) => ({ name: p.name, default: p.default }));
  return n;
}

/**
 * The job's settings on the wire: the spec with each named setting replacing its top-level field
 * (named `tasks` also replace a legacy single-task spec). `withAcl` keeps the spec's
 * `access_control_list`, which only `jobs/create` takes.
 */
export function jobSettings(i: JobInputs, withAcl = false): JobSettings {
  const s = structuredClone(i.spec ?? {}) as Record<string, unknown>;
  if (!withAcl) delete s.access_control_list;
  if (i.tasks !== undefined) for (const k of LEGACY_TASK_FIELDS) delete s[k];
  for (const key of NAMED_KEYS) if (i[key] !== undefined) s[NAMED_SETTINGS[key]] = toWireSetting(key, i);
  return s as JobSettings;
}

// ---------------------------------------------------------------------------------------------
// Validation

/** Validates the inputs, every failure at once, each naming its property; unknown preview values pass. No host. */
export function checkJob(news: Record<string, unknown>): { inputs: Record<string, unknown>; failures: CheckFailure[] } {
  const inputs: Record<string, unknown> = { ...news };
  const failures: CheckFailure[] = [];
  const fail: Fail = (property, reason) => failures.push({ property, reason });

  const spec = inputs.spec;
  const specObj = isObject(spec) ? spec : {};
  if (known(spec) && !isObject(spec)) fail("spec", 'spec must be the jobs/create request as an object, e.g. { name: "nightly", tasks: [...] }.');
  if (specObj.job_id !== undefined) fail("spec.job_id", "spec.job_id must not be set: the service assigns the job id at create.");

  if (known(inputs.name) && (typeof inputs.name !== "string" || inputs.name.length > 4096)) fail("name", "name must be a string of at most 4096 characters.");

  const specHasTasks = spec === UNKNOWN || specObj.tasks !== undefined || WIRE_TASK_KINDS.some((k) => specObj[k] !== undefined);
  if (inputs.tasks === undefined && !specHasTasks) fail("tasks", "tasks is required: at least one task (or a complete jobs/create JSON as spec).");

  const clusterKeys = checkJobClusters(inputs.jobClusters, specObj, fail);
  checkTasks(inputs.tasks, clusterKeys, fail);

  const schedule = inputs.schedule;
  if (known(schedule)) {
    if (!isObject(schedule)) fail("schedule", 'schedule must be { quartzCronExpression: "0 0 6 * * ?", timezoneId: "UTC", pauseStatus?: "PAUSED" | "UNPAUSED" }.');
    else {
      const cron = schedule.quartzCronExpression;
      if (cron === undefined || (known(cron) && (typeof cron !== "string" || !/^\S+(\s+\S+){5,6}$/.test(cron.trim())))) {
        fail("schedule.quartzCronExpression", 'schedule.quartzCronExpression must be a Quartz cron expression of 6 or 7 fields, e.g. "0 0 6 * * ?" (06:00 every day).');
      }
      if (schedule.timezoneId === undefined || (known(schedule.timezoneId) && (typeof schedule.timezoneId !== "string" || schedule.timezoneId === ""))) {
        fail("schedule.timezoneId", 'schedule.timezoneId must be a Java time zone id, e.g. "UTC" or "Europe/Paris".');
      }
      if (known(schedule.pauseStatus) && schedule.pauseStatus !== "PAUSED" && schedule.pauseStatus !== "UNPAUSED") {
        fail("schedule.pauseStatus", `schedule.pauseStatus must be PAUSED or UNPAUSED, not ${JSON.stringify(schedule.pauseStatus)}.`);
      }
    }
  }
  const maxRuns = inputs.maxConcurrentRuns;
  if (known(maxRuns) && !(Number.isInteger(maxRuns) && (maxRuns as number) >= 0 && (maxRuns as number) <= 1000)) {
    fail("maxConcurrentRuns", `maxConcurrentRuns must be a whole number from 0 to 1000 (0 skips every new run), not ${JSON.stringify(maxRuns)}.`);
  }
  checkWhole(inputs.timeoutSeconds, "timeoutSeconds", 0, fail);
  checkEmail(inputs.emailNotifications, fail);
  checkWebhooks(inputs.webhookNotifications, fail);
  checkStringMap(inputs.tags, "tags", fail);
  if (known(inputs.tags) && isObject(inputs.tags) && Object.keys(inputs.tags).length > MAX_TAGS) {
    fail("tags", `tags has ${Object.keys(inputs.tags).length} entries; a job takes at most ${MAX_TAGS}.`);
  }
  checkParameters(inputs.parameters, fail);
  return { inputs, failures };
}

/** Checks `jobClusters`; returns the keys tasks may use, or undefined when not all are known. */
function checkJobClusters(v: unknown, spec: Record<string, unknown>, fail: Fail): Set<string> | undefined {
  if (v === undefined) {
    const fromSpec = spec.job_clusters;
    if (fromSpec === undefined) return new Set();
    if (!Array.isArray(fromSpec)) return undefined;
    const keys = fromSpec.map((c) => (isObject(c) ? c.job_cluster_key : undefined));
    return keys.every((k) => typeof k === "string" && k !== UNKNOWN) ? new Set(keys as string[]) : undefined;
  }
  if (!known(v)) return undefined;
  if (!Array.isArray(v)) {
    fail("jobClusters", 'jobClusters must be a list such as [{ jobClusterKey: "main", newCluster: { sparkVersion, nodeTypeId, numWorkers } }].');
    return undefined;
  }
  const keys = new Set<string>();
  let complete = true;
  v.forEach((c, i) => {
    const p = `jobClusters[${i}]`;
    if (!known(c)) return void (complete = false);
    if (!isObject(c)) return fail(p, `${p} must be { jobClusterKey, newCluster }.`);
    const key = c.jobClusterKey;
    if (!known(key)) complete = false;
    else if (typeof key !== "string" || !KEY_PATTERN.test(key)) fail(`${p}.jobClusterKey`, `${p}.jobClusterKey is required: 1-100 letters, digits, _ and -.`);
    else if (keys.has(key)) fail(`${p}.jobClusterKey`, `jobClusterKey "${key}" is used twice; job cluster keys are unique within a job.`);
    else keys.add(key);
    if (c.newCluster === undefined) fail(`${p}.newCluster`, `${p}.newCluster is required: the cluster's settings, e.g. { sparkVersion: "15.4.x-scala2.12", nodeTypeId: "Standard_DS3_v2", numWorkers: 2 }.`);
    else if (known(c.newCluster)) {
      if (!isObject(c.newCluster)) fail(`${p}.newCluster`, `${p}.newCluster must be the cluster's settings as an object.`);
      else checkClusterSettings(c.newCluster, `${p}.newCluster.`, fail);
    }
  });
  return complete ? keys : undefined;
}

function checkTasks(v: unknown, clusterKeys: Set<string> | undefined, fail: Fail): void {
  if (!known(v)) return;
  if (!Array.isArray(v)) return fail("tasks", 'tasks must be a list such as [{ taskKey: "main", notebookTask: { notebookPath: "/Shared/etl" }, existingClusterId: "..." }].');
  const keys = new Set<string>();
  let complete = true;
  v.forEach((t, i) => {
    const p = `tasks[${i}]`;
    if (!known(t)) return void (complete = false);
    if (!isObject(t)) return fail(p, `${p} must be a task object with taskKey and one task kind.`);
    const key = t.taskKey;
    if (!known(key)) complete = false;
    else if (key === undefined || key === "") fail(`${p}.taskKey`, `${p}.taskKey is required: 1-100 letters, digits, _ and -.`);
    else if (typeof key !== "string" || !KEY_PATTERN.test(key)) fail(`${p}.taskKey`, `${p}.taskKey "${String(key)}" is not valid: use 1-100 letters, digits, _ and -.`);
    else if (keys.has(key)) fail(`${p}.taskKey`, `taskKey "${key}" is used twice; task keys are unique within a job.`);
    else keys.add(key);
    checkTask(t, p, clusterKeys, fail);
  });
  // Dependencies, once every key is known.
  const deps = new Map<string, string[]>();
  v.forEach((t, i) => {
    if (!isObject(t)) return;
    const p = `tasks[${i}].dependsOn`;
    const d = t.dependsOn;
    if (!known(d)) return;
    if (!Array.isArray(d) || d.some((x) => known(x) && typeof x !== "string")) return fail(p, `${p} must be a list of task keys.`);
    for (const dep of d as string[]) {
      if (!known(dep)) continue;
      if (dep === t.taskKey) fail(p, `${p} names the task itself; a task cannot wait for itself.`);
      else if (complete && !keys.has(dep)) fail(p, `dependsOn names "${dep}", which is not a task key of this job.`);
    }
    if (typeof t.taskKey === "string") deps.set(t.taskKey, (d as string[]).filter((x) => typeof x === "string" && x !== t.taskKey));
  });
  const cycle = findCycle(deps);
  if (cycle) {
    const i = v.findIndex((t) => isObject(t) && t.taskKey === cycle[0]);
    fail(`tasks[${i}].dependsOn`, `tasks ${cycle.join(" -> ")} depend on each other in a cycle: a job's tasks must form a DAG.`);
  }
}

function findCycle(deps: Map<string, string[]>): string[] | undefined {
  const state = new Map<string, "visiting" | "done">();
  const stack: string[] = [];
  const visit = (k: string): string[] | undefined => {
    if (state.get(k) === "done") return undefined;
    if (state.get(k) === "visiting") return [...stack.slice(stack.indexOf(k)), k];
    state.set(k, "visiting");
    stack.push(k);
    for (const d of deps.get(k) ?? []) {
      const found = deps.has(d) ? visit(d) : undefined;
      if (found) return found;
    }
    stack.pop();
    state.set(k, "done");
    return undefined;
  };
  for (const k of deps.keys()) {
    const found = visit(k);
    if (found) return found;
  }
  return undefined;
}

function checkTask(t: Record<string, unknown>, p: string, clusterKeys: Set<string> | undefined, fail: Fail): void {
  const kinds = TASK_KINDS.filter((k) => t[k] !== undefined);
  if (kinds.length === 0) fail(`${p}.notebookTask`, `${p} needs something to run: set one of notebookTask, sparkPythonTask, sparkJarTask or pythonWheelTask (other kinds go in spec).`);
  if (kinds.length > 1) fail(`${p}.${kinds[1]}`, `${p}.${kinds[0]} and ${p}.${kinds[1]} are mutually exclusive: a task runs one thing; add a task for the other.`);

  const nb = t.notebookTask;
  if (known(nb)) {
    if (!isObject(nb)) fail(`${p}.notebookTask`, `${p}.notebookTask must be { notebookPath, baseParameters? }.`);
    else {
      const path = nb.notebookPath;
      const git = nb.source === "GIT";
      if (path === undefined || (known(path) && (typeof path !== "string" || path === "" || (!git && !path.startsWith("/"))))) {
        fail(`${p}.notebookTask.notebookPath`, `${p}.notebookTask.notebookPath must be an absolute workspace path such as /Shared/etl/prepare (for example a DatabricksWorkspaceItem's workspacePath).`);
      }
      checkStringMap(nb.baseParameters, `${p}.notebookTask.baseParameters`, fail);
      if (known(nb.source) && nb.source !== "WORKSPACE" && nb.source !== "GIT") fail(`${p}.notebookTask.source`, `${p}.notebookTask.source must be WORKSPACE or GIT.`);
    }
  }
  const py = t.sparkPythonTask;
  if (known(py)) {
    if (!isObject(py) || py.pythonFile === undefined) fail(`${p}.sparkPythonTask.pythonFile`, `${p}.sparkPythonTask.pythonFile is required: a dbfs:/, workspace or cloud path to the script.`);
    else {
      checkString(py.pythonFile, `${p}.sparkPythonTask.pythonFile`, fail, "a dbfs:/, workspace or cloud path to the script");
      checkStringList(py.parameters, `${p}.sparkPythonTask.parameters`, fail);
    }
  }
  const jar = t.sparkJarTask;
  if (known(jar)) {
    if (!isObject(jar) || jar.mainClassName === undefined) fail(`${p}.sparkJarTask.mainClassName`, `${p}.sparkJarTask.mainClassName is required: the class with the main method (add the JAR to libraries).`);
    else {
      checkString(jar.mainClassName, `${p}.sparkJarTask.mainClassName`, fail, "the class with the main method");
      checkStringList(jar.parameters, `${p}.sparkJarTask.parameters`, fail);
    }
  }
  const whl = t.pythonWheelTask;
  if (known(whl)) {
    if (!isObject(whl)) fail(`${p}.pythonWheelTask`, `${p}.pythonWheelTask must be { packageName, entryPoint, parameters?, namedParameters? }.`);
    else {
      for (const k of ["packageName", "entryPoint"]) {
        if (whl[k] === undefined) fail(`${p}.pythonWheelTask.${k}`, `${p}.pythonWheelTask.${k} is required (add the wheel to libraries).`);
        else checkString(whl[k], `${p}.pythonWheelTask.${k}`, fail, "a non-empty string");
      }
      checkStringList(whl.parameters, `${p}.pythonWheelTask.parameters`, fail);
      checkStringMap(whl.namedParameters, `${p}.pythonWheelTask.namedParameters`, fail);
    }
  }

  const clusters = CLUSTER_CHOICES.filter((k) => t[k] !== undefined);
  if (clusters.length > 1) {
    fail(`${p}.${clusters[1]}`, `${p}.${clusters[0]} and ${p}.${clusters[1]} are mutually exclusive: run the task on an existing cluster, a new cluster, or a job cluster.`);
  }
  checkString(t.existingClusterId, `${p}.existingClusterId`, fail, "a cluster id, e.g. a DatabricksCluster's clusterId");
  const jck = t.jobClusterKey;
  if (known(jck)) {
    if (typeof jck !== "string" || jck === "") fail(`${p}.jobClusterKey`, `${p}.jobClusterKey must be the key of one of jobClusters.`);
    else if (clusterKeys && !clusterKeys.has(jck)) {
      fail(`${p}.jobClusterKey`, `${p}.jobClusterKey "${jck}" is not a key of jobClusters: add { jobClusterKey: "${jck}", newCluster: {...} } to jobClusters.`);
    }
  }
  if (known(t.newCluster)) {
    if (!isObject(t.newCluster)) fail(`${p}.newCluster`, `${p}.newCluster must be the cluster's settings as an object.`);
    else checkClusterSettings(t.newCluster, `${p}.newCluster.`, fail);
  }
  checkLibraries(t.libraries, `${p}.libraries`, fail);
  checkWhole(t.timeoutSeconds, `${p}.timeoutSeconds`, 0, fail);
  checkWhole(t.maxRetries, `${p}.maxRetries`, -1, fail, " (-1 retries forever)");
  checkWhole(t.minRetryIntervalMillis, `${p}.minRetryIntervalMillis`, 0, fail);
  if (known(t.retryOnTimeout) && typeof t.retryOnTimeout !== "boolean") fail(`${p}.retryOnTimeout`, `${p}.retryOnTimeout must be true or false.`);
}

function checkLibraries(v: unknown, p: string, fail: Fail): void {
  if (!known(v)) return;
  if (!Array.isArray(v)) return fail(p, `${p} must be a list such as [{ pypi: { package: "pandas==2.2.2" } }].`);
  v.forEach((lib, i) => {
    if (!known(lib)) return;
    const keys = isObject(lib) ? Object.keys(lib) : [];
    if (keys.length !== 1 || !LIBRARY_KINDS.includes(keys[0])) fail(`${p}[${i}]`, `${p}[${i}] must name exactly one of ${LIBRARY_KINDS.join(", ")}, e.g. { whl: "dbfs:/libs/x.whl" }.`);
  });
}

function checkWhole(v: unknown, p: string, min: number, fail: Fail, note = ""): void {
  if (known(v) && !(Number.isInteger(v) && (v as number) >= min)) fail(p, `${p} must be a whole number >= ${min}${note}, not ${JSON.stringify(v)}.`);
}

function checkStringList(v: unknown, p: string, fail: Fail): void {
  if (known(v) && (!Array.isArray(v) || v.some((x) => known(x) && typeof x !== "string"))) fail(p, `${p} must be a list of strings.`);
}

function checkEmail(v: unknown, fail: Fail): void {
  if (!known(v)) return;
  if (!isObject(v)) return fail("emailNotifications", "emailNotifications must be { onStart?, onSuccess?, onFailure?: string[], noAlertForSkippedRuns?: boolean }.");
  for (const k of ["onStart", "onSuccess", "onFailure"]) checkStringList(v[k], `emailNotifications.${k}`, fail);
  if (known(v.noAlertForSkippedRuns) && typeof v.noAlertForSkippedRuns !== "boolean") fail("emailNotifications.noAlertForSkippedRuns", "emailNotifications.noAlertForSkippedRuns must be true or false.");
}

function checkWebhooks(v: unknown, fail: Fail): void {
  if (!known(v)) return;
  if (!isObject(v)) return fail("webhookNotifications", 'webhookNotifications must be { onStart?, onSuccess?, onFailure?: [{ id: "<notification destination id>" }] }.');
  for (const k of ["onStart", "onSuccess", "onFailure"]) {
    const list = v[k];
    const p = `webhookNotifications.${k}`;
    if (!known(list)) continue;
    if (!Array.isArray(list) || list.some((d) => known(d) && !(isObject(d) && typeof d.id === "string"))) fail(p, `${p} must be a list of { id: "<notification destination id>" }.`);
    else if (list.length > MAX_WEBHOOKS) fail(p, `${p} has ${list.length} destinations; at most ${MAX_WEBHOOKS} are allowed.`);
  }
}

function checkParameters(v: unknown, fail: Fail): void {
  if (!known(v)) return;
  if (!Array.isArray(v)) return fail("parameters", 'parameters must be a list such as [{ name: "date", default: "2024-01-01" }].');
  const names = new Set<string>();
  v.forEach((param, i) => {
    const p = `parameters[${i}]`;
    if (!known(param)) return;
    if (!isObject(param)) return fail(p, `${p} must be { name, default }.`);
    if (known(param.name)) {
      if (typeof param.name !== "string" || !/^[\w.-]{1,255}$/.test(param.name)) fail(`${p}.name`, `${p}.name must be 1-255 letters, digits, _ . and -.`);
      else if (names.has(param.name)) fail(`${p}.name`, `parameter "${param.name}" is defined twice; parameter names are unique within a job.`);
      else names.add(param.name);
    }
    if (param.default === undefined || (known(param.default) && typeof param.default !== "string")) fail(`${p}.default`, `${p}.default is required: the value runs get when they do not pass one (a string).`);
  });
}

/** Validation at preview and up; fills `host` from the environment when absent. */
export async function check(_olds: Record<string, unknown>, news: Record<string, unknown>): Promise<{ inputs: Record<string, unknown>; failures: CheckFailure[] }> {
  const { inputs, failures } = checkJob(news);
  checkHost(inputs, failures);
  return { inputs, failures };
}

// ---------------------------------------------------------------------------------------------
// Diff

/** The engine's diff result, plus what changed. */
export interface JobDiff {
  changes: boolean;
  replaces: string[];
  deleteBeforeReplace: boolean;
  changedKeys: string[];
}

/** A new workspace replaces the job; any setting resets it in place. */
export function diffJob(olds: Partial<JobOutputs>, news: Partial<JobInputs>): JobDiff {
  const changed = (k: keyof JobInputs) => news[k] === UNKNOWN || !sameJson(olds[k], news[k]);
  const replaces: string[] = changed("host") ? ["host"] : [];
  const changedKeys = [...replaces, ...SETTING_KEYS.filter(changed)];
  return { changes: changedKeys.length > 0, replaces, deleteBeforeReplace: false, changedKeys };
}

export async function diff(_id: string, olds: StoredJob, news: JobInputs): Promise<Omit<JobDiff, "changedKeys">> {
  const { changedKeys, ...d } = diffJob(olds, news);
  if (d.changes) {
    const name = typeof news.name === "string" && news.name !== UNKNOWN ? news.name : (olds.name ?? String(olds.jobId));
    const effect = d.replaces.length > 0 ? "will replace it (create it in the new workspace, then delete the old one)" : "will reset its settings (jobs/reset)";
    progress(`Job "${name}": ${changedKeys.join(", ")} changed; ${effect}.`);
  }
  return d;
}

// ---------------------------------------------------------------------------------------------
// Create, update, read, delete

/** Creates the job; the id is its job id. */
export async function create(inputs: JobInputs): Promise<{ id: string; outs: JobOutputs }> {
  const api = databricksApi(inputs.host);
  const { job_id: jobId } = await api.jobs.jobsCreate(jobSettings(inputs, true) as JobCreateRequest);
  progress(`Job "${inputs.name ?? inputs.spec?.name ?? jobId}": created ${jobUrl(inputs.host, jobId)}`);
  const job = await api.jobs.jobsGet(jobId);
  return { id: String(jobId), outs: outputs(inputs, jobId, job.created_time) };
}

/** Replaces all the job's settings (`jobs/reset`); `access_control_list` in spec applies at create only. */
export async function update(id: string, olds: StoredJob, news: JobInputs): Promise<{ outs: JobOutputs }> {
  const jobId = Number(id);
  await databricksApi(news.host).jobs.jobsReset({ job_id: jobId, new_settings: jobSettings(news) });
  return { outs: outputs(news, jobId, olds.createdTime) };
}

/** Reads the job; gone when deleted. Named settings changed in the workspace flow back as drift. */
export async function read(id: string, props: StoredJob): Promise<{ id: string; props: Partial<JobOutputs>; inputs?: Partial<JobInputs> }> {
  let job;
  try {
    job = await databricksApi(props.host).jobs.jobsGet(Number(id));
  } catch (err) {
    if (isNotFound(err)) return { id: "", props: {} };
    throw err;
  }
  const outs = outputs(props, Number(id), job.created_time ?? props.createdTime);
  const live = fromWireSettings(job.settings ?? {}) as Record<string, unknown>;
  const mine = props as unknown as Record<string, unknown>;
  const drifted = NAMED_KEYS.filter((k) => mine[k] !== undefined && !sameJson(livePruned(k, live[k], mine[k]), mine[k]));
  for (const k of drifted) (outs as unknown as Record<string, unknown>)[k] = livePruned(k, live[k], mine[k]);
  if (drifted.length > 0) progress(`Job "${props.name ?? id}": ${drifted.join(", ")} changed in the workspace; the next pulumi up resets them.`);
  const { jobId: _j, jobUrl: _u, createdTime: _c, ...inputs } = outs;
  return { id, props: outs, inputs };
}

/** Deletes the job; a job already gone counts as deleted. */
export async function remove(id: string, props: StoredJob): Promise<void> {
  await ignoreGone(() => databricksApi(props.host).jobs.jobsDelete(Number(id)));
}

/** The live value cut to the shape of ours; lists keyed by task, cluster or parameter name are aligned to our order first. */
function livePruned(key: NamedSetting, live: unknown, mine: unknown): unknown {
  const keyField = key === "tasks" ? "taskKey" : key === "jobClusters" ? "jobClusterKey" : key === "parameters" ? "name" : undefined;
  if (keyField && Array.isArray(live) && Array.isArray(mine)) {
    const order = mine.map((m) => (isObject(m) ? m[keyField] : undefined));
    const rank = (x: unknown) => {
      const i = order.indexOf(isObject(x) ? x[keyField] : undefined);
      return i < 0 ? order.length : i;
    };
    live = [...live].sort((a, b) => rank(a) - rank(b));
  }
  return pruneTo(live, mine, key);
}

function outputs(inputs: JobInputs, jobId: number, createdTime: number | undefined): JobOutputs {
  const outs = Object.fromEntries(Object.entries(inputs).filter(([, v]) => v !== undefined)) as JobInputs;
  const o: JobOutputs = { ...outs, jobId, jobUrl: jobUrl(inputs.host, jobId) };
  delete o.createdTime;
  if (createdTime !== undefined) o.createdTime = createdTime;
  return o;
}

function jobUrl(host: string, jobId: number): string {
  return `${host}/#job/${jobId}`;
}
