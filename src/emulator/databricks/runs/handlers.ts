/**
 * Jobs API runs: runs/submit (multi-task and legacy single-task forms, idempotency tokens),
 * runs/get, runs/get-output, runs/cancel, runs/cancel-all, runs/delete, runs/list. A missing run is
 * 400 INVALID_PARAMETER_VALUE "Run N does not exist".
 */
import type { EmulatorRequest, EmulatorResponse } from "../../core/service";
import { invalidParameter, jobDoesNotExist, runDoesNotExist } from "../errors";
import type { StoredRun } from "../models";
import { apiVersionOf, bodyObject, compact, ok, optBool, optInt, optObject, optString, queryBool, queryInt, reqInt, reqQueryInt } from "../request";
import type { RunEngine } from "./engine";
import { outputWire, pageOffset, pageToken, runWire } from "./views";
import { createRun, findAttempt, isActive } from "./records";
import type { DatabricksStore } from "../store";
import { isLegacySingleTask, readTasks } from "./taskSpecs";

/** Longest idempotency token. */
export const MAX_IDEMPOTENCY_TOKEN_LENGTH = 64;
/** Largest (and default) page of runs/list. */
export const MAX_RUNS_PAGE = 25;

/** The run handlers. */
export function createRunHandlers(store: DatabricksStore, engine: RunEngine, now: () => number = Date.now) {
  const liveRun = (runId: number): StoredRun => {
    const run = store.read((s) => s.runs[String(runId)]);
    if (!run || run.deleted) throw runDoesNotExist(runId);
    return run;
  };

  return {
    async submit(req: EmulatorRequest): Promise<EmulatorResponse> {
      const body = await bodyObject(req);
      const runName = optString(body, "run_name") || "Untitled";
      const token = idempotencyToken(body);
      const timeout = optInt(body, "timeout_seconds");
      if (timeout !== undefined && timeout < 0) throw invalidParameter("timeout_seconds must not be negative.");
      const tasks = readTasks(body, runName, true);
      const gitSource = optObject(body, "git_source");
      const outcome = store.update((s) => {
        if (token !== undefined && s.run_tokens[token] !== undefined) {
          const existing = s.runs[String(s.run_tokens[token])];
          if (!existing || existing.deleted) throw invalidParameter(`Run with idempotency token ${token} was deleted`);
          return { runId: existing.run_id, launch: false };
        }
        const run = createRun(
          s,
          {
            run_name: runName,
            run_type: "SUBMIT_RUN",
            tasks,
            format: isLegacySingleTask(body) ? "SINGLE_TASK" : "MULTI_TASK",
            timeout_seconds: timeout,
            idempotency_token: token,
            git_source: gitSource,
            job_clusters: Array.isArray(body.job_clusters) ? body.job_clusters : undefined,
            api_version: apiVersionOf(req),
          },
          now(),
        );
        return { runId: run.run_id, launch: true };
      });
      if (outcome.launch) engine.admit(outcome.runId);
      return ok({ run_id: outcome.runId });
    },

    get(req: EmulatorRequest): EmulatorResponse {
      const runId = reqQueryInt(req, "run_id");
      const run = store.read((s) => s.runs[String(runId)]);
      if (run && !run.deleted) return ok(runWire(run, req.baseUrl, { version: apiVersionOf(req), includeTasks: true, pageToken: req.query.get("page_token") ?? undefined }));
      const found = store.read((s) => findAttempt(s, runId));
      if (!found) throw runDoesNotExist(runId);
      return ok(outputWire(found.run, found.task, found.attempt, req.baseUrl).metadata);
    },

    getOutput(req: EmulatorRequest): EmulatorResponse {
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
      const activeOnly = queryBool(req, "active_only") ?? false;
      const completedOnly = queryBool(req, "completed_only") ?? false;
      if (activeOnly && completedOnly) throw invalidParameter("active_only and completed_only cannot both be true.");
      const jobId = queryInt(req, "job_id");
      const runType = req.query.get("run_type");
      const from = queryInt(req, "start_time_from");
      const to = queryInt(req, "start_time_to");
      const limitGiven = queryInt(req, "limit");
      const limit = limitGiven === undefined || limitGiven === 0 ? MAX_RUNS_PAGE : limitGiven;
      if (limit < 1 || limit > MAX_RUNS_PAGE) throw invalidParameter(`Invalid limit ${limitGiven}: it must be between 1 and ${MAX_RUNS_PAGE}.`);
      const offset = req.query.get("page_token") ? pageOffset(req.query.get("page_token")) : (queryInt(req, "offset") ?? 0);
      if (offset < 0) throw invalidParameter(`Invalid offset ${offset}: it must not be negative.`);
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
      const page = runs.slice(offset, offset + limit);
      const hasMore = offset + limit < runs.length;
      const version = apiVersionOf(req);
      return ok(
        compact({
          runs: page.map((r) => runWire(r, req.baseUrl, { version, includeTasks: expand })),
          has_more: hasMore,
          next_page_token: hasMore ? pageToken(offset + limit) : undefined,
          prev_page_token: offset > 0 ? pageToken(Math.max(0, offset - limit)) : undefined,
        }),
      );
    },
  };
}

/** The handlers' type. */
export type RunHandlers = ReturnType<typeof createRunHandlers>;

/** The idempotency token of a submit or run-now body, checked (at most 64 characters). */
export function idempotencyToken(body: Record<string, unknown>): string | undefined {
  const token = optString(body, "idempotency_token");
  if (token === undefined || token === "") return undefined;
  if (token.length > MAX_IDEMPOTENCY_TOKEN_LENGTH) {
    throw invalidParameter(`The idempotency token is ${token.length} characters long; it must be at most ${MAX_IDEMPOTENCY_TOKEN_LENGTH} characters.`);
  }
  return token;
}
