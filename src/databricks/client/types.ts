/**
 * Wire shapes of the Databricks REST APIs used by this package (snake_case, as sent and
 * received). Jobs follow the official Azure Databricks Jobs 2.1 OpenAPI document; clusters,
 * secrets, workspace, DBFS and command execution follow the public API references. Enumerations
 * list the known values but accept any string, so a state added by the service is tolerated.
 */

/** A string enumeration that also accepts values this package does not know yet. */
export type OpenEnum<Known extends string> = Known | (string & {});

// ---------------------------------------------------------------------------------------------
// Jobs 2.1: shared pieces

/** Life-cycle state of a run or task run. */
export type RunLifeCycleState = OpenEnum<
  "PENDING" | "QUEUED" | "RUNNING" | "TERMINATING" | "TERMINATED" | "SKIPPED" | "INTERNAL_ERROR" | "BLOCKED" | "WAITING_FOR_RETRY"
>;

/** Life-cycle states after which a run never changes again. */
export const TERMINAL_LIFE_CYCLE_STATES: readonly string[] = Object.freeze(["TERMINATED", "SKIPPED", "INTERNAL_ERROR"]);

/** Outcome of a finished run or task run. */
export type RunResultState = OpenEnum<
  | "SUCCESS"
  | "FAILED"
  | "TIMEDOUT"
  | "CANCELED"
  | "SUCCESS_WITH_FAILURES"
  | "UPSTREAM_FAILED"
  | "UPSTREAM_CANCELED"
  | "EXCLUDED"
  | "DISABLED"
  | "MAXIMUM_CONCURRENT_RUNS_REACHED"
>;

/** State of a run or task run. */
export interface RunState {
  life_cycle_state?: RunLifeCycleState;
  result_state?: RunResultState;
  user_cancelled_or_timedout?: boolean;
  state_message?: string;
}

/** A library installed on the task's cluster. */
export interface Library {
  jar?: string;
  egg?: string;
  whl?: string;
  requirements?: string;
  pypi?: { package: string; repo?: string };
  maven?: { coordinates: string; repo?: string; exclusions?: string[] };
  cran?: { package: string; repo?: string };
}

/** Autoscaling range of a cluster. */
export interface AutoScale {
  min_workers?: number;
  max_workers?: number;
}

/** Azure-specific cluster attributes. */
export interface AzureAttributes {
  first_on_demand?: number;
  availability?: OpenEnum<"SPOT_AZURE" | "ON_DEMAND_AZURE" | "SPOT_WITH_FALLBACK_AZURE">;
  spot_bid_max_price?: number;
}

/** Where cluster logs or init scripts live. */
export interface StorageDestination {
  destination: string;
}

/** An init script of a cluster. */
export interface InitScriptInfo {
  dbfs?: StorageDestination;
  file?: StorageDestination;
  abfss?: StorageDestination;
  workspace?: StorageDestination;
  volumes?: StorageDestination;
}

/** Specification of a new cluster (job clusters, task clusters, `clusters/create`). */
export interface NewCluster {
  /** Required, e.g. `13.3.x-scala2.12`. */
  spark_version: string;
  num_workers?: number;
  autoscale?: AutoScale;
  node_type_id?: string;
  driver_node_type_id?: string;
  spark_conf?: Record<string, string>;
  spark_env_vars?: Record<string, string>;
  azure_attributes?: AzureAttributes;
  custom_tags?: Record<string, string>;
  cluster_log_conf?: { dbfs?: StorageDestination; volumes?: StorageDestination };
  init_scripts?: InitScriptInfo[];
  enable_elastic_disk?: boolean;
  instance_pool_id?: string;
  driver_instance_pool_id?: string;
  policy_id?: string;
  enable_local_disk_encryption?: boolean;
  docker_image?: { url: string; basic_auth?: { username: string; password: string } };
  runtime_engine?: OpenEnum<"STANDARD" | "PHOTON">;
  data_security_mode?: string;
  single_user_name?: string;
  ssh_public_keys?: string[];
}

/** A notebook task. */
export interface NotebookTask {
  notebook_path: string;
  source?: OpenEnum<"WORKSPACE" | "GIT">;
  base_parameters?: Record<string, string>;
}

/** A Python script task. */
export interface SparkPythonTask {
  python_file: string;
  parameters?: string[];
  source?: OpenEnum<"WORKSPACE" | "GIT">;
}

/** A JAR task. */
export interface SparkJarTask {
  main_class_name?: string;
  parameters?: string[];
  /** Deprecated by the service. */
  jar_uri?: string;
}

/** A spark-submit task. */
export interface SparkSubmitTask {
  parameters?: string[];
}

/** A Python wheel task. */
export interface PythonWheelTask {
  package_name?: string;
  entry_point?: string;
  parameters?: string[];
  named_parameters?: Record<string, string>;
}

/** A Delta Live Tables pipeline task. */
export interface PipelineTask {
  pipeline_id?: string;
  full_refresh?: boolean;
}

/** A dependency of a task on another task of the same run. */
export interface TaskDependency {
  task_key: string;
  outcome?: string;
}

/** Git repository the tasks' sources come from. */
export interface GitSource {
  git_url: string;
  git_provider: OpenEnum<
    "gitHub" | "bitbucketCloud" | "azureDevOpsServices" | "gitHubEnterprise" | "bitbucketServer" | "gitLab" | "gitLabEnterpriseEdition" | "awsCodeCommit"
  >;
  git_branch?: string;
  git_tag?: string;
  git_commit?: string;
  git_snapshot?: { used_commit?: string };
}

/** One access-control entry. */
export interface AccessControlRequest {
  user_name?: string;
  group_name?: string;
  service_principal_name?: string;
  permission_level: OpenEnum<"CAN_MANAGE" | "CAN_MANAGE_RUN" | "CAN_VIEW" | "IS_OWNER">;
}

/** Webhook notification targets. */
export interface WebhookNotifications {
  on_start?: { id: string }[];
  on_success?: { id: string }[];
  on_failure?: { id: string }[];
}

/** Email notification targets. */
export interface JobEmailNotifications {
  on_start?: string[];
  on_success?: string[];
  on_failure?: string[];
  no_alert_for_skipped_runs?: boolean;
}

/** Fields shared by job tasks, submitted tasks and task runs. */
export interface TaskSpec {
  /** Unique within the run: `^[\w\-]+$`, 1-100 characters. */
  task_key: string;
  depends_on?: TaskDependency[];
  existing_cluster_id?: string;
  new_cluster?: NewCluster;
  job_cluster_key?: string;
  notebook_task?: NotebookTask;
  spark_python_task?: SparkPythonTask;
  spark_jar_task?: SparkJarTask;
  spark_submit_task?: SparkSubmitTask;
  python_wheel_task?: PythonWheelTask;
  pipeline_task?: PipelineTask;
  /** SQL and dbt tasks are passed through unchanged. */
  sql_task?: Record<string, unknown>;
  dbt_task?: Record<string, unknown>;
  libraries?: Library[];
  timeout_seconds?: number;
  max_retries?: number;
  min_retry_interval_millis?: number;
  retry_on_timeout?: boolean;
  email_notifications?: JobEmailNotifications;
}

// ---------------------------------------------------------------------------------------------
// Jobs 2.1: one-time runs

/** Body of `POST /api/2.1/jobs/runs/submit`. */
export interface RunSubmitRequest {
  run_name?: string;
  tasks?: TaskSpec[];
  timeout_seconds?: number;
  /**
   * At most 64 characters. A token already used returns that run's id and launches nothing; a
   * token whose run was deleted is an error. Makes the submit safe to retry.
   */
  idempotency_token?: string;
  access_control_list?: AccessControlRequest[];
  git_source?: GitSource;
  webhook_notifications?: WebhookNotifications;
  email_notifications?: JobEmailNotifications;
}

/** Response of `runs/submit` and `run-now`. */
export interface RunIdResponse {
  run_id: number;
  /** Deprecated alias of `run_id` (run-now only). */
  number_in_job?: number;
}

/** Cluster a run or task run used. */
export interface ClusterInstance {
  cluster_id?: string;
  spark_context_id?: string;
}

/** One task run of a run. */
export interface RunTask extends Partial<TaskSpec> {
  run_id?: number;
  state?: RunState;
  run_page_url?: string;
  start_time?: number;
  setup_duration?: number;
  execution_duration?: number;
  cleanup_duration?: number;
  end_time?: number;
  attempt_number?: number;
  cluster_instance?: ClusterInstance;
  git_source?: GitSource;
}

/** Response of `GET /api/2.1/jobs/runs/get`. */
export interface Run {
  job_id?: number;
  run_id: number;
  number_in_job?: number;
  creator_user_name?: string;
  original_attempt_run_id?: number;
  state?: RunState;
  tasks?: RunTask[];
  job_clusters?: { job_cluster_key: string; new_cluster?: NewCluster }[];
  cluster_spec?: { existing_cluster_id?: string; new_cluster?: NewCluster; libraries?: Library[] };
  cluster_instance?: ClusterInstance;
  git_source?: GitSource;
  overriding_parameters?: RunParameters;
  start_time?: number;
  setup_duration?: number;
  execution_duration?: number;
  cleanup_duration?: number;
  end_time?: number;
  run_duration?: number;
  trigger?: OpenEnum<"PERIODIC" | "ONE_TIME" | "RETRY" | "RUN_JOB_TASK" | "FILE_ARRIVAL" | "TABLE">;
  run_name?: string;
  run_page_url?: string;
  run_type?: OpenEnum<"JOB_RUN" | "WORKFLOW_RUN" | "SUBMIT_RUN">;
  attempt_number?: number;
  repair_history?: { type?: string; start_time?: number; end_time?: number; state?: RunState; id?: number; task_run_ids?: number[] }[];
}

/** Response of `GET /api/2.1/jobs/runs/get-output` (for a single task run). */
export interface RunOutput {
  /** The value passed to `dbutils.notebook.exit` (first 5 MB). */
  notebook_output?: { result?: string; truncated?: boolean };
  /** Standard output/error of Python, JAR and wheel tasks (last 5 MB). */
  logs?: string;
  logs_truncated?: boolean;
  /** Why the task failed or why output is unavailable (unstructured). */
  error?: string;
  error_trace?: string;
  metadata?: Run;
  sql_output?: Record<string, unknown>;
  dbt_output?: Record<string, unknown>;
}

/** Query of `GET /api/2.1/jobs/runs/list`. */
export interface RunsListParams {
  job_id?: number;
  active_only?: boolean;
  completed_only?: boolean;
  offset?: number;
  /** 1-25. */
  limit?: number;
  run_type?: OpenEnum<"JOB_RUN" | "WORKFLOW_RUN" | "SUBMIT_RUN">;
  expand_tasks?: boolean;
  start_time_from?: number;
  start_time_to?: number;
  page_token?: string;
}

/** Response of `runs/list`. */
export interface RunsListResponse {
  runs?: Run[];
  has_more?: boolean;
  next_page_token?: string;
  prev_page_token?: string;
}

// ---------------------------------------------------------------------------------------------
// Jobs 2.1: jobs

/** Parameters overriding a job's for one run. */
export interface RunParameters {
  jar_params?: string[];
  notebook_params?: Record<string, string>;
  python_params?: string[];
  spark_submit_params?: string[];
  python_named_params?: Record<string, string>;
  pipeline_params?: { full_refresh?: boolean };
  sql_params?: Record<string, string>;
  dbt_commands?: string[];
  job_parameters?: Record<string, string>;
}

/** Settings of a job. */
export interface JobSettings {
  name?: string;
  tags?: Record<string, string>;
  tasks?: TaskSpec[];
  job_clusters?: { job_cluster_key: string; new_cluster?: NewCluster }[];
  email_notifications?: JobEmailNotifications;
  webhook_notifications?: WebhookNotifications;
  timeout_seconds?: number;
  schedule?: { quartz_cron_expression: string; timezone_id: string; pause_status?: OpenEnum<"PAUSED" | "UNPAUSED"> };
  max_concurrent_runs?: number;
  git_source?: GitSource;
  format?: OpenEnum<"SINGLE_TASK" | "MULTI_TASK">;
  parameters?: { name: string; default: string }[];
}

/** Body of `POST /api/2.1/jobs/create`. */
export interface JobCreateRequest extends JobSettings {
  access_control_list?: AccessControlRequest[];
}

/** Response of `GET /api/2.1/jobs/get` and items of `jobs/list`. */
export interface Job {
  job_id: number;
  creator_user_name?: string;
  run_as_user_name?: string;
  settings?: JobSettings;
  created_time?: number;
}

/** Query of `GET /api/2.1/jobs/list`. */
export interface JobsListParams {
  /** 1-100 (25 in 2.1). */
  limit?: number;
  offset?: number;
  name?: string;
  expand_tasks?: boolean;
  page_token?: string;
}

/** Response of `jobs/list`. */
export interface JobsListResponse {
  jobs?: Job[];
  has_more?: boolean;
  next_page_token?: string;
  prev_page_token?: string;
}

/** Body of `POST /api/2.1/jobs/reset`: the new settings replace all the old ones. */
export interface JobResetRequest {
  job_id: number;
  new_settings: JobSettings;
}

/** Body of `POST /api/2.1/jobs/update`: top-level fields of `new_settings` replace the old ones. */
export interface JobUpdateRequest {
  job_id: number;
  new_settings?: JobSettings;
  fields_to_remove?: string[];
}

/** Body of `POST /api/2.1/jobs/run-now`. */
export interface RunNowRequest extends RunParameters {
  job_id: number;
  idempotency_token?: string;
}

// ---------------------------------------------------------------------------------------------
// Clusters 2.0

/** State of a cluster. */
export type ClusterState = OpenEnum<"PENDING" | "RUNNING" | "RESTARTING" | "RESIZING" | "TERMINATING" | "TERMINATED" | "ERROR" | "UNKNOWN">;

/** Body of `POST /api/2.0/clusters/create`. */
export interface ClusterCreateRequest extends NewCluster {
  cluster_name?: string;
  autotermination_minutes?: number;
  /** Makes the create safe to retry (the same token returns the same cluster). */
  idempotency_token?: string;
}

/** Body of `POST /api/2.0/clusters/edit`. */
export interface ClusterEditRequest extends NewCluster {
  cluster_id: string;
  cluster_name?: string;
  autotermination_minutes?: number;
}

/** A driver or executor node of a cluster. */
export interface SparkNode {
  private_ip?: string;
  public_dns?: string;
  node_id?: string;
  instance_id?: string;
  start_timestamp?: number;
  host_private_ip?: string;
}

/** Response of `GET /api/2.0/clusters/get` and items of `clusters/list`. */
export interface ClusterDetails extends Partial<NewCluster> {
  cluster_id: string;
  cluster_name?: string;
  creator_user_name?: string;
  state?: ClusterState;
  state_message?: string;
  start_time?: number;
  terminated_time?: number;
  last_state_loss_time?: number;
  last_activity_time?: number;
  autotermination_minutes?: number;
  cluster_memory_mb?: number;
  cluster_cores?: number;
  default_tags?: Record<string, string>;
  cluster_source?: OpenEnum<"UI" | "JOB" | "API">;
  spark_context_id?: number;
  jdbc_port?: number;
  driver?: SparkNode;
  executors?: SparkNode[];
  termination_reason?: { code?: string; type?: string; parameters?: Record<string, string> };
}

/** Response of `clusters/list`. */
export interface ClustersListResponse {
  clusters?: ClusterDetails[];
  next_page_token?: string;
  prev_page_token?: string;
}

// ---------------------------------------------------------------------------------------------
// Secrets 2.0

/** Where a scope keeps its secrets. */
export type ScopeBackendType = OpenEnum<"DATABRICKS" | "AZURE_KEYVAULT">;

/** The Key Vault behind an `AZURE_KEYVAULT` scope. */
export interface AzureKeyVaultSecretScopeMetadata {
  /** ARM id of the vault. */
  resource_id: string;
  /** Vault URI, e.g. `https://my-vault.vault.azure.net/`. */
  dns_name: string;
}

/** Body of `POST /api/2.0/secrets/scopes/create`. */
export interface CreateScopeRequest {
  /** `[\w.@_/-]{1,128}`. */
  scope: string;
  initial_manage_principal?: string;
  scope_backend_type?: ScopeBackendType;
  /** Required for `AZURE_KEYVAULT`, which also needs an Azure AD (not PAT) caller. */
  backend_azure_keyvault?: AzureKeyVaultSecretScopeMetadata;
}

/** A secret scope, as listed. */
export interface SecretScope {
  name: string;
  backend_type?: ScopeBackendType;
  keyvault_metadata?: AzureKeyVaultSecretScopeMetadata;
}

/** Body of `POST /api/2.0/secrets/put`: exactly one of `string_value`, `bytes_value`. */
export interface PutSecretRequest {
  scope: string;
  key: string;
  string_value?: string;
  /** Base64. */
  bytes_value?: string;
}

/** A secret's metadata (the value is never returned). */
export interface SecretMetadata {
  key: string;
  last_updated_timestamp?: number;
}

// ---------------------------------------------------------------------------------------------
// Workspace 2.0

/** Type of a workspace object. */
export type WorkspaceObjectType = OpenEnum<"NOTEBOOK" | "DIRECTORY" | "LIBRARY" | "FILE" | "REPO" | "DASHBOARD">;

/** Language of a notebook. */
export type WorkspaceLanguage = OpenEnum<"PYTHON" | "SCALA" | "SQL" | "R">;

/** Import/export format. */
export type WorkspaceFormat = OpenEnum<"SOURCE" | "HTML" | "JUPYTER" | "DBC" | "R_MARKDOWN" | "AUTO" | "RAW">;

/** Arguments of `workspace.import`; the content is base64-encoded by the client. */
export interface WorkspaceImportArgs {
  /** Absolute workspace path, e.g. `/Shared/etl/step1`. */
  path: string;
  /** The file's bytes, or text (UTF-8). At most 10 MB once base64-encoded. */
  content: Buffer | string;
  /** Default `SOURCE`. */
  format?: WorkspaceFormat;
  /** Required for `SOURCE` notebooks. */
  language?: WorkspaceLanguage;
  /** Replace an existing object (otherwise RESOURCE_ALREADY_EXISTS). Default false. */
  overwrite?: boolean;
}

/** Response of `workspace/export`. */
export interface WorkspaceExportResponse {
  /** Base64. */
  content?: string;
  file_type?: string;
}

/** A workspace object's metadata (`get-status`, items of `list`). */
export interface WorkspaceObjectInfo {
  object_type?: WorkspaceObjectType;
  path: string;
  language?: WorkspaceLanguage;
  object_id?: number;
  created_at?: number;
  modified_at?: number;
  resource_id?: string;
  size?: number;
}

// ---------------------------------------------------------------------------------------------
// DBFS 2.0

/** A DBFS file or directory (`get-status`, items of `list`). */
export interface DbfsFileInfo {
  path: string;
  is_dir: boolean;
  file_size?: number;
  modification_time?: number;
}

/** Response of `dbfs/read`. */
export interface DbfsReadResponse {
  bytes_read: number;
  /** Base64. */
  data: string;
}

// ---------------------------------------------------------------------------------------------
// Command execution 1.2

/** Language of an execution context. */
export type CommandLanguage = OpenEnum<"python" | "scala" | "sql">;

/** Status of an execution context. */
export type ContextStatus = OpenEnum<"Pending" | "Running" | "Error">;

/** Status of a command. */
export type CommandStatus = OpenEnum<"Queued" | "Running" | "Cancelling" | "Cancelled" | "Finished" | "Error">;

/** Command statuses after which nothing changes. */
export const TERMINAL_COMMAND_STATUSES: readonly string[] = Object.freeze(["Finished", "Error", "Cancelled"]);

/** Results of a command (camelCase on the wire: API 1.2 predates the snake_case convention). */
export interface CommandResults {
  /** `text`, `error`, `table`, `image`, `images`. */
  resultType?: OpenEnum<"text" | "error" | "table" | "image" | "images">;
  /** Output text, or table rows. */
  data?: unknown;
  /** For errors: the exception and traceback. */
  cause?: string;
  /** For errors: a one-line summary (may be HTML). */
  summary?: string;
  truncated?: boolean;
  schema?: unknown[];
  fileName?: string;
  fileNames?: string[];
  isJsonSchema?: boolean;
  pos?: number;
}

/** Response of `commands/status`. */
export interface CommandStatusResponse {
  id: string;
  status: CommandStatus;
  results?: CommandResults;
}

/** Response of `contexts/status`. */
export interface ContextStatusResponse {
  id: string;
  status: ContextStatus;
}
