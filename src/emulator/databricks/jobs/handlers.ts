/**
 * Jobs API jobs: create, get, list, reset, update, delete and run-now. Schedules and triggers are
 * stored, never fired. Jobs created through 2.2 queue by default (`queue.enabled`); run-now over
 * `max_concurrent_runs` is queued or skipped. A missing job is 400 "Job N does not exist".
 */
import type { EmulatorRequest, EmulatorResponse } from "../../core/service";
import { EMULATOR_USER } from "../config";
import { invalidParameter, jobDoesNotExist } from "../errors";
import type { StoredJob } from "../models";
import {
  apiVersionOf,
  bodyObject,
  compact,
  ok,
  optArray,
  optInt,
  optObject,
  optStringList,
  optStringMap,
  queryBool,
  queryInt,
  reqInt,
  reqQueryInt,
  type JsonObject,
} from "../request";
import type { RunEngine } from "../runs/engine";
import { jobWire, pageOffset, pageToken } from "../runs/views";
import { createRun, isActive } from "../runs/records";
import { idempotencyToken } from "../runs/handlers";
import type { DatabricksStore } from "../store";
import { isLegacySingleTask, readTasks, TASK_TYPES } from "../runs/taskSpecs";

/** Largest page of jobs/list (default 20). */
export const MAX_JOBS_PAGE = 100;
const LEGACY_JOB_FIELDS = ["new_cluster", "existing_cluster_id", "libraries", "max_retries", "min_retry_interval_millis", "retry_on_timeout", ...TASK_TYPES];

/** The job handlers. */
export function createJobHandlers(store: DatabricksStore, engine: RunEngine, now: () => number = Date.now) {
  const jobOf = (jobId: number): StoredJob => {
    const job = store.read((s) => s.jobs[String(jobId)]);
    if (!job) throw jobDoesNotExist(jobId);
    return job;
  };

  return {
    async create(req: EmulatorRequest): Promise<EmulatorResponse> {
      const body = await bodyObject(req);
      const settings = jobSettings(body, apiVersionOf(req));
      const jobId = store.update((s) => {
        const id = s.next_id.job++;
        s.jobs[String(id)] = { job_id: id, created_time: now(), creator_user_name: EMULATOR_USER, settings };
        return id;
      });
      return ok({ job_id: jobId });
    },

    get(req: EmulatorRequest): EmulatorResponse {
      const job = jobOf(reqQueryInt(req, "job_id"));
      return ok(jobWire(job, { version: apiVersionOf(req), includeTasks: true, pageToken: req.query.get("page_token") ?? undefined }));
    },

    list(req: EmulatorRequest): EmulatorResponse {
      const limitGiven = queryInt(req, "limit");
      const limit = limitGiven === undefined || limitGiven === 0 ? 20 : limitGiven;
      if (limit < 1 || limit > MAX_JOBS_PAGE) throw invalidParameter(`Invalid limit ${limitGiven}: it must be between 1 and ${MAX_JOBS_PAGE}.`);
      const offset = req.query.get("page_token") ? pageOffset(req.query.get("page_token")) : (queryInt(req, "offset") ?? 0);
      const name = req.query.get("name");
      const expand = queryBool(req, "expand_tasks") ?? false;
      const version = apiVersionOf(req);
      const jobs = store.read((s) =>
        Object.values(s.jobs)
          .filter((j) => !name || String(j.settings.name ?? "").toLowerCase() === name.toLowerCase())
          .sort((a, b) => a.job_id - b.job_id),
      );
      const page = jobs.slice(offset, offset + limit);
      const hasMore = offset + limit < jobs.length;
      return ok(
        compact({
          jobs: page.map((j) => jobWire(j, { version, includeTasks: expand })),
          has_more: hasMore,
          next_page_token: hasMore ? pageToken(offset + limit) : undefined,
          prev_page_token: offset > 0 ? pageToken(Math.max(0, offset - limit)) : undefined,
        }),
      );
    },

    async reset(req: EmulatorRequest): Promise<EmulatorResponse> {
      const body = await bodyObject(req);
      const jobId = reqInt(body, "job_id");
      const newSettings = optObject(body, "new_settings");
      if (!newSettings) throw invalidParameter("Missing required field: new_settings");
      const settings = jobSettings(newSettings, apiVersionOf(req));
      jobOf(jobId);
      store.update((s) => {
        s.jobs[String(jobId)].settings = settings;
      });
      return ok();
    },

    async update(req: EmulatorRequest): Promise<EmulatorResponse> {
      const body = await bodyObject(req);
      const jobId = reqInt(body, "job_id");
      const changes = optObject(body, "new_settings") ?? {};
      const remove = optStringList(body, "fields_to_remove") ?? [];
      const job = jobOf(jobId);
      const merged: JsonObject = { ...job.settings };
      for (const [field, value] of Object.entries(changes)) {
        // Arrays keyed by task_key / job_cluster_key are merged entry by entry; other fields are replaced.
        if (field === "tasks" || field === "job_clusters") merged[field] = mergeByKey(merged[field], value, field === "tasks" ? "task_key" : "job_cluster_key");
        else merged[field] = value;
      }
      for (const field of remove) {
        const nested = /^(tasks|job_clusters)\/(.+)$/.exec(field);
        if (nested) {
          const key = nested[1] === "tasks" ? "task_key" : "job_cluster_key";
          merged[nested[1]] = ((merged[nested[1]] as JsonObject[] | undefined) ?? []).filter((e) => e[key] !== nested[2]);
        } else delete merged[field];
      }
      const settings = jobSettings(merged, apiVersionOf(req), job.settings);
      store.update((s) => {
        s.jobs[String(jobId)].settings = settings;
      });
      return ok();
    },

    async delete(req: EmulatorRequest): Promise<EmulatorResponse> {
      const jobId = reqInt(await bodyObject(req), "job_id");
      jobOf(jobId);
      const active = store.read((s) => Object.values(s.runs).filter((r) => r.job_id === jobId && isActive(r.state)).map((r) => r.run_id));
      for (const runId of active) engine.cancel(runId);
      store.update((s) => {
        delete s.jobs[String(jobId)];
      });
      return ok();
    },

    async runNow(req: EmulatorRequest): Promise<EmulatorResponse> {
      const body = await bodyObject(req);
      const jobId = reqInt(body, "job_id");
      const token = idempotencyToken(body);
      const overriding = compact({
        notebook_params: optStringMap(body, "notebook_params"),
        python_params: optStringList(body, "python_params"),
        jar_params: optStringList(body, "jar_params"),
        spark_submit_params: optStringList(body, "spark_submit_params"),
        python_named_params: optStringMap(body, "python_named_params"),
        sql_params: optStringMap(body, "sql_params"),
        dbt_commands: optStringList(body, "dbt_commands"),
      });
      const jobParameters = optStringMap(body, "job_parameters") ?? {};
      const job = jobOf(jobId);
      const tasks = (job.settings.tasks as JsonObject[] | undefined) ?? [];
      if (tasks.length === 0) throw invalidParameter(`Job ${jobId} has no tasks to run.`);
      const defined = ((job.settings.parameters as JsonObject[] | undefined) ?? []).map((p) => ({ name: String(p.name), default: String(p.default ?? "") }));
      for (const name of Object.keys(jobParameters)) {
        if (!defined.some((p) => p.name === name)) throw invalidParameter(`Job parameter ${name} is not defined in job ${jobId}.`);
      }
      const resolved = defined.map((p) => ({ ...p, value: jobParameters[p.name] ?? p.default }));
      const outcome = store.update((s) => {
        if (token !== undefined && s.run_tokens[token] !== undefined) {
          const existing = s.runs[String(s.run_tokens[token])];
          if (!existing || existing.deleted) throw invalidParameter(`Run with idempotency token ${token} was deleted`);
          return { runId: existing.run_id, launch: false };
        }
        const run = createRun(
          s,
          {
            run_name: String(job.settings.name ?? "Untitled"),
            run_type: "JOB_RUN",
            job_id: jobId,
            tasks,
            format: job.settings.format === "SINGLE_TASK" ? "SINGLE_TASK" : "MULTI_TASK",
            timeout_seconds: typeof job.settings.timeout_seconds === "number" ? job.settings.timeout_seconds : undefined,
            idempotency_token: token,
            git_source: job.settings.git_source as JsonObject | undefined,
            job_clusters: job.settings.job_clusters as unknown[] | undefined,
            overriding_parameters: Object.keys(overriding).length > 0 ? overriding : undefined,
            job_parameters: resolved.length > 0 ? resolved : undefined,
            api_version: apiVersionOf(req),
          },
          now(),
        );
        return { runId: run.run_id, launch: true };
      });
      if (outcome.launch) engine.admit(outcome.runId);
      return ok({ run_id: outcome.runId, number_in_job: outcome.runId });
    },
  };
}

/** The handlers' type. */
export type JobHandlers = ReturnType<typeof createJobHandlers>;

/**
 * Checks job settings and fills the service's defaults: name `Untitled`, `max_concurrent_runs` 1,
 * `format`, `timeout_seconds` 0, and `queue.enabled` for jobs made through 2.2. The legacy
 * single-task form becomes one task.
 */
export function jobSettings(body: JsonObject, version: string, previous?: JsonObject): JsonObject {
  const settings: JsonObject = { ...body };
  delete settings.job_id;
  delete settings.access_control_list;
  const name = typeof settings.name === "string" && settings.name !== "" ? settings.name : "Untitled";
  const legacy = isLegacySingleTask(settings);
  const tasks = readTasks(settings, name, false);
  if (legacy) for (const field of LEGACY_JOB_FIELDS) delete settings[field];
  const maxConcurrent = optInt(settings, "max_concurrent_runs") ?? 1;
  if (maxConcurrent < 0 || maxConcurrent > 1000) throw invalidParameter(`Invalid max_concurrent_runs ${maxConcurrent}: it must be between 0 and 1000.`);
  const timeout = optInt(settings, "timeout_seconds") ?? 0;
  if (timeout < 0) throw invalidParameter("timeout_seconds must not be negative.");
  for (const [i, p] of (optArray(settings, "parameters") ?? []).entries()) {
    const param = p as JsonObject;
    if (typeof param?.name !== "string" || param.name === "") throw invalidParameter(`Missing required field: parameters[${i}].name`);
    if (param.default === undefined || param.default === null) throw invalidParameter(`Missing required field: parameters[${i}].default`);
  }
  const queue = optObject(settings, "queue") ?? (previous?.queue as JsonObject | undefined) ?? (version === "2.2" ? { enabled: true } : undefined);
  return compact({
    ...settings,
    name,
    tasks: tasks.length > 0 ? tasks : undefined,
    max_concurrent_runs: maxConcurrent,
    timeout_seconds: timeout,
    format: legacy ? "SINGLE_TASK" : "MULTI_TASK",
    email_notifications: settings.email_notifications ?? {},
    webhook_notifications: settings.webhook_notifications ?? {},
    queue,
  });
}

function mergeByKey(current: unknown, changes: unknown, key: string): JsonObject[] {
  const out = Array.isArray(current) ? [...(current as JsonObject[])] : [];
  for (const entry of Array.isArray(changes) ? (changes as JsonObject[]) : []) {
    const i = out.findIndex((e) => e[key] === entry[key]);
    if (i >= 0) out[i] = entry;
    else out.push(entry);
  }
  return out;
}
