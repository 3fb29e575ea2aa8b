/**
 * The Databricks workspace service of the emulator: Jobs (2.0/2.1/2.2), Clusters, Secrets,
 * Workspace, DBFS and Command Execution 1.2 under `/api/`, with Databricks' own authentication and
 * error format, over a {@link DatabricksStore} and the local data folders. Notebooks and scripts run
 * for real through the executor.
 */
import { randomUUID } from "node:crypto";
import * as path from "node:path";
import type { EmulatorRequest, EmulatorResponse, EmulatorService, Route } from "../core/service";
import { authenticate } from "./auth";
import { ClusterManager } from "./clusters/lifecycle";
import { createClusterHandlers } from "./clusters/handlers";
import { clusterRoutes } from "./clusters/routes";
import { ContextRegistry } from "./commands/contexts";
import { createCommandHandlers } from "./commands/handlers";
import { commandRoutes } from "./commands/routes";
import { DATABRICKS_MAX_REQUEST_BODY_BYTES, EMULATOR_USER, EMULATOR_USER_ID, EMULATOR_WORKSPACE_ID, resolveTiming, type DatabricksEmulatorOptions } from "./config";
import { createDbfsHandlers, DbfsHandles } from "./dbfs/handlers";
import { dbfsRoutes } from "./dbfs/routes";
import { databricksErrors } from "./errors";
import { loadCommandContexts, loadExecutor, type CommandContextModule, type ExecutorModule } from "../execution/contract";
import type { StoredRun } from "./models";
import { createJobHandlers } from "./jobs/handlers";
import { jobRoutes } from "./jobs/routes";
import { createDataPaths, removeData, wipeData, type DatabricksDataPaths } from "./paths";
import { guarded, ok } from "./request";
import { RunEngine } from "./runs/engine";
import { stateWire } from "./runs/views";
import { currentAttempt } from "./runs/records";
import { createRunHandlers } from "./runs/handlers";
import { createSecretHandlers, databricksSecretValues } from "./secrets/handlers";
import { secretRoutes } from "./secrets/routes";
import { FileDatabricksStore, InMemoryDatabricksStore, type DatabricksStore } from "./store";
import { TaskRunner } from "./runs/taskRunner";
import { WorkspaceTree } from "./workspace/tree";
import { createWorkspaceHandlers } from "./workspace/handlers";
import { workspaceRoutes } from "./workspace/routes";

/** Options of the Databricks service. */
export interface DatabricksServiceOptions {
  /** The one bearer token accepted. */
  readonly token: string;
  /** Persistent state folder of the emulator; state goes to `<stateDir>/databricks/`. Default: in memory and a temporary data folder. */
  readonly stateDir?: string;
  /** Lifecycle timing and Python. */
  readonly databricks?: DatabricksEmulatorOptions;
  /** Diagnostics (never a secret value). */
  readonly log?: (line: string) => void;
  /** The executor module; default `./execution/executor`, loaded at first use. */
  readonly loadExecutor?: () => ExecutorModule;
  /** The command-context module; default `./execution/commandContext`, loaded at first use. */
  readonly loadCommandContexts?: () => CommandContextModule;
}

/** The Databricks service with what the server needs beyond {@link EmulatorService}. */
export interface DatabricksService extends EmulatorService {
  /** Largest request body this service reads (workspace imports reach 10 MB of content). */
  readonly maxRequestBodyBytes: number;
  /** Routes for the control plane (`GET /_emulator/databricks/runs`). */
  readonly controlRoutes: readonly Route[];
  /** The local data folders (DBFS root, workspace root, mount table). */
  readonly paths: DatabricksDataPaths;
  /** Stops runs and execution contexts and removes a temporary data folder. */
  close(): Promise<void>;
}

/** Creates the Databricks service. */
export function createDatabricksService(options: DatabricksServiceOptions): DatabricksService {
  const timing = resolveTiming(options.databricks);
  const log = options.log ?? (() => undefined);
  const paths = createDataPaths(options.stateDir);
  const store: DatabricksStore = options.stateDir ? new FileDatabricksStore(path.join(paths.dataDir, "state.json")) : new InMemoryDatabricksStore();
  const python = options.databricks?.python;
  const secrets = () => databricksSecretValues(store);

  const contexts = new ContextRegistry(options.loadCommandContexts ?? loadCommandContexts, log);
  const clusters = new ClusterManager(store, timing, (clusterId) => contexts.destroyCluster(clusterId));
  const tree = new WorkspaceTree(store, paths);
  const runner = new TaskRunner({ clusters, workspace: tree, paths, loadExecutor: options.loadExecutor ?? loadExecutor, secrets, python });
  const engine = new RunEngine(store, runner, timing, log);
  const handles = new DbfsHandles(paths);
  tree.seed();
  engine.recover();

  const routes: Route[] = [
    ...jobRoutes(createJobHandlers(store, engine), createRunHandlers(store, engine)),
    ...clusterRoutes(createClusterHandlers(clusters)),
    ...secretRoutes(createSecretHandlers(store)),
    ...workspaceRoutes(createWorkspaceHandlers(tree)),
    ...dbfsRoutes(createDbfsHandlers(paths, handles)),
    ...commandRoutes(createCommandHandlers(clusters, contexts, () => ({ dbfsRoot: paths.dbfsRoot, mountsFile: paths.mountsFile, secrets: secrets(), python }))),
    { method: "GET", path: "/api/2.0/preview/scim/v2/Me", operation: "get current user", handle: guarded(currentUser) },
  ];

  const controlRoutes: Route[] = [
    {
      method: "GET",
      path: "/_emulator/databricks/runs",
      operation: "list Databricks runs",
      handle: () => ok({ runs: store.read((s) => Object.values(s.runs).sort((a, b) => a.run_id - b.run_id).map(runSummary)) }),
    },
  ];

  let closing: Promise<void> | undefined;
  return {
    name: "databricks",
    routes,
    errors: databricksErrors,
    maxRequestBodyBytes: DATABRICKS_MAX_REQUEST_BODY_BYTES,
    controlRoutes,
    paths,

    owns: (pathname) => pathname === "/api" || pathname.startsWith("/api/"),

    authenticate: (req: EmulatorRequest): EmulatorResponse | undefined => authenticate(req, options.token),

    validate: () => undefined,

    responseHeaders: () => ({
      "x-request-id": randomUUID(),
      "x-databricks-org-id": EMULATOR_WORKSPACE_ID,
      "Cache-Control": "no-cache, no-store, must-revalidate",
    }),

    reset(): void {
      engine.reset();
      void contexts.clear();
      handles.clear();
      store.clear();
      wipeData(paths);
      tree.seed();
    },

    close(): Promise<void> {
      closing ??= (async () => {
        await Promise.all([engine.close(), contexts.clear()]);
        handles.clear();
        removeData(paths);
      })();
      return closing;
    },
  };
}

function currentUser(): EmulatorResponse {
  return ok({
    id: EMULATOR_USER_ID,
    userName: EMULATOR_USER,
    displayName: "Local Emulator",
    active: true,
    emails: [{ value: EMULATOR_USER, type: "work", primary: true }],
    schemas: ["urn:ietf:params:scim:schemas:core:2.0:User"],
  });
}

/** A run for the control plane: states and ids, no output. */
function runSummary(run: StoredRun): Record<string, unknown> {
  return {
    run_id: run.run_id,
    job_id: run.job_id,
    run_name: run.run_name,
    run_type: run.run_type,
    deleted: run.deleted ?? false,
    ...(run.idempotency_token !== undefined ? { idempotency_token: run.idempotency_token } : {}),
    state: stateWire(run.state),
    start_time: run.start_time,
    end_time: run.end_time,
    tasks: run.tasks.map((t) => ({ task_key: t.task_key, run_id: currentAttempt(t).run_id, attempt_number: currentAttempt(t).attempt_number, state: stateWire(currentAttempt(t).state) })),
  };
}
