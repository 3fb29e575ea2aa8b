/**
 * Command Execution API 1.2: contexts/create|status|destroy and commands/execute|status|cancel on
 * a RUNNING cluster. Errors of this API use its own format, `{"error": "..."}`; a cluster that
 * does not exist is answered like the Clusters API (400 INVALID_PARAMETER_VALUE "Cluster X does not
 * exist"), so clients can tell a vanished cluster from a failed command.
 */
import type { EmulatorRequest, EmulatorResponse } from "../../core/service";
import { titleCase, type ClusterManager } from "../clusters/manager";
import { api12Failure } from "../errors";
import { bodyObject, type JsonObject } from "../request";
import { ok } from "../response";
import type { ContextEnvironment, ContextRegistry } from "./contexts";

/** The Command Execution API handlers. */
export function createCommandHandlers(clusters: ClusterManager, contexts: ContextRegistry, environment: () => ContextEnvironment) {
  const field = (o: JsonObject | URLSearchParams, name: string): string => {
    const value = o instanceof URLSearchParams ? o.get(name) : o[name];
    if (typeof value !== "string" || value === "") throw api12Failure(400, `Missing required field: ${name}`);
    return value;
  };
  const runningCluster = (clusterId: string): void => {
    const cluster = clusters.get(clusterId);
    if (cluster.state !== "RUNNING") throw api12Failure(400, `Cluster ${clusterId} is not running; its state is ${titleCase(cluster.state)}.`);
  };
  const contextNotFound = (clusterId: string, contextId: string) => api12Failure(400, `ContextNotFound: Context ${contextId} does not exist on cluster ${clusterId}.`);

  return {
    async createContext(req: EmulatorRequest): Promise<EmulatorResponse> {
      const body = await bodyObject(req);
      const clusterId = field(body, "clusterId");
      const language = (typeof body.language === "string" && body.language ? body.language : "python").toLowerCase();
      runningCluster(clusterId);
      if (language !== "python") throw api12Failure(400, `Language ${language} is not supported by the local emulator; execution contexts run python only.`);
      return ok({ id: contexts.create(clusterId, language, environment()) });
    },

    contextStatus(req: EmulatorRequest): EmulatorResponse {
      const clusterId = field(req.query, "clusterId");
      const contextId = field(req.query, "contextId");
      const context = contexts.find(clusterId, contextId);
      if (!context) throw contextNotFound(clusterId, contextId);
      return ok(context);
    },

    async destroyContext(req: EmulatorRequest): Promise<EmulatorResponse> {
      const body = await bodyObject(req);
      const clusterId = field(body, "clusterId");
      const contextId = field(body, "contextId");
      if (!contexts.destroy(clusterId, contextId)) throw contextNotFound(clusterId, contextId);
      return ok({ id: contextId });
    },

    async execute(req: EmulatorRequest): Promise<EmulatorResponse> {
      const body = await bodyObject(req);
      const clusterId = field(body, "clusterId");
      const contextId = field(body, "contextId");
      const command = typeof body.command === "string" ? body.command : field(body, "command");
      const language = (typeof body.language === "string" && body.language ? body.language : "python").toLowerCase();
      runningCluster(clusterId);
      if (language !== "python") throw api12Failure(400, `Language ${language} is not supported by the local emulator; execution contexts run python only.`);
      const id = contexts.execute(clusterId, contextId, command);
      if (!id) throw contextNotFound(clusterId, contextId);
      return ok({ id });
    },

    commandStatus(req: EmulatorRequest): EmulatorResponse {
      const clusterId = field(req.query, "clusterId");
      const contextId = field(req.query, "contextId");
      const commandId = field(req.query, "commandId");
      if (!contexts.find(clusterId, contextId)) throw contextNotFound(clusterId, contextId);
      const command = contexts.command(clusterId, contextId, commandId);
      if (!command) throw api12Failure(400, `Command ${commandId} does not exist in context ${contextId}.`);
      return ok(command);
    },

    async cancel(req: EmulatorRequest): Promise<EmulatorResponse> {
      const body = await bodyObject(req);
      const clusterId = field(body, "clusterId");
      const contextId = field(body, "contextId");
      const commandId = field(body, "commandId");
      if (!contexts.find(clusterId, contextId)) throw contextNotFound(clusterId, contextId);
      if (!contexts.cancel(clusterId, contextId, commandId)) throw api12Failure(400, `Command ${commandId} does not exist in context ${contextId}.`);
      return ok({ id: commandId });
    },
  };
}

/** The handlers' type. */
export type CommandHandlers = ReturnType<typeof createCommandHandlers>;
