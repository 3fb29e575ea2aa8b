/** Routes of the Jobs API (jobs and runs), answered under `/api/2.0`, `/api/2.1` and `/api/2.2`. */
import type { Route } from "../../core/service";
import type { JobHandlers } from "./handlers";
import { guarded } from "../request";
import type { RunHandlers } from "../runs/handlers";

/** API versions of the Jobs API the emulator answers, with the same shapes. */
export const JOBS_API_VERSIONS = ["2.0", "2.1", "2.2"] as const;

/** The Jobs API routes. */
export function jobRoutes(jobs: JobHandlers, runs: RunHandlers): Route[] {
  return JOBS_API_VERSIONS.flatMap((v): Route[] => {
    const p = `/api/${v}/jobs`;
    return [
      { method: "POST", path: `${p}/create`, operation: "create job", handle: guarded(jobs.create) },
      { method: "GET", path: `${p}/get`, operation: "get job", handle: guarded(jobs.get) },
      { method: "GET", path: `${p}/list`, operation: "list jobs", handle: guarded(jobs.list) },
      { method: "POST", path: `${p}/reset`, operation: "reset job", handle: guarded(jobs.reset) },
      { method: "POST", path: `${p}/update`, operation: "update job", handle: guarded(jobs.update) },
      { method: "POST", path: `${p}/delete`, operation: "delete job", handle: guarded(jobs.delete) },
      { method: "POST", path: `${p}/run-now`, operation: "run job now", handle: guarded(jobs.runNow) },
      { method: "POST", path: `${p}/runs/submit`, operation: "submit run", handle: guarded(runs.submit) },
      { method: "GET", path: `${p}/runs/get`, operation: "get run", handle: guarded(runs.get) },
      { method: "GET", path: `${p}/runs/get-output`, operation: "get run output", handle: guarded(runs.getOutput) },
      { method: "POST", path: `${p}/runs/cancel`, operation: "cancel run", handle: guarded(runs.cancel) },
      { method: "POST", path: `${p}/runs/cancel-all`, operation: "cancel all runs", handle: guarded(runs.cancelAll) },
      { method: "POST", path: `${p}/runs/delete`, operation: "delete run", handle: guarded(runs.delete) },
      { method: "GET", path: `${p}/runs/list`, operation: "list runs", handle: guarded(runs.list) },
    ];
  });
}
