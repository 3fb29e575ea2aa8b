/** Routes of the SCIM API under `/api/2.0/preview/scim/v2` (the current user only). */
import type { Route } from "../../core/service";
import { routeTable } from "../routeTable";
import type { ScimHandlers } from "./handlers";

/** The SCIM API routes. */
export function scimRoutes(h: ScimHandlers): Route[] {
  return routeTable(["/api/2.0/preview/scim/v2"], [["GET", "/Me", "get current user", h.me]]);
}
