/** Computes (`{WS}/computes`): attach, get, listKeys, detach. */
import type { ComputeResource, DatabricksComputeSecrets } from "./types";
import { CallOptions, enc, LroCallOptions, WorkspaceCalls } from "./workspace";

/** What to do with the underlying resource when a compute is deleted. */
export type UnderlyingResourceAction = "Delete" | "Detach";

/** Computes of one workspace. */
export class ComputesApi {
  constructor(private readonly calls: WorkspaceCalls) {}

  /** Creates or updates (attaches) a compute and waits for the operation (`PUT /computes/{name}`). */
  createOrUpdate(name: string, compute: ComputeResource, opts: LroCallOptions = {}): Promise<ComputeResource> {
    return this.calls.put<ComputeResource>(`/computes/${enc(name)}`, `attach compute "${name}"`, compute, `Azure ML compute "${name}"`, opts);
  }

  /** Gets a compute (`GET /computes/{name}`); secrets are never returned. */
  get(name: string, opts: CallOptions = {}): Promise<ComputeResource> {
    return this.calls.get<ComputeResource>(`/computes/${enc(name)}`, `get compute "${name}"`, opts);
  }

  /** The compute's secrets (`POST /computes/{name}/listKeys`). */
  listKeys(name: string, opts: CallOptions = {}): Promise<DatabricksComputeSecrets> {
    return this.calls.post<DatabricksComputeSecrets>(`/computes/${enc(name)}/listKeys`, `list the keys of compute "${name}"`, undefined, opts);
  }

  /** Every compute of the workspace (`GET /computes`). */
  list(opts: CallOptions = {}): Promise<ComputeResource[]> {
    return this.calls.list<ComputeResource>("/computes", "list computes", {}, opts);
  }

  /**
   * Deletes a compute and waits (`DELETE /computes/{name}?underlyingResourceAction=`): `Detach`
   * leaves the underlying resource (a Databricks workspace) alone. False when it was not there.
   */
  delete(name: string, action: UnderlyingResourceAction, opts: LroCallOptions = {}): Promise<boolean> {
    const verb = action === "Detach" ? "detach" : "delete";
    return this.calls.delete(`/computes/${enc(name)}`, `${verb} compute "${name}"`, `Azure ML compute "${name}"`, opts, { underlyingResourceAction: action });
  }
}
