/**
 * Runs, their task runs and attempts as stored in the workspace state. Field names follow the
 * wire names where they are the same.
 */
import type { JsonObject } from "../request";

/** State of a run or task run (`state` on the wire). */
export interface StoredRunState {
  life_cycle_state: string;
  result_state?: string;
  state_message: string;
  user_cancelled_or_timedout: boolean;
}

/** What `runs/get-output` returns for a task run, besides metadata. */
export interface StoredOutput {
  notebook_output?: { result?: string; truncated?: boolean };
  logs?: string;
  logs_truncated?: boolean;
  error?: string;
  error_trace?: string;
}

/** One attempt of a task (a retry is a new attempt with its own run id). */
export interface StoredTaskAttempt {
  run_id: number;
  attempt_number: number;
  state: StoredRunState;
  start_time: number;
  setup_duration: number;
  execution_duration: number;
  cleanup_duration: number;
  end_time: number;
  cluster_instance?: { cluster_id: string; spark_context_id?: string };
  output?: StoredOutput;
}

/** One task of a run: its definition and its attempts (the last one is current). */
export interface StoredTaskRun {
  task_key: string;
  /** The task definition as submitted (notebook_task, new_cluster, depends_on, ...). */
  spec: JsonObject;
  attempts: StoredTaskAttempt[];
}

/** A run (one-time or of a job). */
export interface StoredRun {
  run_id: number;
  job_id: number;
  number_in_job: number;
  original_attempt_run_id: number;
  run_name: string;
  run_type: "SUBMIT_RUN" | "JOB_RUN";
  creator_user_name: string;
  trigger: string;
  /** SINGLE_TASK for the legacy single-task submit form. */
  format: "SINGLE_TASK" | "MULTI_TASK";
  idempotency_token?: string;
  /** Names of notebook parameters the submitter marked secure (emulator only: the run page masks them). */
  secure_parameters?: string[];
  state: StoredRunState;
  start_time: number;
  end_time: number;
  setup_duration: number;
  execution_duration: number;
  cleanup_duration: number;
  timeout_seconds?: number;
  tasks: StoredTaskRun[];
  job_clusters?: unknown[];
  git_source?: JsonObject;
  overriding_parameters?: JsonObject;
  job_parameters?: { name: string; default?: string; value: string }[];
  /** The API version it was submitted with (2.0 answers get-output on a single-task parent). */
  api_version: string;
  /** A queued run of a job starts when a concurrency slot frees. */
  queued?: boolean;
  /** Set by runs/cancel. */
  cancel_requested?: boolean;
  /** Deleted runs are kept so that their idempotency token can be refused. */
  deleted?: boolean;
}
