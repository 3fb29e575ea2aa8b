/**
 * The DatabricksJob provider's operations: jobs/create, jobs/reset with the full settings on
 * change, jobs/get on refresh, jobs/delete.
 */
import { CheckFailure, known, sameJson } from "../checks";
import { isNotFound } from "../databricks";
import type { JobSettings, TaskSpec } from "../databricks/types";
import { checkHost, databricksApi, ignoreGone, progress } from "./connection";
import { checkRunInputs, namedTaskFields, NewClusterInput, RunInputs, toWireCluster } from "./runInputs";

/** A task of the job, camelCase: the run's task inputs plus its key and dependencies. */
export interface JobTaskInput extends Omit<RunInputs, "host" | "identity" | "spec" | "secureInput" | "secureOutput" | "codeHash" | "triggers" | "waitTimeoutSeconds" | "keepHistory" | "runName"> {
  taskKey: string;
  dependsOn?: string[];
  jobClusterKey?: string;
}

/** Inputs as they reach the provider. */
export interface JobInputs {
  host: string;
  name?: string;
  spec?: Record<string, unknown>;
  tasks?: JobTaskInput[];
  jobClusters?: { jobClusterKey: string; newCluster: NewClusterInput }[];
  schedule?: { quartzCronExpression: string; timezoneId: string; pauseStatus?: "PAUSED" | "UNPAUSED" };
  maxConcurrentRuns?: number;
  timeoutSeconds?: number;
  emailNotifications?: { onStart?: string[]; onSuccess?: string[]; onFailure?: string[] };
  tags?: Record<string, string>;
}

const SETTINGS = ["name", "spec", "tasks", "jobClusters", "schedule", "maxConcurrentRuns", "timeoutSeconds", "emailNotifications", "tags"] as const;

export async function check(_olds: Record<string, unknown>, news: Record<string, unknown>): Promise<{ inputs: Record<string, unknown>; failures: CheckFailure[] }> {
  const inputs = { ...news };
  const failures: CheckFailure[] = [];
  const tasks = inputs.tasks;
  if (tasks === undefined && inputs.spec === undefined) failures.push({ property: "tasks", reason: "tasks is required: at least one task (or a complete jobs/create JSON as spec)." });
  if (known(tasks) && Array.isArray(tasks)) {
    const keys = new Set<string>();
    tasks.forEach((t: Record<string, unknown>, i) => {
      if (!known(t)) return;
      if (typeof t.taskKey !== "string" || !/^[\w-]{1,100}$/.test(t.taskKey)) failures.push({ property: `tasks[${i}].taskKey`, reason: "taskKey is required: 1-100 letters, digits, _ and -." });
      else if (keys.has(t.taskKey)) failures.push({ property: `tasks[${i}].taskKey`, reason: `taskKey "${t.taskKey}" is used twice; task keys are unique within a job.` });
      else keys.add(t.taskKey);
      const cluster = t.jobClusterKey !== undefined ? { existingClusterId: "job-cluster" } : {};
      for (const f of checkRunInputs({ ...t, ...cluster })) failures.push({ property: `tasks[${i}].${f.property}`, reason: f.reason });
    });
    tasks.forEach((t: Record<string, unknown>, i) => {
      for (const dep of (Array.isArray(t?.dependsOn) ? t.dependsOn : []) as string[]) {
        if (!keys.has(dep)) failures.push({ property: `tasks[${i}].dependsOn`, reason: `dependsOn names "${dep}", which is not a task key of this job.` });
      }
    });
  }
  if (known(inputs.maxConcurrentRuns) && inputs.maxConcurrentRuns !== undefined && !(Number.isInteger(inputs.maxConcurrentRuns) && (inputs.maxConcurrentRuns as number) >= 1)) {
    failures.push({ property: "maxConcurrentRuns", reason: "maxConcurrentRuns is a whole number >= 1." });
  }
  const schedule = inputs.schedule as Record<string, unknown> | undefined;
  if (known(schedule) && schedule && (typeof schedule.quartzCronExpression !== "string" || typeof schedule.timezoneId !== "string")) {
    failures.push({ property: "schedule", reason: 'schedule needs quartzCronExpression (e.g. "0 0 6 * * ?") and timezoneId (e.g. "UTC").' });
  }
  checkHost(inputs, failures);
  return { inputs, failures };
}

export async function diff(_id: string, olds: JobInputs, news: JobInputs): Promise<{ changes: boolean; replaces: string[]; deleteBeforeReplace: boolean }> {
  const replaces = olds.host !== news.host ? ["host"] : [];
  const changed = SETTINGS.filter((k) => !sameJson(olds[k], news[k]));
  if (replaces.length + changed.length > 0) progress(`Job "${news.name ?? ""}": ${[...replaces, ...changed].join(", ")} changed; will ${replaces.length > 0 ? "replace it" : "reset its settings"}.`);
  return { changes: replaces.length + changed.length > 0, replaces, deleteBeforeReplace: false };
}

/** The job's settings on the wire: the spec with the named inputs over it. */
export function jobSettings(i: JobInputs): JobSettings {
  const s = { ...(i.spec ?? {}) } as JobSettings;
  if (i.name !== undefined) s.name = i.name;
  if (i.tasks) s.tasks = i.tasks.map(toWireTask);
  if (i.jobClusters) s.job_clusters = i.jobClusters.map((c) => ({ job_cluster_key: c.jobClusterKey, new_cluster: toWireCluster(c.newCluster) }));
  if (i.schedule) s.schedule = { quartz_cron_expression: i.schedule.quartzCronExpression, timezone_id: i.schedule.timezoneId, ...(i.schedule.pauseStatus && { pause_status: i.schedule.pauseStatus }) };
  if (i.maxConcurrentRuns !== undefined) s.max_concurrent_runs = i.maxConcurrentRuns;
  if (i.timeoutSeconds !== undefined) s.timeout_seconds = i.timeoutSeconds;
  if (i.emailNotifications) {
    const e = i.emailNotifications;
    s.email_notifications = { ...(e.onStart && { on_start: e.onStart }), ...(e.onSuccess && { on_success: e.onSuccess }), ...(e.onFailure && { on_failure: e.onFailure }) };
  }
  if (i.tags) s.tags = { ...i.tags };
  return s;
}

function toWireTask(t: JobTaskInput): TaskSpec {
  const task = { task_key: t.taskKey, ...namedTaskFields(t) } as TaskSpec;
  if (t.dependsOn) task.depends_on = t.dependsOn.map((k) => ({ task_key: k }));
  if (t.jobClusterKey) task.job_cluster_key = t.jobClusterKey;
  return task;
}

export async function create(inputs: JobInputs): Promise<{ id: string; outs: Record<string, unknown> }> {
  const api = databricksApi(inputs.host);
  const { job_id } = await api.jobs.jobsCreate(jobSettings(inputs));
  const job = await api.jobs.jobsGet(job_id);
  return { id: String(job_id), outs: { ...inputs, jobId: job_id, jobUrl: `${inputs.host}/#job/${job_id}`, ...(job.created_time !== undefined && { createdTime: job.created_time }) } };
}

export async function update(id: string, olds: Record<string, unknown>, news: JobInputs): Promise<{ outs: Record<string, unknown> }> {
  await databricksApi(news.host).jobs.jobsReset({ job_id: Number(id), new_settings: jobSettings(news) });
  return { outs: { ...olds, ...news } };
}

export async function read(id: string, props: JobInputs): Promise<{ id: string; props: Record<string, unknown> }> {
  try {
    await databricksApi(props.host).jobs.jobsGet(Number(id));
    return { id, props: { ...props } };
  } catch (err) {
    if (isNotFound(err)) return { id: "", props: {} };
    throw err;
  }
}

export async function remove(id: string, props: JobInputs): Promise<void> {
  await ignoreGone(() => databricksApi(props.host).jobs.jobsDelete(Number(id)));
}
