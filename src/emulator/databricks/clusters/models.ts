/**
 * All-purpose clusters as stored in the workspace state.
 */
import type { JsonObject } from "../request";

/** States of a cluster. */
export type ClusterState = "PENDING" | "RUNNING" | "RESTARTING" | "RESIZING" | "TERMINATING" | "TERMINATED" | "ERROR" | "UNKNOWN";

/** A timed change of a cluster's state. */
export interface ClusterTransition {
  state: ClusterState;
  /** When it happens, ms since the epoch. */
  at: number;
  state_message: string;
}

/** Why a cluster terminated (`termination_reason` on the wire). */
export interface TerminationReason {
  code: string;
  type: string;
  parameters?: Record<string, string>;
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
  termination_reason?: TerminationReason;
  spark_context_id: number;
  creator_user_name: string;
}
