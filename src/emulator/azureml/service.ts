/**
 * The Azure Machine Learning resource provider (`Microsoft.MachineLearningServices`) of the
 * emulator's Resource Manager: one workspace, seeded from the configuration, with its computes,
 * datastores, code/environment/component assets, jobs, schedules and batch endpoints, and the
 * long-running operations and cloud metadata clients need. Each API group's file holds its routes;
 * this file only wires them together.
 */
import type { ArmProvider } from "../arm/service";
import type { Clock } from "../core/clock";
import type { EmulatorService, Route } from "../core/service";
import type { TokenIssuer } from "../identity/tokens";
import type { BlobStorage } from "../storage/blobStorage";
import { batchEndpointRoutes } from "./batchEndpoints";
import { codeRoutes } from "./codes";
import { componentRoutes } from "./components";
import { computeRoutes } from "./computes";
import type { AzureMlConfig } from "./config";
import { datastoreRoutes } from "./datastores";
import { environmentRoutes } from "./environments";
import { createInferenceService } from "./inference";
import { jobRoutes, setJobStatus, type JobExecutor, type JobStatus } from "./jobs";
import { METADATA_PATHS, metadataRoutes } from "./metadata";
import { OPERATION_ROUTE, Operations } from "./operations";
import { Resources } from "./resources";
import { mlRoute, type AzureMlContext } from "./routes";
import { scheduleRoutes } from "./schedules";
import { submitScheduledJob } from "./scheduling/scheduledJob";
import { ScheduleRunner } from "./scheduling/scheduleRunner";
import { seededState } from "./seed";
import { openAzureMlStore, type AzureMlStore } from "./store";
import { workspaceRoutesOf } from "./workspace";

/** Options of the Azure ML provider. */
export interface AzureMlProviderOptions {
  /** The workspace's settings (`resolveAzureMlConfig`). */
  readonly config: AzureMlConfig;
  /** The emulator's tenant. */
  readonly tenantId: string;
  /** The emulator's clock. */
  readonly clock: Clock;
  /** Persistent state folder; state goes to `<stateDir>/azureml/`. Default: in memory. */
  readonly stateDir?: string;
  /** The blob storage behind the datastores. */
  readonly storage?: BlobStorage;
  /** What runs submitted jobs. Default none: jobs stay `NotStarted`. */
  readonly executor?: JobExecutor;
  /** Where the provider tells what it could not do on its own (a schedule's job refused). */
  readonly log?: (message: string) => void;
  /** What its data plane ({@link AzureMlProvider.inference}) accepts: the emulator's token and the tokens it issued. Default: nothing. */
  readonly dataPlane?: { readonly token: string; readonly tokens?: TokenIssuer };
}

/** The provider, with what its executor and tests need beyond {@link ArmProvider}. */
export interface AzureMlProvider extends ArmProvider {
  readonly config: AzureMlConfig;
  /** The workspace's state (read it only). */
  readonly store: AzureMlStore;
  /** The workspace's resources (for its job executor). */
  readonly resources: Resources;
  /** The data plane (batch endpoint invocation), a service of its own: its own paths and audience. */
  readonly inference: EmulatorService;
  /** Sets a job's status (the executor's seam); false when the job is gone. */
  setJobStatus(jobName: string, status: JobStatus): boolean;
  /** Releases the state files. */
  close(): void;
}

/** Creates the Azure ML provider. */
export function createAzureMlProvider(options: AzureMlProviderOptions): AzureMlProvider {
  const { config } = options;
  const fresh = () => seededState(config, options.clock.now());
  const store = openAzureMlStore(options.stateDir, fresh);
  const resources = new Resources(store, options.clock, config);
  const operations = new Operations(resources);
  const ctx: AzureMlContext = { config, tenantId: options.tenantId, storage: options.storage, resources, operations };
  const schedules = new ScheduleRunner(ctx, (schedule, at) => submitScheduledJob(ctx, options.executor, schedule, at, options.log));
  const operationDocument = mlRoute(ctx, "GET", OPERATION_ROUTE, "get operation", "subscription", false, (req) =>
    /OperationResults$/i.test(req.params.family) ? operations.result(req) : operations.status(req),
  );
  const routes: Route[] = [
    ...metadataRoutes(options.tenantId),
    operationDocument,
    ...workspaceRoutesOf(ctx),
    ...computeRoutes(ctx),
    ...datastoreRoutes(ctx),
    ...codeRoutes(ctx),
    ...environmentRoutes(ctx),
    ...componentRoutes(ctx),
    ...jobRoutes(ctx, options.executor),
    ...scheduleRoutes(ctx, schedules),
    ...batchEndpointRoutes(ctx),
  ];
  schedules.plan();
  return {
    name: "azureml",
    config,
    store,
    resources,
    routes,
    publicPaths: METADATA_PATHS,
    reset: () => {
      store.replace(fresh());
      schedules.plan();
    },
    problems: () => store.problems(),
    durable: () => store.durable(),
    inference: createInferenceService({ ctx, executor: options.executor, ...options.dataPlane }),
    setJobStatus: (jobName, status) => setJobStatus(resources, jobName, status),
    close: () => {
      schedules.stop();
      store.close();
    },
  };
}
