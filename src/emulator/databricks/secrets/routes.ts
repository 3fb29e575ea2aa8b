/** Routes of the Secrets API under `/api/2.0/secrets`. */
import type { Route } from "../../core/service";
import { guarded } from "../request";
import type { SecretHandlers } from "./handlers";

/** The Secrets API routes. */
export function secretRoutes(h: SecretHandlers): Route[] {
  const p = "/api/2.0/secrets";
  return [
    { method: "POST", path: `${p}/scopes/create`, operation: "create secret scope", handle: guarded(h.createScope) },
    { method: "POST", path: `${p}/scopes/delete`, operation: "delete secret scope", handle: guarded(h.deleteScope) },
    { method: "GET", path: `${p}/scopes/list`, operation: "list secret scopes", handle: guarded(h.listScopes) },
    { method: "POST", path: `${p}/put`, operation: "put secret", handle: guarded(h.put) },
    { method: "POST", path: `${p}/delete`, operation: "delete secret", handle: guarded(h.delete) },
    { method: "GET", path: `${p}/list`, operation: "list secrets", handle: guarded(h.list) },
    { method: "GET", path: `${p}/get`, operation: "get secret", handle: guarded(h.get) },
    { method: "POST", path: `${p}/acls/put`, operation: "put secret ACL", handle: guarded(h.putAcl) },
    { method: "POST", path: `${p}/acls/delete`, operation: "delete secret ACL", handle: guarded(h.deleteAcl) },
    { method: "GET", path: `${p}/acls/get`, operation: "get secret ACL", handle: guarded(h.getAcl) },
    { method: "GET", path: `${p}/acls/list`, operation: "list secret ACLs", handle: guarded(h.listAcls) },
  ];
}
