/**
 * DatabricksRun inputs as the provider sees them, their validation, the runs/submit request
 * they describe, and what a change of them does (re-run or not). Pure functions: no network.
 */
import { createHash } from "node:crypto";
import { CodeFileHashes, describeFiles } from "../../core/codeFiles";
import { changedEntries, DetailedDiff, keyDetail, mapDetail, pathOf } from "../../core/detailedDiff";
import { canonical, CheckFailure, checkBoolean, checkStringMap, checkWhole, failureList, isObject, known, sameJson, UNKNOWN } from "../../core/check";
import type { RunSubmitRequest, TaskSpec } from "../client";
import {
  checkEmailNotifications,
  checkWebhookNotifications,
  EmailNotificationsInput,
  toWireEmailNotifications,
  toWireWebhookNotifications,
  WebhookNotificationsInput,
} from "../shared/notifications";
import { mergeSpec } from "../shared/spec";
import { checkTask, hasWireTaskKind, LEGACY_TASK_FIELDS, TASK_ALTERNATIVES, TASK_KINDS, TaskInput, toWireTask } from "../shared/task";

/** Inputs as they reach the provider (secrets unwrapped): one task's fields and the run's own. */
export interface RunInputs extends Omit<TaskInput, "taskKey" | "jobClusterKey" | "dependsOn"> {
  host: string;
  /** Identity of the resource in its stack: part of the idempotency token. */
  identity: string;
  runName?: string;
  spec?: Record<string, unknown>;
  emailNotifications?: EmailNotificationsInput;
  webhookNotifications?: WebhookNotificationsInput;
  secureInput?: Record<string, string>;
  secureOutput?: boolean;
  /** One hash over `codeFiles`' contents and `codeHashes`: a change re-runs. */
  codeHash?: string;
  /** Each local code file's hash by its path relative to the program (`notebooks/x.py`): how a preview names the file. */
  codeFiles?: CodeFileHashes;
  triggers?: Record<string, unknown>;
  waitTimeoutSeconds?: number;
  keepHistory?: boolean;
}

/** Inputs whose change means a new run (the run is replaced). */
const RERUN_KEYS = [
  "host", "runName", "spec", ...TASK_KINDS, "existingClusterId", "newCluster", "libraries", "timeoutSeconds",
  "maxRetries", "minRetryIntervalMillis", "retryOnTimeout", "emailNotifications", "webhookNotifications", "secureInput", "codeHash", "triggers",
] as const;
/** Inputs that only change how the resource behaves (no new run). */
const SETTING_KEYS = ["secureOutput", "waitTimeoutSeconds", "keepHistory"] as const;

/** Validates inputs; every failure at once, each naming its property and the fix. */
export function checkRunInputs(news: Record<string, unknown>): CheckFailure[] {
  const { failures, fail } = failureList();
  const kinds = TASK_KINDS.filter((k) => news[k] !== undefined);
  const spec = news.spec;
  const specTasks = isObject(spec) && Array.isArray(spec.tasks) ? (spec.tasks as unknown[]) : undefined;
  if (kinds.length === 0 && spec === undefined) {
    fail("notebookTask", "a task is required: set notebookTask, sparkPythonTask, sparkJarTask or pythonWheelTask, or pass a complete runs/submit JSON as spec.");
  }
  if (known(spec)) {
    if (!isObject(spec)) fail("spec", "spec must be the runs/submit request as an object (snake_case, as in the Jobs API).");
    else if (kinds.length === 0 && !specTasks && !hasWireTaskKind(spec)) {
      fail("spec", "spec has no task: give it tasks[] or a legacy single task (notebook_task, spark_python_task, spark_jar_task, ...), or set one of the named task inputs.");
    }
    if (specTasks && specTasks.length > 1 && (kinds.length > 0 || news.existingClusterId !== undefined || news.newCluster !== undefined || news.libraries !== undefined)) {
      fail("spec", "spec has several tasks; named task inputs (notebookTask, newCluster, libraries, ...) only apply to a single-task run: put them in the tasks of spec.");
    }
  }
  checkTask(news, "", fail);
  if (kinds.length > 0 && news.existingClusterId === undefined && news.newCluster === undefined && !specHasCluster(spec)) {
    fail("newCluster", "a cluster is required: set existingClusterId or newCluster (or new_cluster/existing_cluster_id in spec).");
  }
  checkWhole(news.waitTimeoutSeconds, "waitTimeoutSeconds", fail, 1);
  for (const key of ["secureOutput", "keepHistory"]) checkBoolean(news[key], key, fail);
  if (known(news.runName) && (typeof news.runName !== "string" || news.runName.length > 4096)) fail("runName", "runName must be a string of at most 4096 characters.");
  checkEmailNotifications(news.emailNotifications, "emailNotifications", fail);
  checkWebhookNotifications(news.webhookNotifications, "webhookNotifications", fail);
  checkStringMap(news.secureInput, "secureInput", fail);
  if (news.secureOutput === false && news.secureInput !== undefined) {
    fail("secureOutput", "secureOutput is false, but the run has secureInput: a notebook given secret inputs may return them, so its exit values stay secret. Remove secureOutput: false.");
  }
  if (news.secureInput !== undefined && news.notebookTask === undefined && !(isObject(spec) && (spec.notebook_task || specTasks?.some((t) => isObject(t) && t.notebook_task)))) {
    fail("secureInput", "secureInput passes secret notebook parameters (widgets): it needs a notebook task.");
  }
  if (known(news.triggers) && !isObject(news.triggers)) fail("triggers", "triggers must be a map; change any of its values to force a new run.");
  return failures;
}

function specHasCluster(spec: unknown): boolean {
  if (!isObject(spec)) return spec === UNKNOWN;
  const tasks = Array.isArray(spec.tasks) ? spec.tasks : [spec];
  return tasks.every((t) => isObject(t) && (t.existing_cluster_id !== undefined || t.new_cluster !== undefined || t.job_cluster_key !== undefined)) || Array.isArray(spec.job_clusters);
}

/**
 * The runs/submit request: the spec (a legacy single-task form turned into tasks[]) with the named
 * inputs over it by the one rule (`../shared/spec`): the named task fields over its single task,
 * the run's own fields over the top level; `secureInput` joins the notebook's base parameters.
 */
export function buildSubmitRequest(inputs: RunInputs, defaultRunName: string): RunSubmitRequest {
  const spec = structuredClone(inputs.spec ?? {});
  let tasks = (Array.isArray(spec.tasks) ? spec.tasks : []) as Partial<TaskSpec>[];
  const legacy = Object.fromEntries(LEGACY_TASK_FIELDS.filter((k) => spec[k] !== undefined).map((k) => [k, spec[k]]));
  for (const k of LEGACY_TASK_FIELDS) delete spec[k];
  if (tasks.length === 0) tasks = [{ task_key: "main", ...legacy }];
  if (tasks.length === 1) tasks[0] = mergeSpec(tasks[0], toWireTask(inputs), TASK_ALTERNATIVES);
  if (inputs.secureInput) {
    for (const task of tasks) {
      if (task.notebook_task) task.notebook_task.base_parameters = { ...task.notebook_task.base_parameters, ...inputs.secureInput };
    }
  }
  const named: Partial<RunSubmitRequest> = { run_name: effectiveRunName(inputs, defaultRunName), tasks: tasks as TaskSpec[] };
  if (inputs.emailNotifications) named.email_notifications = toWireEmailNotifications(inputs.emailNotifications);
  if (inputs.webhookNotifications) named.webhook_notifications = toWireWebhookNotifications(inputs.webhookNotifications);
  return mergeSpec<RunSubmitRequest>(spec, named);
}

/** The name the run gets: runName, else the spec's run_name, else the default (the resource name). */
export function effectiveRunName(inputs: Pick<RunInputs, "runName" | "spec" | "identity">, defaultRunName = inputs.identity.split("/").pop() ?? "pulumi-run"): string {
  return inputs.runName ?? (inputs.spec?.run_name as string | undefined) ?? defaultRunName;
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

/**
 * What a preview shows for a run's diff: each changed input (a re-run replaces), and for a change of
 * the code the files that changed (`codeFiles["notebooks/x.py"]`) instead of the combined
 * `codeHash`; `codeHash` itself only when the files cannot tell (code given as `codeHashes`, or a
 * state written before files were named). The reasons say it in words.
 */
export function runDetail(olds: Partial<RunInputs>, news: Partial<RunInputs>, d: RunDiff): { detail: DetailedDiff; replaces: string[]; causes: string[] } {
  const detail: DetailedDiff = {};
  const causes: string[] = [];
  const replaces: string[] = [];
  for (const key of d.changedKeys) {
    const replace = d.replaces.includes(key);
    if (key !== "codeHash") {
      Object.assign(detail, keyDetail(olds, news, [key], replace ? [key] : []));
      if (replace) replaces.push(key);
      causes.push(key === "secureInput" ? "secureInput (secret values not shown)" : key);
      continue;
    }
    const files = olds.codeFiles && news.codeFiles && (news.codeFiles as unknown) !== UNKNOWN ? changedEntries(olds.codeFiles, news.codeFiles) : [];
    if (files.length > 0) {
      Object.assign(detail, mapDetail("codeFiles", olds.codeFiles, news.codeFiles, true));
      replaces.push("codeFiles");
      causes.push(describeFiles("code", files));
    } else {
      detail[pathOf("codeHash")] = "update-replace";
      replaces.push("codeHash");
      causes.push(olds.codeFiles && news.codeFiles ? "codeHashes (code uploaded elsewhere, e.g. a workspace item)" : "the code it runs (codeHash)");
    }
  }
  return { detail, replaces, causes };
}
