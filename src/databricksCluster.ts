import * as pulumi from "@pulumi/pulumi";
import { databricksClusterProvider } from "../providers/databricksClusterProvider";
import type { DatabricksRunClusterArgs } from "./databricksRun";

/** Arguments of a {@link DatabricksCluster}: named parameters (as a run's new cluster) or a complete `spec`. */
export interface DatabricksClusterArgs extends Partial<DatabricksRunClusterArgs> {
  /** Workspace URL. Default: `DATABRICKS_HOST` or the `~/.databrickscfg` profile. A change replaces the cluster. */
  readonly host?: pulumi.Input<string>;
  /** Display name. Default: none. */
  readonly clusterName?: pulumi.Input<string>;
  /** Terminate after this many idle minutes (0 = never, else >= 10). Default: the workspace's. */
  readonly autoterminationMinutes?: pulumi.Input<number>;
  /** A complete `clusters/create` JSON (snake_case); named parameters are merged over it. */
  readonly spec?: pulumi.Input<Record<string, unknown>>;
  /** How long create and edit wait for RUNNING. Default: 1800. */
  readonly waitTimeoutSeconds?: pulumi.Input<number>;
}

/** An all-purpose Databricks cluster (CreateClusterOp / DeleteClusterOp); create waits until RUNNING, delete removes it permanently. */
export class DatabricksCluster extends pulumi.dynamic.Resource {
  /** The cluster id. */
  declare readonly clusterId: pulumi.Output<string>;
  /** The last state seen. */
  declare readonly state: pulumi.Output<string>;
  /** The service's message about the state. */
  declare readonly stateMessage: pulumi.Output<string | undefined>;
  /** Tags Databricks adds. */
  declare readonly defaultTags: pulumi.Output<Record<string, string> | undefined>;

  constructor(name: string, args: DatabricksClusterArgs, opts?: pulumi.CustomResourceOptions) {
    super(databricksClusterProvider, name, { ...args, clusterId: undefined, state: undefined, stateMessage: undefined, defaultTags: undefined }, opts, "azureml-databricks", "DatabricksCluster");
  }
}
