/**
 * Execution contexts of Command Execution 1.2: one long-lived Python process per context, started
 * with the workspace's DBFS root, mount table and secrets, so `dbutils.fs.mount` made here is seen
 * by later runs. Commands of a context run one at a time, in order. Contexts live in memory; they
 * die with their cluster (terminate, restart, edit), on reset and on close.
 */
import { randomBytes } from "node:crypto";
import type { CommandContextModule, CommandResult, PythonContextHandle } from "../../execution/contract";

/** Statuses of a context. */
export type ContextStatus = "Pending" | "Running" | "Error";
/** Statuses of a command. */
export type CommandStatus = "Queued" | "Running" | "Cancelling" | "Cancelled" | "Finished" | "Error";

interface CommandEntry {
  id: string;
  status: CommandStatus;
  results?: CommandResult;
}

interface ContextEntry {
  id: string;
  clusterId: string;
  language: string;
  status: ContextStatus;
  python?: PythonContextHandle;
  /** Settles once the process started (or failed to). */
  ready: Promise<void>;
  /** The tail of the command queue. */
  queue: Promise<void>;
  commands: Map<string, CommandEntry>;
  /** The command whose code is running. */
  running?: CommandEntry;
  destroyed: boolean;
  env: ContextEnvironment;
}

/** What a context needs to start. */
export interface ContextEnvironment {
  dbfsRoot: string;
  mountsFile: string;
  secrets: Record<string, Record<string, string>>;
  python?: string;
}

/** The execution contexts of every cluster. */
export class ContextRegistry {
  private readonly contexts = new Map<string, ContextEntry>();

  constructor(
    private readonly load: () => CommandContextModule,
    private readonly log: (line: string) => void = () => undefined,
  ) {}

  /** Starts a context; it is Pending until its Python process is up. */
  create(clusterId: string, language: string, env: ContextEnvironment): string {
    const id = newNumericId();
    const entry: ContextEntry = { id, clusterId, language, status: "Pending", ready: Promise.resolve(), queue: Promise.resolve(), commands: new Map(), destroyed: false, env };
    this.spawn(entry);
    entry.queue = entry.ready;
    this.contexts.set(id, entry);
    return id;
  }

  /** Starts the context's Python process (again, after a cancel ended the previous one). */
  private spawn(entry: ContextEntry): void {
    entry.python = undefined;
    entry.status = "Pending";
    entry.ready = (async () => {
      try {
        const python = await this.load().PythonContext.start(entry.env);
        if (entry.destroyed) {
          await Promise.resolve(python.destroy()).catch(() => undefined);
          return;
        }
        entry.python = python;
        entry.status = "Running";
      } catch (err) {
        entry.status = "Error";
        this.log(`execution context ${entry.id} on cluster ${entry.clusterId} failed to start: ${(err as Error)?.message ?? String(err)}`);
      }
    })();
  }

  /** A context of the cluster, or `undefined`. */
  find(clusterId: string, contextId: string): { id: string; status: ContextStatus } | undefined {
    const entry = this.entry(clusterId, contextId);
    return entry && { id: entry.id, status: entry.status };
  }

  /** Queues a command; `undefined` when there is no such context. */
  execute(clusterId: string, contextId: string, code: string): string | undefined {
    const entry = this.entry(clusterId, contextId);
    if (!entry) return undefined;
    const command: CommandEntry = { id: randomBytes(16).toString("hex"), status: "Queued" };
    entry.commands.set(command.id, command);
    entry.queue = entry.queue.then(() => this.run(entry, command, code));
    return command.id;
  }

  /** A command's status and results; `undefined` when there is no such context or command. */
  command(clusterId: string, contextId: string, commandId: string): { id: string; status: CommandStatus; results?: CommandResult } | undefined {
    const command = this.entry(clusterId, contextId)?.commands.get(commandId);
    return command && { id: command.id, status: command.status, ...(command.results ? { results: command.results } : {}) };
  }

  /** Requests cancellation of a command; false when there is no such context or command. */
  cancel(clusterId: string, contextId: string, commandId: string): boolean {
    const entry = this.entry(clusterId, contextId);
    const command = entry?.commands.get(commandId);
    if (!entry || !command) return false;
    if (command.status === "Queued") command.status = "Cancelled";
    else if (command.status === "Running") {
      command.status = "Cancelling";
      if (entry.running === command) void Promise.resolve(entry.python?.cancel()).catch(() => undefined);
    }
    return true;
  }

  /** Destroys a context; false when there is no such context. */
  destroy(clusterId: string, contextId: string): boolean {
    const entry = this.entry(clusterId, contextId);
    if (!entry) return false;
    this.kill(entry);
    return true;
  }

  /** Destroys every context of a cluster (its driver went away). */
  destroyCluster(clusterId: string): void {
    for (const entry of [...this.contexts.values()]) if (entry.clusterId === clusterId) this.kill(entry);
  }

  /** Destroys every context; resolves when their processes were told to stop. */
  async clear(): Promise<void> {
    const entries = [...this.contexts.values()];
    for (const entry of entries) this.kill(entry);
    await Promise.all(entries.map((e) => e.ready.catch(() => undefined)));
  }

  private entry(clusterId: string, contextId: string): ContextEntry | undefined {
    const entry = this.contexts.get(contextId);
    return entry && entry.clusterId === clusterId && !entry.destroyed ? entry : undefined;
  }

  private kill(entry: ContextEntry): void {
    entry.destroyed = true;
    entry.status = "Error";
    this.contexts.delete(entry.id);
    for (const command of entry.commands.values()) {
      if (command.status === "Queued" || command.status === "Running" || command.status === "Cancelling") command.status = "Cancelled";
    }
    if (entry.python) void Promise.resolve(entry.python.destroy()).catch(() => undefined);
  }

  private async run(entry: ContextEntry, command: CommandEntry, code: string): Promise<void> {
    if (command.status !== "Queued" || entry.destroyed) return;
    if (!entry.python || entry.status !== "Running") {
      command.status = "Error";
      command.results = { resultType: "error", summary: "The execution context is not running.", cause: "The execution context failed to start." };
      return;
    }
    command.status = "Running";
    entry.running = command;
    try {
      const results = await entry.python.execute(code, {});
      if (entry.destroyed) return;
      if ((command.status as CommandStatus) === "Cancelling") {
        command.status = "Cancelled";
        // Cancelling stops the Python process: start a fresh one so the context stays usable.
        this.spawn(entry);
        await entry.ready;
      } else {
        command.status = "Finished";
        command.results = results;
      }
    } catch (err) {
      if (entry.destroyed) return;
      if ((command.status as CommandStatus) === "Cancelling") command.status = "Cancelled";
      else {
        command.status = "Error";
        command.results = { resultType: "error", summary: (err as Error)?.message ?? String(err) };
      }
    } finally {
      entry.running = undefined;
    }
  }
}

/** A numeric id as a string, like the service's context ids. */
function newNumericId(): string {
  return (BigInt(`0x${randomBytes(8).toString("hex")}`) >> 1n).toString();
}
