/**
 * The state of one emulated Databricks workspace, as stored (in memory, or as JSON under
 * `<stateDir>/databricks/state.json`). Each API group keeps its own records; this is what holds
 * them together.
 */
import type { StoredCluster } from "./clusters/models";
import type { StoredJob } from "./jobs/models";
import type { StoredRun } from "./runs/models";
import type { StoredScope } from "./secrets/models";
import type { StoredWorkspaceObject } from "./workspace/models";

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
