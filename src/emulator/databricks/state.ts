/**
 * The state of one emulated Databricks workspace, as stored (in memory, or under
 * `<stateDir>/databricks/` as a snapshot and a journal). Each API group keeps its own records;
 * this is what holds them together. Every collection keyed by a client's name is {@link Keyed}, so
 * any name is a key like any other.
 */
import { asKeyed, keyed, type Keyed } from "../core/keyed";
import type { StoredCluster } from "./clusters/models";
import type { StoredJob } from "./jobs/models";
import type { StoredRun } from "./runs/models";
import type { StoredScope } from "./secrets/models";
import type { StoredWorkspaceObject } from "./workspace/models";

/** Everything one workspace holds. */
export interface DatabricksState {
  format: 1;
  next_id: { job: number; run: number; object: number };
  clusters: Keyed<StoredCluster>;
  /** Cluster creation idempotency tokens. */
  cluster_tokens: Keyed<string>;
  jobs: Keyed<StoredJob>;
  runs: Keyed<StoredRun>;
  /** Run idempotency tokens and the run each launched. */
  run_tokens: Keyed<number>;
  scopes: Keyed<StoredScope>;
  /** Workspace objects by canonical path. */
  workspace: Keyed<StoredWorkspaceObject>;
}

/** The collections of {@link DatabricksState} keyed by name. */
const COLLECTIONS = ["clusters", "cluster_tokens", "jobs", "runs", "run_tokens", "scopes", "workspace"] as const;

/** A fresh, empty state. */
export function emptyState(): DatabricksState {
  return {
    format: 1,
    next_id: { job: 1, run: 1, object: 1 },
    clusters: keyed(),
    cluster_tokens: keyed(),
    jobs: keyed(),
    runs: keyed(),
    run_tokens: keyed(),
    scopes: keyed(),
    workspace: keyed(),
  };
}

/** The state parsed from JSON, checked, its keyed collections given no prototype (in place). */
export function reviveState(data: unknown): DatabricksState {
  const s = data as Partial<Record<keyof DatabricksState, unknown>> | null;
  if (typeof s !== "object" || s === null || s.format !== 1) throw new Error("not a Databricks state of format 1");
  const ids = s.next_id as Partial<DatabricksState["next_id"]> | null;
  if (typeof ids !== "object" || ids === null || !(["job", "run", "object"] as const).every((k) => Number.isSafeInteger(ids[k]))) throw new Error("next_id is not a set of counters");
  for (const name of COLLECTIONS) asKeyed(s[name], name);
  for (const [name, scope] of Object.entries(s.scopes as Record<string, Partial<Record<keyof StoredScope, unknown>>>)) {
    asKeyed(scope.secrets, `the secrets of scope ${name}`);
    asKeyed(scope.acls, `the ACLs of scope ${name}`);
  }
  return s as unknown as DatabricksState;
}
