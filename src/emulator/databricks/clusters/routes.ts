/** Routes of the Clusters API, answered under `/api/2.0/clusters` and `/api/2.1/clusters`. */
import type { Route } from "../../core/service";
import type { ClusterHandlers } from "./handlers";
import { guarded } from "../request";

/** The Clusters API routes. */
export function clusterRoutes(h: ClusterHandlers): Route[] {
  const routes: Route[] = [];
  for (const v of ["2.0", "2.1"]) {
    const p = `/api/${v}/clusters`;
    routes.push(
      { method: "POST", path: `${p}/create`, operation: "create cluster", handle: guarded(h.create) },
      { method: "GET", path: `${p}/get`, operation: "get cluster", handle: guarded(h.get) },
      { method: "GET", path: `${p}/list`, operation: "list clusters", handle: guarded(h.list) },
      { method: "POST", path: `${p}/edit`, operation: "edit cluster", handle: guarded(h.edit) },
      { method: "POST", path: `${p}/start`, operation: "start cluster", handle: guarded(h.start) },
      { method: "POST", path: `${p}/restart`, operation: "restart cluster", handle: guarded(h.restart) },
      { method: "POST", path: `${p}/resize`, operation: "resize cluster", handle: guarded(h.resize) },
      { method: "POST", path: `${p}/delete`, operation: "terminate cluster", handle: guarded(h.delete) },
      { method: "POST", path: `${p}/permanent-delete`, operation: "permanently delete cluster", handle: guarded(h.permanentDelete) },
      { method: "GET", path: `${p}/spark-versions`, operation: "list Spark versions", handle: guarded(h.sparkVersions) },
      { method: "GET", path: `${p}/list-node-types`, operation: "list node types", handle: guarded(h.listNodeTypes) },
    );
  }
  return routes;
}
