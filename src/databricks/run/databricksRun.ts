import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as pulumi from "@pulumi/pulumi";
import { codeFileHashes } from "../../core/codeFiles";
import { forwardingProvider, MODULE } from "../../../providers";
import type { WireSpec } from "../../core/plain";
import { resourceIdentity, withSecretOutputs } from "../../core/resourceOptions";
import type { RunSubmitRequest } from "../client";
import type { DatabricksEmailNotificationsArgs, DatabricksWebhookNotificationsArgs } from "../shared/notifications";
import type { DatabricksTaskArgs } from "../shared/task";

/** One provider instance for every DatabricksRun (the serializer caches by object). */
const PROVIDER = forwardingProvider("DatabricksRun");

/**
 * Arguments of a {@link DatabricksRun}: one task by its named arguments (the same task model as a
 * DatabricksJob's tasks), or a complete `runs/submit` JSON as `spec`, or both (README: "spec and
 * named arguments").
 */
export interface DatabricksRunArgs extends DatabricksTaskArgs {
  /** Workspace URL. Default: `DATABRICKS_HOST` or the `~/.databrickscfg` profile. A change re-runs. */
  readonly host?: pulumi.Input<string>;
  /** Name shown in the Databricks UI. Default: the resource name. */
  readonly runName?: pulumi.Input<string>;
  /**
   * A complete `runs/submit` request, snake_case as in the Jobs API (the Kubeflow "spec" form);
   * the legacy single-task form is accepted. Named arguments replace its fields. Default: none.
   */
  readonly spec?: WireSpec<RunSubmitRequest>;
  /** Who is emailed about the run. Default: none. */
  readonly emailNotifications?: pulumi.Input<DatabricksEmailNotificationsArgs>;
  /** Notification destinations called about the run. Default: none. */
  readonly webhookNotifications?: pulumi.Input<DatabricksWebhookNotificationsArgs>;
  /**
   * Secret notebook parameters, added to the notebook's widgets; stored encrypted, never printed.
   * Default: none.
   */
  readonly secureInput?: pulumi.Input<Record<string, pulumi.Input<string>>>;
  /**
   * Keep the notebook's exit values (`notebookOutput`, `taskOutputs`) as Pulumi secrets: stored
   * encrypted, never printed. A program cannot know whether a notebook reads a secret scope or
   * returns a secure input, so they are secret unless this is `false`, which declares that they
   * hold no secret; `false` is refused with `secureInput`. Plain (not an Input) because it decides,
   * when the resource is declared, which outputs the engine encrypts. Default: `true`.
   */
  readonly secureOutput?: boolean;
  /**
   * Local files the run executes (notebooks, scripts) or depends on: their content is hashed when
   * the program runs, so editing one re-runs the step and a preview names the file
   * (`codeFiles["notebooks/x.py"]`). Paths are relative to the program's working directory. Plain
   * (not Inputs) because they are read while the program runs, before preview. Default: none.
   */
  readonly codeFiles?: string[];
  /** Content hashes of code uploaded elsewhere, e.g. a DatabricksWorkspaceItem's `localContentHash`. */
  readonly codeHashes?: pulumi.Input<pulumi.Input<string>[]>;
  /** Any change of these values forces a new run. Default: none. */
  readonly triggers?: pulumi.Input<Record<string, pulumi.Input<string>>>;
  /** How long `pulumi up` waits for the run (the engine's customTimeouts do not apply). Default: 24 h. */
  readonly waitTimeoutSeconds?: pulumi.Input<number>;
  /** On delete, keep the run in the workspace's history instead of deleting its record. Default: false. */
  readonly keepHistory?: pulumi.Input<boolean>;
}

/**
 * A one-time Databricks run (`runs/submit`) that `pulumi up` executes and waits for, printing its
 * state changes and run page. It runs again only when its inputs or the content of its code
 * change (or `triggers` do); an interrupted `up` adopts the run it started. Anything but SUCCESS
 * fails the deployment with the task's error and the run page. Refresh reads the run's states back
 * (a result other than SUCCESS runs it again at the next `up`); a run whose record the workspace no
 * longer keeps (deleted, or past its retention) is reported and kept in state, not run again.
 */
export class DatabricksRun extends pulumi.dynamic.Resource {
  /** The run's id. */
  declare readonly runId: pulumi.Output<number>;
  /** The run's page in the Databricks UI. */
  declare readonly runPageUrl: pulumi.Output<string>;
  /** The run's name. */
  declare readonly runName: pulumi.Output<string>;
  /** `TERMINATED` once done. */
  declare readonly lifeCycleState: pulumi.Output<string>;
  /** `SUCCESS` once done. */
  declare readonly resultState: pulumi.Output<string>;
  /** The service's message about the state. */
  declare readonly stateMessage: pulumi.Output<string | undefined>;
  /** Start time, epoch milliseconds. */
  declare readonly startTime: pulumi.Output<number>;
  /** End time, epoch milliseconds. */
  declare readonly endTime: pulumi.Output<number>;
  /** Setup time, milliseconds. */
  declare readonly setupDuration: pulumi.Output<number | undefined>;
  /** Execution time, milliseconds. */
  declare readonly executionDuration: pulumi.Output<number | undefined>;
  /** Cleanup time, milliseconds. */
  declare readonly cleanupDuration: pulumi.Output<number | undefined>;
  /** Whole duration of a multi-task run, milliseconds. */
  declare readonly runDuration: pulumi.Output<number | undefined>;
  /** The notebook's `dbutils.notebook.exit` value (single-task runs); a secret unless `secureOutput` is `false`. */
  declare readonly notebookOutput: pulumi.Output<string | undefined>;
  /** Exit values per task key (multi-task runs); a secret unless `secureOutput` is `false`. */
  declare readonly taskOutputs: pulumi.Output<Record<string, string> | undefined>;
  /** Task run ids per task key. */
  declare readonly taskRunIds: pulumi.Output<Record<string, number>>;

  /**
   * Declares a run; `pulumi up` submits it and waits for it to end.
   * @param name The resource's name, unique in the stack (part of the run's idempotency token).
   * @param args What to run and where (named, or `spec`, or both).
   * @param opts Resource options.
   */
  constructor(name: string, args: DatabricksRunArgs, opts?: pulumi.CustomResourceOptions) {
    const { codeFiles, codeHashes, secureInput, ...rest } = args;
    super(
      PROVIDER,
      name,
      {
        ...rest,
        // Declared outputs listed, so the spec form (no `runName`) has it too.
        runName: rest.runName,
        identity: resourceIdentity(name),
        secureInput: secureInput === undefined ? undefined : pulumi.secret(secureInput),
        codeHash: codeHashOf(codeFiles ?? [], codeHashes),
        // Each file's hash by its path relative to the program: what a preview names when one changes.
        codeFiles: codeFileHashes(codeFiles ?? []),
        runId: undefined,
        runPageUrl: undefined,
        lifeCycleState: undefined,
        resultState: undefined,
        stateMessage: undefined,
        startTime: undefined,
        endTime: undefined,
        setupDuration: undefined,
        executionDuration: undefined,
        cleanupDuration: undefined,
        runDuration: undefined,
        notebookOutput: undefined,
        taskOutputs: undefined,
        taskRunIds: undefined,
      },
      withSecretOutputs(opts, secretOutputs(args)),
      MODULE,
      "DatabricksRun",
    );
  }
}

/**
 * The outputs the engine keeps secret: the secure inputs and, unless the program declares the
 * notebook's exit values not secret (`secureOutput: false`, refused with a secure input at
 * preview), `notebookOutput` and `taskOutputs`.
 */
export function secretOutputs(args: Pick<DatabricksRunArgs, "secureInput" | "secureOutput">): string[] {
  const plainOutput = args.secureOutput === false && args.secureInput === undefined;
  return ["secureInput", ...(plainOutput ? [] : ["notebookOutput", "taskOutputs"])];
}

/** One hash over the local code files' contents and the given hashes; undefined when there is no code. */
function codeHashOf(files: string[], hashes: pulumi.Input<pulumi.Input<string>[]> | undefined): pulumi.Output<string> | undefined {
  if (files.length === 0 && hashes === undefined) return undefined;
  const local = files.map((f) => `${f}:${createHash("sha256").update(fs.readFileSync(f)).digest("hex")}`);
  return pulumi.output(hashes ?? []).apply((hs) => createHash("sha256").update([...local, ...hs].join("\n")).digest("hex"));
}
