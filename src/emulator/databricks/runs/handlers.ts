/**
 * Jobs API runs: runs/submit (multi-task and legacy single-task forms, idempotency tokens),
 * runs/get, runs/get-output, runs/cancel, runs/cancel-all, runs/delete, runs/list. A missing run is
 * 400 INVALID_PARAMETER_VALUE "Run N does not exist".
 */
import { parseSecureParametersHeader, SECURE_PARAMETERS_HEADER } from "../../../core/secureParameters";
import type { EmulatorRequest, EmulatorResponse } from "../../core/service";
import { invalidParameter, jobDoesNotExist, runDoesNotExist } from "../errors";
import { listPage } from "../paging";
import { apiVersionOf, bodyObject, optBool, optInt, optObject, optString, queryBool, queryInt, reqInt, reqQueryInt, type JsonObject } from "../request";
import { checked } from "../shapes";
import { RUN_SUBMIT } from "../wireShapes";
import { compact, ok } from "../response";
import type { DatabricksStore } from "../store";
import { isLegacySingleTask, readTasks } from "../taskSpecs";
import type { RunEngine } from "./engine";
import type { StoredRun } from "./models";
import { findAttempt, isActive, readIdempotencyToken } from "./records";
import { outputWire, runSummary, runWire } from "./views";

/** Largest (and default) page of runs/list. */
export const MAX_RUNS_PAGE = 25;

/** The run handlers. */
export function createRunHandlers(store: DatabricksStore, engine: RunEngine) {
  const liveRun = (runId: number): StoredRun => {
    const run = store.read((s) => s.runs[String(runId)]);
    if (!run || run.deleted) throw runDoesNotExist(runId);
    return run;
  };

  return {
    async submit(req: EmulatorRequest): Promise<EmulatorResponse> {
      const body = checked(await bodyObject(req), RUN_SUBMIT, "") as JsonObject;
      const runName = optString(body, "run_name") || "Untitled";
      const token = readIdempotencyToken(body);
      const timeout = optInt(body, "timeout_seconds");
      const tasks = readTasks(body, runName, true);
      const runId = engine.launch({
        run_name: runName,
        run_type: "SUBMIT_RUN",
        tasks,
        format: isLegacySingleTask(body) ? "SINGLE_TASK" : "MULTI_TASK",
        timeout_seconds: timeout,
        idempotency_token: token,
        secure_parameters: parseSecureParametersHeader(req.headers[SECURE_PARAMETERS_HEADER.toLowerCase()]),
        git_source: optObject(body, "git_source"),
        job_clusters: body.job_clusters as unknown[] | undefined,
        api_version: apiVersionOf(req),
      });
      return ok({ run_id: runId });
    },

    get(req: EmulatorRequest): EmulatorResponse {
      engine.expire();
      const runId = reqQueryInt(req, "run_id");
      const run = store.read((s) => s.runs[String(runId)]);
      if (run && !run.deleted) return ok(runWire(run, req.baseUrl, { version: apiVersionOf(req), includeTasks: true, pageToken: req.query.get("page_token") ?? undefined }));
      const found = store.read((s) => findAttempt(s, runId));
      if (!found) throw runDoesNotExist(runId);
      return ok(outputWire(found.run, found.task, found.attempt, req.baseUrl).metadata);
    },

    getOutput(req: EmulatorRequest): EmulatorResponse {
      engine.expire();
      const runId = reqQueryInt(req, "run_id");
      const version = apiVersionOf(req);
      const found = store.read((s) => findAttempt(s, runId));
      if (found) return ok(outputWire(found.run, found.task, found.attempt, req.baseUrl));
      const run = liveRun(runId);
      // Jobs 2.1+ refuse the parent of any run with tasks, even a single-task one (clients must
      // ask for each task run); 2.0 still answers a single-task run's parent with its task's output.
      if (version === "2.0" && run.tasks.length === 1) {
        const task = run.tasks[0];
        return ok(outputWire(run, task, task.attempts[task.attempts.length - 1], req.baseUrl));
      }
      throw invalidParameter("Retrieving the output of runs with multiple tasks is not supported. Please retrieve the output of each individual task run instead.");
    },

    async cancel(req: EmulatorRequest): Promise<EmulatorResponse> {
      const runId = reqInt(await bodyObject(req), "run_id");
      const run = store.read((s) => s.runs[String(runId)]);
      if (run && !run.deleted) engine.cancel(runId);
      else {
        const found = store.read((s) => findAttempt(s, runId));
        if (!found) throw runDoesNotExist(runId);
        engine.cancel(found.run.run_id);
      }
      return ok();
    },

    async cancelAll(req: EmulatorRequest): Promise<EmulatorResponse> {
      const body = await bodyObject(req);
      const jobId = optInt(body, "job_id");
      const allQueued = optBool(body, "all_queued_runs") ?? false;
      if (jobId === undefined && !allQueued) throw invalidParameter("Either job_id or all_queued_runs must be specified.");
      if (jobId !== undefined && !store.read((s) => s.jobs[String(jobId)])) throw jobDoesNotExist(jobId);
      const ids = store.read((s) =>
        Object.values(s.runs)
          .filter((r) => !r.deleted && isActive(r.state) && (jobId !== undefined ? r.job_id === jobId && (!allQueued || r.queued) : r.queued))
          .map((r) => r.run_id),
      );
      for (const id of ids) engine.cancel(id);
      return ok();
    },

    async delete(req: EmulatorRequest): Promise<EmulatorResponse> {
      const runId = reqInt(await bodyObject(req), "run_id");
      const run = liveRun(runId);
      if (isActive(run.state)) throw invalidParameter(`Run ${runId} is still active (${run.state.life_cycle_state}): cancel it and wait until it terminates before deleting it.`);
      store.update((s) => {
        s.runs[String(runId)].deleted = true;
      });
      return ok();
    },

    list(req: EmulatorRequest): EmulatorResponse {
      engine.expire();
      const activeOnly = queryBool(req, "active_only") ?? false;
      const completedOnly = queryBool(req, "completed_only") ?? false;
      if (activeOnly && completedOnly) throw invalidParameter("active_only and completed_only cannot both be true.");
      const jobId = queryInt(req, "job_id");
      const runType = req.query.get("run_type");
      const from = queryInt(req, "start_time_from");
      const to = queryInt(req, "start_time_to");
      const expand = queryBool(req, "expand_tasks") ?? false;
      const runs = store.read((s) =>
        Object.values(s.runs)
          .filter((r) => !r.deleted)
          .filter((r) => jobId === undefined || r.job_id === jobId)
          .filter((r) => !runType || r.run_type === runType)
          .filter((r) => (activeOnly ? isActive(r.state) : completedOnly ? !isActive(r.state) : true))
          .filter((r) => (from === undefined || r.start_time >= from) && (to === undefined || r.start_time <= to))
          .sort((a, b) => b.start_time - a.start_time || b.run_id - a.run_id),
      );
      const { items, ...paging } = listPage(req, runs, { defaultLimit: MAX_RUNS_PAGE, maxLimit: MAX_RUNS_PAGE });
      const version = apiVersionOf(req);
      return ok(compact({ runs: items.map((r) => runWire(r, req.baseUrl, { version, includeTasks: expand })), ...paging }));
    },

    /** Control plane: every run, deleted ones too, by run id (states and ids only). */
    controlList(): EmulatorResponse {
      engine.expire();
      return ok({ runs: store.read((s) => Object.values(s.runs).sort((a, b) => a.run_id - b.run_id).map(runSummary)) });
    },
  };
}

/** The handlers' type. */
export type RunHandlers = ReturnType<typeof createRunHandlers>;
