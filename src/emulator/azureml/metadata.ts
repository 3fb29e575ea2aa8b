/**
 * The cloud metadata document, `GET /metadata/endpoints` (Resource Manager's, api-version
 * 2019-05-01: an array of clouds), describing a cloud whose Resource Manager is the emulator, so
 * that clients which read it (azure-ai-ml's `ARM_CLOUD_METADATA_URL`) can be pointed here. Served
 * without a token, as Azure serves it, and cheaply: clients fetch it many times.
 */
import type { EmulatorRequest, Route } from "../core/service";

/** The name of the emulator's cloud in the document. */
export const EMULATOR_CLOUD_NAME = "AzureLocalEmulator";

/** Paths served without a token. */
export const METADATA_PATHS: readonly RegExp[] = [/^\/metadata\/endpoints\/?$/i];

/** The document for a client that reached the emulator at `req.baseUrl`. */
export function cloudMetadata(req: EmulatorRequest, tenantId: string): unknown[] {
  const resourceManager = `${req.baseUrl}/`;
  return [
    {
      name: EMULATOR_CLOUD_NAME,
      portal: "https://portal.azure.com",
      resourceManager,
      authentication: { loginEndpoint: `${req.baseUrl}/`, audiences: [resourceManager, "https://management.azure.com/"], tenant: tenantId, identityProvider: "AAD" },
      media: "",
      graphAudience: "",
      graph: "",
      batch: "",
      suffixes: { storage: "core.windows.net", keyVaultDns: "vault.azure.net", acrLoginServer: "azurecr.io", sqlServerHostname: "database.windows.net" },
      sqlManagement: "",
      gallery: "",
      activeDirectoryDataLake: "",
      microsoftGraphResourceId: "",
    },
  ];
}

/** The metadata route. */
export function metadataRoutes(tenantId: string): Route[] {
  return [{ method: "GET", path: "/metadata/endpoints", operation: "get cloud metadata", ignoreCase: true, handle: (req) => ({ status: 200, body: cloudMetadata(req, tenantId) }) }];
}
