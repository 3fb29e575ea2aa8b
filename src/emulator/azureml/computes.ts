/**
 * Computes (C1 to C5). Attaching a Databricks workspace is a long-running PUT (`Creating`, or
 * `Updating` for a token rotation, then `Succeeded`); its access token is kept apart and no read
 * returns it, only `listKeys`. DELETE needs `underlyingResourceAction` (`Delete` or `Detach`):
 * either way the emulator removes only the compute; the Databricks workspace behind an attached
 * compute is never touched (Azure deletes the underlying resource of a compute it made, which the
 * emulator makes none of).
 */
import type { Route } from "../core/service";
import { invalidProperty, notFound, userError } from "./errors";
import { listBody } from "./resources";
import { isObject, oneOf, putAnswer, readProperties, requiredString, checkName, workspaceRoutes, type AzureMlContext } from "./routes";
import type { JsonObject, StoredResource } from "./state";

/** `computeType` values. */
export const COMPUTE_TYPES = ["AKS", "Kubernetes", "AmlCompute", "ComputeInstance", "DataFactory", "VirtualMachine", "HDInsight", "Databricks", "DataLakeAnalytics", "SynapseSpark"] as const;
/** Computes Azure ML makes itself; every other type is attached. */
const MANAGED_TYPES: readonly string[] = ["AmlCompute", "ComputeInstance"];
/** The ARM id of an Azure Databricks workspace. */
const DATABRICKS_WORKSPACE_ID = /^\/subscriptions\/[^/]+\/resourceGroups\/[^/]+\/providers\/Microsoft\.Databricks\/workspaces\/[^/]+$/i;

/** The stored body of the seeded compute cluster for steps. */
export function clusterBody(location: string): JsonObject {
  return {
    location,
    properties: {
      computeType: "AmlCompute",
      computeLocation: location,
      description: "Compute cluster for pipeline steps (emulated).",
      provisioningState: "Succeeded",
      provisioningErrors: null,
      isAttachedCompute: false,
      disableLocalAuth: true,
      properties: {
        vmSize: "STANDARD_DS3_V2",
        vmPriority: "Dedicated",
        osType: "Linux",
        scaleSettings: { minNodeCount: 0, maxNodeCount: 4, nodeIdleTimeBeforeScaleDown: "PT120S" },
        allocationState: "Steady",
        currentNodeCount: 0,
        targetNodeCount: 0,
      },
    },
  };
}

/** The compute routes. */
export function computeRoutes(ctx: AzureMlContext): Route[] {
  const { resources, operations } = ctx;
  const path = (name: string): string => `computes/${name}`;
  const view = (r: StoredResource): JsonObject => {
    const v = resources.view(r);
    return { ...v, properties: { ...(v.properties as JsonObject), createdOn: new Date(r.createdAt).toISOString(), modifiedOn: new Date(r.modifiedAt).toISOString() } };
  };
  const get = (name: string): StoredResource => {
    const found = resources.find(path(name));
    if (!found) throw notFound(`compute ${name}`);
    return found;
  };

  return workspaceRoutes(ctx, [
    ["GET", "computes", "list computes", () => ({ status: 200, body: listBody(resources.list("computes").map(view)) })],
    ["GET", "computes/{computeName}", "get compute", (req) => ({ status: 200, body: view(get(req.params.computeName)) })],
    [
      "PUT",
      "computes/{computeName}",
      "create or attach compute",
      async (req) => {
        const name = req.params.computeName;
        checkName(name, "compute");
        const { body, properties } = await readProperties(req);
        const computeType = oneOf(properties.computeType, COMPUTE_TYPES, "properties.computeType");
        const existing = resources.find(path(name));
        const existingProps = existing?.body.properties as JsonObject | undefined;
        if (existingProps?.provisioningState === "Deleting") throw userError(409, `Compute ${name} is being deleted; wait for the deletion to finish.`);
        if (existingProps && (existingProps.computeType !== computeType || String(existingProps.resourceId ?? "").toLowerCase() !== String(properties.resourceId ?? "").toLowerCase())) {
          throw userError(409, `Compute ${name} already exists with another computeType or resourceId; delete or detach it first.`);
        }
        const inner = isObject(properties.properties) ? { ...properties.properties } : {};
        let secrets: Record<string, string> | undefined;
        if (computeType === "Databricks") {
          if (!DATABRICKS_WORKSPACE_ID.test(String(properties.resourceId ?? ""))) throw invalidProperty("properties.resourceId", "must be the Resource Manager id of an Azure Databricks workspace");
          const url = requiredString(inner.workspaceUrl, "properties.properties.workspaceUrl");
          if (!/^https:\/\/[^/\s]+\/?$/.test(url)) throw invalidProperty("properties.properties.workspaceUrl", "must be an https URL of a workspace");
          const token = inner.databricksAccessToken;
          if (token !== undefined && token !== null) secrets = { databricksAccessToken: requiredString(token, "properties.properties.databricksAccessToken") };
          else if (!existing?.secrets?.databricksAccessToken) throw invalidProperty("properties.properties.databricksAccessToken", "is required to attach a Databricks workspace");
          delete inner.databricksAccessToken;
        }
        const stored: JsonObject = {
          location: typeof body.location === "string" ? body.location : ctx.config.location,
          ...(isObject(body.tags) ? { tags: body.tags } : {}),
          ...(isObject(body.identity) ? { identity: body.identity } : {}),
          ...(isObject(body.sku) ? { sku: body.sku } : {}),
          properties: {
            ...properties,
            properties: inner,
            provisioningState: existing ? "Updating" : "Creating",
            provisioningErrors: null,
            isAttachedCompute: !MANAGED_TYPES.includes(computeType),
          },
        };
        const [outcome, op] = operations.putAndStart(path(name), stored, "compute", { kind: "provisioned", path: path(name) }, secrets);
        return putAnswer(outcome, view(get(name)), operations.headers(req, op, "async"));
      },
    ],
    [
      "DELETE",
      "computes/{computeName}",
      "delete or detach compute",
      (req) => {
        const name = req.params.computeName;
        const action = oneOf(req.query.get("underlyingResourceAction") ?? undefined, ["Delete", "Detach"] as const, "the query parameter underlyingResourceAction");
        const existing = resources.find(path(name));
        if (!existing) return { status: 204 };
        const props = existing.body.properties as JsonObject;
        if (action === "Detach" && props.isAttachedCompute !== true) throw userError(400, `Compute ${name} was not attached, so it cannot be detached; delete it with underlyingResourceAction=Delete.`);
        const op = operations.deleteAndStart(path(name), "compute");
        return { status: 202, headers: operations.headers(req, op, "both") };
      },
    ],
    [
      "POST",
      "computes/{computeName}/listKeys",
      "list compute keys",
      (req) => {
        const compute = get(req.params.computeName);
        const computeType = (compute.body.properties as JsonObject).computeType;
        return { status: 200, body: { computeType, ...(computeType === "Databricks" ? { databricksAccessToken: compute.secrets?.databricksAccessToken } : {}) } };
      },
    ],
  ]);
}
