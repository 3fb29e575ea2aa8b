/**
 * Code assets (K1 to K4): versions whose `codeUri` is a folder in the default datastore. Listing a
 * name's versions with `hash=` looks the hash up across the whole workspace (clients ask under a
 * fresh random name each time, so only a workspace-wide lookup ever finds the earlier upload).
 * `startPendingUpload` answers a SAS URL into the default datastore's container in Azurite, below
 * `LocalUpload/<id>`, which `@azure/storage-blob` and azure-ai-ml upload to as they would to Azure.
 */
import { randomUUID } from "node:crypto";
import { ContainerSASPermissions, generateBlobSASQueryParameters, SASProtocol, StorageSharedKeyCredential } from "@azure/storage-blob";
import type { Route } from "../core/service";
import { assetRoutes, type AssetKind } from "./assets";
import { DEFAULT_DATASTORE } from "./config";
import { ensureContainer, storageAccountArmId } from "./datastores";
import { invalidProperty, userError } from "./errors";
import { requiredString, type AzureMlContext, type MlOperation } from "./routes";
import type { JsonObject } from "./state";

/** How long a pending upload's SAS is valid. */
const UPLOAD_SAS_HOURS = 24;

/** The code asset kind. */
export const CODES: AssetKind = {
  collection: "codes",
  what: "code",
  immutable: ["codeUri"],
  changed: () => userError(409, "Asset paths cannot be updated."),
  validate: (properties) => void requiredString(properties.codeUri, "properties.codeUri"),
  listOverride(ctx, req) {
    const hash = req.query.get("hash");
    if (hash === null) return undefined;
    const hashVersion = req.query.get("hashVersion");
    return ctx.resources.all(/^codes\/[^/]+\/versions\/[^/]+$/).filter((r) => {
      const tags = ((r.body.properties as JsonObject).properties ?? {}) as JsonObject;
      return tags.hash_sha256 === hash && (hashVersion === null || String(tags.hash_version) === hashVersion);
    });
  },
  extraRoutes: (ctx) => [startPendingUpload(ctx)],
};

/** `POST codes/{name}/versions/{version}/startPendingUpload`. */
function startPendingUpload(ctx: AzureMlContext): MlOperation {
  return [
    "POST",
    "codes/{name}/versions/{version}/startPendingUpload",
    "start pending code upload",
    async (req) => {
      const body = (await req.readJson()) ?? {};
      const type = (body as JsonObject).pendingUploadType ?? "TemporaryBlobReference";
      if (type !== "TemporaryBlobReference" && type !== "None") throw invalidProperty("pendingUploadType", "must be one of None, TemporaryBlobReference");
      const datastore = ctx.resources.find(`datastores/${DEFAULT_DATASTORE}`);
      if (!datastore || !ctx.storage) throw userError(400, "The workspace has no default datastore to upload into.");
      const properties = datastore.body.properties as JsonObject;
      await ensureContainer(ctx, properties);
      const account = String(properties.accountName);
      const container = String(properties.containerName);
      const uploadId = typeof (body as JsonObject).pendingUploadId === "string" ? String((body as JsonObject).pendingUploadId) : randomUUID();
      const blobUri = `${ctx.storage.url}/${account}/${container}/LocalUpload/${uploadId}`;
      // Azurite checks a SAS against the real time, not the emulator's clock.
      const now = Date.now();
      const sas = generateBlobSASQueryParameters(
        {
          containerName: container,
          permissions: ContainerSASPermissions.parse("racwdl"),
          startsOn: new Date(now - 5 * 60_000),
          expiresOn: new Date(now + UPLOAD_SAS_HOURS * 3600_000),
          protocol: SASProtocol.HttpsAndHttp,
        },
        new StorageSharedKeyCredential(account, datastore.secrets?.key ?? ""),
      ).toString();
      return {
        status: 200,
        body: {
          blobReferenceForConsumption: { blobUri, storageAccountArmId: storageAccountArmId(ctx.config), credential: { credentialType: "SAS", sasUri: `${blobUri}?${sas}` } },
          pendingUploadId: uploadId,
          pendingUploadType: "TemporaryBlobReference",
        },
      };
    },
  ];
}

/** The code routes. */
export function codeRoutes(ctx: AzureMlContext): Route[] {
  return assetRoutes(ctx, CODES);
}

