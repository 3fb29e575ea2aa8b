/**
 * The Azure ML (Resource Manager, Microsoft.MachineLearningServices) client on this package's HTTP
 * pipeline: where Resource Manager is (`endpoint`), its token (`auth`), errors (`errors`), the one
 * long-running-operation poller (`lro`), wire types (`types`) and one file per API group, gathered
 * here into {@link AzureMlApi}.
 */
import type { TokenCredential } from "@azure/core-auth";
import { JsonHttpClient, JsonHttpClientOptions, Sleep } from "../../core/http";
import { currentTarget, Target } from "../../core/target";
import { armTokenSource } from "./auth";
import { BatchEndpointsApi } from "./batchEndpoints";
import { CodesApi } from "./codes";
import { ComponentsApi } from "./components";
import { ComputesApi } from "./computes";
import { DatastoresApi } from "./datastores";
import { resolveArmEndpoint } from "./endpoint";
import { EnvironmentsApi } from "./environments";
import { JobsApi } from "./jobs";
import { ArmError, armErrors } from "./errors";
import { SchedulesApi } from "./schedules";
import { WorkspaceCalls, WorkspaceRef, WorkspacesApi } from "./workspace";

export * from "./auth";
export * from "./batchEndpoints";
export * from "./codes";
export * from "./components";
export * from "./computes";
export * from "./datastores";
export * from "./endpoint";
export * from "./environments";
export * from "./errors";
export * from "./jobs";
export * from "./lro";
export * from "./schedules";
export * from "./types";
export * from "./upload";
export * from "./versionedAssets";
export * from "./workspace";

/** Options of {@link createAzureMlApi}. */
export interface AzureMlApiOptions extends Pick<JsonHttpClientOptions<ArmError>, "retry" | "timeoutMs" | "log" | "random" | "now" | "sleep" | "transport"> {
  /** The workspace. */
  workspace: WorkspaceRef;
  /** Resource Manager's URL. Default: `AMLDB_ARM_ENDPOINT` of `env`, else `https://management.azure.com` (azure target). */
  endpoint?: string;
  /** Which services to talk to. Default: `AMLDB_TARGET` of `env`. */
  target?: Target;
  /** Azure credential. Default: the process's `DefaultAzureCredential` (azure), the emulator's token endpoint (local). */
  credential?: TokenCredential;
  /** Environment to read the target, the endpoint and `AMLDB_LOCAL_TOKEN` from. Default `process.env`. */
  env?: NodeJS.ProcessEnv;
  /** How long-running operations wait between polls (tests record the delays). Default: a timer. */
  lroSleep?: Sleep;
  /** Give up waiting for a long-running operation after this long. Default 30 minutes. */
  lroTimeoutMs?: number;
}

/** The Azure ML APIs of one workspace. */
export class AzureMlApi {
  readonly workspaces: WorkspacesApi;
  readonly computes: ComputesApi;
  readonly datastores: DatastoresApi;
  readonly codes: CodesApi;
  readonly environments: EnvironmentsApi;
  readonly components: ComponentsApi;
  readonly schedules: SchedulesApi;
  readonly batchEndpoints: BatchEndpointsApi;
  readonly jobs: JobsApi;

  constructor(readonly calls: WorkspaceCalls) {
    this.workspaces = new WorkspacesApi(calls);
    this.computes = new ComputesApi(calls);
    this.datastores = new DatastoresApi(calls);
    this.codes = new CodesApi(calls);
    this.environments = new EnvironmentsApi(calls);
    this.components = new ComponentsApi(calls);
    this.schedules = new SchedulesApi(calls);
    this.batchEndpoints = new BatchEndpointsApi(calls);
    this.jobs = new JobsApi(calls);
  }

  /** The workspace's ARM id. */
  get workspaceId(): string {
    return this.calls.base;
  }

  /** Resource Manager's URL. */
  get endpoint(): string {
    return this.calls.client.baseUrl;
  }
}

/**
 * The Azure ML APIs of `options.workspace`. The token (Azure's, or the emulator's) goes to the
 * Resource Manager endpoint's origin and nowhere else.
 *
 * @throws Error when there is no usable endpoint for the target.
 */
export function createAzureMlApi(options: AzureMlApiOptions): AzureMlApi {
  const { workspace, endpoint: endpointOption, target: targetOption, credential, env = process.env, lroSleep, lroTimeoutMs, ...http } = options;
  const target = targetOption ?? currentTarget(env);
  const endpoint = new URL(resolveArmEndpoint(endpointOption, target, env));
  const client = new JsonHttpClient<ArmError>({
    ...http,
    baseUrl: endpoint.origin,
    auth: armTokenSource(endpoint, target, credential, env, http.transport),
    errors: armErrors(target),
    mayReceiveToken: (url) => url.origin === endpoint.origin,
    notJsonHint: "is the URL Azure Resource Manager?",
  });
  return new AzureMlApi(new WorkspaceCalls(client, workspace, { sleep: lroSleep, timeoutMs: lroTimeoutMs }));
}
