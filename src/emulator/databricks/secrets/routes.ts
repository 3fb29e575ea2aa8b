/** Routes of the Secrets API under `/api/2.0/secrets`. */
import type { Route } from "../../core/service";
import { routeTable } from "../routeTable";
import type { SecretHandlers } from "./handlers";

/** The Secrets API routes. */
export function secretRoutes(h: SecretHandlers): Route[] {
  return routeTable(
    ["/api/2.0/secrets"],
    [
      ["POST", "/scopes/create", "create secret scope", h.createScope],
      ["POST", "/scopes/delete", "delete secret scope", h.deleteScope],
      ["GET", "/scopes/list", "list secret scopes", h.listScopes],
      ["POST", "/put", "put secret", h.put],
      ["POST", "/delete", "delete secret", h.delete],
      ["GET", "/list", "list secrets", h.list],
      ["GET", "/get", "get secret", h.get],
      ["POST", "/acls/put", "put secret ACL", h.putAcl],
      ["POST", "/acls/delete", "delete secret ACL", h.deleteAcl],
      ["GET", "/acls/get", "get secret ACL", h.getAcl],
      ["GET", "/acls/list", "list secret ACLs", h.listAcls],
    ],
  );
}
