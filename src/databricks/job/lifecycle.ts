/**
 * The DatabricksJob provider's operations (CreateJobOp / DeleteJobOp): `jobs/create`, `jobs/reset`
 * with the full settings on change, `jobs/get` on refresh (named settings changed in the workspace
 * flow back as drift), `jobs/delete`. Named parameters are converted to the Jobs 2.1 JSON field
 * by field; user maps (base parameters, tags, Spark conf) keep their keys. Required by the
 * provider at call time.
 */
import { withKeyDetail } from "../../core/engineDiff";
import { CheckFailure, checkStringMap, checkWhole, Fail, failureList, isObject, known, sameJson, UNKNOWN } from "../../core/check";
import { progress } from "../../core/progress";
import { isNotFound } from "../client";
import type { JobCreateRequest, JobSettings } from "../client";
import { checkClusterSpec, ClusterSpecInput, fromWireCluster, toWireCluster } from "../shared/cluster";
import { checkWithHost, databricksApi, ignoreGone } from "../shared/connection";
import { pruneTo } from "../shared/drift";
import {
  checkEmailNotifications,
  checkWebhookNotifications,
  EmailNotificationsInput,
  fromWireEmailNotifications,
  fromWireWebhookNotifications,
  toWireEmailNotifications,
  toWireWebhookNotifications,
  WebhookNotificationsInput,
} from "../shared/notifications";
import { mergeSpec } from "../shared/spec";
import { checkTask, fromWireTask, hasWireTaskKind, KEY_PATTERN, LEGACY_TASK_FIELDS, TASK_KINDS, TaskInput, toWireTask } from "../shared/task";

/** A cluster shared by tasks. */
export interface JobClusterInput {
  jobClusterKey: string;
  newCluster: ClusterSpecInput;
}

/** Inputs as they reach the provider. */
export interface JobInputs {
  host: string;
  /** The complete `jobs/create` JSON; named fields replace its top-level fields. */
  spec?: Record<string, unknown>;
  name?: string;
  tasks?: TaskInput[];
  jobClusters?: JobClusterInput[];
  schedule?: { quartzCronExpression: string; timezoneId: string; pauseStatus?: string };
  maxConcurrentRuns?: number;
  timeoutSeconds?: number;
  emailNotifications?: EmailNotificationsInput;
  webhookNotifications?: WebhookNotificationsInput;
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
const MAX_TAGS = 25;
// ---------------------------------------------------------------------------------------------
// Conversion, field by field

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
    case "emailNotifications":
      return toWireEmailNotifications(i.emailNotifications!);
    case "webhookNotifications":
      return toWireWebhookNotifications(i.webhookNotifications!);
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
  if (s.email_notifications !== undefined) n.emailNotifications = fromWireEmailNotifications(s.email_notifications);
  if (s.webhook_notifications !== undefined) n.webhookNotifications = fromWireWebhookNotifications(s.webhook_notifications);
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
  const named: Record<string, unknown> = {};
  for (const key of NAMED_KEYS) if (i[key] !== undefined) named[NAMED_SETTINGS[key]] = toWireSetting(key, i);
  const settings = mergeSpec<JobSettings & { access_control_list?: unknown }>(i.spec, named, [["tasks", ...LEGACY_TASK_FIELDS]]);
  if (!withAcl) delete settings.access_control_list;
  return settings;
}

// ---------------------------------------------------------------------------------------------
// Validation

/** Validates the inputs, every failure at once, each naming its property; unknown preview values pass. No host. */
export function checkJob(news: Record<string, unknown>): { inputs: Record<string, unknown>; failures: CheckFailure[] } {
  const inputs: Record<string, unknown> = { ...news };
  const { failures, fail } = failureList();

  const spec = inputs.spec;
  const specObj = isObject(spec) ? spec : {};
  if (known(spec) && !isObject(spec)) fail("spec", 'spec must be the jobs/create request as an object, e.g. { name: "nightly", tasks: [...] }.');
  if (specObj.job_id !== undefined) fail("spec.job_id", "spec.job_id must not be set: the service assigns the job id at create.");

  if (known(inputs.name) && (typeof inputs.name !== "string" || inputs.name.length > 4096)) fail("name", "name must be a string of at most 4096 characters.");

  const specHasTasks = spec === UNKNOWN || specObj.tasks !== undefined || hasWireTaskKind(specObj);
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
  checkWhole(inputs.timeoutSeconds, "timeoutSeconds", fail, 0);
  checkEmailNotifications(inputs.emailNotifications, "emailNotifications", fail);
  checkWebhookNotifications(inputs.webhookNotifications, "webhookNotifications", fail);
  checkStringMap(inputs.tags, "tags", fail, "{ team: \"data\" }");
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
      else checkClusterSpec(c.newCluster, `${p}.newCluster`, fail);
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
    if (!TASK_KINDS.some((k) => t[k] !== undefined)) {
      fail(`${p}.notebookTask`, `${p} needs something to run: set one of notebookTask, sparkPythonTask, sparkJarTask or pythonWheelTask (other kinds go in spec).`);
    }
    checkTask(t, p, fail, { jobClusterKeys: clusterKeys });
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
export const check = checkWithHost(checkJob);

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
  return withKeyDetail(d, olds, news, changedKeys);
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
