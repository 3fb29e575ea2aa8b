/**
 * The Databricks REST client: configuration (`config`), authentication (`auth`), the HTTP client
 * on this package's pipeline (`httpClient`), errors (`errors`), wire types (`types`) and one file
 * per API group (`jobs`, `clusters`, `secrets`, `workspace`, `dbfs`, `commands`), gathered here
 * into {@link DatabricksApi}.
 */
import type { TokenCredential } from "@azure/core-auth";
import { LocalEmulatorCredential } from "../../core/localCredential";
import { currentTarget } from "../../core/target";
import { tokenSourceFor } from "./auth";
import { ClustersApi } from "./clusters";
import { CommandExecutionApi } from "./commands";
import { DatabricksConfig, DatabricksConfigOptions, resolveDatabricksConfig } from "./config";
import { DbfsApi } from "./dbfs";
import { DatabricksHttpClient, DatabricksHttpClientOptions } from "./httpClient";
import { JobsApi } from "./jobs";
import { SecretsApi } from "./secrets";
import { WorkspaceApi } from "./workspace";

export * from "./auth";
export * from "./clusters";
export * from "./commands";
export * from "./config";
export * from "./dbfs";
export * from "./errors";
export * from "./httpClient";
export * from "./jobs";
export * from "./profiles";
export * from "./secrets";
export * from "./types";
export * from "./workspace";
export * from "../../core/http/retryStrategy";

/** The Databricks REST APIs of one workspace, grouped by service. */
export class DatabricksApi {
  /** Jobs 2.1. */
  readonly jobs: JobsApi;
  /** Clusters 2.0. */
  readonly clusters: ClustersApi;
  /** Secrets 2.0. */
  readonly secrets: SecretsApi;
  /** Workspace 2.0. */
  readonly workspace: WorkspaceApi;
  /** DBFS 2.0. */
  readonly dbfs: DbfsApi;
  /** Command Execution 1.2. */
  readonly commands: CommandExecutionApi;

  /** @param client The HTTP client every call goes through (also exposed for raw calls). */
  constructor(readonly client: DatabricksHttpClient) {
    this.jobs = new JobsApi(client);
    this.clusters = new ClustersApi(client);
    this.secrets = new SecretsApi(client);
    this.workspace = new WorkspaceApi(client);
    this.dbfs = new DbfsApi(client);
    this.commands = new CommandExecutionApi(client);
  }

  /** Workspace URL. */
  get host(): string {
    return this.client.host;
  }
}

/** Options of {@link createDatabricksApi}. */
export interface CreateDatabricksApiOptions extends DatabricksConfigOptions, Pick<DatabricksHttpClientOptions, "retry" | "timeoutMs" | "log" | "random" | "now" | "sleep" | "transport"> {
  /** Azure credential for `azure-ad` auth. Default `DefaultAzureCredential` (azure), the emulator's token endpoint (local). */
  credential?: TokenCredential;
  /** Environment to resolve from. Default `process.env`. */
  env?: NodeJS.ProcessEnv;
}

/**
 * Resolves the configuration (options, `DATABRICKS_*` environment, `~/.databrickscfg`, the
 * target) and returns the API with its client.
 */
export function createDatabricksApi(options: CreateDatabricksApiOptions = {}): DatabricksApi {
  const { credential, env, retry, timeoutMs, log, random, now, sleep, transport, ...configOptions } = options;
  const environment = env ?? process.env;
  const config: DatabricksConfig = resolveDatabricksConfig(configOptions, environment);
  const local = currentTarget(environment) === "local" && config.authType === "azure-ad" && !credential;
  const azureCredential = local ? new LocalEmulatorCredential(config.host, { env: environment, transport }) : credential;
  const client = new DatabricksHttpClient({ host: config.host, auth: tokenSourceFor(config, azureCredential), retry, timeoutMs, log, random, now, sleep, transport });
  return new DatabricksApi(client);
}
