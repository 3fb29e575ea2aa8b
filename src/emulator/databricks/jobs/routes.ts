/** Routes of the Jobs API's jobs, answered under `/api/2.0/jobs`, `/api/2.1/jobs` and `/api/2.2/jobs`. */
import type { Route } from "../../core/service";
import { STORED_JSON_MAX_REQUEST_BYTES } from "../config";
import { routeTable } from "../routeTable";
import type { JobHandlers } from "./handlers";

/** API versions of the Jobs API the emulator answers, with the same shapes. */
export const JOBS_API_VERSIONS = ["2.0", "2.1", "2.2"] as const;

/** The path prefix of the Jobs API in each version it answers (runs live under `<prefix>/runs`). */
export const JOBS_API_PREFIXES: readonly string[] = JOBS_API_VERSIONS.map((v) => `/api/${v}/jobs`);

/** The routes of jobs (their runs' routes are in `../runs/routes`). */
export function jobRoutes(h: JobHandlers): Route[] {
  return routeTable(JOBS_API_PREFIXES, [
    ["POST", "/create", "create job", h.create, STORED_JSON_MAX_REQUEST_BYTES],
    ["GET", "/get", "get job", h.get],
    ["GET", "/list", "list jobs", h.list],
    ["POST", "/reset", "reset job", h.reset, STORED_JSON_MAX_REQUEST_BYTES],
    ["POST", "/update", "update job", h.update, STORED_JSON_MAX_REQUEST_BYTES],
    ["POST", "/delete", "delete job", h.delete],
    ["POST", "/run-now", "run job now", h.runNow, STORED_JSON_MAX_REQUEST_BYTES],
  ]);
}
