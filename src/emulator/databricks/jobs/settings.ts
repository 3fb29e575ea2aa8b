/**
 * Job settings as jobs/create, jobs/reset and jobs/update take them: typed as the service types
 * them (`JOB_SETTINGS` of `../wireShapes`), with the service's defaults filled in, the legacy
 * single-task form turned into one task.
 */
import { invalidParameter } from "../errors";
import type { JsonObject } from "../request";
import { compact } from "../response";
import { checked } from "../shapes";
import { isLegacySingleTask, LEGACY_TASK_FIELDS, readTasks } from "../taskSpecs";
import { JOB_SETTINGS } from "../wireShapes";

/**
 * Checks job settings and fills the service's defaults: name `Untitled`, `max_concurrent_runs` 1,
 * `format`, `timeout_seconds` 0, and `queue.enabled` for jobs made through 2.2. The legacy
 * single-task form becomes one task.
 */
export function jobSettings(body: JsonObject, version: string, previous?: JsonObject): JsonObject {
  const settings = checked(body, JOB_SETTINGS, "") as JsonObject;
  delete settings.job_id;
  delete settings.access_control_list;
  const name = typeof settings.name === "string" && settings.name !== "" ? settings.name : "Untitled";
  const legacy = isLegacySingleTask(settings);
  const tasks = readTasks(settings, name, false);
  if (legacy) for (const field of LEGACY_TASK_FIELDS) delete settings[field];
  ((settings.parameters as JsonObject[] | undefined) ?? []).forEach((param, i) => {
    if (typeof param?.name !== "string" || param.name === "") throw invalidParameter(`Missing required field: parameters[${i}].name`);
    if (param.default === undefined || param.default === null) throw invalidParameter(`Missing required field: parameters[${i}].default`);
  });
  const queue = (settings.queue as JsonObject | undefined) ?? (previous?.queue as JsonObject | undefined) ?? (version === "2.2" ? { enabled: true } : undefined);
  return compact({
    ...settings,
    name,
    tasks: tasks.length > 0 ? tasks : undefined,
    max_concurrent_runs: (settings.max_concurrent_runs as number | undefined) ?? 1,
    timeout_seconds: (settings.timeout_seconds as number | undefined) ?? 0,
    format: legacy ? "SINGLE_TASK" : "MULTI_TASK",
    email_notifications: settings.email_notifications ?? {},
    webhook_notifications: settings.webhook_notifications ?? {},
    queue,
  });
}

/** The key of each entry of the keyed arrays of job settings. */
const KEYS = { tasks: "task_key", job_clusters: "job_cluster_key" } as const;

/**
 * The settings after a jobs/update: `new_settings` fields replace the current ones, except `tasks`
 * and `job_clusters`, merged entry by entry on their keys; then `fields_to_remove` go (a field, or
 * one entry as `tasks/<task_key>` or `job_clusters/<job_cluster_key>`).
 */
export function updatedSettings(current: JsonObject, changes: JsonObject, remove: readonly string[]): JsonObject {
  const merged: JsonObject = { ...current };
  for (const [field, value] of Object.entries(changes)) {
    if (field === "tasks" || field === "job_clusters") merged[field] = mergeByKey(merged[field], value, KEYS[field]);
    else merged[field] = value;
  }
  for (const field of remove) {
    const nested = /^(tasks|job_clusters)\/(.+)$/.exec(field);
    if (nested) {
      const list = nested[1] as keyof typeof KEYS;
      merged[list] = ((merged[list] as JsonObject[] | undefined) ?? []).filter((e) => e[KEYS[list]] !== nested[2]);
    } else delete merged[field];
  }
  return merged;
}

/** Merges entries into a list by `key`: an entry with a known key replaces it, a new one is appended. */
function mergeByKey(current: unknown, changes: unknown, key: string): JsonObject[] {
  const out = Array.isArray(current) ? [...(current as JsonObject[])] : [];
  for (const entry of Array.isArray(changes) ? (changes as JsonObject[]) : []) {
    const i = out.findIndex((e) => e[key] === entry[key]);
    if (i >= 0) out[i] = entry;
    else out.push(entry);
  }
  return out;
}
