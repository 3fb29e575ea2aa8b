/**
 * A cluster specification (the API's `new_cluster`): the one model an all-purpose cluster, a job's
 * clusters and a run's or task's new cluster share. Named fields are camelCase and converted to the
 * wire field by field; user maps (Spark conf, environment variables, tags) keep their keys.
 */
import type * as pulumi from "@pulumi/pulumi";
import type { Plain } from "../../core/plain";
import { checkEnum, checkExclusive, checkString, checkStringMap, checkWhole, Fail, isObject, known, prop } from "../../core/check";
import type { NewCluster } from "../client";

/** A storage destination. */
export interface DatabricksDestinationArgs {
  /** A path, e.g. `dbfs:/cluster-logs`, `/Shared/init.sh` or `/Volumes/main/default/logs`. */
  readonly destination: pulumi.Input<string>;
}

/** A cluster init script: exactly one of the locations. */
export interface DatabricksInitScriptArgs {
  /** A workspace file, e.g. `/Shared/init.sh`. */
  readonly workspace?: pulumi.Input<DatabricksDestinationArgs>;
  /** A DBFS file (deprecated by Databricks). */
  readonly dbfs?: pulumi.Input<DatabricksDestinationArgs>;
  /** An ADLS Gen2 file, `abfss://...`. */
  readonly abfss?: pulumi.Input<DatabricksDestinationArgs>;
  /** A Unity Catalog volume file. */
  readonly volumes?: pulumi.Input<DatabricksDestinationArgs>;
  /** A file on the nodes. */
  readonly file?: pulumi.Input<DatabricksDestinationArgs>;
}

/** A worker range for autoscaling. */
export interface DatabricksAutoscaleArgs {
  /** Fewest workers, at least 1. */
  readonly minWorkers: pulumi.Input<number>;
  /** Most workers, at least `minWorkers`. */
  readonly maxWorkers: pulumi.Input<number>;
}

/** Where a cluster delivers its logs: exactly one destination. */
export interface DatabricksClusterLogConfArgs {
  /** A DBFS folder, e.g. `dbfs:/cluster-logs`. */
  readonly dbfs?: pulumi.Input<DatabricksDestinationArgs>;
  /** A Unity Catalog volume folder, e.g. `/Volumes/main/default/logs`. */
  readonly volumes?: pulumi.Input<DatabricksDestinationArgs>;
}

/** Azure-specific attributes of a cluster. */
export interface DatabricksAzureAttributesArgs {
  /** How many nodes (the driver first) run on on-demand VMs. Default: the service's (1). */
  readonly firstOnDemand?: pulumi.Input<number>;
  /** `SPOT_AZURE`, `ON_DEMAND_AZURE` or `SPOT_WITH_FALLBACK_AZURE`. Default: the service's (`ON_DEMAND_AZURE`). */
  readonly availability?: pulumi.Input<"SPOT_AZURE" | "ON_DEMAND_AZURE" | "SPOT_WITH_FALLBACK_AZURE">;
  /** Highest spot price in USD, or -1 for up to the on-demand price. Default: -1. */
  readonly spotBidMaxPrice?: pulumi.Input<number>;
}

/** A cluster specification, camelCase (the API's `new_cluster`): a DatabricksCluster, a job's clusters, a run's or a task's new cluster. */
export interface DatabricksNewClusterArgs {
  /** Databricks runtime, e.g. `"15.4.x-scala2.12"`. Required. */
  readonly sparkVersion: pulumi.Input<string>;
  /** VM size of the workers (and the driver), e.g. `"Standard_DS3_v2"`. Exclusive with `instancePoolId`; one of them is required. */
  readonly nodeTypeId?: pulumi.Input<string>;
  /** VM size of the driver. Default: `nodeTypeId`. */
  readonly driverNodeTypeId?: pulumi.Input<string>;
  /** Instance pool to take nodes from. Exclusive with `nodeTypeId`. */
  readonly instancePoolId?: pulumi.Input<string>;
  /** Fixed number of workers. Exclusive with `autoscale`. Default: 0 (driver only). */
  readonly numWorkers?: pulumi.Input<number>;
  /** Worker range, `1 <= minWorkers <= maxWorkers`. Exclusive with `numWorkers`. */
  readonly autoscale?: pulumi.Input<DatabricksAutoscaleArgs>;
  /** Spark configuration; keys are sent as given. Default: none. */
  readonly sparkConf?: pulumi.Input<Record<string, pulumi.Input<string>>>;
  /** Environment variables of the Spark processes; keys are sent as given. Default: none. */
  readonly sparkEnvVars?: pulumi.Input<Record<string, pulumi.Input<string>>>;
  /** Tags of the cluster's VMs; keys are sent as given. Default: none. */
  readonly customTags?: pulumi.Input<Record<string, pulumi.Input<string>>>;
  /** Init scripts, run in order on every node at start. Default: none. */
  readonly initScripts?: pulumi.Input<pulumi.Input<DatabricksInitScriptArgs>[]>;
  /** Where the cluster delivers its logs: `{ dbfs: { destination } }` or `{ volumes: { destination } }`. Exclusive with `clusterLogPath`. Default: none. */
  readonly clusterLogConf?: pulumi.Input<DatabricksClusterLogConfArgs>;
  /** Short for `clusterLogConf: { dbfs: { destination } }`, e.g. `"dbfs:/cluster-logs"`. Exclusive with `clusterLogConf`. Default: none. */
  readonly clusterLogPath?: pulumi.Input<string>;
  /** Azure VM options (spot or on-demand). Default: the service's. */
  readonly azureAttributes?: pulumi.Input<DatabricksAzureAttributesArgs>;
}

/** A cluster specification as the provider sees it; `sparkVersion` may come from a spec instead. */
export type ClusterSpecInput = Partial<Plain<DatabricksNewClusterArgs>>;

/** Where an init script can live. */
export type InitScriptKind = "workspace" | "dbfs" | "abfss" | "volumes" | "file";
const INIT_SCRIPT_KINDS: InitScriptKind[] = ["workspace", "dbfs", "abfss", "volumes", "file"];
const AVAILABILITIES = ["SPOT_AZURE", "ON_DEMAND_AZURE", "SPOT_WITH_FALLBACK_AZURE"];
/** Named cluster fields, in the order they are converted and compared. */
export const NEW_CLUSTER_KEYS = [
  "sparkVersion", "nodeTypeId", "driverNodeTypeId", "instancePoolId", "numWorkers", "autoscale", "sparkConf", "sparkEnvVars",
  "customTags", "initScripts", "clusterLogConf", "clusterLogPath", "azureAttributes",
] as const;
/** The most workers a cluster can have on Azure Databricks. */
export const MAX_WORKERS = 100_000;
/** Wire fields of a cluster that are alternatives of each other (see `mergeSpec`). */
export const CLUSTER_ALTERNATIVES: readonly (readonly string[])[] = [["node_type_id", "instance_pool_id"], ["num_workers", "autoscale"]];

interface Destination {
  destination: string;
}

// ---------------------------------------------------------------------------------------------
// Conversion, field by field (user maps keep their keys)

/** camelCase cluster settings to the API's snake_case; only the fields present. */
export function toWireCluster(c: ClusterSpecInput): Partial<NewCluster> {
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
export function fromWireCluster(w: Partial<NewCluster>): ClusterSpecInput {
  const c: ClusterSpecInput = {};
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
    if (a.availability !== undefined) c.azureAttributes.availability = a.availability as "SPOT_AZURE" | "ON_DEMAND_AZURE" | "SPOT_WITH_FALLBACK_AZURE";
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

// ---------------------------------------------------------------------------------------------
// Validation

/**
 * Checks a cluster specification; properties are reported under `prefix` (e.g.
 * `tasks[0].newCluster`, or "" for a DatabricksCluster's own arguments). `fromSpec` holds the wire
 * fields a spec supplies, which satisfy "required" rules.
 */
export function checkClusterSpec(c: Record<string, unknown>, prefix: string, fail: Fail, fromSpec: Record<string, unknown> = {}): void {
  const p = (field: string) => prop(prefix, field);
  const has = (named: string, wire: string) => c[named] !== undefined || fromSpec[wire] !== undefined;

  if (!has("sparkVersion", "spark_version")) fail(p("sparkVersion"), `${p("sparkVersion")} is required, e.g. "15.4.x-scala2.12".`);
  else checkString(c.sparkVersion, p("sparkVersion"), fail, 'a Databricks runtime such as "15.4.x-scala2.12"');
  const pool = checkExclusive(c, ["nodeTypeId", "instancePoolId"], prefix, fail, "the pool decides the node type.");
  if (pool.length === 0 && !has("nodeTypeId", "node_type_id") && !has("instancePoolId", "instance_pool_id") && fromSpec.policy_id === undefined) {
    fail(p("nodeTypeId"), `${p("nodeTypeId")} is required unless ${p("instancePoolId")} is set, e.g. "Standard_DS3_v2".`);
  }
  checkString(c.nodeTypeId, p("nodeTypeId"), fail, 'a VM size such as "Standard_DS3_v2"');
  checkString(c.driverNodeTypeId, p("driverNodeTypeId"), fail, 'a VM size such as "Standard_DS3_v2"');
  checkString(c.instancePoolId, p("instancePoolId"), fail, "an instance pool id");

  checkExclusive(c, ["numWorkers", "autoscale"], prefix, fail, "a fixed size or a range.");
  checkWhole(c.numWorkers, p("numWorkers"), fail, 0, MAX_WORKERS);
  if (known(c.autoscale)) {
    const a = c.autoscale;
    const whole = (n: unknown) => Number.isInteger(n) && (n as number) >= 1 && (n as number) <= MAX_WORKERS;
    const ok = isObject(a) && a.minWorkers !== undefined && a.maxWorkers !== undefined && (!known(a.minWorkers) || !known(a.maxWorkers) || (whole(a.minWorkers) && whole(a.maxWorkers) && (a.maxWorkers as number) >= (a.minWorkers as number)));
    if (!ok) fail(p("autoscale"), `${p("autoscale")} needs whole numbers 1 <= minWorkers <= maxWorkers <= ${MAX_WORKERS}, e.g. { minWorkers: 1, maxWorkers: 4 }.`);
  }
  for (const key of ["sparkConf", "sparkEnvVars", "customTags"]) checkStringMap(c[key], p(key), fail, '{ "spark.speculation": "true" }');

  checkExclusive(c, ["clusterLogConf", "clusterLogPath"], prefix, fail, "clusterLogPath is short for clusterLogConf: { dbfs: { destination } }.");
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
  if (!known(az)) return;
  if (!isObject(az)) return fail(p("azureAttributes"), `${p("azureAttributes")} must be { firstOnDemand?, availability?, spotBidMaxPrice? }.`);
  checkEnum(az.availability, p("azureAttributes.availability"), fail, AVAILABILITIES);
  checkWhole(az.firstOnDemand, p("azureAttributes.firstOnDemand"), fail, 0, Number.MAX_SAFE_INTEGER, " (nodes, the driver first, on on-demand VMs)");
  if (known(az.spotBidMaxPrice) && !(typeof az.spotBidMaxPrice === "number" && (az.spotBidMaxPrice === -1 || az.spotBidMaxPrice > 0))) {
    fail(p("azureAttributes.spotBidMaxPrice"), `${p("azureAttributes.spotBidMaxPrice")} must be -1 (up to the on-demand price) or a price in USD > 0.`);
  }
}

function isDestinations(v: unknown, kinds: string[]): boolean {
  if (!isObject(v)) return false;
  const keys = Object.keys(v);
  return keys.length === 1 && kinds.includes(keys[0]) && isObject(v[keys[0]]) && (!known((v[keys[0]] as Record<string, unknown>).destination) || typeof (v[keys[0]] as Record<string, unknown>).destination === "string");
}
