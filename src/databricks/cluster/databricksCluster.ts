import * as pulumi from "@pulumi/pulumi";
import { forwardingProvider, MODULE } from "../../../providers";
import type { WireSpec } from "../../core/plain";
import { resourceIdentity } from "../../core/resourceOptions";
import type { ClusterCreateRequest } from "../client";
import type { DatabricksNewClusterArgs } from "../shared/cluster";

/** One provider instance for every DatabricksCluster (the serializer caches by object). */
const PROVIDER = forwardingProvider("DatabricksCluster");

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
  /** The complete `clusters/create` JSON, snake_case as in the API; named arguments replace its fields (README: "spec and named arguments"). Default: none. */
  readonly spec?: WireSpec<ClusterCreateRequest>;
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

  /**
   * Declares a cluster; `pulumi up` creates it and waits until it is RUNNING.
   * @param name The resource's name, unique in the stack.
   * @param args The cluster's settings (named, or `spec`, or both).
   * @param opts Resource options.
   */
  constructor(name: string, args: DatabricksClusterArgs, opts?: pulumi.CustomResourceOptions) {
    super(
      PROVIDER,
      name,
      {
        ...args,
        host: args.host,
        identity: resourceIdentity(name),
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
