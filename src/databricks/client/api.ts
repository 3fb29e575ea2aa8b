/**
 * A typed facade over the Databricks REST APIs this package uses: Jobs 2.1, Clusters 2.0,
 * Secrets 2.0, Workspace 2.0, DBFS 2.0 and Command Execution 1.2. Each method is one REST call
 * (except the documented helpers `uploadFile`, `readAll` and `runCommand`) and throws only
 * {@link DatabricksApiError}.
 */
import type { Readable } from "node:stream";
import type { TokenCredential } from "@azure/core-auth";
import { tokenSourceFor } from "./auth";
import { DatabricksConfig, DatabricksConfigOptions, resolveDatabricksConfig } from "./config";
import { DatabricksApiError, errorFromNetworkFailure } from "./errors";
import { abortableSleep, DatabricksHttpClient, DatabricksHttpClientOptions } from "./httpClient";
import {
  ClusterCreateRequest,
  ClusterDetails,
  ClusterEditRequest,
  ClustersListResponse,
  CommandLanguage,
  CommandResults,
  CommandStatusResponse,
  ContextStatusResponse,
  CreateScopeRequest,
  DbfsFileInfo,
  DbfsReadResponse,
  Job,
  JobCreateRequest,
  JobResetRequest,
  JobsListParams,
  JobsListResponse,
  JobUpdateRequest,
  PutSecretRequest,
  Run,
  RunIdResponse,
  RunNowRequest,
  RunOutput,
  RunsListParams,
  RunsListResponse,
  RunSubmitRequest,
  SecretMetadata,
  SecretScope,
  TERMINAL_COMMAND_STATUSES,
  WorkspaceExportResponse,
  WorkspaceFormat,
  WorkspaceImportArgs,
  WorkspaceObjectInfo,
} from "./types";

/** Options every call accepts. */
export interface CallOptions {
  /** Aborts the call (and its retry waits). */
  signal?: AbortSignal;
}

const JOBS = "/api/2.1/jobs";
const CLUSTERS = "/api/2.0/clusters";
const SECRETS = "/api/2.0/secrets";
const WORKSPACE = "/api/2.0/workspace";
const DBFS = "/api/2.0/dbfs";
const COMMANDS_1_2 = "/api/1.2";

/** Largest block DBFS accepts in `put` contents, `add-block` data and `read` length: 1 MB. */
export const DBFS_MAX_BLOCK_BYTES = 1024 * 1024;

/** Jobs 2.1: one-time runs and jobs. */
export class JobsApi {
  /** @param client The HTTP client every call goes through. */
  constructor(private readonly client: DatabricksHttpClient) {}

  /**
   * Submits a one-time run (`POST /api/2.1/jobs/runs/submit`). Retried on 500/502/504 and network
   * errors only when `idempotency_token` is set (the service then returns the same run).
   */
  runsSubmit(req: RunSubmitRequest, opts: CallOptions = {}): Promise<RunIdResponse> {
    const name = req.run_name ? ` "${req.run_name}"` : "";
    return this.client.request({ method: "POST", path: `${JOBS}/runs/submit`, body: req, operation: `submit run${name}`, idempotent: !!req.idempotency_token, ...opts });
  }

  /** Gets a run with its state and task runs (`GET runs/get`). A missing run is 400 "Run N does not exist". */
  runsGet(runId: number, params: { include_history?: boolean } = {}, opts: CallOptions = {}): Promise<Run> {
    return this.client.request({ method: "GET", path: `${JOBS}/runs/get`, query: { run_id: runId, ...params }, operation: `get run ${runId}`, ...opts });
  }

  /** Gets the output of one task run (`GET runs/get-output`); pass a task's `run_id`, not a multi-task parent's. */
  runsGetOutput(runId: number, opts: CallOptions = {}): Promise<RunOutput> {
    return this.client.request({ method: "GET", path: `${JOBS}/runs/get-output`, query: { run_id: runId }, operation: `get output of run ${runId}`, ...opts });
  }

  /** Requests cancellation of a run (`POST runs/cancel`); asynchronous: poll `runsGet` until terminal. */
  async runsCancel(runId: number, opts: CallOptions = {}): Promise<void> {
    await this.client.request({ method: "POST", path: `${JOBS}/runs/cancel`, body: { run_id: runId }, operation: `cancel run ${runId}`, idempotent: true, ...opts });
  }

  /** Deletes a non-active run (`POST runs/delete`). */
  async runsDelete(runId: number, opts: CallOptions = {}): Promise<void> {
    await this.client.request({ method: "POST", path: `${JOBS}/runs/delete`, body: { run_id: runId }, operation: `delete run ${runId}`, idempotent: true, ...opts });
  }

  /** Lists runs, most recent first (`GET runs/list`). */
  runsList(params: RunsListParams = {}, opts: CallOptions = {}): Promise<RunsListResponse> {
    return this.client.request({ method: "GET", path: `${JOBS}/runs/list`, query: { ...params }, operation: "list runs", ...opts });
  }

  /** Creates a job (`POST jobs/create`). */
  jobsCreate(req: JobCreateRequest, opts: CallOptions = {}): Promise<{ job_id: number }> {
    const name = req.name ? ` "${req.name}"` : "";
    return this.client.request({ method: "POST", path: `${JOBS}/create`, body: req, operation: `create job${name}`, ...opts });
  }

  /** Gets a job (`GET jobs/get`). */
  jobsGet(jobId: number, opts: CallOptions = {}): Promise<Job> {
    return this.client.request({ method: "GET", path: `${JOBS}/get`, query: { job_id: jobId }, operation: `get job ${jobId}`, ...opts });
  }

  /** Lists jobs (`GET jobs/list`). */
  jobsList(params: JobsListParams = {}, opts: CallOptions = {}): Promise<JobsListResponse> {
    return this.client.request({ method: "GET", path: `${JOBS}/list`, query: { ...params }, operation: "list jobs", ...opts });
  }

  /** Replaces all settings of a job (`POST jobs/reset`). */
  async jobsReset(req: JobResetRequest, opts: CallOptions = {}): Promise<void> {
    await this.client.request({ method: "POST", path: `${JOBS}/reset`, body: req, operation: `reset job ${req.job_id}`, idempotent: true, ...opts });
  }

  /** Replaces top-level settings of a job and removes `fields_to_remove` (`POST jobs/update`). */
  async jobsUpdate(req: JobUpdateRequest, opts: CallOptions = {}): Promise<void> {
    await this.client.request({ method: "POST", path: `${JOBS}/update`, body: req, operation: `update job ${req.job_id}`, idempotent: true, ...opts });
  }

  /** Deletes a job (`POST jobs/delete`). */
  async jobsDelete(jobId: number, opts: CallOptions = {}): Promise<void> {
    await this.client.request({ method: "POST", path: `${JOBS}/delete`, body: { job_id: jobId }, operation: `delete job ${jobId}`, idempotent: true, ...opts });
  }

  /** Triggers a run of a job (`POST jobs/run-now`); retried like `runsSubmit` when `idempotency_token` is set. */
  runNow(req: RunNowRequest, opts: CallOptions = {}): Promise<RunIdResponse> {
    return this.client.request({ method: "POST", path: `${JOBS}/run-now`, body: req, operation: `run job ${req.job_id}`, idempotent: !!req.idempotency_token, ...opts });
  }
}

/** Clusters 2.0. */
export class ClustersApi {
  /** @param client The HTTP client every call goes through. */
  constructor(private readonly client: DatabricksHttpClient) {}

  /** Creates and starts a cluster (`POST clusters/create`); `spark_version` is required. */
  create(req: ClusterCreateRequest, opts: CallOptions = {}): Promise<{ cluster_id: string }> {
    const name = req.cluster_name ? ` "${req.cluster_name}"` : "";
    return this.client.request({ method: "POST", path: `${CLUSTERS}/create`, body: req, operation: `create cluster${name}`, idempotent: !!req.idempotency_token, ...opts });
  }

  /** Gets a cluster (`GET clusters/get`). A missing cluster is 400 "Cluster X does not exist". */
  get(clusterId: string, opts: CallOptions = {}): Promise<ClusterDetails> {
    return this.client.request({ method: "GET", path: `${CLUSTERS}/get`, query: { cluster_id: clusterId }, operation: `get cluster ${clusterId}`, ...opts });
  }

  /** Lists clusters (`GET clusters/list`). */
  list(opts: CallOptions = {}): Promise<ClustersListResponse> {
    return this.client.request({ method: "GET", path: `${CLUSTERS}/list`, operation: "list clusters", ...opts });
  }

  /** Replaces a cluster's configuration (`POST clusters/edit`). */
  async edit(req: ClusterEditRequest, opts: CallOptions = {}): Promise<void> {
    await this.client.request({ method: "POST", path: `${CLUSTERS}/edit`, body: req, operation: `edit cluster ${req.cluster_id}`, idempotent: true, ...opts });
  }

  /** Starts a terminated cluster (`POST clusters/start`). */
  async start(clusterId: string, opts: CallOptions = {}): Promise<void> {
    await this.client.request({ method: "POST", path: `${CLUSTERS}/start`, body: { cluster_id: clusterId }, operation: `start cluster ${clusterId}`, ...opts });
  }

  /** Terminates a cluster, keeping its configuration (`POST clusters/delete`). */
  async delete(clusterId: string, opts: CallOptions = {}): Promise<void> {
    await this.client.request({ method: "POST", path: `${CLUSTERS}/delete`, body: { cluster_id: clusterId }, operation: `terminate cluster ${clusterId}`, idempotent: true, ...opts });
  }

  /** Removes a cluster for good (`POST clusters/permanent-delete`). */
  async permanentDelete(clusterId: string, opts: CallOptions = {}): Promise<void> {
    await this.client.request({ method: "POST", path: `${CLUSTERS}/permanent-delete`, body: { cluster_id: clusterId }, operation: `permanently delete cluster ${clusterId}`, idempotent: true, ...opts });
  }
}

/** Secrets 2.0. */
export class SecretsApi {
  /** @param client The HTTP client every call goes through. */
  constructor(private readonly client: DatabricksHttpClient) {}

  /** Creates a scope (`POST secrets/scopes/create`); an existing name is RESOURCE_ALREADY_EXISTS. */
  async createScope(req: CreateScopeRequest, opts: CallOptions = {}): Promise<void> {
    await this.client.request({ method: "POST", path: `${SECRETS}/scopes/create`, body: req, operation: `create secret scope "${req.scope}"`, ...opts });
  }

  /** Deletes a scope and its secrets (`POST secrets/scopes/delete`). */
  async deleteScope(scope: string, opts: CallOptions = {}): Promise<void> {
    await this.client.request({ method: "POST", path: `${SECRETS}/scopes/delete`, body: { scope }, operation: `delete secret scope "${scope}"`, idempotent: true, ...opts });
  }

  /** Lists scopes (`GET secrets/scopes/list`). */
  async listScopes(opts: CallOptions = {}): Promise<SecretScope[]> {
    const res = await this.client.request<{ scopes?: SecretScope[] }>({ method: "GET", path: `${SECRETS}/scopes/list`, operation: "list secret scopes", ...opts });
    return res.scopes ?? [];
  }

  /** Creates or overwrites a secret (`POST secrets/put`); values up to 128 KB. */
  async putSecret(req: PutSecretRequest, opts: CallOptions = {}): Promise<void> {
    await this.client.request({ method: "POST", path: `${SECRETS}/put`, body: req, operation: `put secret "${req.key}" in scope "${req.scope}"`, idempotent: true, ...opts });
  }

  /** Deletes a secret (`POST secrets/delete`). */
  async deleteSecret(scope: string, key: string, opts: CallOptions = {}): Promise<void> {
    await this.client.request({ method: "POST", path: `${SECRETS}/delete`, body: { scope, key }, operation: `delete secret "${key}" from scope "${scope}"`, idempotent: true, ...opts });
  }

  /** Lists the secrets of a scope, without values (`GET secrets/list`). */
  async listSecrets(scope: string, opts: CallOptions = {}): Promise<SecretMetadata[]> {
    const res = await this.client.request<{ secrets?: SecretMetadata[] }>({ method: "GET", path: `${SECRETS}/list`, query: { scope }, operation: `list secrets of scope "${scope}"`, ...opts });
    return res.secrets ?? [];
  }
}

/** Workspace 2.0: notebooks, files and folders. */
export class WorkspaceApi {
  /** @param client The HTTP client every call goes through. */
  constructor(private readonly client: DatabricksHttpClient) {}

  /**
   * Imports a notebook or file (`POST workspace/import`); the content is base64-encoded here.
   * Retried on 5xx/network errors only with `overwrite` (otherwise a repeat would fail with
   * RESOURCE_ALREADY_EXISTS).
   */
  async import(args: WorkspaceImportArgs, opts: CallOptions = {}): Promise<void> {
    const content = (typeof args.content === "string" ? Buffer.from(args.content, "utf8") : args.content).toString("base64");
    const body = { path: args.path, content, format: args.format ?? "SOURCE", language: args.language, overwrite: args.overwrite ?? false };
    await this.client.request({ method: "POST", path: `${WORKSPACE}/import`, body, operation: `import ${args.path}`, idempotent: body.overwrite, ...opts });
  }

  /** Exports an object (`GET workspace/export`); `content` is base64. Default format `SOURCE`. */
  export(path: string, format: WorkspaceFormat = "SOURCE", opts: CallOptions = {}): Promise<WorkspaceExportResponse> {
    return this.client.request({ method: "GET", path: `${WORKSPACE}/export`, query: { path, format }, operation: `export ${path}`, ...opts });
  }

  /** Gets an object's type and metadata (`GET workspace/get-status`); a missing path is 404 RESOURCE_DOES_NOT_EXIST. */
  getStatus(path: string, opts: CallOptions = {}): Promise<WorkspaceObjectInfo> {
    return this.client.request({ method: "GET", path: `${WORKSPACE}/get-status`, query: { path }, operation: `get status of ${path}`, ...opts });
  }

  /** Lists a directory (`GET workspace/list`). */
  async list(path: string, opts: CallOptions = {}): Promise<WorkspaceObjectInfo[]> {
    const res = await this.client.request<{ objects?: WorkspaceObjectInfo[] }>({ method: "GET", path: `${WORKSPACE}/list`, query: { path }, operation: `list ${path}`, ...opts });
    return res.objects ?? [];
  }

  /** Creates a directory and its parents (`POST workspace/mkdirs`). */
  async mkdirs(path: string, opts: CallOptions = {}): Promise<void> {
    await this.client.request({ method: "POST", path: `${WORKSPACE}/mkdirs`, body: { path }, operation: `create directory ${path}`, idempotent: true, ...opts });
  }

  /** Deletes an object; a non-empty directory needs `recursive` (`POST workspace/delete`). */
  async delete(path: string, recursive = false, opts: CallOptions = {}): Promise<void> {
    await this.client.request({ method: "POST", path: `${WORKSPACE}/delete`, body: { path, recursive }, operation: `delete ${path}`, idempotent: true, ...opts });
  }
}

/** DBFS 2.0. Paths are DBFS paths (`/mnt/x`, `dbfs:/mnt/x`). */
export class DbfsApi {
  /** @param client The HTTP client every call goes through. */
  constructor(private readonly client: DatabricksHttpClient) {}

  /** Writes a file of at most 1 MB in one call (`POST dbfs/put`, contents base64). */
  async put(path: string, data: Buffer, overwrite = false, opts: CallOptions = {}): Promise<void> {
    if (data.length > DBFS_MAX_BLOCK_BYTES) throw new RangeError(`dbfs put takes at most ${DBFS_MAX_BLOCK_BYTES} bytes, not ${data.length}: use uploadFile for ${path}.`);
    await this.client.request({ method: "POST", path: `${DBFS}/put`, body: { path, contents: data.toString("base64"), overwrite }, operation: `upload ${path}`, idempotent: overwrite, ...opts });
  }

  /** Opens a streaming upload (`POST dbfs/create`) and returns its handle. */
  async create(path: string, overwrite = false, opts: CallOptions = {}): Promise<number> {
    const res = await this.client.request<{ handle: number }>({ method: "POST", path: `${DBFS}/create`, body: { path, overwrite }, operation: `open upload of ${path}`, idempotent: overwrite, ...opts });
    return res.handle;
  }

  /** Appends a block of at most 1 MB to a streaming upload (`POST dbfs/add-block`). Not retried on 5xx: a repeat would append twice. */
  async addBlock(handle: number, data: Buffer, opts: CallOptions = {}): Promise<void> {
    if (data.length > DBFS_MAX_BLOCK_BYTES) throw new RangeError(`dbfs add-block takes at most ${DBFS_MAX_BLOCK_BYTES} bytes, not ${data.length}.`);
    await this.client.request({ method: "POST", path: `${DBFS}/add-block`, body: { handle, data: data.toString("base64") }, operation: `upload a block to handle ${handle}`, ...opts });
  }

  /** Completes a streaming upload (`POST dbfs/close`). */
  async close(handle: number, opts: CallOptions = {}): Promise<void> {
    await this.client.request({ method: "POST", path: `${DBFS}/close`, body: { handle }, operation: `close upload handle ${handle}`, ...opts });
  }

  /**
   * Uploads a file of any size: `put` when it is at most 1 MB, otherwise `create`, `add-block`
   * per 1 MB block (base64) and `close`. A stream is read block by block, never whole. If a
   * block fails, the handle is left open (the service expires it) rather than closed over a
   * partial file.
   */
  async uploadFile(path: string, data: Buffer | Readable, overwrite = false, opts: CallOptions = {}): Promise<void> {
    const block = DBFS_MAX_BLOCK_BYTES;
    if (Buffer.isBuffer(data)) {
      if (data.length <= block) return this.put(path, data, overwrite, opts);
      const handle = await this.create(path, overwrite, opts);
      for (let offset = 0; offset < data.length; offset += block) await this.addBlock(handle, data.subarray(offset, offset + block), opts);
      return this.close(handle, opts);
    }
    let pending: Buffer[] = [];
    let pendingBytes = 0;
    let handle: number | undefined;
    for await (const chunk of data) {
      const buf = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk as string);
      pending.push(buf);
      pendingBytes += buf.length;
      // Strictly more than a block: a stream of exactly 1 MB still goes through put.
      while (pendingBytes > block) {
        const all = Buffer.concat(pending);
        handle ??= await this.create(path, overwrite, opts);
        await this.addBlock(handle, all.subarray(0, block), opts);
        const rest = all.subarray(block);
        pending = [rest];
        pendingBytes = rest.length;
      }
    }
    const rest = Buffer.concat(pending);
    if (handle === undefined) return this.put(path, rest, overwrite, opts);
    if (rest.length > 0) await this.addBlock(handle, rest, opts);
    return this.close(handle, opts);
  }

  /** Reads up to 1 MB from `offset` (`GET dbfs/read`); `data` is base64. */
  read(path: string, offset = 0, length = DBFS_MAX_BLOCK_BYTES, opts: CallOptions = {}): Promise<DbfsReadResponse> {
    if (length > DBFS_MAX_BLOCK_BYTES) throw new RangeError(`dbfs read takes a length of at most ${DBFS_MAX_BLOCK_BYTES} bytes, not ${length}.`);
    return this.client.request({ method: "GET", path: `${DBFS}/read`, query: { path, offset, length }, operation: `read ${path}`, ...opts });
  }

  /** Reads a whole file, 1 MB per call. */
  async readAll(path: string, opts: CallOptions = {}): Promise<Buffer> {
    const parts: Buffer[] = [];
    for (let offset = 0; ; ) {
      const res = await this.read(path, offset, DBFS_MAX_BLOCK_BYTES, opts);
      const bytes = Buffer.from(res.data ?? "", "base64");
      if (bytes.length > 0) parts.push(bytes);
      offset += bytes.length;
      if (!res.bytes_read || bytes.length < DBFS_MAX_BLOCK_BYTES) break;
    }
    return Buffer.concat(parts);
  }

  /** Gets a file's or directory's metadata (`GET dbfs/get-status`); a missing path is 404 RESOURCE_DOES_NOT_EXIST. */
  getStatus(path: string, opts: CallOptions = {}): Promise<DbfsFileInfo> {
    return this.client.request({ method: "GET", path: `${DBFS}/get-status`, query: { path }, operation: `get status of ${path}`, ...opts });
  }

  /** Lists a directory (`GET dbfs/list`). */
  async list(path: string, opts: CallOptions = {}): Promise<DbfsFileInfo[]> {
    const res = await this.client.request<{ files?: DbfsFileInfo[] }>({ method: "GET", path: `${DBFS}/list`, query: { path }, operation: `list ${path}`, ...opts });
    return res.files ?? [];
  }

  /** Creates a directory and its parents (`POST dbfs/mkdirs`). */
  async mkdirs(path: string, opts: CallOptions = {}): Promise<void> {
    await this.client.request({ method: "POST", path: `${DBFS}/mkdirs`, body: { path }, operation: `create directory ${path}`, idempotent: true, ...opts });
  }

  /** Moves a file or directory (`POST dbfs/move`). */
  async move(sourcePath: string, destinationPath: string, opts: CallOptions = {}): Promise<void> {
    await this.client.request({
      method: "POST",
      path: `${DBFS}/move`,
      body: { source_path: sourcePath, destination_path: destinationPath },
      operation: `move ${sourcePath} to ${destinationPath}`,
      ...opts,
    });
  }

  /** Deletes a file, or a directory with `recursive` (`POST dbfs/delete`). */
  async delete(path: string, recursive = false, opts: CallOptions = {}): Promise<void> {
    await this.client.request({ method: "POST", path: `${DBFS}/delete`, body: { path, recursive }, operation: `delete ${path}`, idempotent: true, ...opts });
  }
}

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
    const wait = async () => {
      try {
        await abortableSleep(Math.max(0, Math.min(pollMs, deadline - Date.now())), options.signal);
      } catch (err) {
        throw errorFromNetworkFailure(operation, err);
      }
    };
    const timeout = (what: string) =>
      new DatabricksApiError({ operation, status: 0, errorCode: "TIMEOUT", message: `${what} within ${timeoutMs} ms` });

    const contextId = await this.contextsCreate({ clusterId, language }, opts);
    try {
      for (;;) {
        const context = await this.contextsStatus({ clusterId, contextId }, opts);
        if (context.status === "Running") break;
        if (context.status === "Error") {
          throw new DatabricksApiError({ operation, status: 0, errorCode: "CONTEXT_ERROR", message: `execution context ${contextId} failed to start` });
        }
        if (Date.now() >= deadline) throw timeout(`execution context ${contextId} was not ready (status ${context.status})`);
        await wait();
      }
      const commandId = await this.commandsExecute({ clusterId, contextId, language, command }, opts);
      for (;;) {
        const status = await this.commandsStatus({ clusterId, contextId, commandId }, opts);
        if (TERMINAL_COMMAND_STATUSES.includes(status.status)) {
          if (status.results) return status.results;
          return status.status === "Finished" ? {} : { resultType: "error", summary: `command ${status.status}` };
        }
        if (Date.now() >= deadline) {
          await this.commandsCancel({ clusterId, contextId, commandId }).catch(() => undefined);
          throw timeout(`command ${commandId} did not finish (status ${status.status})`);
        }
        await wait();
      }
    } finally {
      await this.contextsDestroy({ clusterId, contextId }).catch(() => undefined);
    }
  }
}

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
export interface CreateDatabricksApiOptions extends DatabricksConfigOptions, Pick<DatabricksHttpClientOptions, "retry" | "timeoutMs" | "log" | "random"> {
  /** Azure credential for `azure-ad` auth. Default `DefaultAzureCredential`. */
  credential?: TokenCredential;
  /** Environment to resolve from. Default `process.env`. */
  env?: NodeJS.ProcessEnv;
}

/**
 * Resolves the configuration (options, `DATABRICKS_*` environment, `~/.databrickscfg`, the
 * target) and returns the API with its client.
 */
export function createDatabricksApi(options: CreateDatabricksApiOptions = {}): DatabricksApi {
  const { credential, env, retry, timeoutMs, log, random, ...configOptions } = options;
  const config: DatabricksConfig = resolveDatabricksConfig(configOptions, env ?? process.env);
  const client = new DatabricksHttpClient({ host: config.host, auth: tokenSourceFor(config, credential), retry, timeoutMs, log, random });
  return new DatabricksApi(client);
}
