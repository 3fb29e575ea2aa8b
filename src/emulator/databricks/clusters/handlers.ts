/**
 * Clusters API 2.0/2.1: create, get, list, edit, start, restart, resize, delete (terminate),
 * permanent-delete, spark-versions and list-node-types. A missing cluster is 400
 * INVALID_PARAMETER_VALUE "Cluster X does not exist".
 */
import type { EmulatorRequest, EmulatorResponse } from "../../core/service";
import type { ClusterManager } from "./lifecycle";
import { EMULATOR_USER } from "../config";
import { invalidParameter } from "../errors";
import type { StoredCluster } from "../models";
import { bodyObject, compact, ok, optInt, optObject, optString, reqQueryString, reqString, toInteger, type JsonObject } from "../request";

/** Fields of a cluster specification that are numbers on the wire (and may arrive as strings). */
const INTEGER_FIELDS = ["num_workers", "autotermination_minutes"] as const;

/** The Clusters API handlers. */
export function createClusterHandlers(clusters: ClusterManager) {
  return {
    async create(req: EmulatorRequest): Promise<EmulatorResponse> {
      const body = await bodyObject(req);
      const token = optString(body, "idempotency_token");
      if (token !== undefined && token.length > 64) throw invalidParameter("idempotency_token must be at most 64 characters.");
      const id = clusters.create(clusterSpec(body), token);
      return ok({ cluster_id: id });
    },

    get(req: EmulatorRequest): EmulatorResponse {
      return ok(clusterWire(clusters.get(reqQueryString(req, "cluster_id"))));
    },

    list(): EmulatorResponse {
      const all = clusters.list().sort((a, b) => b.start_time - a.start_time || a.cluster_id.localeCompare(b.cluster_id));
      return ok(compact({ clusters: all.map(clusterWire) }));
    },

    async edit(req: EmulatorRequest): Promise<EmulatorResponse> {
      const body = await bodyObject(req);
      const id = reqString(body, "cluster_id");
      clusters.edit(id, clusterSpec(body));
      return ok();
    },

    async start(req: EmulatorRequest): Promise<EmulatorResponse> {
      clusters.start(reqString(await bodyObject(req), "cluster_id"));
      return ok();
    },

    async restart(req: EmulatorRequest): Promise<EmulatorResponse> {
      clusters.restart(reqString(await bodyObject(req), "cluster_id"));
      return ok();
    },

    async resize(req: EmulatorRequest): Promise<EmulatorResponse> {
      const body = await bodyObject(req);
      const id = reqString(body, "cluster_id");
      const numWorkers = optInt(body, "num_workers");
      const autoscale = optObject(body, "autoscale");
      if ((numWorkers === undefined) === (autoscale === undefined)) throw invalidParameter("Exactly one of num_workers or autoscale must be specified.");
      clusters.resize(id, numWorkers !== undefined ? { num_workers: numWorkers } : { autoscale: autoscale! });
      return ok();
    },

    async delete(req: EmulatorRequest): Promise<EmulatorResponse> {
      clusters.terminate(reqString(await bodyObject(req), "cluster_id"));
      return ok();
    },

    async permanentDelete(req: EmulatorRequest): Promise<EmulatorResponse> {
      const id = reqString(await bodyObject(req), "cluster_id");
      clusters.get(id);
      clusters.remove(id);
      return ok();
    },

    sparkVersions(): EmulatorResponse {
      return ok({
        versions: [
          { key: "16.4.x-scala2.12", name: "16.4 LTS (includes Apache Spark 3.5.2, Scala 2.12)" },
          { key: "15.4.x-scala2.12", name: "15.4 LTS (includes Apache Spark 3.5.0, Scala 2.12)" },
          { key: "14.3.x-scala2.12", name: "14.3 LTS (includes Apache Spark 3.5.0, Scala 2.12)" },
          { key: "13.3.x-scala2.12", name: "13.3 LTS (includes Apache Spark 3.4.1, Scala 2.12)" },
        ],
      });
    },

    listNodeTypes(): EmulatorResponse {
      const node = (id: string, cores: number, memoryMb: number) => ({
        node_type_id: id,
        instance_type_id: id,
        memory_mb: memoryMb,
        num_cores: cores,
        num_gpus: 0,
        category: "General Purpose",
        description: id,
        is_deprecated: false,
        is_hidden: false,
        support_port_forwarding: true,
        photon_worker_capable: true,
        photon_driver_capable: true,
      });
      return ok({ node_types: [node("Standard_DS3_v2", 4, 14336), node("Standard_DS4_v2", 8, 28672), node("Standard_D4ds_v5", 4, 16384), node("Standard_E8ds_v5", 8, 65536)] });
    },
  };
}

/** The handlers' type. */
export type ClusterHandlers = ReturnType<typeof createClusterHandlers>;

/** The cluster configuration of a create or edit request; throws when `spark_version` is missing. */
export function clusterSpec(body: JsonObject): JsonObject {
  const spec: JsonObject = { ...body };
  delete spec.cluster_id;
  delete spec.idempotency_token;
  if (typeof spec.spark_version !== "string" || spec.spark_version === "") throw invalidParameter("Missing required field: spark_version");
  for (const field of INTEGER_FIELDS) {
    if (spec[field] === undefined || spec[field] === null) continue;
    const n = toInteger(spec[field]);
    if (n === undefined || n < 0) throw invalidParameter(`Invalid value for field ${field}: ${JSON.stringify(spec[field])}`);
    spec[field] = n;
  }
  return spec;
}

/** A cluster as `clusters/get` returns it. */
export function clusterWire(c: StoredCluster): JsonObject {
  const spec = c.spec;
  const name = typeof spec.cluster_name === "string" ? spec.cluster_name : "";
  const nodeType = typeof spec.node_type_id === "string" ? spec.node_type_id : undefined;
  const running = c.state === "RUNNING" || c.state === "RESIZING";
  const workers = typeof spec.num_workers === "number" ? spec.num_workers : minWorkers(spec.autoscale);
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
