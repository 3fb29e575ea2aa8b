/**
 * How an API group declares its routes: one line per operation under the group's path prefixes
 * (one per API version it answers), each handler wrapped so that a thrown
 * {@link DatabricksRequestError} becomes its response.
 */
import { guardRequestErrors, type EmulatorRequest, type EmulatorResponse, type HttpMethod, type Route, type RouteHandler } from "../core/service";
import type { DatabricksRequestError } from "./errors";

/** A Databricks handler: answers, or throws a {@link DatabricksRequestError}. */
export type DatabricksHandler = (req: EmulatorRequest) => Promise<EmulatorResponse> | EmulatorResponse;

/**
 * One operation: method, path below the group's prefix, what it does (for diagnostics), handler,
 * and the largest body it reads when that is less than the service's.
 */
export type Operation = readonly [method: HttpMethod, path: string, operation: string, handler: DatabricksHandler, maxBodyBytes?: number];

/** Wraps a handler so that a thrown {@link DatabricksRequestError} becomes its response. */
export function guarded(handler: DatabricksHandler): RouteHandler {
  return guardRequestErrors(handler);
}

/** The routes of a group's operations under each of its prefixes (`/api/2.0/clusters`, ...). */
export function routeTable(prefixes: readonly string[], operations: readonly Operation[]): Route[] {
  return prefixes.flatMap((prefix) =>
    operations.map(([method, path, operation, handler, maxBodyBytes]): Route => ({
      method,
      path: `${prefix}${path}`,
      operation,
      handle: guarded(handler),
      ...(maxBodyBytes !== undefined ? { maxBodyBytes } : {}),
    })),
  );
}
