/** Batch endpoints and their deployments (`{WS}/batchEndpoints`). */
import type { BatchDeployment, BatchEndpoint } from "./types";
import { CallOptions, enc, LroCallOptions, WorkspaceCalls } from "./workspace";

/** Batch endpoints of one workspace. */
export class BatchEndpointsApi {
  constructor(private readonly calls: WorkspaceCalls) {}

  /** Creates or updates an endpoint and waits (`PUT /batchEndpoints/{name}`). */
  createOrUpdate(name: string, endpoint: BatchEndpoint, opts: LroCallOptions = {}): Promise<BatchEndpoint> {
    return this.calls.put<BatchEndpoint>(`/batchEndpoints/${enc(name)}`, `put batch endpoint "${name}"`, endpoint, `Azure ML batch endpoint "${name}"`, opts);
  }

  /** Gets an endpoint. */
  get(name: string, opts: CallOptions = {}): Promise<BatchEndpoint> {
    return this.calls.get<BatchEndpoint>(`/batchEndpoints/${enc(name)}`, `get batch endpoint "${name}"`, opts);
  }

  /** Deletes an endpoint (and, in Azure, its deployments) and waits; false when it was not there. */
  delete(name: string, opts: LroCallOptions = {}): Promise<boolean> {
    return this.calls.delete(`/batchEndpoints/${enc(name)}`, `delete batch endpoint "${name}"`, `Azure ML batch endpoint "${name}"`, opts);
  }

  /** Creates or updates a deployment and waits (`PUT /batchEndpoints/{ep}/deployments/{name}`). */
  createOrUpdateDeployment(endpoint: string, name: string, deployment: BatchDeployment, opts: LroCallOptions = {}): Promise<BatchDeployment> {
    return this.calls.put<BatchDeployment>(this.deploymentPath(endpoint, name), `put deployment "${name}" of batch endpoint "${endpoint}"`, deployment, `Azure ML batch deployment "${endpoint}/${name}"`, opts);
  }

  /** Gets a deployment. */
  getDeployment(endpoint: string, name: string, opts: CallOptions = {}): Promise<BatchDeployment> {
    return this.calls.get<BatchDeployment>(this.deploymentPath(endpoint, name), `get deployment "${name}" of batch endpoint "${endpoint}"`, opts);
  }

  /** Deletes a deployment and waits; false when it was not there. */
  deleteDeployment(endpoint: string, name: string, opts: LroCallOptions = {}): Promise<boolean> {
    return this.calls.delete(this.deploymentPath(endpoint, name), `delete deployment "${name}" of batch endpoint "${endpoint}"`, `Azure ML batch deployment "${endpoint}/${name}"`, opts);
  }

  private deploymentPath(endpoint: string, name: string): string {
    return `/batchEndpoints/${enc(endpoint)}/deployments/${enc(name)}`;
  }
}
