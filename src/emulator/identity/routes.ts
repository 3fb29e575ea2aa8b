/** The identity service's routes: the tenant's token endpoint and discovery documents, and the managed-identity endpoint. */
import type { Route } from "../core/service";
import { MANAGED_IDENTITY_PATH } from "./constants";
import type { IdentityHandlers } from "./handlers";

/** Paths the identity service owns (`{tenant}` is a tenant id or domain). */
export const IDENTITY_PATHS: readonly RegExp[] = Object.freeze([
  /^\/[0-9A-Za-z.-]+\/oauth2\/v2\.0\/token$/,
  /^\/[0-9A-Za-z.-]+\/v2\.0\/\.well-known\/openid-configuration$/,
  /^\/[0-9A-Za-z.-]+\/discovery\/v2\.0\/keys$/,
  new RegExp(`^${MANAGED_IDENTITY_PATH.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&")}$`),
]);

/** The routes, bound to the handlers. */
export function identityRoutes(h: IdentityHandlers): Route[] {
  return [
    { method: "POST", path: "/{tenant}/oauth2/v2.0/token", operation: "issue token", handle: h.token, maxBodyBytes: 64 * 1024 },
    { method: "GET", path: "/{tenant}/v2.0/.well-known/openid-configuration", operation: "get OpenID configuration", handle: h.openidConfiguration },
    { method: "GET", path: "/{tenant}/discovery/v2.0/keys", operation: "get signing keys", handle: h.keys },
    { method: "GET", path: MANAGED_IDENTITY_PATH, operation: "issue managed identity token", handle: h.managedIdentityToken },
  ];
}
