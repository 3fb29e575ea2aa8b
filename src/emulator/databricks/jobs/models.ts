/**
 * Jobs as stored in the workspace state.
 */
import type { JsonObject } from "../request";

/** A job. */
export interface StoredJob {
  job_id: number;
  created_time: number;
  creator_user_name: string;
  /** The job's settings as given (tasks, job_clusters, max_concurrent_runs, parameters, ...). */
  settings: JsonObject;
}
