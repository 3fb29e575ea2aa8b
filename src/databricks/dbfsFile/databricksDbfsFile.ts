import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { forwardingProvider, MODULE } from "../../../providers";
import { hashFile, sha256 } from "../../core/localFile";
import type { WireSpec } from "../../core/plain";
/** One provider instance for every DatabricksDbfsFile (the serializer caches by object). */
const PROVIDER = forwardingProvider("DatabricksDbfsFile");

/**
 * Arguments of a {@link DatabricksDbfsFile}: named parameters, or the complete `dbfs/put` JSON as
 * `spec` (named parameters win). Give the content once: `source` or `contentBase64` (or
 * `spec.contents`).
 */
export interface DatabricksDbfsFileArgs {
  /** Workspace URL. Default: `DATABRICKS_HOST`, then the `~/.databrickscfg` profile. A change replaces the file. */
  readonly host?: pulumi.Input<string>;
  /** DBFS path, `dbfs:/FileStore/data/input.csv` or `/FileStore/data/input.csv`. A change replaces the file. Required unless `spec.path` is given. */
  readonly path?: pulumi.Input<string>;
  /**
   * A local file to upload, relative to the program's working directory, of any size (streamed in
   * 1 MB blocks). Hashed when the program runs, so a change shows at preview; its bytes never
   * enter the state, only its path and hash. Plain (not an Input) because the program reads it
   * before preview. Exclusive with `contentBase64`.
   */
  readonly source?: string;
  /** Inline content, base64, instead of `source`. Kept in the state: prefer `source` for anything large. */
  readonly contentBase64?: pulumi.Input<string>;
  /**
   * Take over a file already at `path` when creating: `pulumi up` uploads the content over it and
   * `pulumi destroy` then deletes it, like a file this resource uploaded. Without it, creating the
   * resource fails when the path is taken. Read only when the resource is created (updates upload
   * over the resource's own file). The spec's `overwrite` stands for it. Default: `false`.
   */
  readonly adopt?: pulumi.Input<boolean>;
  /** The complete `dbfs/put` JSON (`path`, `contents` base64, `overwrite`, which stands for `adopt`), snake_case as in the API. Default: none. */
  readonly spec?: WireSpec<{ path: string; contents: string; overwrite: boolean }>;
}

/**
 * A file in DBFS (the Kubeflow CreateDbfsBlockOp / DeleteDbfsBlockOp): uploaded with `put`, or with
 * `create`/`add-block`/`close` above 1 MB, and uploaded again when its content changes. Refresh
 * notices a file deleted, resized or rewritten (a later modification time) outside Pulumi.
 */
export class DatabricksDbfsFile extends pulumi.dynamic.Resource {
  /** The workspace URL. */
  declare readonly host: pulumi.Output<string>;
  /** The DBFS path, without the `dbfs:` scheme. */
  declare readonly path: pulumi.Output<string>;
  /** `dbfs:<path>`, as tasks (`sparkPythonTask.pythonFile`) and libraries name files. */
  declare readonly dbfsPath: pulumi.Output<string>;
  /** Size in bytes after the upload. */
  declare readonly fileSize: pulumi.Output<number>;
  /** sha256 (hex) of the content. */
  declare readonly contentHash: pulumi.Output<string>;

  /**
   * Declares a DBFS file; `pulumi up` uploads it.
   * @param name The resource's name, unique in the stack.
   * @param args Where the file goes and its content (named, or `spec`, or both).
   * @param opts Resource options.
   */
  constructor(name: string, args: DatabricksDbfsFileArgs, opts?: pulumi.CustomResourceOptions) {
    let source: string | undefined;
    let contentHash: pulumi.Input<string> | undefined;
    if (args.source !== undefined) {
      // Absolute, so the provider finds the file whatever its working directory.
      source = path.resolve(args.source);
      contentHash = hashFile(source);
    } else if (args.contentBase64 !== undefined) {
      contentHash = pulumi.output(args.contentBase64).apply((b64) => sha256(Buffer.from(b64, "base64")));
    }
    super(
      PROVIDER,
      name,
      { host: args.host, path: args.path, source, contentBase64: args.contentBase64, contentHash, adopt: args.adopt, spec: args.spec, dbfsPath: undefined, fileSize: undefined },
      opts,
      MODULE,
      "DatabricksDbfsFile",
    );
  }
}

