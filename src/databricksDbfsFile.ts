import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as pulumi from "@pulumi/pulumi";
import { databricksDbfsFileProvider } from "../providers/databricksDbfsFileProvider";

/** Arguments of a {@link DatabricksDbfsFile}. Give exactly one of `source` and `contentBase64`. */
export interface DatabricksDbfsFileArgs {
  /** Workspace URL. Default: `DATABRICKS_HOST` or the `~/.databrickscfg` profile. */
  readonly host?: pulumi.Input<string>;
  /** DBFS path, e.g. `dbfs:/FileStore/data/input.csv`. A change replaces the file. Required unless in `spec`. */
  readonly path?: pulumi.Input<string>;
  /**
   * Local file to upload, relative to the program's directory. Hashed when the program runs (so
   * a change shows at preview); streamed at upload, any size; its bytes never enter the state.
   */
  readonly source?: string;
  /** Small content given inline, base64, instead of `source`. */
  readonly contentBase64?: string;
  /** The complete `dbfs/put` JSON (`path`, `contents` base64), instead of the named arguments. */
  readonly spec?: pulumi.Input<{ path?: string; contents?: string }>;
}

/** A file in DBFS (CreateDbfsBlockOp): uploaded with put, or create/add-block/close above 1 MB. */
export class DatabricksDbfsFile extends pulumi.dynamic.Resource {
  /** The DBFS path, without the `dbfs:` prefix. */
  declare readonly path: pulumi.Output<string>;
  /** Size in bytes after upload. */
  declare readonly fileSize: pulumi.Output<number>;
  /** sha256 of the content. */
  declare readonly contentHash: pulumi.Output<string>;

  constructor(name: string, args: DatabricksDbfsFileArgs, opts?: pulumi.CustomResourceOptions) {
    if (args.source !== undefined && args.contentBase64 !== undefined) {
      throw new Error(`DatabricksDbfsFile "${name}": source and contentBase64 are mutually exclusive: give a local file or the content.`);
    }
    if (args.source === undefined && args.contentBase64 === undefined) {
      // The spec form: the provider takes path and contents from it.
      super(databricksDbfsFileProvider, name, { host: args.host, path: args.path, spec: args.spec, contentHash: undefined, fileSize: undefined }, opts, "azureml-databricks", "DatabricksDbfsFile");
      return;
    }
    const hash = createHash("sha256");
    if (args.source !== undefined) hash.update(fs.readFileSync(args.source));
    else hash.update(Buffer.from(args.contentBase64!, "base64"));
    const props = {
      host: args.host,
      path: args.path,
      source: args.source,
      contentBase64: args.contentBase64,
      contentHash: hash.digest("hex"),
      fileSize: undefined,
    };
    super(databricksDbfsFileProvider, name, props, opts, "azureml-databricks", "DatabricksDbfsFile");
  }
}
