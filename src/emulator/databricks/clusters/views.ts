/** Clusters as the Clusters API returns them (`clusters/get`, `clusters/list` items). */
import { EMULATOR_USER, MAX_LISTED_EXECUTORS } from "../config";
import { toInteger, type JsonObject } from "../request";
import { compact } from "../response";
import type { StoredCluster } from "./models";

/**
 * A cluster as `clusters/get` returns it. A running cluster lists its driver and at most
 * {@link MAX_LISTED_EXECUTORS} executors, whatever its size (even one stored before sizes were
 * bounded), so no answer grows with `num_workers`.
 */
export function clusterWire(c: StoredCluster): JsonObject {
  const spec = c.spec;
  const name = typeof spec.cluster_name === "string" ? spec.cluster_name : "";
  const nodeType = typeof spec.node_type_id === "string" ? spec.node_type_id : undefined;
  const running = c.state === "RUNNING" || c.state === "RESIZING";
  const workers = Math.min(MAX_LISTED_EXECUTORS, Math.max(0, typeof spec.num_workers === "number" ? spec.num_workers : minWorkers(spec.autoscale)));
  return compact({
    cluster_id: c.cluster_id,
    creator_user_name: c.creator_user_name,
    ...spec,
    cluster_name: name,
    driver_node_type_id: spec.driver_node_type_id ?? nodeType,
    autotermination_minutes: spec.autotermination_minutes ?? 120,
    enable_elastic_disk: spec.enable_elastic_disk ?? true,
    azure_attributes: spec.azure_attributes ?? { first_on_demand: 1, availability: "ON_DEMAND_AZURE", spot_bid_max_price: -1 },
    state: c.state,
    state_message: c.state_message,
    start_time: c.start_time,
    last_restarted_time: c.last_restarted_time,
    terminated_time: c.state === "TERMINATED" ? c.terminated_time : undefined,
    termination_reason: c.state === "TERMINATED" || c.state === "TERMINATING" ? c.termination_reason : undefined,
    spark_context_id: c.spark_context_id,
    jdbc_port: 10000,
    cluster_source: "API",
    default_tags: { Vendor: "Databricks", Creator: EMULATOR_USER, ClusterName: name, ClusterId: c.cluster_id },
    driver: running ? node(c, 0) : undefined,
    executors: running ? Array.from({ length: workers }, (_, i) => node(c, i + 1)) : undefined,
    spec,
  });
}

function minWorkers(autoscale: unknown): number {
  const min = (autoscale as { min_workers?: unknown } | undefined)?.min_workers;
  return toInteger(min) ?? 0;
}

function node(c: StoredCluster, index: number): JsonObject {
  const ip = `10.139.64.${10 + index}`;
  return { private_ip: ip, host_private_ip: ip, node_id: `${c.cluster_id.slice(-8)}${String(index).padStart(4, "0")}`, instance_id: `${c.cluster_id}-${index}`, start_timestamp: c.start_time };
}
