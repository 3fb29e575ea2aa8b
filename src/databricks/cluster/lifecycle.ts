/**
 * The DatabricksCluster provider's operations (CreateClusterOp / DeleteClusterOp): create and wait
 * until RUNNING, edit on change (which restarts a running cluster), permanent-delete. Also the
 * camelCase <-> snake_case conversion and validation of cluster specifications, which
 * DatabricksJob shares for its job and task clusters. Required by the provider at call time.
 */
import { createHash } from "node:crypto";
import { canonical, CheckFailure, known, sameJson, UNKNOWN } from "../../core/check";
import { abortableSleep, DatabricksApi, isNotFound } from "../client";
import type { ClusterCreateRequest, ClusterDetails, NewCluster } from "../client/types";
import { checkHost, databricksApi, ignoreGone, progress } from "../shared/connection";
import { pollDelayMs } from "../shared/runWait";

/** A storage destination, as the API has it. */
export interface Destination {
  destination: string;
}

/** A cluster specification, camelCase (the wire form is `NewCluster`). */
export interface NewClusterSettings {
  sparkVersion?: string;
  nodeTypeId?: string;
  driverNodeTypeId?: string;
  instancePoolId?: string;
  numWorkers?: number;
  autoscale?: { minWorkers: number; maxWorkers: number };
  sparkConf?: Record<string, string>;
  sparkEnvVars?: Record<string, string>;
  customTags?: Record<string, string>;
  initScripts?: Partial<Record<InitScriptKind, Destination>>[];
  clusterLogConf?: { dbfs?: Destination; volumes?: Destination };
  clusterLogPath?: string;
  azureAttributes?: { firstOnDemand?: number; availability?: string; spotBidMaxPrice?: number };
}

/** Inputs as they reach the provider. */
export interface ClusterInputs extends NewClusterSettings {
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

/** Where an init script can live. */
export type InitScriptKind = "workspace" | "dbfs" | "abfss" | "volumes" | "file";
const INIT_SCRIPT_KINDS: InitScriptKind[] = ["workspace", "dbfs", "abfss", "volumes", "file"];
const AVAILABILITIES = ["SPOT_AZURE", "ON_DEMAND_AZURE", "SPOT_WITH_FALLBACK_AZURE"];
/** Named cluster fields, in the order they are converted and compared. */
export const NEW_CLUSTER_KEYS = [
  "sparkVersion", "nodeTypeId", "driverNodeTypeId", "instancePoolId", "numWorkers", "autoscale", "sparkConf", "sparkEnvVars",
  "customTags", "initScripts", "clusterLogConf", "clusterLogPath", "azureAttributes",
] as const;
/** Inputs whose change edits the cluster. */
const SETTING_KEYS = ["clusterName", ...NEW_CLUSTER_KEYS, "autoterminationMinutes", "spec"] as const;
/** Wire fields that are alternatives of each other: a named one removes the spec's others. */
const ALTERNATIVES = [["node_type_id", "instance_pool_id"], ["num_workers", "autoscale"]];
/** Keys whose values are user maps: compared whole, never pruned or converted. */
export const USER_MAP_KEYS = new Set(["sparkConf", "sparkEnvVars", "customTags", "baseParameters", "namedParameters", "tags"]);
const DEFAULT_WAIT_SECONDS = 1800;

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

// ---------------------------------------------------------------------------------------------
// Conversion, field by field (user maps keep their keys)

/** camelCase cluster settings to the API's snake_case; only the fields present. */
export function toWireCluster(c: NewClusterSettings): Partial<NewCluster> {
  const w: Partial<NewCluster> = {};
  if (c.sparkVersion !== undefined) w.spark_version = c.sparkVersion;
  if (c.nodeTypeId !== undefined) w.node_type_id = c.nodeTypeId;
  if (c.driverNodeTypeId !== undefined) w.driver_node_type_id = c.driverNodeTypeId;
  if (c.instancePoolId !== undefined) w.instance_pool_id = c.instancePoolId;
  if (c.numWorkers !== undefined) w.num_workers = c.numWorkers;
  if (c.autoscale !== undefined) w.autoscale = { min_workers: c.autoscale.minWorkers, max_workers: c.autoscale.maxWorkers };
  if (c.sparkConf !== undefined) w.spark_conf = { ...c.sparkConf };
  if (c.sparkEnvVars !== undefined) w.spark_env_vars = { ...c.sparkEnvVars };
  if (c.customTags !== undefined) w.custom_tags = { ...c.customTags };
  if (c.initScripts !== undefined) w.init_scripts = c.initScripts.map(destinations);
  if (c.clusterLogConf !== undefined) w.cluster_log_conf = destinations(c.clusterLogConf);
  if (c.clusterLogPath !== undefined) w.cluster_log_conf = { dbfs: { destination: c.clusterLogPath } };
  if (c.azureAttributes !== undefined) {
    const a = c.azureAttributes;
    w.azure_attributes = {};
    if (a.firstOnDemand !== undefined) w.azure_attributes.first_on_demand = a.firstOnDemand;
    if (a.availability !== undefined) w.azure_attributes.availability = a.availability;
    if (a.spotBidMaxPrice !== undefined) w.azure_attributes.spot_bid_max_price = a.spotBidMaxPrice;
  }
  return w;
}

/** The API's cluster fields back to camelCase; only the fields present. */
export function fromWireCluster(w: Partial<NewCluster>): NewClusterSettings {
  const c: NewClusterSettings = {};
  if (w.spark_version !== undefined) c.sparkVersion = w.spark_version;
  if (w.node_type_id !== undefined) c.nodeTypeId = w.node_type_id;
  if (w.driver_node_type_id !== undefined) c.driverNodeTypeId = w.driver_node_type_id;
  if (w.instance_pool_id !== undefined) c.instancePoolId = w.instance_pool_id;
  if (w.num_workers !== undefined) c.numWorkers = w.num_workers;
  if (w.autoscale !== undefined) c.autoscale = { minWorkers: w.autoscale.min_workers!, maxWorkers: w.autoscale.max_workers! };
  if (w.spark_conf !== undefined) c.sparkConf = { ...w.spark_conf };
  if (w.spark_env_vars !== undefined) c.sparkEnvVars = { ...w.spark_env_vars };
  if (w.custom_tags !== undefined) c.customTags = { ...w.custom_tags };
  if (w.init_scripts !== undefined) c.initScripts = w.init_scripts.map(destinations);
  if (w.cluster_log_conf !== undefined) {
    c.clusterLogConf = destinations(w.cluster_log_conf);
    if (w.cluster_log_conf.dbfs) c.clusterLogPath = w.cluster_log_conf.dbfs.destination;
  }
  if (w.azure_attributes !== undefined) {
    const a = w.azure_attributes;
    c.azureAttributes = {};
    if (a.first_on_demand !== undefined) c.azureAttributes.firstOnDemand = a.first_on_demand;
    if (a.availability !== undefined) c.azureAttributes.availability = a.availability;
    if (a.spot_bid_max_price !== undefined) c.azureAttributes.spotBidMaxPrice = a.spot_bid_max_price;
  }
  return c;
}

/** `{ kind: { destination } }` objects have the same shape on both sides; copy the known kinds. */
function destinations<T extends object>(o: T): T {
  const out: Record<string, Destination> = {};
  for (const [kind, d] of Object.entries(o)) if (isObject(d) && typeof d.destination === "string") out[kind] = { destination: d.destination };
  return out as T;
}

/** The `clusters/create` request: the spec with the named fields over it (a named field also removes the spec's alternatives to it). */
export function clusterRequest(i: ClusterInputs): ClusterCreateRequest {
  const request = structuredClone(i.spec ?? {}) as Record<string, unknown>;
  const named: Record<string, unknown> = toWireCluster(i);
  if (i.clusterName !== undefined) named.cluster_name = i.clusterName;
  if (i.autoterminationMinutes !== undefined) named.autotermination_minutes = i.autoterminationMinutes;
  for (const group of ALTERNATIVES) if (group.some((k) => k in named)) for (const k of group) delete request[k];
  return { ...request, ...named } as unknown as ClusterCreateRequest;
}

/**
 * The live value of a named field, cut to the shape of ours: structural keys we did not set (the
 * service's defaults) are dropped, user maps are kept whole, arrays keep their length. Drift is a
 * difference that remains.
 */
export function pruneTo(live: unknown, mine: unknown, key = ""): unknown {
  if (USER_MAP_KEYS.has(key)) return live;
  if (Array.isArray(mine) && Array.isArray(live)) return live.map((x, i) => (i < mine.length ? pruneTo(x, mine[i]) : x));
  if (isObject(mine) && isObject(live)) {
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(mine)) if (live[k] !== undefined) out[k] = pruneTo(live[k], mine[k], k);
    return out;
  }
  return live;
}

// ---------------------------------------------------------------------------------------------
// Validation

/** Reports a failure against a property. */
export type Fail = (property: string, reason: string) => void;

/**
 * Checks named cluster settings; properties are reported as `<prefix><field>`. `fromSpec` lists
 * the wire fields a spec supplies, which satisfy "required" rules.
 */
export function checkClusterSettings(c: Record<string, unknown>, prefix: string, fail: Fail, fromSpec: Record<string, unknown> = {}): void {
  const p = (field: string) => `${prefix}${field}`;
  const has = (named: string, wire: string) => c[named] !== undefined || fromSpec[wire] !== undefined;

  if (!has("sparkVersion", "spark_version")) fail(p("sparkVersion"), `${p("sparkVersion")} is required, e.g. "15.4.x-scala2.12".`);
  else checkString(c.sparkVersion, p("sparkVersion"), fail, 'a Databricks runtime such as "15.4.x-scala2.12"');
  if (c.nodeTypeId !== undefined && c.instancePoolId !== undefined) {
    fail(p("instancePoolId"), `${p("nodeTypeId")} and ${p("instancePoolId")} are mutually exclusive: the pool decides the node type.`);
  } else if (!has("nodeTypeId", "node_type_id") && !has("instancePoolId", "instance_pool_id") && fromSpec.policy_id === undefined) {
    fail(p("nodeTypeId"), `${p("nodeTypeId")} is required unless ${p("instancePoolId")} is set, e.g. "Standard_DS3_v2".`);
  }
  checkString(c.nodeTypeId, p("nodeTypeId"), fail, 'a VM size such as "Standard_DS3_v2"');
  checkString(c.driverNodeTypeId, p("driverNodeTypeId"), fail, 'a VM size such as "Standard_DS3_v2"');
  checkString(c.instancePoolId, p("instancePoolId"), fail, "an instance pool id");

  if (c.numWorkers !== undefined && c.autoscale !== undefined) {
    fail(p("autoscale"), `${p("numWorkers")} and ${p("autoscale")} are mutually exclusive: a fixed size or a range.`);
  }
  if (known(c.numWorkers) && !(Number.isInteger(c.numWorkers) && (c.numWorkers as number) >= 0)) {
    fail(p("numWorkers"), `${p("numWorkers")} must be a whole number >= 0, not ${JSON.stringify(c.numWorkers)}.`);
  }
  if (known(c.autoscale)) {
    const a = c.autoscale as Record<string, unknown>;
    const ok = isObject(a) && (!known(a.minWorkers) || !known(a.maxWorkers) || (Number.isInteger(a.minWorkers) && Number.isInteger(a.maxWorkers) && (a.minWorkers as number) >= 1 && (a.maxWorkers as number) >= (a.minWorkers as number)));
    if (!ok || a.minWorkers === undefined || a.maxWorkers === undefined) {
      fail(p("autoscale"), `${p("autoscale")} needs whole numbers 1 <= minWorkers <= maxWorkers, e.g. { minWorkers: 1, maxWorkers: 4 }.`);
    }
  }
  for (const key of ["sparkConf", "sparkEnvVars", "customTags"]) checkStringMap(c[key], p(key), fail);

  if (c.clusterLogConf !== undefined && c.clusterLogPath !== undefined) {
    fail(p("clusterLogPath"), `${p("clusterLogConf")} and ${p("clusterLogPath")} are mutually exclusive: clusterLogPath is short for clusterLogConf: { dbfs: { destination } }.`);
  }
  if (known(c.clusterLogPath) && (typeof c.clusterLogPath !== "string" || !c.clusterLogPath.startsWith("dbfs:/"))) {
    fail(p("clusterLogPath"), `${p("clusterLogPath")} must be a dbfs:/ folder, e.g. "dbfs:/cluster-logs".`);
  }
  if (known(c.clusterLogConf) && !isDestinations(c.clusterLogConf, ["dbfs", "volumes"])) {
    fail(p("clusterLogConf"), `${p("clusterLogConf")} must name one destination: { dbfs: { destination: "dbfs:/cluster-logs" } } or { volumes: { destination: "/Volumes/..." } }.`);
  }
  if (known(c.initScripts)) {
    if (!Array.isArray(c.initScripts)) fail(p("initScripts"), `${p("initScripts")} must be a list such as [{ workspace: { destination: "/Shared/init.sh" } }].`);
    else {
      c.initScripts.forEach((s, i) => {
        if (known(s) && !isDestinations(s, INIT_SCRIPT_KINDS)) {
          fail(p(`initScripts[${i}]`), `${p(`initScripts[${i}]`)} must name one of ${INIT_SCRIPT_KINDS.join(", ")} with a destination, e.g. { workspace: { destination: "/Shared/init.sh" } }.`);
        }
      });
    }
  }
  const az = c.azureAttributes;
  if (known(az)) {
    if (!isObject(az)) fail(p("azureAttributes"), `${p("azureAttributes")} must be { firstOnDemand?, availability?, spotBidMaxPrice? }.`);
    else {
      if (known(az.availability) && !AVAILABILITIES.includes(az.availability as string)) {
        fail(p("azureAttributes.availability"), `${p("azureAttributes.availability")} must be one of ${AVAILABILITIES.join(", ")}, not ${JSON.stringify(az.availability)}.`);
      }
      if (known(az.firstOnDemand) && !(Number.isInteger(az.firstOnDemand) && (az.firstOnDemand as number) >= 0)) {
        fail(p("azureAttributes.firstOnDemand"), `${p("azureAttributes.firstOnDemand")} must be a whole number >= 0 (nodes, the driver first, on on-demand VMs).`);
      }
      if (known(az.spotBidMaxPrice) && !(typeof az.spotBidMaxPrice === "number" && (az.spotBidMaxPrice === -1 || az.spotBidMaxPrice > 0))) {
        fail(p("azureAttributes.spotBidMaxPrice"), `${p("azureAttributes.spotBidMaxPrice")} must be -1 (up to the on-demand price) or a price in USD > 0.`);
      }
    }
  }
}

function isDestinations(v: unknown, kinds: string[]): boolean {
  if (!isObject(v)) return false;
  const keys = Object.keys(v);
  return keys.length === 1 && kinds.includes(keys[0]) && isObject(v[keys[0]]) && (!known((v[keys[0]] as Record<string, unknown>).destination) || typeof (v[keys[0]] as Record<string, unknown>).destination === "string");
}

export function checkString(v: unknown, property: string, fail: Fail, what: string): void {
  if (known(v) && (typeof v !== "string" || v === "")) fail(property, `${property} must be ${what}.`);
}

export function checkStringMap(v: unknown, property: string, fail: Fail): void {
  if (!known(v)) return;
  if (!isObject(v) || Object.values(v).some((x) => known(x) && typeof x !== "string")) fail(property, `${property} must map names to string values, e.g. { "spark.speculation": "true" }.`);
}

/**
 * Validates the inputs, every failure at once, each naming its property; unknown preview values
 * pass. A spec's `spark_version` fills `sparkVersion` when the program left it out. No host.
 */
export function checkCluster(news: Record<string, unknown>): { inputs: Record<string, unknown>; failures: CheckFailure[] } {
  const inputs: Record<string, unknown> = { ...news };
  const failures: CheckFailure[] = [];
  const fail: Fail = (property, reason) => failures.push({ property, reason });
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
  checkClusterSettings(inputs, "", fail, fromSpec);
  const minutes = inputs.autoterminationMinutes;
  if (known(minutes) && !(Number.isInteger(minutes) && ((minutes as number) === 0 || (minutes as number) >= 10))) {
    fail("autoterminationMinutes", "autoterminationMinutes is 0 (never) or a whole number of minutes >= 10.");
  }
  const wait = inputs.waitTimeoutSeconds;
  if (known(wait) && !(Number.isInteger(wait) && (wait as number) > 0)) {
    fail("waitTimeoutSeconds", `waitTimeoutSeconds must be a whole number of seconds > 0, not ${JSON.stringify(wait)}.`);
  }
  return { inputs, failures };
}

/** Validation at preview and up; fills `host` from the environment when absent. */
export async function check(_olds: Record<string, unknown>, news: Record<string, unknown>): Promise<{ inputs: Record<string, unknown>; failures: CheckFailure[] }> {
  const { inputs, failures } = checkCluster(news);
  checkHost(inputs, failures);
  return { inputs, failures };
}

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
  if (d.changes) {
    const effect =
      d.replaces.length > 0
        ? "will replace it (create the new cluster, then permanently delete the old one)"
        : edits.length > 0
          ? "will edit it (clusters/edit restarts a running cluster)"
          : "will record it (no API call)";
    progress(`Cluster ${label(olds, olds.clusterId)}: ${[...d.replaces, ...edits, ...settings].join(", ")} changed; ${effect}.`);
  }
  return d;
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
    return { outs: { ...stripUndefined(news), ...pick(olds, ["clusterId", "state", "stateMessage", "defaultTags"]) } as ClusterOutputs };
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

/** Reads the cluster; gone when it was permanently deleted. Named settings changed in the workspace flow back as drift. */
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
  const { clusterId: _c, state: _s, stateMessage: _m, defaultTags: _t, awaitingRunning: _a, ...inputs } = outs;
  return { id, props: stripUndefined(outs), inputs: stripUndefined(inputs) };
}

/** Permanently deletes the cluster, whatever its state; a cluster already gone counts as deleted. */
export async function remove(id: string, props: StoredCluster): Promise<void> {
  await ignoreGone(() => databricksApi(props.host).clusters.permanentDelete(id));
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
  const outs: ClusterOutputs = { ...stripUndefined(inputs), clusterId: c.cluster_id, state: c.state ?? "UNKNOWN" };
  delete outs.stateMessage;
  delete outs.defaultTags;
  delete outs.awaitingRunning;
  if (c.state_message) outs.stateMessage = c.state_message;
  if (c.spark_version !== undefined && inputs.sparkVersion === undefined) outs.sparkVersion = c.spark_version;
  if (c.default_tags) outs.defaultTags = c.default_tags;
  return outs;
}

/** Polls until RUNNING; a failure or timeout throws an error carrying the id and outputs. */
async function waitRunning(api: DatabricksApi, id: string, inputs: ClusterInputs): Promise<ClusterOutputs> {
  const c = await waitUntil(api, id, inputs, ["RUNNING", "TERMINATED", "ERROR"], "RUNNING");
  if (c.state === "RUNNING") return outputs(inputs, c);
  const reason = c.state_message || (c.termination_reason?.code ? `termination reason ${c.termination_reason.code}${c.termination_reason.type ? ` (${c.termination_reason.type})` : ""}` : "no message");
  throw recorded(new Error(`Cluster ${label(inputs, id)} ended ${c.state} while starting: ${reason}`), id, inputs, c);
}

/** Polls `clusters/get` with adaptive delays until one of `states`, printing each state change. */
async function waitUntil(api: DatabricksApi, id: string, inputs: ClusterInputs, states: string[], what: string): Promise<ClusterDetails> {
  const timeoutSeconds = inputs.waitTimeoutSeconds ?? DEFAULT_WAIT_SECONDS;
  const started = Date.now();
  let last = "";
  for (let attempt = 0; ; attempt++) {
    const c = await api.clusters.get(id);
    const state = c.state ?? "UNKNOWN";
    const elapsed = Date.now() - started;
    if (state !== last) {
      progress(`Cluster ${label(inputs, id)}: ${state} (${(elapsed / 1000).toFixed(1)}s)${c.state_message ? `: ${c.state_message}` : ""}`);
      last = state;
    }
    if (states.includes(state)) return c;
    if (elapsed >= timeoutSeconds * 1000) {
      throw recorded(
        new Error(`Cluster ${label(inputs, id)} is still ${state} after ${timeoutSeconds} s waiting for ${what}; it keeps going. Raise waitTimeoutSeconds, or run pulumi up again to keep waiting.`),
        id,
        inputs,
        c,
      );
    }
    await abortableSleep(Math.min(pollDelayMs(attempt, elapsed), Math.max(0, timeoutSeconds * 1000 - elapsed)));
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

function stripUndefined<T extends object>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
}

function pick<T extends object>(o: T, keys: (keyof T)[]): Partial<T> {
  return Object.fromEntries(keys.filter((k) => o[k] !== undefined).map((k) => [k, o[k]])) as Partial<T>;
}
