import * as pulumi from "@pulumi/pulumi";
import { forwardingProvider, MODULE } from "../../../providers";
import type { DatabricksNewClusterArgs } from "../shared/cluster";

/** One provider instance for every DatabricksBlobMount (the serializer caches by object). */
const PROVIDER = forwardingProvider("DatabricksBlobMount");

/** Arguments of a {@link DatabricksBlobMount}. */
export interface DatabricksBlobMountArgs {
  /** Workspace URL. Default: `DATABRICKS_HOST` or the `~/.databrickscfg` profile. */
  readonly host?: pulumi.Input<string>;
  /** The mount point is `/mnt/<mountName>`. A change remounts. */
  readonly mountName: pulumi.Input<string>;
  /** Storage account of the container (e.g. the Azure ML workspace's blob store). */
  readonly storageAccountName: pulumi.Input<string>;
  /** The blob container to mount. */
  readonly containerName: pulumi.Input<string>;
  /** A folder inside the container to mount instead of its root. Default: the root. */
  readonly directory?: pulumi.Input<string>;
  /** Databricks secret scope that holds the storage account key (read inside Databricks only). */
  readonly accountKeyScope: pulumi.Input<string>;
  /** Key of the storage account key in `accountKeyScope`. */
  readonly accountKeyName: pulumi.Input<string>;
  /**
   * A running cluster to run the mount commands on (Command Execution API). Default: none, a
   * one-time run on a small single-node job cluster, so no long-lived cluster is needed. If the
   * cluster is gone later, refresh and destroy fall back to a one-time run.
   */
  readonly clusterId?: pulumi.Input<string>;
  /**
   * The cluster of the one-time runs, its fields over the default: `15.4.x-scala2.12` on
   * `Standard_DS3_v2`, single node. Default: that cluster.
   */
  readonly jobCluster?: pulumi.Input<Partial<DatabricksNewClusterArgs>>;
  /**
   * Take over the mount when the same source is already mounted at `/mnt/<mountName>`: `pulumi up`
   * keeps it as it is and `pulumi destroy` then unmounts it, like a mount this resource made.
   * Without it, creating the resource fails when the mount exists. (A mount point holding another
   * source is always refused.) Read only when the resource is created. Default: `false`.
   */
  readonly adopt?: pulumi.Input<boolean>;
}

/**
 * An Azure Blob container mounted in Databricks at `/mnt/<mountName>` (legacy DBFS mount, as used
 * by the Azure ML DatabricksStep). Refuses a mount point that holds another source, and one that
 * already holds this source unless `adopt` is set; delete unmounts. Refresh finds the mount
 * unmounted (the next `up` mounts it) or remounted to another source (the next `up` unmounts that
 * and mounts the program's).
 */
export class DatabricksBlobMount extends pulumi.dynamic.Resource {
  /** `/mnt/<mountName>`. */
  declare readonly mountPoint: pulumi.Output<string>;
  /** `wasbs://<container>@<account>.blob.core.windows.net[/<directory>]`. */
  declare readonly source: pulumi.Output<string>;
  /** How long the last one-time mount run took, in ms (absent when mount commands run on a cluster); the next mount run polls by it. */
  declare readonly mountRunMs: pulumi.Output<number | undefined>;

  /**
   * Declares a mount; `pulumi up` mounts the container (or finds it mounted already).
   * @param name The resource's name, unique in the stack.
   * @param args The container, the secret holding its key, and where to run the mount.
   * @param opts Resource options.
   */
  constructor(name: string, args: DatabricksBlobMountArgs, opts?: pulumi.CustomResourceOptions) {
    super(PROVIDER, name, { ...args, mountPoint: undefined, source: undefined, mountRunMs: undefined }, opts, MODULE, "DatabricksBlobMount");
  }
}
