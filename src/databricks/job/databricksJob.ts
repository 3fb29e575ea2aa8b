import * as pulumi from "@pulumi/pulumi";
import { forwardingProvider, MODULE } from "../../../providers";

/** One provider instance for every DatabricksJob (the serializer caches by object). */
const PROVIDER = forwardingProvider("DatabricksJob");
import type { DatabricksNewClusterArgs } from "../cluster/databricksCluster";
import type { DatabricksLibraryArgs } from "../run/databricksRun";

/** A task of a {@link DatabricksJob}: camelCase mirror of the Jobs 2.1 task. Give exactly one task kind. */
export interface DatabricksJobTaskArgs {
  /** Unique within the job: 1-100 letters, digits, `_` and `-`. */
  readonly taskKey: pulumi.Input<string>;
  /** Run a workspace notebook; `baseParameters` become its widgets (keys sent as given). */
  readonly notebookTask?: pulumi.Input<{
    notebookPath: pulumi.Input<string>;
    baseParameters?: pulumi.Input<Record<string, pulumi.Input<string>>>;
    source?: pulumi.Input<"WORKSPACE" | "GIT">;
  }>;
  /** Run a Python file (`dbfs:/`, workspace or cloud path) with command-line parameters. */
  readonly sparkPythonTask?: pulumi.Input<{ pythonFile: pulumi.Input<string>; parameters?: pulumi.Input<pulumi.Input<string>[]>; source?: pulumi.Input<"WORKSPACE" | "GIT"> }>;
  /** Run a JAR's main class; add the JAR to `libraries`. */
  readonly sparkJarTask?: pulumi.Input<{ mainClassName: pulumi.Input<string>; parameters?: pulumi.Input<pulumi.Input<string>[]> }>;
  /** Run a Python wheel's entry point; add the wheel to `libraries`. */
  readonly pythonWheelTask?: pulumi.Input<{
    packageName: pulumi.Input<string>;
    entryPoint: pulumi.Input<string>;
    parameters?: pulumi.Input<pulumi.Input<string>[]>;
    namedParameters?: pulumi.Input<Record<string, pulumi.Input<string>>>;
  }>;
  /** Run on this all-purpose cluster, e.g. a DatabricksCluster's `clusterId`. Exclusive with `newCluster` and `jobClusterKey`. */
  readonly existingClusterId?: pulumi.Input<string>;
  /** Run on a cluster made for each run of the task. Exclusive with `existingClusterId` and `jobClusterKey`. */
  readonly newCluster?: pulumi.Input<DatabricksNewClusterArgs>;
  /** Run on one of the job's `jobClusters`. Exclusive with `existingClusterId` and `newCluster`. Default (none of the three): serverless compute, where the workspace has it. */
  readonly jobClusterKey?: pulumi.Input<string>;
  /** Libraries to install on the task's cluster. Default: none. */
  readonly libraries?: pulumi.Input<pulumi.Input<DatabricksLibraryArgs>[]>;
  /** Keys of the tasks that must finish first. Default: none. */
  readonly dependsOn?: pulumi.Input<pulumi.Input<string>[]>;
  /** The task's timeout, in seconds. Default: none. */
  readonly timeoutSeconds?: pulumi.Input<number>;
  /** Retries of a failed run of the task; -1 retries forever. Default: 0. */
  readonly maxRetries?: pulumi.Input<number>;
  /** Wait between a failed attempt and its retry, in milliseconds. Default: the service's. */
  readonly minRetryIntervalMillis?: pulumi.Input<number>;
  /** Also retry a task that timed out. Default: false. */
  readonly retryOnTimeout?: pulumi.Input<boolean>;
}

/** A cluster shared by the job's tasks (`jobClusterKey`). */
export interface DatabricksJobClusterArgs {
  /** Unique within the job: 1-100 letters, digits, `_` and `-`. */
  readonly jobClusterKey: pulumi.Input<string>;
  /** The cluster's settings. */
  readonly newCluster: pulumi.Input<DatabricksNewClusterArgs>;
}

/** When the job runs by itself. */
export interface DatabricksJobScheduleArgs {
  /** Quartz cron expression, e.g. `"0 0 6 * * ?"` (06:00 every day). */
  readonly quartzCronExpression: pulumi.Input<string>;
  /** Java time zone id, e.g. `"UTC"` or `"Europe/Paris"`. */
  readonly timezoneId: pulumi.Input<string>;
  /** `PAUSED` or `UNPAUSED`. Default: `UNPAUSED`. */
  readonly pauseStatus?: pulumi.Input<"PAUSED" | "UNPAUSED">;
}

/** Who is emailed about the job's runs. */
export interface DatabricksJobEmailNotificationsArgs {
  /** Addresses emailed when a run starts. Default: none. */
  readonly onStart?: pulumi.Input<pulumi.Input<string>[]>;
  /** Addresses emailed when a run succeeds. Default: none. */
  readonly onSuccess?: pulumi.Input<pulumi.Input<string>[]>;
  /** Addresses emailed when a run fails. Default: none. */
  readonly onFailure?: pulumi.Input<pulumi.Input<string>[]>;
  /** Do not email about skipped runs. Default: false. */
  readonly noAlertForSkippedRuns?: pulumi.Input<boolean>;
}

/** Notification destinations (by id) called about the job's runs; at most 3 per event. */
export interface DatabricksJobWebhookNotificationsArgs {
  /** Destinations called when a run starts. Default: none. */
  readonly onStart?: pulumi.Input<pulumi.Input<{ id: pulumi.Input<string> }>[]>;
  /** Destinations called when a run succeeds. Default: none. */
  readonly onSuccess?: pulumi.Input<pulumi.Input<{ id: pulumi.Input<string> }>[]>;
  /** Destinations called when a run fails. Default: none. */
  readonly onFailure?: pulumi.Input<pulumi.Input<{ id: pulumi.Input<string> }>[]>;
}

/** A job-level parameter. */
export interface DatabricksJobParameterArgs {
  /** Name, referenced as `{{job.parameters.<name>}}`. */
  readonly name: pulumi.Input<string>;
  /** The value runs get when they pass none. */
  readonly default: pulumi.Input<string>;
}

/**
 * Arguments of a {@link DatabricksJob}: named parameters, or the complete `jobs/create` JSON as
 * `spec`, or both: each named parameter replaces the spec's top-level field of the same meaning
 * (named `tasks` replace the spec's `tasks`, or its legacy single-task fields).
 */
export interface DatabricksJobArgs {
  /** Workspace URL. Default: `DATABRICKS_HOST`, then the `~/.databrickscfg` profile. A change replaces the job. */
  readonly host?: pulumi.Input<string>;
  /** The job's name. Default: the service's (`Untitled`). */
  readonly name?: pulumi.Input<string>;
  /** The tasks. Required unless `spec` has them. */
  readonly tasks?: pulumi.Input<pulumi.Input<DatabricksJobTaskArgs>[]>;
  /** Clusters the tasks share through `jobClusterKey`. Default: none. */
  readonly jobClusters?: pulumi.Input<pulumi.Input<DatabricksJobClusterArgs>[]>;
  /** Run on a schedule. Default: none (runs only when triggered). */
  readonly schedule?: pulumi.Input<DatabricksJobScheduleArgs>;
  /** Runs allowed at once, 0-1000 (0 skips every new run). Default: 1. */
  readonly maxConcurrentRuns?: pulumi.Input<number>;
  /** Timeout of each run, in seconds. Default: none. */
  readonly timeoutSeconds?: pulumi.Input<number>;
  /** Email notifications. Default: none. */
  readonly emailNotifications?: pulumi.Input<DatabricksJobEmailNotificationsArgs>;
  /** Webhook notifications. Default: none. */
  readonly webhookNotifications?: pulumi.Input<DatabricksJobWebhookNotificationsArgs>;
  /** Tags (at most 25); keys are sent as given. Default: none. */
  readonly tags?: pulumi.Input<Record<string, pulumi.Input<string>>>;
  /** Job-level parameters. Default: none. */
  readonly parameters?: pulumi.Input<pulumi.Input<DatabricksJobParameterArgs>[]>;
  /**
   * The complete `jobs/create` JSON, snake_case as in the API. Its `access_control_list` applies
   * when the job is created only (`jobs/reset` does not take it). Default: none.
   */
  readonly spec?: pulumi.Input<Record<string, unknown>>;
}

/**
 * A Databricks job (the Kubeflow CreateJobOp / DeleteJobOp). A change of settings resets them in
 * place (`jobs/reset`); refresh brings back settings changed in the workspace, which the next
 * `up` resets. Creating the job does not run it: use its schedule, or a run.
 */
export class DatabricksJob extends pulumi.dynamic.Resource {
  /** The workspace URL. */
  declare readonly host: pulumi.Output<string>;
  /** The job id. */
  declare readonly jobId: pulumi.Output<number>;
  /** The job's page: `<host>/#job/<id>`. */
  declare readonly jobUrl: pulumi.Output<string>;
  /** Creation time, epoch milliseconds. */
  declare readonly createdTime: pulumi.Output<number>;

  constructor(name: string, args: DatabricksJobArgs, opts?: pulumi.CustomResourceOptions) {
    super(PROVIDER, name, { ...args, jobId: undefined, jobUrl: undefined, createdTime: undefined }, opts, MODULE, "DatabricksJob");
  }
}
