/**
 * Options of the Databricks part of the emulator and the fixed facts it reports about itself (the
 * workspace id in run page links, the user every object is created by).
 */

/** How fast asynchronous resources (runs, clusters) move through their states. */
export type DatabricksLifecycle = "immediate" | "realistic";

/** Options of the emulated Databricks workspace. Every field is optional. */
export interface DatabricksEmulatorOptions {
  /**
   * `immediate`: no artificial delays (runs still take as long as their code); for tests.
   * `realistic`: a cluster or run waits in PENDING and TERMINATING like a small real one; for
   * demos. Default `realistic`. Delays pass on the emulator's clock (`EmulatorOptions.clock`).
   */
  lifecycle?: DatabricksLifecycle;
  /** Time a new run or a starting cluster spends in PENDING, in ms of the emulator's clock. Default 0 (immediate) or 1500 (realistic). */
  pendingMs?: number;
  /** Time a finishing run or a terminating cluster spends in TERMINATING, in ms of the emulator's clock. Default 0 (immediate) or 500 (realistic). */
  terminatingMs?: number;
  /** Python executable that runs notebooks and scripts. Default: the executor's own default (`python3`). */
  python?: string;
  /**
   * Task executions (each a local Python process) running at once, an integer from 1 to 1000;
   * a task over it waits in PENDING ("Waiting for cluster"), first come first served, until one
   * ends. Default 8.
   */
  maxRunningTasks?: number;
}

/** Default of {@link DatabricksEmulatorOptions.maxRunningTasks}. */
export const DEFAULT_MAX_RUNNING_TASKS = 8;

/** The most {@link DatabricksEmulatorOptions.maxRunningTasks} may be. */
export const MAX_RUNNING_TASKS_LIMIT = 1000;

/** Resolves and checks `maxRunningTasks`; throws naming the option. */
export function resolveMaxRunningTasks(options: DatabricksEmulatorOptions = {}): number {
  const value = options.maxRunningTasks;
  if (value === undefined) return DEFAULT_MAX_RUNNING_TASKS;
  if (typeof value !== "number" || !Number.isInteger(value) || value < 1 || value > MAX_RUNNING_TASKS_LIMIT) {
    throw new Error(`databricks.maxRunningTasks must be an integer from 1 to ${MAX_RUNNING_TASKS_LIMIT}, not ${JSON.stringify(value)}.`);
  }
  return value;
}

/** The delays in force, resolved from {@link DatabricksEmulatorOptions}. */
export interface DatabricksTiming {
  readonly pendingMs: number;
  readonly terminatingMs: number;
}

/** Delays of the `realistic` lifecycle. */
export const REALISTIC_TIMING: DatabricksTiming = Object.freeze({ pendingMs: 1500, terminatingMs: 500 });

/** Resolves and checks the timing options; throws naming the offending option. */
export function resolveTiming(options: DatabricksEmulatorOptions = {}): DatabricksTiming {
  const lifecycle = options.lifecycle ?? "realistic";
  if (lifecycle !== "immediate" && lifecycle !== "realistic") {
    throw new Error(`databricks.lifecycle must be "immediate" or "realistic", not ${JSON.stringify(lifecycle)}.`);
  }
  const base = lifecycle === "immediate" ? { pendingMs: 0, terminatingMs: 0 } : REALISTIC_TIMING;
  const pick = (name: "pendingMs" | "terminatingMs"): number => {
    const value = options[name];
    if (value === undefined) return base[name];
    if (typeof value !== "number" || !Number.isInteger(value) || value < 0 || value > 600_000) {
      throw new Error(`databricks.${name} must be an integer from 0 to 600000, not ${JSON.stringify(value)}.`);
    }
    return value;
  };
  return { pendingMs: pick("pendingMs"), terminatingMs: pick("terminatingMs") };
}

/** The workspace id shown in run page links (`?o=<id>`), like an Azure Databricks workspace's. */
export const EMULATOR_WORKSPACE_ID = "1234567890123456";

/** The user every object and run is created by (`creator_user_name`). */
export const EMULATOR_USER = "emulator@localhost";

/** The numeric id of {@link EMULATOR_USER} as SCIM reports it. */
export const EMULATOR_USER_ID = "1000000000000001";

/** Largest request body the Databricks service reads: a 10 MB workspace import, base64-encoded, and its JSON. */
export const DATABRICKS_MAX_REQUEST_BODY_BYTES = 16 * 1024 * 1024;

/**
 * Largest body of a request whose JSON the workspace stores (jobs, runs, clusters): the Jobs API's
 * documented 10 MB request limit.
 */
export const STORED_JSON_MAX_REQUEST_BYTES = 10 * 1024 * 1024;

/**
 * The most workers a cluster can have (`num_workers`, `autoscale.max_workers`): Azure Databricks
 * publishes no fixed per-cluster maximum (the wire type is int32, launches are throttled), so the
 * emulator takes the bound the package's own checks use (`MAX_WORKERS` of
 * `src/databricks/shared/cluster.ts`).
 */
export const MAX_CLUSTER_WORKERS = 100_000;

/**
 * The most executors `clusters/get` and `clusters/list` list for a running cluster. The emulator's
 * nodes are fictitious; a bigger cluster lists this many, as a real one lists only the nodes
 * provisioned so far, so no answer grows with `num_workers`.
 */
export const MAX_LISTED_EXECUTORS = 100;

/**
 * The least time between attempts of a task that retries without end (`max_retries: -1`), in ms of
 * the emulator's clock, whatever `min_retry_interval_millis` says: a task that always fails must
 * not start a process after process. (The service documents no floor; this is the emulator's.)
 */
export const MIN_UNLIMITED_RETRY_INTERVAL_MS = 10_000;
