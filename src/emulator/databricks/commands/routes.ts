/** Routes of the Command Execution API under `/api/1.2`. */
import type { Route } from "../../core/service";
import type { CommandHandlers } from "./handlers";
import { guarded } from "../request";

/** The Command Execution API routes. */
export function commandRoutes(h: CommandHandlers): Route[] {
  const p = "/api/1.2";
  return [
    { method: "POST", path: `${p}/contexts/create`, operation: "create execution context", handle: guarded(h.createContext) },
    { method: "GET", path: `${p}/contexts/status`, operation: "get execution context status", handle: guarded(h.contextStatus) },
    { method: "POST", path: `${p}/contexts/destroy`, operation: "destroy execution context", handle: guarded(h.destroyContext) },
    { method: "POST", path: `${p}/commands/execute`, operation: "execute command", handle: guarded(h.execute) },
    { method: "GET", path: `${p}/commands/status`, operation: "get command status", handle: guarded(h.commandStatus) },
    { method: "POST", path: `${p}/commands/cancel`, operation: "cancel command", handle: guarded(h.cancel) },
  ];
}
