/** Command Execution 1.2: run code on a running cluster. `runCommand` chains the calls. */
import { pollUntil, PollTimeout } from "../../core/poll";
import { DatabricksApiError, errorFromNetworkFailure } from "./errors";
import type { CallOptions, DatabricksHttpClient } from "./httpClient";
import type { CommandLanguage, CommandResults, CommandStatusResponse, ContextStatusResponse } from "./types";
import { TERMINAL_COMMAND_STATUSES } from "./types";

const COMMANDS_1_2 = "/api/1.2";

/** Options of {@link CommandExecutionApi.runCommand}. */
export interface RunCommandOptions extends CallOptions {
  /** Give up (cancelling the command) after this long. Default 600000 (10 minutes). */
  timeoutMs?: number;
  /** Pause between status polls. Default 1000. */
  pollMs?: number;
  /** Language of the command. Default `python`. */
  language?: CommandLanguage;
}

/** Command Execution 1.2: run code on a running all-purpose cluster (how mounts are made). */
export class CommandExecutionApi {
  /** @param client The HTTP client every call goes through. */
  constructor(private readonly client: DatabricksHttpClient) {}

  /** Creates an execution context on a running cluster (`POST /api/1.2/contexts/create`); returns its id. */
  async contextsCreate(args: { clusterId: string; language: CommandLanguage }, opts: CallOptions = {}): Promise<string> {
    const res = await this.client.request<{ id: string }>({
      method: "POST",
      path: `${COMMANDS_1_2}/contexts/create`,
      body: { clusterId: args.clusterId, language: args.language },
      operation: `create an execution context on cluster ${args.clusterId}`,
      ...opts,
    });
    return res.id;
  }

  /** Gets a context's status: Pending, Running or Error (`GET contexts/status`). */
  contextsStatus(args: { clusterId: string; contextId: string }, opts: CallOptions = {}): Promise<ContextStatusResponse> {
    return this.client.request({
      method: "GET",
      path: `${COMMANDS_1_2}/contexts/status`,
      query: { clusterId: args.clusterId, contextId: args.contextId },
      operation: `get execution context ${args.contextId} on cluster ${args.clusterId}`,
      ...opts,
    });
  }

  /** Destroys a context (`POST contexts/destroy`). */
  async contextsDestroy(args: { clusterId: string; contextId: string }, opts: CallOptions = {}): Promise<void> {
    await this.client.request({
      method: "POST",
      path: `${COMMANDS_1_2}/contexts/destroy`,
      body: { clusterId: args.clusterId, contextId: args.contextId },
      operation: `destroy execution context ${args.contextId} on cluster ${args.clusterId}`,
      idempotent: true,
      ...opts,
    });
  }

  /** Starts a command in a context (`POST commands/execute`); returns the command id. */
  async commandsExecute(args: { clusterId: string; contextId: string; language: CommandLanguage; command: string }, opts: CallOptions = {}): Promise<string> {
    const res = await this.client.request<{ id: string }>({
      method: "POST",
      path: `${COMMANDS_1_2}/commands/execute`,
      body: { clusterId: args.clusterId, contextId: args.contextId, language: args.language, command: args.command },
      operation: `execute a command on cluster ${args.clusterId}`,
      ...opts,
    });
    return res.id;
  }

  /** Gets a command's status and, once finished, its results (`GET commands/status`). */
  commandsStatus(args: { clusterId: string; contextId: string; commandId: string }, opts: CallOptions = {}): Promise<CommandStatusResponse> {
    return this.client.request({
      method: "GET",
      path: `${COMMANDS_1_2}/commands/status`,
      query: { clusterId: args.clusterId, contextId: args.contextId, commandId: args.commandId },
      operation: `get command ${args.commandId} on cluster ${args.clusterId}`,
      ...opts,
    });
  }

  /** Requests cancellation of a command (`POST commands/cancel`). */
  async commandsCancel(args: { clusterId: string; contextId: string; commandId: string }, opts: CallOptions = {}): Promise<void> {
    await this.client.request({
      method: "POST",
      path: `${COMMANDS_1_2}/commands/cancel`,
      body: { clusterId: args.clusterId, contextId: args.contextId, commandId: args.commandId },
      operation: `cancel command ${args.commandId} on cluster ${args.clusterId}`,
      idempotent: true,
      ...opts,
    });
  }

  /**
   * Runs code on a running cluster and returns its results: creates a context, waits until it
   * is Running, executes, polls until Finished, Error or Cancelled, and always destroys the
   * context (best effort). A Python exception is a Finished command whose `resultType` is
   * `error` (with `summary` and `cause`); an Error or Cancelled status without results is
   * returned as `{ resultType: "error", summary: "command <status>" }`.
   *
   * @throws DatabricksApiError `TIMEOUT` (after cancelling the command) when `timeoutMs` passes,
   *   `CONTEXT_ERROR` when the context fails to start, and any REST error.
   */
  async runCommand(clusterId: string, command: string, options: RunCommandOptions = {}): Promise<CommandResults> {
    const timeoutMs = options.timeoutMs ?? 600_000;
    const pollMs = options.pollMs ?? 1000;
    const language = options.language ?? "python";
    const opts: CallOptions = { signal: options.signal };
    const operation = `run a ${language} command on cluster ${clusterId}`;
    const deadline = Date.now() + timeoutMs;
    const timeout = (what: string) =>
      new DatabricksApiError({ operation, status: 0, errorCode: "TIMEOUT", message: `${what} within ${timeoutMs} ms` });
    /** Reads until `done`, sharing one deadline; a timeout reports `what` of the last state. */
    const poll = async <T>(read: () => Promise<T>, done: (t: T) => boolean, what: (t: T) => string): Promise<T> => {
      try {
        return await pollUntil({ read, done, describe: what, label: operation, timeoutMs: Math.max(0, deadline - Date.now()), log: () => undefined, signal: options.signal, delayMs: () => pollMs });
      } catch (err) {
        if (err instanceof PollTimeout) throw timeout(what(err.last as T));
        throw err instanceof DatabricksApiError ? err : errorFromNetworkFailure(operation, err);
      }
    };

    const contextId = await this.contextsCreate({ clusterId, language }, opts);
    try {
      const context = await poll(
        () => this.contextsStatus({ clusterId, contextId }, opts),
        (c) => c.status === "Running" || c.status === "Error",
        (c) => `execution context ${contextId} was not ready (status ${c.status})`,
      );
      if (context.status === "Error") {
        throw new DatabricksApiError({ operation, status: 0, errorCode: "CONTEXT_ERROR", message: `execution context ${contextId} failed to start` });
      }
      const commandId = await this.commandsExecute({ clusterId, contextId, language, command }, opts);
      let status;
      try {
        status = await poll(
          () => this.commandsStatus({ clusterId, contextId, commandId }, opts),
          (c) => TERMINAL_COMMAND_STATUSES.includes(c.status),
          (c) => `command ${commandId} did not finish (status ${c.status})`,
        );
      } catch (err) {
        if (err instanceof DatabricksApiError && err.errorCode === "TIMEOUT") await this.commandsCancel({ clusterId, contextId, commandId }).catch(() => undefined);
        throw err;
      }
      if (status.results) return status.results;
      return status.status === "Finished" ? {} : { resultType: "error", summary: `command ${status.status}` };
    } finally {
      await this.contextsDestroy({ clusterId, contextId }).catch(() => undefined);
    }
  }
}
