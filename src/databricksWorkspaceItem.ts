import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { databricksWorkspaceItemProvider } from "../providers/databricksWorkspaceItemProvider";

/** Arguments of a {@link DatabricksWorkspaceItem}. Give exactly one of `source` and `content`. */
export interface DatabricksWorkspaceItemArgs {
  /** Workspace URL. Default: `DATABRICKS_HOST` or the `~/.databrickscfg` profile. */
  readonly host?: pulumi.Input<string>;
  /** Absolute workspace path, e.g. `/Shared/etl/prepare`. A change replaces the item. Required unless in `spec`. */
  readonly path?: pulumi.Input<string>;
  /** Local file to import, relative to the program's directory; read when the program runs. */
  readonly source?: string;
  /** The content as text, instead of `source`. */
  readonly content?: string;
  /** `SOURCE` (default; `JUPYTER` for `.ipynb`), `AUTO` or `RAW`. */
  readonly format?: "SOURCE" | "JUPYTER" | "AUTO" | "RAW";
  /** Notebook language for `SOURCE`. Default: from the file extension, else `PYTHON`. */
  readonly language?: "PYTHON" | "SCALA" | "SQL" | "R";
  /** The complete `workspace/import` JSON (`path`, `format`, `language`, `content` base64), instead of the named arguments. */
  readonly spec?: pulumi.Input<{ path?: string; format?: string; language?: string; content?: string }>;
}

/**
 * A notebook or file in the Databricks workspace (ImportWorkspaceItemOp). Its content hash is
 * known at preview, so editing the local file shows as an update of this item, and, through
 * `localContentHash`, as a re-run of the DatabricksRuns that execute it.
 */
export class DatabricksWorkspaceItem extends pulumi.dynamic.Resource {
  /** The workspace path. */
  declare readonly path: pulumi.Output<string>;
  /** sha256 of the imported content. */
  declare readonly contentHash: pulumi.Output<string>;
  /** `NOTEBOOK` or `FILE`. */
  declare readonly objectType: pulumi.Output<string>;
  /** The path as given, known at preview (unlike outputs of an item being updated). */
  readonly workspacePath: pulumi.Output<string>;
  /** sha256 of the local content, computed by the program: known at preview. */
  readonly localContentHash: pulumi.Output<string>;

  constructor(name: string, args: DatabricksWorkspaceItemArgs, opts?: pulumi.CustomResourceOptions) {
    if (args.source !== undefined && args.content !== undefined) {
      throw new Error(`DatabricksWorkspaceItem "${name}": source and content are mutually exclusive: give a local file or the text.`);
    }
    if (args.source === undefined && args.content === undefined) {
      // The spec form: the provider takes path, format, language and content from it.
      const spec = pulumi.output(args.spec ?? {});
      super(databricksWorkspaceItemProvider, name, { host: args.host, path: args.path, spec: args.spec, objectType: undefined, contentHash: undefined }, opts, "azureml-databricks", "DatabricksWorkspaceItem");
      this.workspacePath = args.path !== undefined ? pulumi.output(args.path) : spec.apply((s) => s.path ?? "");
      this.localContentHash = spec.apply((s) => createHash("sha256").update(Buffer.from(s.content ?? "", "base64")).digest("hex"));
      return;
    }
    const bytes = args.source !== undefined ? fs.readFileSync(args.source) : Buffer.from(args.content!, "utf8");
    const contentHash = createHash("sha256").update(bytes).digest("hex");
    const ext = args.source ? path.extname(args.source).toLowerCase() : "";
    const format = args.format ?? (ext === ".ipynb" ? "JUPYTER" : "SOURCE");
    const language = args.language ?? (format === "SOURCE" ? ({ ".scala": "SCALA", ".sql": "SQL", ".r": "R" } as Record<string, string>)[ext] ?? "PYTHON" : undefined);
    super(
      databricksWorkspaceItemProvider,
      name,
      { host: args.host, path: args.path, contentBase64: bytes.toString("base64"), contentHash, format, language, objectType: undefined },
      opts,
      "azureml-databricks",
      "DatabricksWorkspaceItem",
    );
    this.workspacePath = pulumi.output(args.path ?? "");
    this.localContentHash = pulumi.output(contentHash);
  }
}
