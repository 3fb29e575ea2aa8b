/**
 * The Databricks workspace service of the emulator: Jobs (2.0/2.1/2.2: `jobs/`, and their runs:
 * `runs/`), Clusters, Secrets, Workspace, DBFS, Command Execution 1.2 (`commands/`) and SCIM `Me`
 * under `/api/`, with Databricks' own authentication and error format, over a
 * {@link DatabricksStore} and the local data folders. Notebooks and scripts run for real through
 * the executor (`../execution/`). Each API group's folder holds its routes and handlers; this file
 * only wires them together.
 */
import { randomUUID } from "node:crypto";
import * as path from "node:path";
import { systemClock, type Clock } from "../core/clock";
import { runEveryStep } from "../core/everyStep";
import type { BlobStorage } from "../storage/blobStorage";
import type { EmulatorRequest, EmulatorResponse, EmulatorService, Route } from "../core/service";
import { loadCommandContexts, loadEnvironments, loadExecutor, type CommandContextModule, type ExecutorModule } from "../execution/contract";
import type { TokenIssuer } from "../identity/tokens";
import { authenticate } from "./auth";
import { createClusterHandlers } from "./clusters/handlers";
import { ClusterManager } from "./clusters/manager";
import { clusterRoutes } from "./clusters/routes";
import { ContextRegistry } from "./commands/contexts";
import { createCommandHandlers } from "./commands/handlers";
import { commandRoutes } from "./commands/routes";
import { DATABRICKS_MAX_REQUEST_BODY_BYTES, EMULATOR_WORKSPACE_ID, resolveMaxRunningTasks, resolveTiming, type DatabricksEmulatorOptions } from "./config";
import { createDbfsHandlers } from "./dbfs/handlers";
import { MountAgent } from "./dbfs/mountAgent";
import { mountedContexts, mountedExecutor, mountedRoutes, type MountedStorage } from "./dbfs/mountedExecution";
import { MountSync } from "./dbfs/mountSync";
import { dbfsRoutes } from "./dbfs/routes";
import { DbfsUploads } from "./dbfs/uploads";
import { databricksErrors } from "./errors";
import { createJobHandlers } from "./jobs/handlers";
import { jobRoutes } from "./jobs/routes";
import { createDataPaths, removeData, wipeData, type DatabricksDataPaths } from "./paths";
import { RunEngine } from "./runs/engine";
import { createRunHandlers } from "./runs/handlers";
import { runControlRoutes, runRoutes } from "./runs/routes";
import { TaskRunner } from "./runs/taskRunner";
import { TaskSlots } from "./runs/taskSlots";
import { createScimHandlers } from "./scim/handlers";
import { scimRoutes } from "./scim/routes";
import { createSecretHandlers } from "./secrets/handlers";
import { secretRoutes } from "./secrets/routes";
import { secretValues } from "./secrets/values";
import type { ScopeVault } from "./secrets/vault";
import { emptyState } from "./state";
import { FileDatabricksStore, InMemoryDatabricksStore, type DatabricksStore } from "./store";
import { createWorkspaceHandlers } from "./workspace/handlers";
import { workspaceRoutes } from "./workspace/routes";
import { WorkspaceTree } from "./workspace/tree";

/** Options of the Databricks service. */
export interface DatabricksServiceOptions {
  /** The emulator's own token, accepted as a personal access token. */
  readonly token: string;
  /** Verifies Azure AD access tokens the emulator issued; without it only {@link token} is accepted. */
  readonly tokens?: TokenIssuer;
  /** Persistent state folder of the emulator; state goes to `<stateDir>/databricks/`. Default: in memory and a temporary data folder. */
  readonly stateDir?: string;
  /** Lifecycle timing and Python. */
  readonly databricks?: DatabricksEmulatorOptions;
  /** The emulator's clock: every timestamp and every timed phase. Default: real time. */
  readonly clock?: Clock;
  /** Diagnostics (never a secret value). */
  readonly log?: (line: string) => void;
  /** The executor module; default `../execution/executor`, loaded at first use. */
  readonly loadExecutor?: () => ExecutorModule;
  /** The command-context module; default `../execution/commandContext`, loaded at first use. */
  readonly loadCommandContexts?: () => CommandContextModule;
  /**
   * The blob storage behind blob mounts: mounts check their key with it, and mounted folders are
   * kept consistent with its containers around every task, command and DBFS call. Default none:
   * a mount is a local folder only.
   */
  readonly storage?: BlobStorage;
  /** The vault Key Vault-backed scopes read. Default none: such scopes cannot be created. */
  readonly vault?: ScopeVault;
}

/** The Databricks service with what the server needs beyond {@link EmulatorService}. */
export interface DatabricksService extends EmulatorService {
  /** Largest request body this service reads (workspace imports reach 10 MB of content). */
  readonly maxRequestBodyBytes: number;
  /** Routes for the control plane (`GET /_emulator/databricks/runs`). */
  readonly controlRoutes: readonly Route[];
  /** The local data folders (DBFS root, workspace root, mount table). */
  readonly paths: DatabricksDataPaths;
  /** The workspace's state, for what shows it outside the API (the run pages); read it only. */
  readonly store: DatabricksStore;
  /** The workspace's notebooks and files, for the run pages' notebook view. */
  readonly tree: WorkspaceTree;
  /** Stops runs and execution contexts and removes a temporary data folder. */
  close(): Promise<void>;
}

/** Creates the Databricks service. */
export function createDatabricksService(options: DatabricksServiceOptions): DatabricksService {
  const timing = resolveTiming(options.databricks);
  const slots = new TaskSlots(resolveMaxRunningTasks(options.databricks));
  const clock = options.clock ?? systemClock;
  const log = options.log ?? (() => undefined);
  const paths = createDataPaths(options.stateDir);
  const store: DatabricksStore = options.stateDir ? new FileDatabricksStore(path.join(paths.dataDir, "state.json")) : new InMemoryDatabricksStore();
  const python = options.databricks?.python;
  const secrets = () => secretValues(store, options.vault);
  const sync = options.storage && new MountSync(options.storage, paths, log);
  const mounted: MountedStorage | undefined = sync && { sync, agent: new MountAgent(sync) };
  const executor = options.loadExecutor ?? loadExecutor;
  const commandContexts = options.loadCommandContexts ?? loadCommandContexts;

  const contexts = new ContextRegistry(mounted ? mountedContexts(commandContexts, mounted) : commandContexts, log);
  const clusters = new ClusterManager(store, timing, clock, (clusterId) => contexts.destroyCluster(clusterId));
  const tree = new WorkspaceTree(store, paths, clock);
  const runner = new TaskRunner({ clusters, workspace: tree, paths, loadExecutor: mounted ? mountedExecutor(executor, mounted) : executor, loadEnvironments, secrets, python, clock, slots, log });
  const engine = new RunEngine(store, runner, timing, clock, log);
  const uploads = new DbfsUploads(paths, clock);
  tree.seed();
  engine.recover();
  engine.expire();

  const runHandlers = createRunHandlers(store, engine);
  const dbfs = dbfsRoutes(createDbfsHandlers(paths, uploads));
  const routes: Route[] = [
    ...jobRoutes(createJobHandlers(store, engine, clock)),
    ...runRoutes(runHandlers),
    ...clusterRoutes(createClusterHandlers(clusters)),
    ...secretRoutes(createSecretHandlers(store, clock, options.vault)),
    ...workspaceRoutes(createWorkspaceHandlers(tree)),
    ...(mounted ? mountedRoutes(dbfs, mounted) : dbfs),
    ...commandRoutes(createCommandHandlers(clusters, contexts, () => ({ dbfsRoot: paths.dbfsRoot, mountsFile: paths.mountsFile, secrets: secrets(), python }))),
    ...scimRoutes(createScimHandlers()),
  ];

  let closing: Promise<void> | undefined;
  return {
    name: "databricks",
    routes,
    errors: databricksErrors,
    maxRequestBodyBytes: DATABRICKS_MAX_REQUEST_BODY_BYTES,
    controlRoutes: runControlRoutes(runHandlers),
    paths,
    store,
    tree,

    owns: (pathname) => pathname === "/api" || pathname.startsWith("/api/"),

    authenticate: (req: EmulatorRequest): EmulatorResponse | undefined => authenticate(req, options.token, options.tokens),

    validate: () => undefined,

    responseHeaders: () => ({
      "x-request-id": randomUUID(),
      "x-databricks-org-id": EMULATOR_WORKSPACE_ID,
      "Cache-Control": "no-cache, no-store, must-revalidate",
    }),

    reset(): void {
      runEveryStep([
        ["stopping runs", () => engine.reset()],
        ["ending execution contexts", () => void contexts.clear()],
        ["dropping DBFS uploads", () => uploads.clear()],
        ["emptying the state", () => store.replace(emptyState())],
        ["emptying DBFS and the workspace files", () => wipeData(paths)],
        ["forgetting what mounts exchanged", () => sync?.reset()],
        ["creating the workspace's folders", () => tree.seed()],
      ]);
    },

    problems: () => store.problems(),

    durable: () => store.durable(),

    close(): Promise<void> {
      closing ??= (async () => {
        await Promise.all([engine.close(), contexts.clear()]);
        await mounted?.agent.close();
        uploads.clear();
        store.close();
        removeData(paths);
      })();
      return closing;
    },
  };
}
