import * as pulumi from "@pulumi/pulumi";
import { forwardingProvider, MODULE } from "../../../providers";
import type { WireSpec } from "../../core/plain";
import type { JobCreateRequest } from "../client";
import type { DatabricksNewClusterArgs } from "../shared/cluster";
import type { DatabricksEmailNotificationsArgs, DatabricksWebhookNotificationsArgs } from "../shared/notifications";
import type { DatabricksTaskArgs } from "../shared/task";

/** One provider instance for every DatabricksJob (the serializer caches by object). */
const PROVIDER = forwardingProvider("DatabricksJob");

/** A task of a {@link DatabricksJob}: what it runs and where (shared with DatabricksRun), its key and dependencies. Give exactly one task kind. */
export interface DatabricksJobTaskArgs extends DatabricksTaskArgs {
  /** Unique within the job: 1-100 letters, digits, `_` and `-`. */
  readonly taskKey: pulumi.Input<string>;
  /** Run on one of the job's `jobClusters`. Exclusive with `existingClusterId` and `newCluster`. Default (none of the three): serverless compute, where the workspace has it. */
  readonly jobClusterKey?: pulumi.Input<string>;
  /** Keys of the tasks that must finish first. Default: none. */
  readonly dependsOn?: pulumi.Input<pulumi.Input<string>[]>;
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
  readonly emailNotifications?: pulumi.Input<DatabricksEmailNotificationsArgs>;
  /** Webhook notifications. Default: none. */
  readonly webhookNotifications?: pulumi.Input<DatabricksWebhookNotificationsArgs>;
  /** Tags (at most 25); keys are sent as given. Default: none. */
  readonly tags?: pulumi.Input<Record<string, pulumi.Input<string>>>;
  /** Job-level parameters. Default: none. */
  readonly parameters?: pulumi.Input<pulumi.Input<DatabricksJobParameterArgs>[]>;
  /**
   * The complete `jobs/create` JSON, snake_case as in the API. Its `access_control_list` applies
   * when the job is created only (`jobs/reset` does not take it). Default: none.
   */
  readonly spec?: WireSpec<JobCreateRequest>;
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

  /**
   * Declares a job; `pulumi up` creates it (without running it).
   * @param name The resource's name, unique in the stack.
   * @param args The job's settings (named, or `spec`, or both).
   * @param opts Resource options.
   */
  constructor(name: string, args: DatabricksJobArgs, opts?: pulumi.CustomResourceOptions) {
    // Every declared output listed, so the spec form (no `host`) has them too.
    super(PROVIDER, name, { ...args, host: args.host, jobId: undefined, jobUrl: undefined, createdTime: undefined }, opts, MODULE, "DatabricksJob");
  }
}
