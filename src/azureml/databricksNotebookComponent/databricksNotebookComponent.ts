/**
 * The package's "execute Databricks notebook" command component: its YAML and standard-library
 * script ship in `./component/` (copied beside the compiled module by the build), registered as an
 * {@link AmlComponent} from that file, unchanged.
 */
import * as path from "node:path";
import type * as pulumi from "@pulumi/pulumi";
import { AmlComponent } from "../component/amlComponent";
import type { AmlWorkspaceArgs } from "../shared/workspace";

/** The folder of the shipped component: its YAML file and its `code/` folder (the script). */
export const DATABRICKS_NOTEBOOK_COMPONENT_DIR = path.join(__dirname, "component");

/**
 * The shipped component's CLI v2 YAML file (component `execute_databricks_notebook`, no version:
 * `az ml component create -f <file> --version <v>` registers it as is).
 */
export const DATABRICKS_NOTEBOOK_COMPONENT_FILE = path.join(DATABRICKS_NOTEBOOK_COMPONENT_DIR, "execute-databricks-notebook.yml");

/** Arguments of a {@link DatabricksNotebookComponent}. */
export interface DatabricksNotebookComponentArgs extends AmlWorkspaceArgs {
  /**
   * The version to register. Default: derived from the content (YAML, script and environment), so
   * a new release of this package registers a new version and an unchanged one registers nothing.
   */
  readonly version?: pulumi.Input<string>;
  /**
   * The environment the step runs in, instead of the YAML's curated
   * `azureml://registries/azureml/environments/minimal-py311-inference/labels/latest` (any with
   * Python 3.8 or later: the script needs nothing else), e.g. an `AmlEnvironment`'s `reference`.
   * Default: the YAML's.
   */
  readonly environment?: pulumi.Input<string>;
  /**
   * Take over the version when already registered with identical content; `pulumi destroy` then
   * deletes it. Default: `false`.
   */
  readonly adopt?: pulumi.Input<boolean>;
}

/**
 * What a pipeline step of the component takes: its inputs, by the YAML's names. Output
 * `output_path` (`uri_folder`, mode `direct`) is the folder the notebook writes.
 */
export interface DatabricksNotebookStepInputs {
  /** The Databricks workspace URL, e.g. `https://adb-1234567890123456.7.azuredatabricks.net`. */
  readonly databricks_host: string;
  /** The notebook's absolute workspace path, e.g. `/Users/someone@example.com/prepare` (no `'`). */
  readonly notebook_path: string;
  /**
   * The Key Vault holding the Databricks token, read with the compute's managed identity. Default:
   * none; the script then takes `DATABRICKS_TOKEN` from the step's environment variables, else an
   * Azure AD token of the managed identity for Azure Databricks.
   */
  readonly kv_url?: string;
  /** The Key Vault secret holding the Databricks token; required with `kv_url`. */
  readonly kv_secret_name?: string;
  /** Workers of the run's new cluster. */
  readonly num_workers: number;
  /** Node type of the run's new cluster, e.g. `Standard_DS3_v2`. */
  readonly node_type_id: string;
  /** Databricks Runtime of the run's new cluster, e.g. `15.4.x-scala2.12`. */
  readonly spark_version: string;
  /**
   * Further notebook parameters (`base_parameters`) as a JSON object string (no `'`; write it
   * `\u0027`). Default: none. `output_path` and `output_folder` are the component's own: the
   * step's output folder under the mount and inside the datastore.
   */
  readonly parameters?: string;
  /** Libraries for the cluster as a JSON list string in the Jobs API's form, e.g. `[{"pypi":{"package":"azureml-mlflow"}}]`. Default: none. */
  readonly libraries?: string;
  /** Where the workspace blob store is mounted in DBFS. Default: `/mnt/azuremlblobstore`. */
  readonly mount_point?: string;
}

/** The shipped "execute Databricks notebook" component, registered in a workspace (an {@link AmlComponent}). */
export class DatabricksNotebookComponent extends AmlComponent {
  /**
   * Declares the component version; `pulumi up` uploads its script and registers it.
   * @param name The resource's name, unique in the stack.
   * @param args The workspace, and optionally the version and environment.
   * @param opts Resource options.
   */
  constructor(name: string, args: DatabricksNotebookComponentArgs, opts?: pulumi.CustomResourceOptions) {
    super(name, { ...args, file: DATABRICKS_NOTEBOOK_COMPONENT_FILE, versionFromContent: args.version === undefined }, opts);
  }
}
