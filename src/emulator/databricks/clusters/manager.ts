/**
 * All-purpose clusters: no machines, only the state machine a client sees. A cluster moves
 * PENDING -> RUNNING after the pending delay, RESTARTING/RESIZING -> RUNNING likewise, and
 * TERMINATING -> TERMINATED after the terminating delay, in the emulator clock's time.
 * Transitions are timed and applied lazily whenever the cluster is read, so they also hold across a
 * restart of a persistent emulator.
 */
import { randomBytes } from "node:crypto";
import type { Clock } from "../../core/clock";
import { EMULATOR_USER, type DatabricksTiming } from "../config";
import { apiError, clusterDoesNotExist } from "../errors";
import type { JsonObject } from "../request";
import type { DatabricksStore } from "../store";
import type { ClusterState, StoredCluster, TerminationReason } from "./models";

/** Messages the real service shows in each state. */
const STATE_MESSAGES: Partial<Record<ClusterState, string>> = {
  PENDING: "Finding instances for new nodes, acquiring more instances if necessary",
  RESTARTING: "Restarting Spark and the driver",
  RESIZING: "Resizing the cluster",
  TERMINATING: "Terminating the cluster",
};

/** The cluster operations shared by the Clusters API, the run engine and command execution. */
export class ClusterManager {
  constructor(
    private readonly store: DatabricksStore,
    private readonly timing: DatabricksTiming,
    private readonly clock: Clock,
    /** Called when a cluster's Spark driver goes away (terminate, restart, edit): its execution contexts die. */
    private readonly onDriverLost: (clusterId: string) => void,
  ) {}

  /** Creates a cluster (PENDING, then RUNNING); a known idempotency token returns its cluster. */
  create(spec: JsonObject, idempotencyToken?: string): string {
    return this.store.update((s) => {
      if (idempotencyToken !== undefined) {
        const existing = s.cluster_tokens[idempotencyToken];
        if (existing && s.clusters[existing]) return existing;
      }
      const t = this.clock.now();
      let id = newClusterId(t);
      while (s.clusters[id]) id = newClusterId(t);
      const cluster: StoredCluster = {
        cluster_id: id,
        spec,
        state: "PENDING",
        state_message: STATE_MESSAGES.PENDING!,
        start_time: t,
        spark_context_id: newSparkContextId(),
        creator_user_name: EMULATOR_USER,
      };
      this.schedule(cluster, "RUNNING", this.timing.pendingMs, t);
      s.clusters[id] = cluster;
      if (idempotencyToken !== undefined) s.cluster_tokens[idempotencyToken] = id;
      return id;
    });
  }

  /** The cluster with its state brought up to date, or `undefined`. */
  find(clusterId: string): StoredCluster | undefined {
    this.settle(clusterId);
    return this.store.read((s) => s.clusters[clusterId]);
  }

  /** The cluster with its state brought up to date; throws 400 "Cluster X does not exist". */
  get(clusterId: string): StoredCluster {
    const cluster = this.find(clusterId);
    if (!cluster) throw clusterDoesNotExist(clusterId);
    return cluster;
  }

  /** Every cluster, states up to date. */
  list(): StoredCluster[] {
    const ids = this.store.read((s) => Object.keys(s.clusters));
    for (const id of ids) this.settle(id);
    return this.store.read((s) => Object.values(s.clusters));
  }

  /** Replaces the configuration; a running cluster restarts. Only RUNNING or TERMINATED clusters can be edited. */
  edit(clusterId: string, spec: JsonObject): void {
    const cluster = this.get(clusterId);
    if (cluster.state !== "RUNNING" && cluster.state !== "TERMINATED") throw unexpectedState(cluster);
    const restarting = cluster.state === "RUNNING";
    this.store.update((s) => {
      const c = s.clusters[clusterId];
      c.spec = spec;
      if (restarting) this.begin(c, "RESTARTING", "RUNNING", this.timing.pendingMs);
    });
    if (restarting) this.onDriverLost(clusterId);
  }

  /** Starts a TERMINATED cluster; any other state is 400 INVALID_STATE. */
  start(clusterId: string): void {
    const cluster = this.get(clusterId);
    if (cluster.state !== "TERMINATED") throw unexpectedState(cluster);
    this.store.update((s) => {
      const c = s.clusters[clusterId];
      delete c.terminated_time;
      delete c.termination_reason;
      c.start_time = this.clock.now();
      c.spark_context_id = newSparkContextId();
      this.begin(c, "PENDING", "RUNNING", this.timing.pendingMs);
    });
  }

  /** Restarts a RUNNING cluster. */
  restart(clusterId: string): void {
    const cluster = this.get(clusterId);
    if (cluster.state !== "RUNNING") throw unexpectedState(cluster);
    this.store.update((s) => {
      const c = s.clusters[clusterId];
      c.last_restarted_time = this.clock.now();
      c.spark_context_id = newSparkContextId();
      this.begin(c, "RESTARTING", "RUNNING", this.timing.pendingMs);
    });
    this.onDriverLost(clusterId);
  }

  /** Changes the size of a RUNNING cluster. */
  resize(clusterId: string, size: JsonObject): void {
    const cluster = this.get(clusterId);
    if (cluster.state !== "RUNNING") throw unexpectedState(cluster);
    this.store.update((s) => {
      const c = s.clusters[clusterId];
      const spec = { ...c.spec };
      delete spec.num_workers;
      delete spec.autoscale;
      c.spec = { ...spec, ...size };
      this.begin(c, "RESIZING", "RUNNING", this.timing.pendingMs);
    });
  }

  /** Terminates a cluster (TERMINATING, then TERMINATED); terminating a terminated cluster does nothing. */
  terminate(clusterId: string, reason: TerminationReason = userRequest()): void {
    const cluster = this.get(clusterId);
    if (cluster.state === "TERMINATED" || cluster.state === "TERMINATING") return;
    this.store.update((s) => {
      const c = s.clusters[clusterId];
      c.termination_reason = reason;
      this.begin(c, "TERMINATING", "TERMINATED", this.timing.terminatingMs);
    });
    this.onDriverLost(clusterId);
  }

  /** Removes a cluster for good. */
  remove(clusterId: string): void {
    const existed = this.store.update((s) => {
      if (!s.clusters[clusterId]) return false;
      delete s.clusters[clusterId];
      for (const [token, id] of Object.entries(s.cluster_tokens)) if (id === clusterId) delete s.cluster_tokens[token];
      return true;
    });
    if (existed) this.onDriverLost(clusterId);
  }

  /** Applies the cluster's timed transition when its time has come. */
  private settle(clusterId: string): void {
    const t = this.clock.now();
    const due = this.store.read((s) => {
      const next = s.clusters[clusterId]?.next;
      return next !== undefined && next.at <= t;
    });
    if (!due) return;
    this.store.update((s) => {
      const c = s.clusters[clusterId];
      const next = c.next!;
      c.state = next.state;
      c.state_message = next.state_message;
      delete c.next;
      if (next.state === "TERMINATED") c.terminated_time = next.at;
    });
  }

  private begin(c: StoredCluster, now: ClusterState, then: ClusterState, delayMs: number): void {
    c.state = now;
    c.state_message = STATE_MESSAGES[now] ?? "";
    this.schedule(c, then, delayMs, this.clock.now());
  }

  /** Plans the move to `state` after `delayMs`; with no delay (immediate lifecycle) it happens now. */
  private schedule(c: StoredCluster, state: ClusterState, delayMs: number, from: number): void {
    if (delayMs > 0) {
      c.next = { state, at: from + delayMs, state_message: STATE_MESSAGES[state] ?? "" };
      return;
    }
    c.state = state;
    c.state_message = STATE_MESSAGES[state] ?? "";
    if (state === "TERMINATED") c.terminated_time = from;
    delete c.next;
  }
}

/** The state as the service writes it in messages: `Running`, `Terminated`. */
export function titleCase(state: string): string {
  return state.charAt(0) + state.slice(1).toLowerCase();
}

/** 400 INVALID_STATE "Cluster X is in unexpected state Running." */
export function unexpectedState(cluster: StoredCluster): Error {
  return apiError(400, "INVALID_STATE", `Cluster ${cluster.cluster_id} is in unexpected state ${titleCase(cluster.state)}.`);
}

function userRequest(): TerminationReason {
  return { code: "USER_REQUEST", type: "SUCCESS", parameters: { username: EMULATOR_USER } };
}

const ID_ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789";

/** A cluster id in the service's format, `MMDD-HHMMSS-xxxxxxxx`. */
export function newClusterId(at: number): string {
  const d = new Date(at);
  const two = (n: number) => String(n).padStart(2, "0");
  const suffix = [...randomBytes(8)].map((b) => ID_ALPHABET[b % ID_ALPHABET.length]).join("");
  return `${two(d.getUTCMonth() + 1)}${two(d.getUTCDate())}-${two(d.getUTCHours())}${two(d.getUTCMinutes())}${two(d.getUTCSeconds())}-${suffix}`;
}

function newSparkContextId(): number {
  // A positive 53-bit integer, like the service's large Spark context ids.
  return Number(randomBytes(6).readUIntBE(0, 6));
}
