import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as pulumi from "@pulumi/pulumi";
import { forwardingProvider, MODULE } from "../../../providers";

/** One provider instance for every DatabricksRun (the serializer caches by object). */
const PROVIDER = forwardingProvider("DatabricksRun");
import { withSecretOutputs } from "../../core/resourceOptions";

/** A new job cluster for the run. */
export interface DatabricksRunClusterArgs {
  /** Databricks runtime, e.g. `"15.4.x-scala2.12"`. Required. */
  readonly sparkVersion: pulumi.Input<string>;
  /** VM size, e.g. `"Standard_DS3_v2"`. Exclusive with `instancePoolId`. */
  readonly nodeTypeId?: pulumi.Input<string>;
  /** Driver VM size. Default: `nodeTypeId`. */
  readonly driverNodeTypeId?: pulumi.Input<string>;
  /** Instance pool to take nodes from. Exclusive with `nodeTypeId`. */
  readonly instancePoolId?: pulumi.Input<string>;
  /** Fixed number of workers. Exclusive with `autoscale`. */
  readonly numWorkers?: pulumi.Input<number>;
  /** Worker range. Exclusive with `numWorkers`. */
  readonly autoscale?: pulumi.Input<{ minWorkers: pulumi.Input<number>; maxWorkers: pulumi.Input<number> }>;
  /** Spark configuration. Default: none. */
  readonly sparkConf?: pulumi.Input<Record<string, pulumi.Input<string>>>;
  /** Environment variables of the Spark processes. Default: none. */
  readonly sparkEnvVars?: pulumi.Input<Record<string, pulumi.Input<string>>>;
  /** Tags of the cluster's VMs. Default: none. */
  readonly customTags?: pulumi.Input<Record<string, pulumi.Input<string>>>;
  /** Init scripts, as in the API, e.g. `[{ workspace: { destination: "/Shared/init.sh" } }]`. Default: none. */
  readonly initScripts?: pulumi.Input<pulumi.Input<Record<string, { destination: pulumi.Input<string> }>>[]>;
  /** DBFS folder for the cluster's logs, e.g. `"dbfs:/cluster-logs"`. Default: none. */
  readonly clusterLogPath?: pulumi.Input<string>;
}

/** A library for the run's cluster: exactly one of the kinds. */
export interface DatabricksLibraryArgs {
  readonly pypi?: pulumi.Input<{ package: pulumi.Input<string>; repo?: pulumi.Input<string> }>;
  readonly maven?: pulumi.Input<{ coordinates: pulumi.Input<string>; repo?: pulumi.Input<string>; exclusions?: pulumi.Input<pulumi.Input<string>[]> }>;
  readonly cran?: pulumi.Input<{ package: pulumi.Input<string>; repo?: pulumi.Input<string> }>;
  readonly jar?: pulumi.Input<string>;
  readonly egg?: pulumi.Input<string>;
  readonly whl?: pulumi.Input<string>;
}

/** Arguments of a {@link DatabricksRun}. Give one task (named) or a complete `spec`, or both (named wins). */
export interface DatabricksRunArgs {
  /** Workspace URL. Default: `DATABRICKS_HOST` or the `~/.databrickscfg` profile. A change re-runs. */
  readonly host?: pulumi.Input<string>;
  /** Name shown in the Databricks UI. Default: the resource name. */
  readonly runName?: pulumi.Input<string>;
  /**
   * A complete `runs/submit` request, snake_case as in the Jobs API (the Kubeflow "spec" form);
   * the legacy single-task form is accepted. Named inputs are merged over it.
   */
  readonly spec?: pulumi.Input<Record<string, unknown>>;
  /** Run a workspace notebook; `baseParameters` become its widgets. */
  readonly notebookTask?: pulumi.Input<{ notebookPath: pulumi.Input<string>; baseParameters?: pulumi.Input<Record<string, pulumi.Input<string>>>; source?: pulumi.Input<"WORKSPACE" | "GIT"> }>;
  /** Run a Python file (`dbfs:/`, workspace or cloud path) with command-line parameters. */
  readonly sparkPythonTask?: pulumi.Input<{ pythonFile: pulumi.Input<string>; parameters?: pulumi.Input<pulumi.Input<string>[]> }>;
  /** Run a JAR's main class; add the JAR to `libraries`. */
  readonly sparkJarTask?: pulumi.Input<{ mainClassName: pulumi.Input<string>; parameters?: pulumi.Input<pulumi.Input<string>[]>; jarUri?: pulumi.Input<string> }>;
  /** Run a Python wheel's entry point; add the wheel to `libraries`. */
  readonly pythonWheelTask?: pulumi.Input<{ packageName: pulumi.Input<string>; entryPoint: pulumi.Input<string>; parameters?: pulumi.Input<pulumi.Input<string>[]>; namedParameters?: pulumi.Input<Record<string, pulumi.Input<string>>> }>;
  /** Run on this existing cluster. Exclusive with `newCluster`. */
  readonly existingClusterId?: pulumi.Input<string>;
  /** Run on a new job cluster made for this run. Exclusive with `existingClusterId`. */
  readonly newCluster?: pulumi.Input<DatabricksRunClusterArgs>;
  /** Libraries to install on the cluster. Default: none. */
  readonly libraries?: pulumi.Input<pulumi.Input<DatabricksLibraryArgs>[]>;
  /** The task's timeout; the run ends TIMEDOUT past it. Default: none. */
  readonly timeoutSeconds?: pulumi.Input<number>;
  /** Retries of a failed task. Default: 0. */
  readonly maxRetries?: pulumi.Input<number>;
  /** Wait between retries, in milliseconds. Default: the service's. */
  readonly minRetryIntervalMillis?: pulumi.Input<number>;
  /** Retry a task that timed out. Default: false. */
  readonly retryOnTimeout?: pulumi.Input<boolean>;
  /**
   * Secret notebook parameters, added to the notebook's widgets; stored encrypted, never printed.
   * Default: none.
   */
  readonly secureInput?: pulumi.Input<Record<string, pulumi.Input<string>>>;
  /** Keep the notebook's exit value (`notebookOutput`, `taskOutputs`) as a Pulumi secret. Default: false. */
  readonly secureOutput?: boolean;
  /**
   * Local files the run executes (notebooks, scripts) or depends on: their content is hashed at
   * preview, so editing one re-runs the step. Paths are relative to the program's directory.
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
 * fails the deployment with the task's error and the run page.
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
  /** The notebook's `dbutils.notebook.exit` value (single-task runs); a secret with `secureOutput`. */
  declare readonly notebookOutput: pulumi.Output<string | undefined>;
  /** Exit values per task key (multi-task runs); a secret with `secureOutput`. */
  declare readonly taskOutputs: pulumi.Output<Record<string, string> | undefined>;
  /** Task run ids per task key. */
  declare readonly taskRunIds: pulumi.Output<Record<string, number>>;

  constructor(name: string, args: DatabricksRunArgs, opts?: pulumi.CustomResourceOptions) {
    const { codeFiles, codeHashes, secureInput, ...rest } = args;
    const secret = ["secureInput", ...(args.secureOutput ? ["notebookOutput", "taskOutputs"] : [])];
    super(
      PROVIDER,
      name,
      {
        ...rest,
        identity: `${pulumi.getProject()}/${pulumi.getStack()}/${name}`,
        secureInput: secureInput === undefined ? undefined : pulumi.secret(secureInput),
        codeHash: codeHashOf(codeFiles ?? [], codeHashes),
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
      withSecretOutputs(opts, secret),
      MODULE,
      "DatabricksRun",
    );
  }
}

/** One hash over the local code files' contents and the given hashes; undefined when there is no code. */
function codeHashOf(files: string[], hashes: pulumi.Input<pulumi.Input<string>[]> | undefined): pulumi.Output<string> | undefined {
  if (files.length === 0 && hashes === undefined) return undefined;
  const local = files.map((f) => `${f}:${createHash("sha256").update(fs.readFileSync(f)).digest("hex")}`);
  return pulumi.output(hashes ?? []).apply((hs) => createHash("sha256").update([...local, ...hs].join("\n")).digest("hex"));
}
