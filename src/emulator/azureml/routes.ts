/**
 * How the provider's API groups declare their routes: one line per operation below the workspace
 * (`computes/{computeName}`), each wrapped so that the workspace's scope is checked, due
 * long-running operations are settled first, and a thrown `ArmRequestError` becomes the answer.
 * Also the request-body helpers every group uses.
 */
import { armGuarded } from "../arm/errors";
import type { EmulatorRequest, EmulatorResponse, HttpMethod, Route } from "../core/service";
import type { BlobStorage } from "../storage/blobStorage";
import type { AzureMlConfig } from "./config";
import { invalidProperty, userError } from "./errors";
import type { Operations } from "./operations";
import type { Resources } from "./resources";
import { checkScope, childPathOf, WORKSPACE_ROUTE } from "./scope";
import type { JsonObject } from "./state";

/** What every API group works with. */
export interface AzureMlContext {
  readonly config: AzureMlConfig;
  /** The emulator's tenant (the workspace identity's). */
  readonly tenantId: string;
  /** The blob storage behind the datastores; without it, no datastore has a container. */
  readonly storage?: BlobStorage;
  readonly resources: Resources;
  readonly operations: Operations;
}

/** A handler of the provider. */
export type MlHandler = (req: EmulatorRequest) => Promise<EmulatorResponse> | EmulatorResponse;

/** One operation: method, path below the workspace (`""` for the workspace itself), what it does, handler. */
export type MlOperation = readonly [method: HttpMethod, path: string, operation: string, handler: MlHandler];

/** A route of the provider at a full path template, checked up to `upTo` and settled first. */
export function mlRoute(ctx: AzureMlContext, method: HttpMethod, path: string, operation: string, upTo: "subscription" | "resourceGroup" | "workspace", nested: boolean, handler: MlHandler): Route {
  return {
    method,
    path,
    operation,
    ignoreCase: true,
    handle: armGuarded((req) => {
      checkScope(req, ctx.config, upTo, nested);
      ctx.operations.settle();
      return handler(req);
    }),
  };
}

/** The routes of a group's operations below the workspace. */
export function workspaceRoutes(ctx: AzureMlContext, operations: readonly MlOperation[]): Route[] {
  return operations.map(([method, path, operation, handler]) => mlRoute(ctx, method, path ? `${WORKSPACE_ROUTE}/${path}` : WORKSPACE_ROUTE, operation, "workspace", path !== "", handler));
}

/** True for a JSON object (not an array, not null). */
export function isObject(value: unknown): value is JsonObject {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** The request body, which must be a JSON object. */
export async function readBody(req: EmulatorRequest): Promise<JsonObject> {
  const body = await req.readJson();
  if (!isObject(body)) throw userError(400, "The request body must be a JSON object.");
  return body;
}

/** The request body's `properties`, which must be an object. */
export async function readProperties(req: EmulatorRequest): Promise<{ body: JsonObject; properties: JsonObject }> {
  const body = await readBody(req);
  if (!isObject(body.properties)) throw invalidProperty("properties", "is required and must be an object");
  return { body, properties: body.properties };
}

/** The fields every Azure ML resource's properties have (`ResourceBase`), with the service's defaults. */
export function resourceBase(properties: JsonObject): JsonObject {
  return {
    description: properties.description ?? null,
    tags: isObject(properties.tags) ? properties.tags : {},
    properties: isObject(properties.properties) ? properties.properties : {},
  };
}

/**
 * Throws 400 naming `property` when `reference` (an ARM id, `azureml:` prefix allowed) names a
 * resource of this workspace that does not exist; references elsewhere (a registry, a short
 * `azureml:name:version`) are not checked.
 */
export function mustExist(ctx: AzureMlContext, reference: unknown, property: string): void {
  if (typeof reference !== "string") return;
  const child = childPathOf(reference, ctx.config);
  if (child !== undefined && !ctx.resources.find(child)) throw userError(400, `Invalid request: ${property} names '${reference}', which does not exist in the workspace.`);
}

/** A string property that must be present (`path` names it in the error). */
export function requiredString(value: unknown, path: string): string {
  if (typeof value !== "string" || value.trim() === "") throw invalidProperty(path, "is required and must be a non-empty string");
  return value;
}

/** One of `allowed`, or the error naming them. */
export function oneOf<T extends string>(value: unknown, allowed: readonly T[], path: string): T {
  if (typeof value !== "string" || !allowed.includes(value as T)) throw invalidProperty(path, `must be one of ${allowed.join(", ")}`);
  return value as T;
}

/** The answer to a synchronous PUT: 201 when created, 200 when replaced. */
export function putAnswer(outcome: "created" | "updated", body: unknown, headers?: Record<string, string>): EmulatorResponse {
  return { status: outcome === "created" ? 201 : 200, body, ...(headers ? { headers } : {}) };
}

/** Names in paths: what Azure ML accepts for an asset, a compute, a job (letters, digits, `-`, `_`, `.`; 1 to 255). */
export function checkName(name: string, what: string): void {
  if (!/^[a-zA-Z0-9][a-zA-Z0-9\-_.]{0,254}$/.test(name)) throw userError(400, `The ${what} name '${name}' is not valid: use letters, digits, '-', '_' and '.', starting with a letter or digit.`);
}
