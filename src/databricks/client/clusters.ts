/** Clusters 2.0. Each method is one REST call. */
import type { CallOptions, DatabricksHttpClient } from "./httpClient";
import type { ClusterCreateRequest, ClusterDetails, ClusterEditRequest, ClustersListResponse } from "./types";

const CLUSTERS = "/api/2.0/clusters";

/** Clusters 2.0. */
export class ClustersApi {
  /** @param client The HTTP client every call goes through. */
  constructor(private readonly client: DatabricksHttpClient) {}

  /** Creates and starts a cluster (`POST clusters/create`); `spark_version` is required. */
  create(req: ClusterCreateRequest, opts: CallOptions = {}): Promise<{ cluster_id: string }> {
    const name = req.cluster_name ? ` "${req.cluster_name}"` : "";
    return this.client.request({ method: "POST", path: `${CLUSTERS}/create`, body: req, operation: `create cluster${name}`, idempotent: !!req.idempotency_token, ...opts });
  }

  /** Gets a cluster (`GET clusters/get`). A missing cluster is 400 "Cluster X does not exist". */
  get(clusterId: string, opts: CallOptions = {}): Promise<ClusterDetails> {
    return this.client.request({ method: "GET", path: `${CLUSTERS}/get`, query: { cluster_id: clusterId }, operation: `get cluster ${clusterId}`, ...opts });
  }

  /** Lists clusters (`GET clusters/list`). */
  list(opts: CallOptions = {}): Promise<ClustersListResponse> {
    return this.client.request({ method: "GET", path: `${CLUSTERS}/list`, operation: "list clusters", ...opts });
  }

  /** Replaces a cluster's configuration (`POST clusters/edit`). */
  async edit(req: ClusterEditRequest, opts: CallOptions = {}): Promise<void> {
    await this.client.request({ method: "POST", path: `${CLUSTERS}/edit`, body: req, operation: `edit cluster ${req.cluster_id}`, idempotent: true, ...opts });
  }

  /** Starts a terminated cluster (`POST clusters/start`). */
  async start(clusterId: string, opts: CallOptions = {}): Promise<void> {
    await this.client.request({ method: "POST", path: `${CLUSTERS}/start`, body: { cluster_id: clusterId }, operation: `start cluster ${clusterId}`, ...opts });
  }

  /** Terminates a cluster, keeping its configuration (`POST clusters/delete`). */
  async delete(clusterId: string, opts: CallOptions = {}): Promise<void> {
    await this.client.request({ method: "POST", path: `${CLUSTERS}/delete`, body: { cluster_id: clusterId }, operation: `terminate cluster ${clusterId}`, idempotent: true, ...opts });
  }

  /** Removes a cluster for good (`POST clusters/permanent-delete`). */
  async permanentDelete(clusterId: string, opts: CallOptions = {}): Promise<void> {
    await this.client.request({ method: "POST", path: `${CLUSTERS}/permanent-delete`, body: { cluster_id: clusterId }, operation: `permanently delete cluster ${clusterId}`, idempotent: true, ...opts });
  }
}
