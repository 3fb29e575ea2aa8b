import * as pulumi from "@pulumi/pulumi";
import { forwardingProvider, MODULE } from "../../../providers";
import type { AmlWorkspaceArgs } from "../shared/workspace";
import { scheduleFromYaml } from "./yaml";

/** One provider instance for every AmlSchedule (the serializer caches by object). */
const PROVIDER = forwardingProvider("AmlSchedule");

/** When a schedule fires: a cron expression or a recurrence. */
export interface AmlScheduleTriggerArgs {
  /** `cron` or `recurrence` (any letter case). */
  readonly type: pulumi.Input<string>;
  /** Cron (NCronTab, five fields), e.g. `0 2 * * *`. Required for `cron`. */
  readonly expression?: pulumi.Input<string>;
  /** `minute`, `hour`, `day`, `week` or `month`. Required for `recurrence`. */
  readonly frequency?: pulumi.Input<string>;
  /** Every how many `frequency` units. Required for `recurrence`, >= 1. */
  readonly interval?: pulumi.Input<number>;
  /** For `recurrence`: at which hours, minutes, week days (`monday`...) and month days. Default: none. */
  readonly schedule?: pulumi.Input<{ hours?: number[]; minutes?: number[]; weekDays?: string[]; monthDays?: number[] }>;
  /** First firing time, ISO 8601 without offset, e.g. `2027-01-01T02:00:00`. Default: when created. */
  readonly startTime?: pulumi.Input<string>;
  /** Last firing time, ISO 8601 without offset. Default: none. */
  readonly endTime?: pulumi.Input<string>;
  /** Windows time zone name, e.g. `UTC`, `Pacific Standard Time`. Default: `UTC`. */
  readonly timeZone?: pulumi.Input<string>;
}

/** Arguments of an {@link AmlSchedule}: a CLI v2 schedule YAML file, arguments, or both (arguments win). */
export interface AmlScheduleArgs extends AmlWorkspaceArgs {
  /**
   * An Azure ML CLI v2 schedule YAML file (`az ml schedule create -f`), relative to the program's
   * directory, with its `create_job` pipeline job (a file beside it, or inline). Read when the
   * program runs, so a change shows at preview. Plain (not an Input).
   */
  readonly file?: string;
  /** The schedule's name. Default: the file's `name`. Changing it replaces the schedule. */
  readonly name?: pulumi.Input<string>;
  /** Display name. Default: the file's `display_name`. */
  readonly displayName?: pulumi.Input<string>;
  /** Description. Default: the file's `description`. */
  readonly description?: pulumi.Input<string>;
  /** Tags. Default: the file's `tags`. */
  readonly tags?: pulumi.Input<Record<string, pulumi.Input<string>>>;
  /** The trigger. Default: the file's `trigger`. */
  readonly trigger?: pulumi.Input<AmlScheduleTriggerArgs>;
  /**
   * The pipeline job each firing submits, as the REST `PipelineJob` properties (`jobType:
   * "Pipeline"`, `jobs`, `settings`, `inputs`, `outputs`). Default: the file's `create_job`.
   */
  readonly pipelineJob?: pulumi.Input<Record<string, unknown>>;
  /** Whether the schedule fires. Default: the file's `is_enabled`, else `true`. Changing it updates the schedule. */
  readonly enabled?: pulumi.Input<boolean>;
  /**
   * Take over a schedule of this name that already exists: `pulumi up` overwrites it and
   * `pulumi destroy` then deletes it. Read only when the resource is created. Default: `false`.
   */
  readonly adopt?: pulumi.Input<boolean>;
}

/**
 * An Azure ML schedule whose action submits a pipeline job. The emulator fires it on its own
 * clock while enabled, each firing an ordinary job tagged with the schedule's name. Refresh finds
 * it deleted or disabled outside Pulumi; the next `up` creates or enables it again (unless the
 * program sets `enabled: false`).
 */
export class AmlSchedule extends pulumi.dynamic.Resource {
  /** The schedule's name. */
  declare readonly name: pulumi.Output<string>;
  /** The schedule's ARM id (also the resource id). */
  declare readonly scheduleId: pulumi.Output<string>;
  /** Whether it fires. */
  declare readonly enabled: pulumi.Output<boolean>;
  /** Azure ML's provisioning state after the last change. */
  declare readonly provisioningState: pulumi.Output<string>;

  /**
   * Declares a schedule; `pulumi up` creates or updates it.
   * @param name The resource's name, unique in the stack.
   * @param args The workspace, and the YAML file or the arguments.
   * @param opts Resource options.
   */
  constructor(name: string, args: AmlScheduleArgs, opts?: pulumi.CustomResourceOptions) {
    const { file, ...rest } = args;
    const fromFile = scheduleFromYaml(file);
    const given = Object.fromEntries(Object.entries(rest).filter(([, v]) => v !== undefined));
    super(PROVIDER, name, { ...fromFile, ...given, scheduleId: undefined, provisioningState: undefined }, opts, MODULE, "AmlSchedule");
  }
}
