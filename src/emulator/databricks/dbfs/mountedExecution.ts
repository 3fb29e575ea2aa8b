/**
 * Mounted containers consistent around everything that reads or writes them: a task, a command of
 * an execution context, a DBFS API call. Each gets the working copies brought up to date before it
 * and its changes written back after it (`./mountSync.ts`); tasks and contexts also get the link to
 * the mount agent, so that `dbutils.fs.mount` can check its key (`./mountAgent.ts`).
 */
import type { Route } from "../../core/service";
import type { CommandContextModule, ExecutorModule, ExecutorOutcome } from "../../execution/contract";
import { apiError } from "../errors";
import type { MountAgent } from "./mountAgent";
import type { MountSync } from "./mountSync";

/** The storage side of mounts: the sync and the agent. */
export interface MountedStorage {
  readonly sync: MountSync;
  readonly agent: MountAgent;
}

const PULL_FAILED = "The local emulator could not bring the mounted storage up to date";
const PUSH_FAILED = "The local emulator could not write the mounted storage back";

/** The executor, with each task between a pull and a push. */
export function mountedExecutor(load: () => ExecutorModule, storage: MountedStorage): () => ExecutorModule {
  return () => {
    const inner = load();
    return {
      async executeTask(spec, opts): Promise<ExecutorOutcome> {
        try {
          await storage.sync.pullAll();
        } catch (err) {
          return { state: "FAILED", error: `${PULL_FAILED}: ${message(err)}`, logs: "", logsTruncated: false, durationMs: 0 };
        }
        const outcome = await inner.executeTask({ ...spec, storage: await storage.agent.link() }, opts);
        try {
          // What the code wrote reaches the storage even when it failed or was stopped, as on a cluster.
          await storage.sync.pushAll();
        } catch (err) {
          return { ...outcome, state: "FAILED", error: `${PUSH_FAILED}: ${message(err)}` };
        }
        return outcome;
      },
    };
  };
}

/** Execution contexts whose commands each run between a pull and a push. */
export function mountedContexts(load: () => CommandContextModule, storage: MountedStorage): () => CommandContextModule {
  return () => {
    const inner = load();
    return {
      PythonContext: {
        async start(opts) {
          const context = await inner.PythonContext.start({ ...opts, storage: await storage.agent.link() });
          return {
            async execute(code, execOpts) {
              try {
                await storage.sync.pullAll();
              } catch (err) {
                return { resultType: "error", summary: `${PULL_FAILED}: ${message(err)}` };
              }
              const result = await context.execute(code, execOpts);
              try {
                await storage.sync.pushAll();
              } catch (err) {
                return { resultType: "error", summary: `${PUSH_FAILED}: ${message(err)}` };
              }
              return result;
            },
            cancel: () => context.cancel(),
            destroy: () => context.destroy(),
          };
        },
      },
    };
  };
}

/** DBFS API routes that see the mounted containers as they are, and write back what they change. */
export function mountedRoutes(routes: readonly Route[], storage: MountedStorage): Route[] {
  return routes.map((route) => ({
    ...route,
    async handle(req) {
      try {
        await storage.sync.pullAll();
      } catch (err) {
        throw apiError(503, "TEMPORARILY_UNAVAILABLE", `${PULL_FAILED}: ${message(err)}`);
      }
      const response = await route.handle(req);
      if (route.method === "GET") return response;
      try {
        await storage.sync.pushAll();
      } catch (err) {
        throw apiError(503, "TEMPORARILY_UNAVAILABLE", `${PUSH_FAILED}: ${message(err)}`);
      }
      return response;
    },
  }));
}

function message(err: unknown): string {
  return (err as Error)?.message ?? String(err);
}
