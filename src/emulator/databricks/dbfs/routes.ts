/** Routes of the DBFS API under `/api/2.0/dbfs`. */
import type { Route } from "../../core/service";
import type { DbfsHandlers } from "./handlers";
import { guarded } from "../request";

/** The DBFS API routes. */
export function dbfsRoutes(h: DbfsHandlers): Route[] {
  const p = "/api/2.0/dbfs";
  return [
    { method: "POST", path: `${p}/put`, operation: "put DBFS file", handle: guarded(h.put) },
    { method: "POST", path: `${p}/create`, operation: "open DBFS upload", handle: guarded(h.create) },
    { method: "POST", path: `${p}/add-block`, operation: "add DBFS block", handle: guarded(h.addBlock) },
    { method: "POST", path: `${p}/close`, operation: "close DBFS upload", handle: guarded(h.close) },
    { method: "GET", path: `${p}/read`, operation: "read DBFS file", handle: guarded(h.read) },
    { method: "GET", path: `${p}/get-status`, operation: "get DBFS status", handle: guarded(h.getStatus) },
    { method: "GET", path: `${p}/list`, operation: "list DBFS folder", handle: guarded(h.list) },
    { method: "POST", path: `${p}/mkdirs`, operation: "create DBFS folder", handle: guarded(h.mkdirs) },
    { method: "POST", path: `${p}/move`, operation: "move DBFS path", handle: guarded(h.move) },
    { method: "POST", path: `${p}/delete`, operation: "delete DBFS path", handle: guarded(h.delete) },
  ];
}
