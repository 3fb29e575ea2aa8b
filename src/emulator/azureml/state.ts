/**
 * The state of the emulated Azure ML workspace, as stored (in memory, or under
 * `<stateDir>/azureml/` as a snapshot and a journal). Every child resource, whatever its API group,
 * is one {@link StoredResource} keyed by its path below the workspace in lower case (Resource
 * Manager names are case-insensitive): `computes/adb`, `components/prep/versions/1`,
 * `batchendpoints/ep/deployments/d`. Long-running operations are records of their own.
 */
import { asKeyed, keyed, type Keyed } from "../core/keyed";

/** A JSON object as clients send it. */
export type JsonObject = Record<string, unknown>;

/** One child resource of the workspace. */
export interface StoredResource {
  /** Path below the workspace as first spelled (`computes/adb-compute`). */
  path: string;
  /** The resource without `id`, `name`, `type` and `systemData`: `properties`, and `location`, `tags`, `identity`, `sku`, `kind` where it has them. */
  body: JsonObject;
  /** Creation and last change, ms of the emulator's clock. */
  createdAt: number;
  modifiedAt: number;
  /** Values no read returns (a Databricks access token): only `listKeys` shows them. */
  secrets?: Record<string, string>;
}

/** What completing an operation does. */
export type OperationEffect =
  /** The resource's `provisioningState` becomes `Succeeded`. */
  | { readonly kind: "provisioned"; readonly path: string }
  /** The resource goes away. */
  | { readonly kind: "removed"; readonly path: string }
  /** The job becomes `Canceled` (unless it already ended). */
  | { readonly kind: "jobCanceled"; readonly path: string };

/** Status of an operation (`Azure-AsyncOperation` documents). */
export type OperationStatus = "InProgress" | "Succeeded" | "Failed" | "Canceled";

/** One long-running operation. */
export interface StoredOperation {
  id: string;
  status: OperationStatus;
  /** Where its status document is served: compute operations and the others differ, as in Azure. */
  family: "compute" | "mfe";
  startedAt: number;
  completesAt: number;
  endedAt?: number;
  effect: OperationEffect;
}

/** Everything the workspace holds. */
export interface AzureMlState {
  format: 1;
  /** The workspace's GUID (`properties.workspaceId`), made at the first start. */
  workspaceId: string;
  createdAt: number;
  resources: Keyed<StoredResource>;
  operations: Keyed<StoredOperation>;
}

/** A fresh state of a workspace made at `now`. */
export function emptyState(workspaceId: string, now: number): AzureMlState {
  return { format: 1, workspaceId, createdAt: now, resources: keyed(), operations: keyed() };
}

/** The state parsed from JSON, checked, its keyed collections given no prototype (in place). */
export function reviveState(data: unknown): AzureMlState {
  const s = data as Partial<Record<keyof AzureMlState, unknown>> | null;
  if (typeof s !== "object" || s === null || s.format !== 1) throw new Error("not an Azure ML state of format 1");
  if (typeof s.workspaceId !== "string" || typeof s.createdAt !== "number") throw new Error("the workspace id or creation time is missing");
  asKeyed(s.resources, "resources");
  asKeyed(s.operations, "operations");
  return s as unknown as AzureMlState;
}
