/**
 * The DatabricksCluster provider's operations (CreateClusterOp / DeleteClusterOp): create and wait
 * until RUNNING, edit on change (which restarts a running cluster), permanent-delete. The cluster
 * specification itself is the shared model (`../shared/cluster`).
 */
import { withKeyDetail } from "../../core/engineDiff";
import { createHash } from "node:crypto";
import { canonical, CheckFailure, checkString, checkWhole, failureList, isObject, known, sameJson, UNKNOWN } from "../../core/check";
import { pollUntil, PollTimeout } from "../../core/poll";
import { pick, withoutUndefined } from "../../core/objects";
import { progress } from "../../core/progress";
import { DatabricksApi, isNotFound } from "../client";
import type { ClusterCreateRequest, ClusterDetails } from "../client";
import { checkClusterSpec, CLUSTER_ALTERNATIVES, ClusterSpecInput, fromWireCluster, NEW_CLUSTER_KEYS, toWireCluster } from "../shared/cluster";
import { checkWithHost, databricksApi, ignoreGone } from "../shared/connection";
import { pruneTo } from "../shared/drift";
import { mergeSpec } from "../shared/spec";

/** Inputs as they reach the provider. */
export interface ClusterInputs extends ClusterSpecInput {
  host: string;
  /** `<project>/<stack>/<resource name>`: with the request, the create's idempotency token. */
  identity?: string;
  clusterName?: string;
  autoterminationMinutes?: number;
  /** The complete `clusters/create` JSON; named fields are merged over it. */
  spec?: Record<string, unknown>;
  waitTimeoutSeconds?: number;
}

/** What state holds besides the inputs. */
export interface ClusterOutputs extends ClusterInputs {
  clusterId: string;
  state: string;
  stateMessage?: string;
  defaultTags?: Record<string, string>;
  /** Set when the last create or update stopped waiting before RUNNING: the next update waits (and starts) again. */
  awaitingRunning?: boolean;
}

/** State as any version of this provider left it: the inputs, outputs possibly missing. */
export type StoredCluster = ClusterInputs & Partial<ClusterOutputs>;

/** Inputs whose change edits the cluster. */
const SETTING_KEYS = ["clusterName", ...NEW_CLUSTER_KEYS, "autoterminationMinutes", "spec"] as const;
const DEFAULT_WAIT_SECONDS = 1800;

/**
 * Validates the inputs, every failure at once, each naming its property; unknown preview values
 * pass. A spec's `spark_version` fills `sparkVersion` when the program left it out. No host.
 */
export function checkCluster(news: Record<string, unknown>): { inputs: Record<string, unknown>; failures: CheckFailure[] } {
  const inputs: Record<string, unknown> = { ...news };
  const { failures, fail } = failureList();
  const spec = inputs.spec;
  let fromSpec: Record<string, unknown> = {};
  if (spec === UNKNOWN) {
    fromSpec = { spark_version: UNKNOWN, node_type_id: UNKNOWN };
  } else if (spec !== undefined) {
    if (!isObject(spec)) fail("spec", 'spec must be the clusters/create request as an object, e.g. { spark_version: "15.4.x-scala2.12", node_type_id: "Standard_DS3_v2", num_workers: 1 }.');
    else {
      fromSpec = spec;
      if (spec.cluster_id !== undefined) fail("spec.cluster_id", "spec.cluster_id must not be set: the service assigns the cluster id at create.");
      if (inputs.sparkVersion === undefined && spec.spark_version !== undefined) inputs.sparkVersion = spec.spark_version;
    }
  }
  checkString(inputs.clusterName, "clusterName", fail, "a display name");
  checkClusterSpec(inputs, "", fail, fromSpec);
  const minutes = inputs.autoterminationMinutes;
  if (known(minutes) && !(Number.isInteger(minutes) && ((minutes as number) === 0 || (minutes as number) >= 10))) {
    fail("autoterminationMinutes", "autoterminationMinutes is 0 (never) or a whole number of minutes >= 10.");
  }
  checkWhole(inputs.waitTimeoutSeconds, "waitTimeoutSeconds", fail, 1);
  return { inputs, failures };
}

/** Validation at preview and up; fills `host` from the environment when absent. */
export const check = checkWithHost(checkCluster);

// ---------------------------------------------------------------------------------------------
// Diff

/** The engine's diff result, plus what changed. */
export interface ClusterDiff {
  changes: boolean;
  replaces: string[];
  deleteBeforeReplace: boolean;
  /** Settings that `clusters/edit` applies. */
  edits: string[];
  /** Inputs that only change how the resource waits. */
  settings: string[];
}

/** A new workspace replaces the cluster; any cluster setting edits it; `waitTimeoutSeconds` is only recorded. */
export function diffCluster(olds: Partial<ClusterOutputs>, news: Partial<ClusterInputs>): ClusterDiff {
  const changed = (k: keyof ClusterInputs) => news[k] === UNKNOWN || !sameJson(olds[k], news[k]);
  const replaces: string[] = changed("host") ? ["host"] : [];
  const edits: string[] = SETTING_KEYS.filter(changed);
  const settings: string[] = changed("waitTimeoutSeconds") ? ["waitTimeoutSeconds"] : [];
  return { changes: replaces.length + edits.length + settings.length > 0, replaces, deleteBeforeReplace: false, edits, settings };
}

export async function diff(_id: string, olds: StoredCluster, news: ClusterInputs): Promise<{ changes: boolean; replaces: string[]; deleteBeforeReplace: boolean }> {
  const { edits, settings, ...d } = diffCluster(olds, news);
  const shown = withKeyDetail(d, olds, news, [...d.replaces, ...edits, ...settings]);
  if (d.changes) {
    const effect =
      d.replaces.length > 0
        ? "will replace it (create the new cluster, then permanently delete the old one)"
        : edits.length > 0
          ? "will edit it (clusters/edit restarts a running cluster)"
          : "will record it (no API call)";
    progress(`Cluster ${label(olds, olds.clusterId)}: ${[...d.replaces, ...edits, ...settings].join(", ")} changed; ${effect}.`);
  }
  return shown;
}

// ---------------------------------------------------------------------------------------------
// Create, update, read, delete

/**
 * Creates the cluster and waits until RUNNING. The idempotency token (a hash of the resource's
 * identity and the request) makes an `up` interrupted while waiting adopt the same cluster.
 * A cluster that ends TERMINATED or ERROR, or is not RUNNING in time, fails the create but is
 * recorded (the error carries its id), so the next `up` waits again and `destroy` removes it.
 */
export async function create(inputs: ClusterInputs): Promise<{ id: string; outs: ClusterOutputs }> {
  const api = databricksApi(inputs.host);
  const request = clusterRequest(inputs);
  request.idempotency_token = createHash("sha256").update(JSON.stringify(canonical({ identity: inputs.identity, host: inputs.host, request }))).digest("hex");
  const { cluster_id: id } = await api.clusters.create(request);
  progress(`Cluster ${label(inputs, id)}: created ${id}; waiting until RUNNING (at most ${inputs.waitTimeoutSeconds ?? DEFAULT_WAIT_SECONDS} s).`);
  return { id, outs: await waitRunning(api, id, inputs) };
}

/**
 * Edits the cluster when a setting changed (waiting first for a state that accepts edits); a
 * running cluster restarts and is waited for again. A cluster left short of RUNNING by the last
 * create or update is started (if terminated) and waited for.
 */
export async function update(id: string, olds: StoredCluster, news: ClusterInputs): Promise<{ outs: ClusterOutputs }> {
  const api = databricksApi(news.host);
  const { edits } = diffCluster(olds, news);
  if (edits.length === 0 && !olds.awaitingRunning) {
    return { outs: { ...withoutUndefined(news), ...pick(olds, ["clusterId", "state", "stateMessage", "defaultTags"]) } as ClusterOutputs };
  }
  let current = await waitUntil(api, id, news, ["RUNNING", "TERMINATED", "ERROR"], "a state that accepts changes");
  if (edits.length > 0) {
    const wasRunning = current.state === "RUNNING";
    await api.clusters.edit({ ...clusterRequest(news), cluster_id: id });
    progress(`Cluster ${label(news, id)}: edited (${edits.join(", ")})${wasRunning ? "; restarting" : ""}.`);
    if (!wasRunning && !olds.awaitingRunning) return { outs: outputs(news, await api.clusters.get(id)) };
    current = await api.clusters.get(id);
  }
  if (current.state === "TERMINATED") {
    await api.clusters.start(id);
    progress(`Cluster ${label(news, id)}: starting again.`);
  }
  return { outs: await waitRunning(api, id, news) };
}

/**
 * Reads the cluster; gone when it was permanently deleted. Named settings, and the fields of a
 * `spec` that no named setting overrides, changed in the workspace flow back as drift: the next
 * `up` edits the cluster back.
 */
export async function read(id: string, props: StoredCluster): Promise<{ id: string; props: Partial<ClusterOutputs>; inputs?: Partial<ClusterInputs> }> {
  let live: ClusterDetails;
  try {
    live = await databricksApi(props.host).clusters.get(id);
  } catch (err) {
    if (isNotFound(err)) return { id: "", props: {} };
    throw err;
  }
  const outs = outputs(props, live);
  if (props.awaitingRunning && live.state !== "RUNNING") outs.awaitingRunning = true;
  const drifted = drift(props, live);
  if (drifted.length > 0) progress(`Cluster ${label(props, id)}: ${drifted.join(", ")} changed in the workspace; the next pulumi up edits it back.`);
  const named = liveNamed(live) as unknown as Record<string, unknown>;
  for (const k of drifted) (outs as unknown as Record<string, unknown>)[k] = pruneTo(named[k], (props as unknown as Record<string, unknown>)[k], k);
  const specDrift = driftOfSpec(props, live);
  if (specDrift) {
    progress(`Cluster ${label(props, id)}: ${specDrift.keys.map((k) => `spec.${k}`).join(", ")} changed in the workspace; the next pulumi up edits it back.`);
    outs.spec = specDrift.spec;
  }
  const { clusterId: _c, state: _s, stateMessage: _m, defaultTags: _t, awaitingRunning: _a, ...inputs } = outs;
  return { id, props: withoutUndefined(outs), inputs: withoutUndefined(inputs) };
}

/** Permanently deletes the cluster, whatever its state; a cluster already gone counts as deleted. */
export async function remove(id: string, props: StoredCluster): Promise<void> {
  await ignoreGone(() => databricksApi(props.host).clusters.permanentDelete(id));
}

/**
 * The spec's own fields (those no named field overrides) whose live values differ beyond the
 * service's defaults, and the spec with the live values in their place; undefined when none. A
 * field the service does not return is not compared.
 */
function driftOfSpec(props: ClusterInputs, live: ClusterDetails): { keys: string[]; spec: Record<string, unknown> } | undefined {
  const spec = props.spec;
  if (!isObject(spec)) return undefined;
  const overridden = new Set(Object.keys(clusterRequest({ ...props, spec: undefined })));
  const wire = live as unknown as Record<string, unknown>;
  const keys = Object.keys(spec).filter((k) => !overridden.has(k) && wire[k] !== undefined && !sameJson(pruneTo(wire[k], spec[k], k), spec[k]));
  if (keys.length === 0) return undefined;
  return { keys, spec: { ...spec, ...Object.fromEntries(keys.map((k) => [k, pruneTo(wire[k], spec[k], k)])) } };
}

/** The named fields present in our inputs whose live values differ (beyond the service's defaults). */
function drift(props: ClusterInputs, live: ClusterDetails): string[] {
  const named = liveNamed(live) as unknown as Record<string, unknown>;
  const mine = props as unknown as Record<string, unknown>;
  return (["clusterName", ...NEW_CLUSTER_KEYS, "autoterminationMinutes"] as const).filter((k) => {
    if (mine[k] === undefined) return false;
    if (k === "clusterLogConf" && mine.clusterLogPath !== undefined) return false;
    return !sameJson(pruneTo(named[k], mine[k], k), mine[k]);
  });
}

function liveNamed(live: ClusterDetails): ClusterInputs {
  const named = fromWireCluster(live) as ClusterInputs;
  if (live.cluster_name !== undefined) named.clusterName = live.cluster_name;
  if (live.autotermination_minutes !== undefined) named.autoterminationMinutes = live.autotermination_minutes;
  return named;
}

function outputs(inputs: ClusterInputs, c: ClusterDetails): ClusterOutputs {
  const outs: ClusterOutputs = { ...withoutUndefined(inputs), clusterId: c.cluster_id, state: c.state ?? "UNKNOWN" };
  delete outs.stateMessage;
  delete outs.defaultTags;
  delete outs.awaitingRunning;
  if (c.state_message) outs.stateMessage = c.state_message;
  if (c.spark_version !== undefined && inputs.sparkVersion === undefined) outs.sparkVersion = c.spark_version;
  if (c.default_tags) outs.defaultTags = c.default_tags;
  return outs;
}

/** The `clusters/create` request: the spec with the named fields over it (see `../shared/spec`). */
export function clusterRequest(i: ClusterInputs): ClusterCreateRequest {
  const named: Record<string, unknown> = toWireCluster(i);
  if (i.clusterName !== undefined) named.cluster_name = i.clusterName;
  if (i.autoterminationMinutes !== undefined) named.autotermination_minutes = i.autoterminationMinutes;
  return mergeSpec<ClusterCreateRequest>(i.spec, named, CLUSTER_ALTERNATIVES);
}

/** Polls until RUNNING; a failure or timeout throws an error carrying the id and outputs. */
async function waitRunning(api: DatabricksApi, id: string, inputs: ClusterInputs): Promise<ClusterOutputs> {
  const c = await waitUntil(api, id, inputs, ["RUNNING", "TERMINATED", "ERROR"], "RUNNING");
  if (c.state === "RUNNING") return outputs(inputs, c);
  const reason = c.state_message || (c.termination_reason?.code ? `termination reason ${c.termination_reason.code}${c.termination_reason.type ? ` (${c.termination_reason.type})` : ""}` : "no message");
  throw recorded(new Error(`Cluster ${label(inputs, id)} ended ${c.state} while starting: ${reason}`), id, inputs, c);
}

/** Polls `clusters/get` until one of `states`, printing each state change. */
async function waitUntil(api: DatabricksApi, id: string, inputs: ClusterInputs, states: string[], what: string): Promise<ClusterDetails> {
  const timeoutSeconds = inputs.waitTimeoutSeconds ?? DEFAULT_WAIT_SECONDS;
  try {
    return await pollUntil({
      read: () => api.clusters.get(id),
      done: (c) => states.includes(c.state ?? ""),
      describe: (c) => c.state ?? "UNKNOWN",
      detail: (c) => c.state_message,
      label: `Cluster ${label(inputs, id)}`,
      timeoutMs: timeoutSeconds * 1000,
    });
  } catch (err) {
    if (!(err instanceof PollTimeout)) throw err;
    const c = err.last as ClusterDetails;
    throw recorded(
      new Error(`Cluster ${label(inputs, id)} is ${err.message} waiting for ${what}; it keeps going. Raise waitTimeoutSeconds, or run pulumi up again to keep waiting.`),
      id,
      inputs,
      c,
    );
  }
}
/** An error the engine records as "created with init errors": the cluster is in state and the next up updates it. */
function recorded(err: Error, id: string, inputs: ClusterInputs, c: ClusterDetails): Error {
  const properties: ClusterOutputs = { ...outputs(inputs, c), awaitingRunning: true };
  return Object.assign(err, { id, properties, reasons: [err.message] });
}

function label(i: Partial<ClusterInputs>, id: string | undefined): string {
  const name = typeof i.clusterName === "string" && i.clusterName !== UNKNOWN ? i.clusterName : typeof i.spec?.cluster_name === "string" ? i.spec.cluster_name : "";
  return name ? `"${name}"${id ? ` (${id})` : ""}` : (id ?? "(new)");
}
