/**
 * The Key Vault secrets route table (data plane, paths at the vault's root).
 * Order matters: `/secrets/{name}/versions` precedes `/secrets/{name}/{version?}`.
 */
import type { Route } from "../core/service";
import type { SecretHandlers } from "./handlers";

/** Path prefixes the Key Vault service answers. */
export const KEY_VAULT_PATH_PREFIXES = ["/secrets", "/deletedsecrets"] as const;

/** The routes of the secrets API, bound to the given handlers. */
export function keyVaultRoutes(h: SecretHandlers): Route[] {
  return [
    { method: "GET", path: "/secrets", operation: "list secrets", handle: h.listSecrets },
    { method: "PUT", path: "/secrets/{name}", operation: "set secret", handle: h.setSecret },
    { method: "GET", path: "/secrets/{name}", operation: "get secret", handle: h.getSecret },
    { method: "PATCH", path: "/secrets/{name}", operation: "update secret", handle: h.updateSecret },
    { method: "DELETE", path: "/secrets/{name}", operation: "delete secret", handle: h.deleteSecret },
    { method: "GET", path: "/secrets/{name}/versions", operation: "list secret versions", handle: h.listSecretVersions },
    { method: "GET", path: "/secrets/{name}/{version?}", operation: "get secret", handle: h.getSecret },
    { method: "PATCH", path: "/secrets/{name}/{version?}", operation: "update secret", handle: h.updateSecret },
    { method: "GET", path: "/deletedsecrets", operation: "list deleted secrets", handle: h.listDeletedSecrets },
    { method: "GET", path: "/deletedsecrets/{name}", operation: "get deleted secret", handle: h.getDeletedSecret },
    { method: "DELETE", path: "/deletedsecrets/{name}", operation: "purge deleted secret", handle: h.purgeDeletedSecret },
    { method: "POST", path: "/deletedsecrets/{name}/recover", operation: "recover deleted secret", handle: h.recoverDeletedSecret },
  ];
}
