/**
 * Resources whose PUT and DELETE are long-running (schedules, batch endpoints and their
 * deployments): PUT answers 201 (`Creating`) or 200 (`Updating`) with `Azure-AsyncOperation`, the
 * operation makes it `Succeeded`; DELETE answers 202 with `Azure-AsyncOperation` and `Location`
 * (204 when there is nothing), the operation removes it and what is below it.
 */
import type { EmulatorRequest } from "../core/service";
import { notFound, userError } from "./errors";
import { listBody } from "./resources";
import { checkName, isObject, putAnswer, readProperties, type AzureMlContext, type MlOperation } from "./routes";
import type { JsonObject, StoredResource } from "./state";

/** What differs between such resources. */
export interface LroResourceKind {
  /** The collection below the workspace, a route template: `schedules`, `batchEndpoints/{endpointName}/deployments`. */
  readonly collection: string;
  /** The route parameter of the resource's name. */
  readonly param: string;
  /** Name in messages: `schedule`. */
  readonly what: string;
  /** True for a tracked resource (it has a `location`, the workspace's by default). */
  readonly tracked: boolean;
  /** Checks what must exist first (a deployment's endpoint); throws when it does not. */
  parent?(req: EmulatorRequest): void;
  /** The properties to store (without `provisioningState`), checked; throws naming a property. */
  shape(req: EmulatorRequest, properties: JsonObject, existing: JsonObject | undefined): JsonObject;
  /** Filters a list by the request's query (a schedule's `listViewType`). */
  filter?(req: EmulatorRequest, resource: StoredResource): boolean;
}

/** The collection path of a request: the template's parameters filled in. */
function collectionOf(kind: LroResourceKind, req: EmulatorRequest): string {
  return kind.collection.replace(/\{(\w+)\}/g, (_, p: string) => req.params[p]);
}

/** GET list, GET, PUT and DELETE of one such kind. */
export function lroResourceOperations(ctx: AzureMlContext, kind: LroResourceKind): MlOperation[] {
  const { resources, operations } = ctx;
  const itemRoute = `${kind.collection}/{${kind.param}}`;
  const path = (req: EmulatorRequest): string => `${collectionOf(kind, req)}/${req.params[kind.param]}`;
  const get = (req: EmulatorRequest): StoredResource => {
    kind.parent?.(req);
    const found = resources.find(path(req));
    if (!found) throw notFound(`${kind.what} ${req.params[kind.param]}`);
    return found;
  };
  return [
    [
      "GET",
      kind.collection,
      `list ${kind.what}s`,
      (req) => {
        kind.parent?.(req);
        const items = resources.list(collectionOf(kind, req)).filter((r) => kind.filter?.(req, r) ?? true);
        return { status: 200, body: listBody(items.map((r) => resources.view(r))) };
      },
    ],
    ["GET", itemRoute, `get ${kind.what}`, (req) => ({ status: 200, body: resources.view(get(req)) })],
    [
      "PUT",
      itemRoute,
      `create or update ${kind.what}`,
      async (req) => {
        checkName(req.params[kind.param], kind.what);
        kind.parent?.(req);
        const { body, properties } = await readProperties(req);
        const existing = resources.find(path(req));
        if ((existing?.body.properties as JsonObject | undefined)?.provisioningState === "Deleting") throw userError(409, `The ${kind.what} ${req.params[kind.param]} is being deleted; wait for the deletion to finish.`);
        const stored: JsonObject = {
          ...(kind.tracked ? { location: typeof body.location === "string" ? body.location : ctx.config.location } : {}),
          ...(kind.tracked ? { tags: isObject(body.tags) ? body.tags : {} } : {}),
          ...(isObject(body.identity) ? { identity: body.identity } : {}),
          ...(isObject(body.sku) ? { sku: body.sku } : {}),
          ...(typeof body.kind === "string" ? { kind: body.kind } : {}),
          properties: { ...kind.shape(req, properties, existing?.body.properties as JsonObject | undefined), provisioningState: existing ? "Updating" : "Creating" },
        };
        const [outcome, op] = operations.putAndStart(path(req), stored, "mfe", { kind: "provisioned", path: path(req) });
        return putAnswer(outcome, resources.view(get(req)), operations.headers(req, op, "async"));
      },
    ],
    [
      "DELETE",
      itemRoute,
      `delete ${kind.what}`,
      (req) => {
        kind.parent?.(req);
        if (!resources.find(path(req))) return { status: 204 };
        const op = operations.deleteAndStart(path(req), "mfe");
        return { status: 202, headers: operations.headers(req, op, "both") };
      },
    ],
  ];
}
