import * as pulumi from "@pulumi/pulumi";
import { forwardingProvider, MODULE } from "../../../providers";

/** One provider instance for every DatabricksCluster (the serializer caches by object). */
const PROVIDER = forwardingProvider("DatabricksCluster");

/** A storage destination. */
export interface DatabricksDestinationArgs {
  /** A path, e.g. `dbfs:/cluster-logs`, `/Shared/init.sh` or `/Volumes/main/default/logs`. */
  readonly destination: pulumi.Input<string>;
}

/** A cluster init script: exactly one of the locations. */
export interface DatabricksInitScriptArgs {
  /** A workspace file, e.g. `/Shared/init.sh`. */
  readonly workspace?: pulumi.Input<DatabricksDestinationArgs>;
  /** A DBFS file (deprecated by Databricks). */
  readonly dbfs?: pulumi.Input<DatabricksDestinationArgs>;
  /** An ADLS Gen2 file, `abfss://...`. */
  readonly abfss?: pulumi.Input<DatabricksDestinationArgs>;
  /** A Unity Catalog volume file. */
  readonly volumes?: pulumi.Input<DatabricksDestinationArgs>;
  /** A file on the nodes. */
  readonly file?: pulumi.Input<DatabricksDestinationArgs>;
}

/** Azure-specific attributes of a cluster. */
export interface DatabricksAzureAttributesArgs {
  /** How many nodes (the driver first) run on on-demand VMs. Default: the service's (1). */
  readonly firstOnDemand?: pulumi.Input<number>;
  /** `SPOT_AZURE`, `ON_DEMAND_AZURE` or `SPOT_WITH_FALLBACK_AZURE`. Default: the service's (`ON_DEMAND_AZURE`). */
  readonly availability?: pulumi.Input<"SPOT_AZURE" | "ON_DEMAND_AZURE" | "SPOT_WITH_FALLBACK_AZURE">;
  /** Highest spot price in USD, or -1 for up to the on-demand price. Default: -1. */
  readonly spotBidMaxPrice?: pulumi.Input<number>;
}

/** A cluster specification, camelCase (the API's `new_cluster`): for a DatabricksCluster or a job's clusters. */
export interface DatabricksNewClusterArgs {
  /** Databricks runtime, e.g. `"15.4.x-scala2.12"`. Required. */
  readonly sparkVersion: pulumi.Input<string>;
  /** VM size of the workers (and the driver), e.g. `"Standard_DS3_v2"`. Exclusive with `instancePoolId`; one of them is required. */
  readonly nodeTypeId?: pulumi.Input<string>;
  /** VM size of the driver. Default: `nodeTypeId`. */
  readonly driverNodeTypeId?: pulumi.Input<string>;
  /** Instance pool to take nodes from. Exclusive with `nodeTypeId`. */
  readonly instancePoolId?: pulumi.Input<string>;
  /** Fixed number of workers. Exclusive with `autoscale`. Default: 0 (driver only). */
  readonly numWorkers?: pulumi.Input<number>;
  /** Worker range, `1 <= minWorkers <= maxWorkers`. Exclusive with `numWorkers`. */
  readonly autoscale?: pulumi.Input<{ minWorkers: pulumi.Input<number>; maxWorkers: pulumi.Input<number> }>;
  /** Spark configuration; keys are sent as given. Default: none. */
  readonly sparkConf?: pulumi.Input<Record<string, pulumi.Input<string>>>;
  /** Environment variables of the Spark processes; keys are sent as given. Default: none. */
  readonly sparkEnvVars?: pulumi.Input<Record<string, pulumi.Input<string>>>;
  /** Tags of the cluster's VMs; keys are sent as given. Default: none. */
  readonly customTags?: pulumi.Input<Record<string, pulumi.Input<string>>>;
  /** Init scripts, run in order on every node at start. Default: none. */
  readonly initScripts?: pulumi.Input<pulumi.Input<DatabricksInitScriptArgs>[]>;
  /** Where the cluster delivers its logs: `{ dbfs: { destination } }` or `{ volumes: { destination } }`. Exclusive with `clusterLogPath`. Default: none. */
  readonly clusterLogConf?: pulumi.Input<{ dbfs?: pulumi.Input<DatabricksDestinationArgs>; volumes?: pulumi.Input<DatabricksDestinationArgs> }>;
  /** Short for `clusterLogConf: { dbfs: { destination } }`, e.g. `"dbfs:/cluster-logs"`. Exclusive with `clusterLogConf`. Default: none. */
  readonly clusterLogPath?: pulumi.Input<string>;
  /** Azure VM options (spot or on-demand). Default: the service's. */
  readonly azureAttributes?: pulumi.Input<DatabricksAzureAttributesArgs>;
}

/**
 * Arguments of a {@link DatabricksCluster}: named parameters, or the complete `clusters/create`
 * JSON as `spec` with the named parameters merged over it (a named field also removes the spec's
 * alternatives to it, e.g. `nodeTypeId` removes `instance_pool_id`).
 */
export interface DatabricksClusterArgs extends Omit<DatabricksNewClusterArgs, "sparkVersion"> {
  /** Workspace URL. Default: `DATABRICKS_HOST`, then the `~/.databrickscfg` profile. A change replaces the cluster. */
  readonly host?: pulumi.Input<string>;
  /** Display name. Default: none (the service shows an empty name). */
  readonly clusterName?: pulumi.Input<string>;
  /** Databricks runtime, e.g. `"15.4.x-scala2.12"`. Required unless `spec.spark_version` is given. */
  readonly sparkVersion?: pulumi.Input<string>;
  /** Terminate after this many idle minutes: 0 (never) or at least 10. Default: the service's (120). */
  readonly autoterminationMinutes?: pulumi.Input<number>;
  /** The complete `clusters/create` JSON, snake_case as in the API. Default: none. */
  readonly spec?: pulumi.Input<Record<string, unknown>>;
  /**
   * How long create (and an update that restarts the cluster) waits for RUNNING, in seconds;
   * the engine's customTimeouts do not apply to dynamic resources. Default: 1800.
   */
  readonly waitTimeoutSeconds?: pulumi.Input<number>;
}

/**
 * An all-purpose Databricks cluster (the Kubeflow CreateClusterOp / DeleteClusterOp). `pulumi up`
 * creates it and waits until it is RUNNING, printing its state changes; a change of settings
 * edits it (`clusters/edit`, which restarts a running cluster); delete removes it permanently.
 * A cluster that auto-terminates stays terminated: Pulumi does not restart it.
 */
export class DatabricksCluster extends pulumi.dynamic.Resource {
  /** The workspace URL. */
  declare readonly host: pulumi.Output<string>;
  /** The cluster id, e.g. for a task's `existingClusterId`. */
  declare readonly clusterId: pulumi.Output<string>;
  /** The last state seen: `RUNNING` after create, `TERMINATED` once it auto-terminated. */
  declare readonly state: pulumi.Output<string>;
  /** The service's message about the state, when it has one. */
  declare readonly stateMessage: pulumi.Output<string | undefined>;
  /** The Databricks runtime. */
  declare readonly sparkVersion: pulumi.Output<string>;
  /** Tags Databricks adds to the cluster's VMs (Vendor, Creator, ClusterName, ClusterId). */
  declare readonly defaultTags: pulumi.Output<Record<string, string> | undefined>;

  constructor(name: string, args: DatabricksClusterArgs, opts?: pulumi.CustomResourceOptions) {
    if (args.nodeTypeId !== undefined && args.instancePoolId !== undefined) {
      throw new Error(`DatabricksCluster "${name}": nodeTypeId and instancePoolId are mutually exclusive: the pool decides the node type.`);
    }
    if (args.numWorkers !== undefined && args.autoscale !== undefined) {
      throw new Error(`DatabricksCluster "${name}": numWorkers and autoscale are mutually exclusive: a fixed size or a range.`);
    }
    if (args.clusterLogConf !== undefined && args.clusterLogPath !== undefined) {
      throw new Error(`DatabricksCluster "${name}": clusterLogConf and clusterLogPath are mutually exclusive: clusterLogPath is short for clusterLogConf: { dbfs: { destination } }.`);
    }
    super(
      PROVIDER,
      name,
      {
        ...args,
        identity: `${pulumi.getProject()}/${pulumi.getStack()}/${name}`,
        sparkVersion: args.sparkVersion,
        clusterId: undefined,
        state: undefined,
        stateMessage: undefined,
        defaultTags: undefined,
      },
      opts,
      MODULE,
      "DatabricksCluster",
    );
  }
}
