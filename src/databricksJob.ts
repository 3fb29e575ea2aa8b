import * as pulumi from "@pulumi/pulumi";
import { databricksJobProvider } from "../providers/databricksJobProvider";
import type { DatabricksLibraryArgs, DatabricksRunArgs, DatabricksRunClusterArgs } from "./databricksRun";

/** A task of a job: a run's task inputs plus its key, dependencies and job cluster. */
export interface DatabricksJobTaskArgs
  extends Pick<DatabricksRunArgs, "notebookTask" | "sparkPythonTask" | "sparkJarTask" | "pythonWheelTask" | "existingClusterId" | "newCluster" | "timeoutSeconds" | "maxRetries" | "minRetryIntervalMillis" | "retryOnTimeout"> {
  /** Unique within the job: 1-100 letters, digits, `_` and `-`. */
  readonly taskKey: pulumi.Input<string>;
  /** Keys of the tasks that must finish first. Default: none. */
  readonly dependsOn?: pulumi.Input<pulumi.Input<string>[]>;
  /** A cluster of `jobClusters`, instead of `existingClusterId` or `newCluster`. */
  readonly jobClusterKey?: pulumi.Input<string>;
  /** Libraries of the task's cluster. Default: none. */
  readonly libraries?: pulumi.Input<pulumi.Input<DatabricksLibraryArgs>[]>;
}

/** Arguments of a {@link DatabricksJob}: named parameters or a complete `spec` (named win). */
export interface DatabricksJobArgs {
  /** Workspace URL. Default: `DATABRICKS_HOST` or the `~/.databrickscfg` profile. A change replaces the job. */
  readonly host?: pulumi.Input<string>;
  /** The job's name. Default: "Untitled". */
  readonly name?: pulumi.Input<string>;
  /** A complete `jobs/create` JSON (snake_case). */
  readonly spec?: pulumi.Input<Record<string, unknown>>;
  /** The tasks. Required unless `spec` has them. */
  readonly tasks?: pulumi.Input<pulumi.Input<DatabricksJobTaskArgs>[]>;
  /** Clusters shared by tasks. Default: none. */
  readonly jobClusters?: pulumi.Input<pulumi.Input<{ jobClusterKey: pulumi.Input<string>; newCluster: pulumi.Input<DatabricksRunClusterArgs> }>[]>;
  /** Quartz cron schedule. Default: none (runs only when triggered). */
  readonly schedule?: pulumi.Input<{ quartzCronExpression: pulumi.Input<string>; timezoneId: pulumi.Input<string>; pauseStatus?: pulumi.Input<"PAUSED" | "UNPAUSED"> }>;
  /** Runs allowed at once. Default: 1. */
  readonly maxConcurrentRuns?: pulumi.Input<number>;
  /** Timeout of each run. Default: none. */
  readonly timeoutSeconds?: pulumi.Input<number>;
  /** Who is emailed. Default: nobody. */
  readonly emailNotifications?: pulumi.Input<{ onStart?: pulumi.Input<pulumi.Input<string>[]>; onSuccess?: pulumi.Input<pulumi.Input<string>[]>; onFailure?: pulumi.Input<pulumi.Input<string>[]> }>;
  /** Tags. Default: none. */
  readonly tags?: pulumi.Input<Record<string, pulumi.Input<string>>>;
}

/** A Databricks job (CreateJobOp / DeleteJobOp); changes reset its settings. */
export class DatabricksJob extends pulumi.dynamic.Resource {
  /** The job id. */
  declare readonly jobId: pulumi.Output<number>;
  /** The job's page. */
  declare readonly jobUrl: pulumi.Output<string>;
  /** Creation time, epoch milliseconds. */
  declare readonly createdTime: pulumi.Output<number>;

  constructor(name: string, args: DatabricksJobArgs, opts?: pulumi.CustomResourceOptions) {
    super(databricksJobProvider, name, { ...args, jobId: undefined, jobUrl: undefined, createdTime: undefined }, opts, "azureml-databricks", "DatabricksJob");
  }
}
