/**
 * The blob storage on the control plane: `GET /_emulator/storage` → 200
 * `{"blobUrl", "accounts": [names], "running": <bool>}`; an account's blob service is
 * `<blobUrl>/<account>`. Keys are never shown: the well-known account's is public
 * (`WELL_KNOWN_ACCOUNT_KEY`), the others' are the operator's own.
 */
import type { Route } from "../core/service";
import type { BlobStorage } from "./blobStorage";

/** The storage's control routes. */
export function storageControlRoutes(storage: BlobStorage): Route[] {
  return [
    {
      method: "GET",
      path: "/_emulator/storage",
      operation: "describe blob storage",
      handle: () => ({ status: 200, body: { blobUrl: storage.url, accounts: [...storage.accounts.keys()], running: storage.running } }),
    },
  ];
}
