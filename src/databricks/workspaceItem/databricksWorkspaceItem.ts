import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { forwardingProvider, MODULE } from "../../../providers";
import { anchoredOn } from "../../core/anchor";
import { reviewPath } from "../../core/codeFiles";
import { hashFile, sha256 } from "../../core/localFile";
import type { WireSpec } from "../../core/plain";
import type { WorkspaceImportArgs } from "../client";
/** One provider instance for every DatabricksWorkspaceItem (the serializer caches by object). */
const PROVIDER = forwardingProvider("DatabricksWorkspaceItem");

/** How `workspace/import` reads the content. */
export type DatabricksWorkspaceFormat = "SOURCE" | "JUPYTER" | "AUTO" | "RAW" | "HTML" | "DBC" | "R_MARKDOWN";
/** Language of a notebook. */
export type DatabricksNotebookLanguage = "PYTHON" | "SCALA" | "SQL" | "R";

/**
 * Arguments of a {@link DatabricksWorkspaceItem}: named parameters, or the complete
 * `workspace/import` JSON as `spec` (named parameters win). Give the content once: `source`,
 * `content` or `contentBase64` (or `spec.content`).
 */
export interface DatabricksWorkspaceItemArgs {
  /** Workspace URL. Default: `DATABRICKS_HOST`, then the `~/.databrickscfg` profile. A change replaces the item. */
  readonly host?: pulumi.Input<string>;
  /**
   * Absolute workspace path, e.g. `/Shared/etl/prepare`; missing parent folders are created. A
   * change replaces the item. Required unless `spec.path` is given.
   */
  readonly path?: pulumi.Input<string>;
  /**
   * A local file to import, relative to the program's working directory. Hashed when the program
   * runs, so an edit shows at preview as an update of this item (and, through
   * `localContentHash`, as a re-run of the DatabricksRuns that run it); read again at apply time,
   * so its bytes never enter the state. Its extension sets the defaults: `.ipynb` is imported as
   * JUPYTER; `.py`, `.scala`, `.sql` and `.r` give the language. Plain (not an Input) because the
   * program reads it before preview. Exclusive with `content` and `contentBase64`.
   */
  readonly source?: string;
  /** The content as text (kept in the state). Exclusive with `source` and `contentBase64`. */
  readonly content?: pulumi.Input<string>;
  /** The content as base64 (kept in the state). Exclusive with `source` and `content`. */
  readonly contentBase64?: pulumi.Input<string>;
  /** How the content is read: `SOURCE` (a source notebook), `JUPYTER`, `AUTO`, `RAW` (a file), ... Default: `JUPYTER` for a `.ipynb` source, else `SOURCE`. */
  readonly format?: pulumi.Input<DatabricksWorkspaceFormat>;
  /** The notebook's language, for SOURCE (and optionally JUPYTER). Default: from the source's extension, else `PYTHON` for SOURCE. */
  readonly language?: pulumi.Input<DatabricksNotebookLanguage>;
  /**
   * Take over an object already at `path` when creating: `pulumi up` imports the content over it
   * and `pulumi destroy` then deletes it, like an item this resource created. Without it, creating
   * the resource fails when the path is taken. Read only when the resource is created (updates
   * import over the resource's own item). The spec's `overwrite` stands for it. Default: `false`.
   */
  readonly adopt?: pulumi.Input<boolean>;
  /**
   * The complete `workspace/import` JSON (`path`, `content` base64, `format`, `language`,
   * `overwrite`, which stands for `adopt`), snake_case as in the API. Default: none.
   */
  readonly spec?: WireSpec<WorkspaceImportArgs>;
}

/**
 * A notebook or file in the Databricks workspace (the Kubeflow ImportWorkspaceItemOp /
 * DeleteWorkspaceItemOp). Its content hash is computed by the program, so a content change is
 * known at preview; refresh notices edits made in the workspace and the next `up` restores the
 * program's content.
 */
export class DatabricksWorkspaceItem extends pulumi.dynamic.Resource {
  /** The workspace URL. */
  declare readonly host: pulumi.Output<string>;
  /** The workspace path, as given. */
  declare readonly path: pulumi.Output<string>;
  /** Where the object is: `path`, except for AUTO imports of source or `.ipynb` notebooks, stored without the extension. */
  declare readonly objectPath: pulumi.Output<string>;
  /** `NOTEBOOK` or `FILE`. */
  declare readonly objectType: pulumi.Output<string>;
  /** The workspace's id of the object. */
  declare readonly objectId: pulumi.Output<number>;
  /** sha256 (hex) of the imported content. */
  declare readonly contentHash: pulumi.Output<string>;
  /**
   * The workspace path from the arguments: known at preview, unlike the outputs of an item being
   * replaced, and an output of this item, so a DatabricksRun given it as `notebookPath` runs after
   * the import.
   */
  readonly workspacePath: pulumi.Output<string>;
  /**
   * sha256 (hex) of the content, computed by the program: known at preview, and an output of this
   * item like `workspacePath`. Pass it to a DatabricksRun's `codeHashes`.
   */
  readonly localContentHash: pulumi.Output<string>;

  /**
   * Declares a workspace item; `pulumi up` imports it.
   * @param name The resource's name, unique in the stack.
   * @param args Where the item goes and its content (named, or `spec`, or both).
   * @param opts Resource options.
   */
  constructor(name: string, args: DatabricksWorkspaceItemArgs, opts?: pulumi.CustomResourceOptions) {
    const spec = args.spec === undefined ? undefined : pulumi.output(args.spec);
    let source: string | undefined;
    let codeFiles: Record<string, string> | undefined;
    let contentHash: pulumi.Input<string> | undefined;
    let format = args.format;
    let language = args.language;
    if (args.source !== undefined) {
      // Absolute, so the provider finds the file whatever its working directory.
      source = path.resolve(args.source);
      contentHash = hashFile(source);
      // What a preview names when the content changes (`codeFiles["notebooks/x.py"]`).
      if (contentHash !== undefined) codeFiles = { [reviewPath(args.source)]: contentHash };
      // Defaults from the extension apply to the named form only; a spec's own format and language win over guesses.
      if (spec === undefined) {
        const ext = path.extname(source).toLowerCase();
        format ??= ext === ".ipynb" ? "JUPYTER" : "SOURCE";
        if (format === "SOURCE") language ??= ({ ".py": "PYTHON", ".scala": "SCALA", ".sql": "SQL", ".r": "R" } as Record<string, DatabricksNotebookLanguage>)[ext];
      }
    } else if (args.content !== undefined) {
      contentHash = pulumi.output(args.content).apply((text) => sha256(text));
    } else if (args.contentBase64 !== undefined) {
      contentHash = pulumi.output(args.contentBase64).apply((b64) => sha256(Buffer.from(b64, "base64")));
    } else if (spec !== undefined) {
      contentHash = spec.apply((s) => sha256(Buffer.from(typeof s?.content === "string" ? s.content : "", "base64")));
    }

    super(
      PROVIDER,
      name,
      {
        host: args.host,
        path: args.path,
        source,
        content: args.content,
        contentBase64: args.contentBase64,
        contentHash,
        codeFiles,
        format,
        language,
        adopt: args.adopt,
        spec: args.spec,
        objectPath: undefined,
        objectType: undefined,
        objectId: undefined,
      },
      opts,
      MODULE,
      "DatabricksWorkspaceItem",
    );
    this.workspacePath = anchoredOn(this, args.path !== undefined ? pulumi.output(args.path) : pulumi.output(args.spec).apply((s) => String(s?.path ?? "")));
    this.localContentHash = anchoredOn(this, contentHash ?? "");
  }
}
