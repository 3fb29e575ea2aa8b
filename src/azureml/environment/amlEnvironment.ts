import * as pulumi from "@pulumi/pulumi";
import { forwardingProvider, MODULE } from "../../../providers";
import type { AmlWorkspaceArgs } from "../shared/workspace";
import { environmentFromYaml } from "./yaml";

/** One provider instance for every AmlEnvironment (the serializer caches by object). */
const PROVIDER = forwardingProvider("AmlEnvironment");

/**
 * Arguments of an {@link AmlEnvironment}: an Azure ML CLI v2 environment YAML file, arguments, or
 * both (arguments win over the file's keys).
 */
export interface AmlEnvironmentArgs extends AmlWorkspaceArgs {
  /**
   * An Azure ML CLI v2 environment YAML file (`az ml environment create -f`), relative to the
   * program's directory: `name`, `version`, `image`, `conda_file` (read and inlined), `description`,
   * `tags`, `os_type`. Read when the program runs, so a change shows at preview. Plain (not an Input).
   */
  readonly file?: string;
  /** The environment's name. Default: the file's `name`. Changing it replaces the environment. */
  readonly name?: pulumi.Input<string>;
  /**
   * The version. Default: the file's `version`. A registered version cannot change: changing the
   * content under the same version fails at preview; a new version replaces the resource.
   */
  readonly version?: pulumi.Input<string>;
  /** The Docker image, e.g. `mcr.microsoft.com/azureml/openmpi4.1.0-ubuntu20.04:latest`. Default: the file's `image`. */
  readonly image?: pulumi.Input<string>;
  /** A conda file (relative to the program's directory), read and inlined. Default: the file's `conda_file`. */
  readonly condaFile?: string;
  /** The conda specification as YAML text, instead of `condaFile`. Default: none. */
  readonly conda?: pulumi.Input<string>;
  /** Description. Default: the file's `description`. */
  readonly description?: pulumi.Input<string>;
  /** Tags. Default: the file's `tags`. */
  readonly tags?: pulumi.Input<Record<string, pulumi.Input<string>>>;
  /** `Linux` or `Windows`. Default: the file's `os_type`, else `Linux`. */
  readonly osType?: pulumi.Input<"Linux" | "Windows">;
  /**
   * Take over this name and version when they are already registered (the content must be
   * identical); `pulumi destroy` then deletes the version. Read only when the resource is created.
   * Default: `false`.
   */
  readonly adopt?: pulumi.Input<boolean>;
}

/** An Azure ML environment version (a Docker image plus a conda specification). */
export class AmlEnvironment extends pulumi.dynamic.Resource {
  /** The environment's name. */
  declare readonly name: pulumi.Output<string>;
  /** The version. */
  declare readonly version: pulumi.Output<string>;
  /** The version's ARM id (also the resource id). */
  declare readonly environmentId: pulumi.Output<string>;
  /** `azureml:<name>:<version>`, as component YAML names an environment. */
  declare readonly reference: pulumi.Output<string>;

  /**
   * Declares an environment version; `pulumi up` registers it.
   * @param name The resource's name, unique in the stack.
   * @param args The workspace, and the YAML file or the arguments.
   * @param opts Resource options.
   */
  constructor(name: string, args: AmlEnvironmentArgs, opts?: pulumi.CustomResourceOptions) {
    const { file, condaFile, ...rest } = args;
    const fromFile = environmentFromYaml(file, condaFile);
    super(
      PROVIDER,
      name,
      { ...fromFile, ...withoutUndefined(rest), environmentId: undefined, reference: undefined },
      opts,
      MODULE,
      "AmlEnvironment",
    );
  }
}

function withoutUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}
