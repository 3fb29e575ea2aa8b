/**
 * The state of one emulated Databricks workspace, as stored (in memory, or as JSON under
 * `<stateDir>/databricks/state.json`). Field names follow the wire names where they are the same.
 */
import type { JsonObject } from "./request";

/** States of a cluster. */
export type ClusterState = "PENDING" | "RUNNING" | "RESTARTING" | "RESIZING" | "TERMINATING" | "TERMINATED" | "ERROR" | "UNKNOWN";

/** A timed change of a cluster's state. */
export interface ClusterTransition {
  state: ClusterState;
  /** When it happens, ms since the epoch. */
  at: number;
  state_message: string;
}

/** An all-purpose cluster. */
export interface StoredCluster {
  cluster_id: string;
  /** The configuration as created or last edited (cluster_name, spark_version, node_type_id, ...). */
  spec: JsonObject;
  state: ClusterState;
  state_message: string;
  /** The next timed state change, if one is under way. */
  next?: ClusterTransition;
  start_time: number;
  last_restarted_time?: number;
  terminated_time?: number;
  termination_reason?: { code: string; type: string; parameters?: Record<string, string> };
  spark_context_id: number;
  creator_user_name: string;
}

/** A job. */
export interface StoredJob {
  job_id: number;
  created_time: number;
  creator_user_name: string;
  /** The job's settings as given (tasks, job_clusters, max_concurrent_runs, parameters, ...). */
  settings: JsonObject;
}

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

/** One secret of a Databricks-backed scope. */
export interface StoredSecret {
  /** The value's bytes, base64. */
  value: string;
  last_updated_timestamp: number;
}

/** A secret scope. */
export interface StoredScope {
  name: string;
  backend_type: "DATABRICKS" | "AZURE_KEYVAULT";
  keyvault_metadata?: { resource_id: string; dns_name: string };
  secrets: Record<string, StoredSecret>;
  acls: Record<string, string>;
}

/** Types of workspace objects the emulator keeps. */
export type WorkspaceObjectType = "NOTEBOOK" | "DIRECTORY" | "FILE";

/** A workspace object's metadata (its content is a file under the workspace root). */
export interface StoredWorkspaceObject {
  path: string;
  object_type: WorkspaceObjectType;
  object_id: number;
  /** Notebooks only. */
  language?: string;
  /** How a notebook's content is stored: SOURCE text or a JUPYTER document. */
  format?: "SOURCE" | "JUPYTER";
  created_at: number;
  modified_at: number;
}

/** Everything one workspace holds. */
export interface DatabricksState {
  format: 1;
  next_id: { job: number; run: number; object: number };
  clusters: Record<string, StoredCluster>;
  /** Cluster creation idempotency tokens. */
  cluster_tokens: Record<string, string>;
  jobs: Record<string, StoredJob>;
  runs: Record<string, StoredRun>;
  /** Run idempotency tokens and the run each launched. */
  run_tokens: Record<string, number>;
  scopes: Record<string, StoredScope>;
  /** Workspace objects by canonical path. */
  workspace: Record<string, StoredWorkspaceObject>;
}

/** A fresh, empty state. */
export function emptyState(): DatabricksState {
  return { format: 1, next_id: { job: 1, run: 1, object: 1 }, clusters: {}, cluster_tokens: {}, jobs: {}, runs: {}, run_tokens: {}, scopes: {}, workspace: {} };
}
