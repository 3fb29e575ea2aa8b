/** Routes of the Command Execution API under `/api/1.2`. */
import type { Route } from "../../core/service";
import { routeTable } from "../routeTable";
import type { CommandHandlers } from "./handlers";

/** The Command Execution API routes. */
export function commandRoutes(h: CommandHandlers): Route[] {
  return routeTable(
    ["/api/1.2"],
    [
      ["POST", "/contexts/create", "create execution context", h.createContext],
      ["GET", "/contexts/status", "get execution context status", h.contextStatus],
      ["POST", "/contexts/destroy", "destroy execution context", h.destroyContext],
      ["POST", "/commands/execute", "execute command", h.execute],
      ["GET", "/commands/status", "get command status", h.commandStatus],
      ["POST", "/commands/cancel", "cancel command", h.cancel],
    ],
  );
}
