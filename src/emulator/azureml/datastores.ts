/**
 * Datastores (D1 to D3): the workspace's default `workspaceblobstore`, an Azure Blob datastore
 * whose container lives in the emulator's Azurite (account `devstoreaccount1`). A read never shows
 * the account key; `listSecrets` does. The container is made when its secrets are first asked for
 * (the moment a client is about to use it), so an emulator that never uploads never starts Azurite.
 */
import type { Route } from "../core/service";
import { WELL_KNOWN_ACCOUNT } from "../storage/accounts";
import type { AzureMlConfig } from "./config";
import { notFound, userError } from "./errors";
import { listBody } from "./resources";
import { workspaceRoutes, type AzureMlContext } from "./routes";
import type { JsonObject, StoredResource } from "./state";

/** The storage account of the workspace's datastores. */
export const DATASTORE_ACCOUNT = WELL_KNOWN_ACCOUNT;

/** The property of a datastore naming the blob service URL its clients reach (Azurite's, path-style). */
export const BLOB_SERVICE_URL_PROPERTY = "emulator.blobServiceUrl";

/** The Resource Manager id of the workspace's storage account. */
export function storageAccountArmId(config: AzureMlConfig): string {
  return `/subscriptions/${config.subscriptionId}/resourceGroups/${config.resourceGroup}/providers/Microsoft.Storage/storageAccounts/${DATASTORE_ACCOUNT}`;
}

/** The container of the default datastore, named as Azure names it. */
export function defaultContainer(workspaceId: string): string {
  return `azureml-blobstore-${workspaceId}`;
}

/** The stored body of the default datastore (where its blob service answers is added when it is shown). */
export function defaultDatastoreBody(workspaceId: string): JsonObject {
  return {
    properties: {
      datastoreType: "AzureBlob",
      isDefault: true,
      accountName: DATASTORE_ACCOUNT,
      containerName: defaultContainer(workspaceId),
      endpoint: "core.windows.net",
      protocol: "https",
      serviceDataAccessAuthIdentity: "None",
      credentials: { credentialsType: "AccountKey", secrets: { secretsType: "AccountKey" } },
      description: null,
      tags: {},
      properties: {},
    },
  };
}

/**
 * A datastore as shown: an Azurite-backed one names the blob endpoint it answers on (`endpoint`
 * `127.0.0.1:<port>`, `protocol` `http`, and the path-style service URL in
 * `properties["emulator.blobServiceUrl"]`), which may change at each start.
 */
function datastoreView(ctx: AzureMlContext, datastore: StoredResource): JsonObject {
  const view = ctx.resources.view(datastore);
  const properties = view.properties as JsonObject;
  if (!ctx.storage || properties.accountName !== DATASTORE_ACCOUNT) return view;
  const blob = new URL(ctx.storage.url);
  return {
    ...view,
    properties: {
      ...properties,
      endpoint: blob.host,
      protocol: blob.protocol.replace(":", ""),
      properties: { ...(properties.properties as JsonObject), [BLOB_SERVICE_URL_PROPERTY]: `${ctx.storage.url}/${DATASTORE_ACCOUNT}` },
    },
  };
}

/** Makes the datastore's container in Azurite if it is not there (after a reset, a first use). */
export async function ensureContainer(ctx: AzureMlContext, properties: JsonObject): Promise<void> {
  if (!ctx.storage) throw userError(400, "The emulator has no blob storage, so this datastore has no container.");
  await ctx.storage.client(String(properties.accountName)).getContainerClient(String(properties.containerName)).createIfNotExists();
}

/** The datastore routes. */
export function datastoreRoutes(ctx: AzureMlContext): Route[] {
  const { resources } = ctx;
  const get = (name: string) => {
    const found = resources.find(`datastores/${name}`);
    if (!found) throw notFound(`datastore ${name}`);
    return found;
  };
  return workspaceRoutes(ctx, [
    [
      "GET",
      "datastores",
      "list datastores",
      (req) => {
        const isDefault = req.query.get("isDefault");
        const names = req.query.getAll("names").flatMap((n) => n.split(",")).map((n) => n.toLowerCase());
        const count = Number(req.query.get("count") ?? "");
        const skip = Number(req.query.get("$skip") ?? "0") || 0;
        let found = resources.list("datastores").filter((d) => {
          const props = d.body.properties as JsonObject;
          if (isDefault !== null && String(props.isDefault) !== isDefault.toLowerCase()) return false;
          return names.length === 0 || names.includes(d.path.split("/")[1].toLowerCase());
        });
        found = found.slice(skip, Number.isInteger(count) && count > 0 ? skip + count : undefined);
        return { status: 200, body: listBody(found.map((d) => datastoreView(ctx, d))) };
      },
    ],
    ["GET", "datastores/{name}", "get datastore", (req) => ({ status: 200, body: datastoreView(ctx, get(req.params.name)) })],
    [
      "POST",
      "datastores/{name}/listSecrets",
      "list datastore secrets",
      async (req) => {
        const datastore = get(req.params.name);
        await ensureContainer(ctx, datastore.body.properties as JsonObject);
        return { status: 200, body: { secretsType: "AccountKey", key: datastore.secrets?.key ?? "" } };
      },
    ],
  ]);
}
