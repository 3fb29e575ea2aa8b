/**
 * The wire types of the request bodies whose JSON the workspace stores: cluster specifications
 * (Clusters API and tasks' `new_cluster`), tasks, job settings and one-time runs. Taken from the
 * Azure Databricks Jobs 2.1 OpenAPI document and the Databricks SDKs' models (fields added since,
 * such as `for_each_task`, `queue` and job `parameters`, included); fields not named here are
 * stored unchecked. Ranges are the service's where it states them, and the emulator's bounds on
 * cluster sizes (`MAX_CLUSTER_WORKERS`).
 */
import { MAX_CLUSTER_WORKERS } from "./config";
import { anyValue, arrayOf, bool, count32, double, extend, int, int32, int64, lazy, mapOf, object, str, text, type Shape } from "./shapes";

/** Where a log, an init script or a file lives (`{destination}`). */
const STORAGE = object({ destination: str });

const INIT_SCRIPT = object({ workspace: STORAGE, volumes: STORAGE, dbfs: STORAGE, file: STORAGE, abfss: STORAGE, s3: anyValue, gcs: STORAGE });

/** A library to install on a task's cluster. */
export const LIBRARY: Shape = object({
  jar: str,
  egg: str,
  whl: str,
  requirements: str,
  pypi: object({ package: str, repo: str }),
  maven: object({ coordinates: str, repo: str, exclusions: arrayOf(str) }),
  cran: object({ package: str, repo: str }),
});

/** `num_workers`: a fixed number of workers besides the driver. */
const NUM_WORKERS = int(0, MAX_CLUSTER_WORKERS);

/** `autoscale`: a range of workers. */
export const AUTOSCALE: Shape = object({ min_workers: NUM_WORKERS, max_workers: int(1, MAX_CLUSTER_WORKERS) });

/** A cluster specification: `new_cluster` of a task or job cluster, and the body of clusters/create and edit. */
export const CLUSTER_SPEC: Shape = object({
  cluster_name: str,
  spark_version: str,
  spark_conf: mapOf(text),
  spark_env_vars: mapOf(text),
  custom_tags: mapOf(text),
  azure_attributes: object({ first_on_demand: int32, availability: str, spot_bid_max_price: double, log_analytics_info: object({ log_analytics_workspace_id: str, log_analytics_primary_key: str }) }),
  node_type_id: str,
  driver_node_type_id: str,
  instance_pool_id: str,
  driver_instance_pool_id: str,
  policy_id: str,
  apply_policy_default_values: bool,
  num_workers: NUM_WORKERS,
  autoscale: AUTOSCALE,
  // 0 turns automatic termination off; the service takes at most 10000 minutes.
  autotermination_minutes: int(0, 10_000),
  ssh_public_keys: arrayOf(str, 10),
  cluster_log_conf: object({ dbfs: STORAGE, volumes: STORAGE, s3: anyValue }),
  init_scripts: arrayOf(INIT_SCRIPT),
  docker_image: object({ url: str, basic_auth: object({ username: str, password: str }) }),
  runtime_engine: str,
  data_security_mode: str,
  single_user_name: str,
  enable_elastic_disk: bool,
  enable_local_disk_encryption: bool,
  is_single_node: bool,
  kind: str,
  use_ml_runtime: bool,
});

/** The body of clusters/create and clusters/edit. */
export const CLUSTER_REQUEST: Shape = extend(CLUSTER_SPEC, { cluster_id: str, idempotency_token: str });

/** The body of clusters/resize. */
export const CLUSTER_RESIZE: Shape = object({ cluster_id: str, num_workers: NUM_WORKERS, autoscale: AUTOSCALE });

const EMAIL_NOTIFICATIONS = object({
  on_start: arrayOf(str),
  on_success: arrayOf(str),
  on_failure: arrayOf(str),
  on_duration_warning_threshold_exceeded: arrayOf(str),
  on_streaming_backlog_exceeded: arrayOf(str),
  no_alert_for_skipped_runs: bool,
});
const WEBHOOKS = arrayOf(object({ id: str }), 3);
const WEBHOOK_NOTIFICATIONS = object({
  on_start: WEBHOOKS,
  on_success: WEBHOOKS,
  on_failure: WEBHOOKS,
  on_duration_warning_threshold_exceeded: WEBHOOKS,
  on_streaming_backlog_exceeded: WEBHOOKS,
});
const NOTIFICATION_SETTINGS = object({ no_alert_for_skipped_runs: bool, no_alert_for_canceled_runs: bool, alert_on_last_attempt: bool });
const HEALTH = object({ rules: arrayOf(object({ metric: str, op: str, value: int64 })) });
const GIT_SOURCE = object({ git_url: str, git_provider: str, git_branch: str, git_tag: str, git_commit: str, git_snapshot: object({ used_commit: str }) });
const ACCESS_CONTROL_LIST = arrayOf(object({ user_name: str, group_name: str, service_principal_name: str, permission_level: str }));
const QUEUE = object({ enabled: bool });
const RUN_AS = object({ user_name: str, service_principal_name: str });

/** A job cluster: a cluster specification shared by a job's tasks under a key. */
export const JOB_CLUSTER: Shape = object({ job_cluster_key: str, new_cluster: CLUSTER_SPEC });

/** One task of a job or a one-time run (`for_each_task` nests a task). */
export const TASK: Shape = object({
  task_key: str,
  description: str,
  depends_on: arrayOf(object({ task_key: str, outcome: str })),
  run_if: str,
  existing_cluster_id: str,
  new_cluster: CLUSTER_SPEC,
  job_cluster_key: str,
  environment_key: str,
  libraries: arrayOf(LIBRARY),
  timeout_seconds: count32,
  // -1 retries without end; nothing below it.
  max_retries: int(-1, 2 ** 31 - 1),
  min_retry_interval_millis: count32,
  retry_on_timeout: bool,
  disable_auto_optimization: bool,
  email_notifications: EMAIL_NOTIFICATIONS,
  webhook_notifications: WEBHOOK_NOTIFICATIONS,
  notification_settings: NOTIFICATION_SETTINGS,
  health: HEALTH,
  notebook_task: object({ notebook_path: str, source: str, base_parameters: mapOf(text), warehouse_id: str }),
  spark_python_task: object({ python_file: str, source: str, parameters: arrayOf(text) }),
  spark_jar_task: object({ main_class_name: str, jar_uri: str, parameters: arrayOf(text) }),
  spark_submit_task: object({ parameters: arrayOf(text) }),
  python_wheel_task: object({ package_name: str, entry_point: str, parameters: arrayOf(text), named_parameters: mapOf(text) }),
  pipeline_task: object({ pipeline_id: str, full_refresh: bool }),
  sql_task: object({
    warehouse_id: str,
    parameters: mapOf(text),
    query: object({ query_id: str }),
    dashboard: object({ dashboard_id: str, custom_subject: str, pause_subscriptions: bool, subscriptions: arrayOf(object({ user_name: str, destination_id: str })) }),
    alert: object({ alert_id: str, pause_subscriptions: bool, subscriptions: arrayOf(object({ user_name: str, destination_id: str })) }),
    file: object({ path: str, source: str }),
  }),
  dbt_task: object({ commands: arrayOf(str), project_directory: str, profiles_directory: str, schema: str, catalog: str, warehouse_id: str, source: str }),
  run_job_task: object({ job_id: int64, job_parameters: mapOf(text) }),
  condition_task: object({ op: str, left: str, right: str }),
  for_each_task: object({ inputs: str, concurrency: count32, task: lazy(() => TASK) }),
  dashboard_task: object({}),
  power_bi_task: object({}),
  clean_rooms_notebook_task: object({}),
  gen_ai_compute_task: object({}),
});

/** Fields of job settings and of a one-time run that are the same. */
const RUN_COMMON = {
  tasks: arrayOf(TASK, 1000),
  job_clusters: arrayOf(JOB_CLUSTER, 100),
  git_source: GIT_SOURCE,
  timeout_seconds: count32,
  email_notifications: EMAIL_NOTIFICATIONS,
  webhook_notifications: WEBHOOK_NOTIFICATIONS,
  notification_settings: NOTIFICATION_SETTINGS,
  health: HEALTH,
  queue: QUEUE,
  run_as: RUN_AS,
  environments: arrayOf(object({ environment_key: str, spec: anyValue })),
  access_control_list: ACCESS_CONTROL_LIST,
  budget_policy_id: str,
};

/** Job settings: the body of jobs/create and `new_settings` of jobs/reset and jobs/update. */
export const JOB_SETTINGS: Shape = object({
  ...RUN_COMMON,
  name: str,
  description: str,
  tags: mapOf(text),
  max_concurrent_runs: int(0, 1000),
  schedule: object({ quartz_cron_expression: str, timezone_id: str, pause_status: str }),
  continuous: object({ pause_status: str }),
  trigger: anyValue,
  format: str,
  edit_mode: str,
  performance_target: str,
  parameters: arrayOf(object({ name: str, default: text })),
});

/** The body of runs/submit. */
export const RUN_SUBMIT: Shape = object({ ...RUN_COMMON, run_name: str, idempotency_token: str });
