/** Routes of the Clusters API, answered under `/api/2.0/clusters` and `/api/2.1/clusters`. */
import type { Route } from "../../core/service";
import { STORED_JSON_MAX_REQUEST_BYTES } from "../config";
import { routeTable } from "../routeTable";
import type { ClusterHandlers } from "./handlers";

/** The Clusters API routes. */
export function clusterRoutes(h: ClusterHandlers): Route[] {
  return routeTable(
    ["/api/2.0/clusters", "/api/2.1/clusters"],
    [
      ["POST", "/create", "create cluster", h.create, STORED_JSON_MAX_REQUEST_BYTES],
      ["GET", "/get", "get cluster", h.get],
      ["GET", "/list", "list clusters", h.list],
      ["POST", "/edit", "edit cluster", h.edit, STORED_JSON_MAX_REQUEST_BYTES],
      ["POST", "/start", "start cluster", h.start],
      ["POST", "/restart", "restart cluster", h.restart],
      ["POST", "/resize", "resize cluster", h.resize],
      ["POST", "/delete", "terminate cluster", h.delete],
      ["POST", "/permanent-delete", "permanently delete cluster", h.permanentDelete],
      ["GET", "/spark-versions", "list Spark versions", h.sparkVersions],
      ["GET", "/list-node-types", "list node types", h.listNodeTypes],
    ],
  );
}
