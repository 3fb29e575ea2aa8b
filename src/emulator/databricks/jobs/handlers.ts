/**
 * Jobs API jobs: create, get, list, reset, update, delete and run-now. Schedules and triggers are
 * stored, never fired. Jobs created through 2.2 queue by default (`queue.enabled`); run-now over
 * `max_concurrent_runs` is queued or skipped. A missing job is 400 "Job N does not exist".
 */
import type { Clock } from "../../core/clock";
import type { EmulatorRequest, EmulatorResponse } from "../../core/service";
import { EMULATOR_USER } from "../config";
import { invalidParameter, jobDoesNotExist } from "../errors";
import { listPage } from "../paging";
import { apiVersionOf, bodyObject, optObject, optStringList, optStringMap, queryBool, reqInt, reqQueryInt, type JsonObject } from "../request";
import { compact, ok } from "../response";
import type { RunEngine } from "../runs/engine";
import { isActive, readIdempotencyToken } from "../runs/records";
import type { DatabricksStore } from "../store";
import type { StoredJob } from "./models";
import { checked } from "../shapes";
import { JOB_SETTINGS } from "../wireShapes";
import { jobSettings, updatedSettings } from "./settings";
import { jobWire } from "./views";

/** Default page of jobs/list. */
export const DEFAULT_JOBS_PAGE = 20;
/** Largest page of jobs/list. */
export const MAX_JOBS_PAGE = 100;

/** The job handlers. */
export function createJobHandlers(store: DatabricksStore, engine: RunEngine, clock: Clock) {
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
        s.jobs[String(id)] = { job_id: id, created_time: clock.now(), creator_user_name: EMULATOR_USER, settings };
        return id;
      });
      return ok({ job_id: jobId });
    },

    get(req: EmulatorRequest): EmulatorResponse {
      const job = jobOf(reqQueryInt(req, "job_id"));
      return ok(jobWire(job, { version: apiVersionOf(req), includeTasks: true, pageToken: req.query.get("page_token") ?? undefined }));
    },

    list(req: EmulatorRequest): EmulatorResponse {
      const name = req.query.get("name");
      const expand = queryBool(req, "expand_tasks") ?? false;
      const version = apiVersionOf(req);
      const jobs = store.read((s) =>
        Object.values(s.jobs)
          .filter((j) => !name || String(j.settings.name ?? "").toLowerCase() === name.toLowerCase())
          .sort((a, b) => a.job_id - b.job_id),
      );
      const { items, ...paging } = listPage(req, jobs, { defaultLimit: DEFAULT_JOBS_PAGE, maxLimit: MAX_JOBS_PAGE });
      return ok(compact({ jobs: items.map((j) => jobWire(j, { version, includeTasks: expand })), ...paging }));
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
      const changes = checked(optObject(body, "new_settings") ?? {}, JOB_SETTINGS, "new_settings") as JsonObject;
      const remove = optStringList(body, "fields_to_remove") ?? [];
      const job = jobOf(jobId);
      const settings = jobSettings(updatedSettings(job.settings, changes, remove), apiVersionOf(req), job.settings);
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
      const token = readIdempotencyToken(body);
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
      const runId = engine.launch({
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
      });
      return ok({ run_id: runId, number_in_job: runId });
    },
  };
}

/** The handlers' type. */
export type JobHandlers = ReturnType<typeof createJobHandlers>;
