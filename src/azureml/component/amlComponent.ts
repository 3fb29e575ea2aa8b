import * as pulumi from "@pulumi/pulumi";
import { forwardingProvider, MODULE } from "../../../providers";
import type { AmlWorkspaceArgs } from "../shared/workspace";
import { readComponentSource } from "./source";

/** One provider instance for every AmlComponent (the serializer caches by object). */
const PROVIDER = forwardingProvider("AmlComponent");

/** Arguments of an {@link AmlComponent}. */
export interface AmlComponentArgs extends AmlWorkspaceArgs {
  /**
   * An Azure ML CLI v2 command component YAML file (`az ml component create -f`), relative to the
   * program's directory, registered as is: validated against the command component schema, its
   * `code:` folder uploaded (honouring `.amlignore`/`.gitignore`), its `environment:
   * azureml:<name>:<version>` resolved. Read and hashed (with the code, file by file) when the
   * program runs, so a change shows at preview, naming the code file that changed
   * (`codeFiles["src/x.py"]`). Plain (not an Input).
   */
  readonly file: string;
  /** The version, like `az ml component create --version`. Default: the file's `version`. */
  readonly version?: pulumi.Input<string>;
  /**
   * Derive the version from the content (the YAML, the code and the environment): every change is
   * a new version, and so a replacement that downstream resources see. Exclusive with `version`
   * and the file's `version`. Default: `false` (a change under the same version fails at preview).
   */
  readonly versionFromContent?: pulumi.Input<boolean>;
  /**
   * The environment, instead of the file's `environment:` — typically an `AmlEnvironment`'s
   * `reference`, which also orders the two. Default: the file's.
   */
  readonly environment?: pulumi.Input<string>;
  /**
   * Take over this name and version when already registered (the content must be identical);
   * `pulumi destroy` then deletes the version. Read only when the resource is created. Default: `false`.
   */
  readonly adopt?: pulumi.Input<boolean>;
}

/** An Azure ML command component version, registered from its CLI v2 YAML file as is. */
export class AmlComponent extends pulumi.dynamic.Resource {
  /** The component's name (the file's `name`). */
  declare readonly name: pulumi.Output<string>;
  /** The version registered. */
  declare readonly version: pulumi.Output<string>;
  /** The version's ARM id (also the resource id). */
  declare readonly componentId: pulumi.Output<string>;
  /** `azureml:<name>:<version>`, as pipeline YAML names a component. */
  declare readonly reference: pulumi.Output<string>;
  /** The content hash of the uploaded code, when the YAML has `code:`. */
  declare readonly codeHash: pulumi.Output<string | undefined>;
  /** The code version's ARM id, when the YAML has `code:`. */
  declare readonly codeId: pulumi.Output<string | undefined>;
  /**
   * True when this resource uploaded the code version, which `pulumi destroy` then deletes unless
   * another component version uses it; absent when it reused one found by its hash.
   */
  declare readonly codeCreated: pulumi.Output<boolean | undefined>;

  /**
   * Declares a component version; `pulumi up` uploads its code and registers it.
   * @param name The resource's name, unique in the stack.
   * @param args The workspace and the YAML file.
   * @param opts Resource options.
   */
  constructor(name: string, args: AmlComponentArgs, opts?: pulumi.CustomResourceOptions) {
    const source = readComponentSource(args.file);
    // `version` always declared (undefined included), so the engine records the output a derived version fills in.
    super(
      PROVIDER,
      name,
      { version: undefined, ...args, ...source, name: undefined, componentId: undefined, reference: undefined, codeId: undefined, codeCreated: undefined },
      opts,
      MODULE,
      "AmlComponent",
    );
  }
}
