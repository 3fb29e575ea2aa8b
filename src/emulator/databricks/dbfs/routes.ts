/** Routes of the DBFS API under `/api/2.0/dbfs`. */
import type { Route } from "../../core/service";
import { routeTable } from "../routeTable";
import type { DbfsHandlers } from "./handlers";

/** The DBFS API routes. */
export function dbfsRoutes(h: DbfsHandlers): Route[] {
  return routeTable(
    ["/api/2.0/dbfs"],
    [
      ["POST", "/put", "put DBFS file", h.put],
      ["POST", "/create", "open DBFS upload", h.create],
      ["POST", "/add-block", "add DBFS block", h.addBlock],
      ["POST", "/close", "close DBFS upload", h.close],
      ["GET", "/read", "read DBFS file", h.read],
      ["GET", "/get-status", "get DBFS status", h.getStatus],
      ["GET", "/list", "list DBFS folder", h.list],
      ["POST", "/mkdirs", "create DBFS folder", h.mkdirs],
      ["POST", "/move", "move DBFS path", h.move],
      ["POST", "/delete", "delete DBFS path", h.delete],
    ],
  );
}
