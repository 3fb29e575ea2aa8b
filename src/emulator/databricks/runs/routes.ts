/**
 * Routes of the Jobs API's runs, answered under `/api/2.0/jobs/runs`, `/api/2.1/jobs/runs` and
 * `/api/2.2/jobs/runs`, and the control plane's view of runs.
 */
import type { Route } from "../../core/service";
import { STORED_JSON_MAX_REQUEST_BYTES } from "../config";
import { JOBS_API_PREFIXES } from "../jobs/routes";
import { guarded, routeTable } from "../routeTable";
import type { RunHandlers } from "./handlers";

/** The routes of runs (`jobs/run-now`, which starts a run of a job, is a job route). */
export function runRoutes(h: RunHandlers): Route[] {
  return routeTable(
    JOBS_API_PREFIXES.map((p) => `${p}/runs`),
    [
      ["POST", "/submit", "submit run", h.submit, STORED_JSON_MAX_REQUEST_BYTES],
      ["GET", "/get", "get run", h.get],
      ["GET", "/get-output", "get run output", h.getOutput],
      ["POST", "/cancel", "cancel run", h.cancel],
      ["POST", "/cancel-all", "cancel all runs", h.cancelAll],
      ["POST", "/delete", "delete run", h.delete],
      ["GET", "/list", "list runs", h.list],
    ],
  );
}

/** Control-plane routes: `GET /_emulator/databricks/runs` lists every run with its states. */
export function runControlRoutes(h: RunHandlers): Route[] {
  return [{ method: "GET", path: "/_emulator/databricks/runs", operation: "list Databricks runs", handle: guarded(h.controlList) }];
}
