/**
 * Clusters API 2.0/2.1: create, get, list, edit, start, restart, resize, delete (terminate),
 * permanent-delete, spark-versions and list-node-types. A missing cluster is 400
 * INVALID_PARAMETER_VALUE "Cluster X does not exist".
 */
import type { EmulatorRequest, EmulatorResponse } from "../../core/service";
import { invalidParameter } from "../errors";
import { bodyObject, optString, reqQueryString, reqString, type JsonObject } from "../request";
import { checked } from "../shapes";
import { CLUSTER_REQUEST, CLUSTER_RESIZE } from "../wireShapes";
import { compact, ok } from "../response";
import type { ClusterManager } from "./manager";
import { checkAutoscale, checkedClusterSpec } from "./spec";
import { clusterWire } from "./views";

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
      const size = checked(body, CLUSTER_RESIZE, "") as { num_workers?: number; autoscale?: JsonObject };
      const numWorkers = size.num_workers ?? undefined;
      const autoscale = size.autoscale ?? undefined;
      if ((numWorkers === undefined) === (autoscale === undefined)) throw invalidParameter("Exactly one of num_workers or autoscale must be specified.");
      checkAutoscale(autoscale, "autoscale");
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

/** The cluster configuration of a create or edit request, typed; throws when `spark_version` is missing. */
export function clusterSpec(body: JsonObject): JsonObject {
  const spec = checkedClusterSpec(body, "", CLUSTER_REQUEST);
  delete spec.cluster_id;
  delete spec.idempotency_token;
  return spec;
}
