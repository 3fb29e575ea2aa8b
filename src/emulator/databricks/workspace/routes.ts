/** Routes of the Workspace API under `/api/2.0/workspace`. */
import type { Route } from "../../core/service";
import { guarded } from "../request";
import type { WorkspaceHandlers } from "./handlers";

/** The Workspace API routes. */
export function workspaceRoutes(h: WorkspaceHandlers): Route[] {
  const p = "/api/2.0/workspace";
  return [
    { method: "POST", path: `${p}/import`, operation: "import workspace object", handle: guarded(h.import) },
    { method: "GET", path: `${p}/export`, operation: "export workspace object", handle: guarded(h.export) },
    { method: "GET", path: `${p}/get-status`, operation: "get workspace object status", handle: guarded(h.getStatus) },
    { method: "GET", path: `${p}/list`, operation: "list workspace folder", handle: guarded(h.list) },
    { method: "POST", path: `${p}/mkdirs`, operation: "create workspace folder", handle: guarded(h.mkdirs) },
    { method: "POST", path: `${p}/delete`, operation: "delete workspace object", handle: guarded(h.delete) },
  ];
}
