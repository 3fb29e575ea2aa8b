/** Routes of the Workspace API under `/api/2.0/workspace`. */
import type { Route } from "../../core/service";
import { routeTable } from "../routeTable";
import type { WorkspaceHandlers } from "./handlers";

/** The Workspace API routes. */
export function workspaceRoutes(h: WorkspaceHandlers): Route[] {
  return routeTable(
    ["/api/2.0/workspace"],
    [
      ["POST", "/import", "import workspace object", h.import],
      ["GET", "/export", "export workspace object", h.export],
      ["GET", "/get-status", "get workspace object status", h.getStatus],
      ["GET", "/list", "list workspace folder", h.list],
      ["POST", "/mkdirs", "create workspace folder", h.mkdirs],
      ["POST", "/delete", "delete workspace object", h.delete],
    ],
  );
}
