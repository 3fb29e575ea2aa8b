/**
 * Seed 001's flow as one component: the Databricks token in Key Vault, the Databricks workspace
 * attached to Azure ML, the workspace blob store's key in a secret scope and the store mounted in
 * Databricks, the notebook imported, the shipped "execute Databricks notebook" component, and an
 * Azure ML pipeline run of the notebook's step then the downstream steps.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { AmlComponent } from "../azureml/component/amlComponent";
import { DatabricksComputeAttachment } from "../azureml/computeAttachment/databricksComputeAttachment";
import { DatabricksNotebookComponent } from "../azureml/databricksNotebookComponent/databricksNotebookComponent";
import { AmlEnvironment } from "../azureml/environment/amlEnvironment";
import { AmlPipelineRun, AmlPipelineRunOutput, AmlPipelineStepArgs } from "../azureml/pipelineRun/amlPipelineRun";
import type { AmlWorkspaceArgs } from "../azureml/shared/workspace";
import { DatabricksBlobMount } from "../databricks/blobMount/databricksBlobMount";
import { DatabricksSecret } from "../databricks/secret/databricksSecret";
import { DatabricksSecretScope } from "../databricks/secretScope/databricksSecretScope";
import { DatabricksWorkspaceItem } from "../databricks/workspaceItem/databricksWorkspaceItem";
import { KeyVaultSecret } from "../keyvault/secret/keyVaultSecret";
import { checkString, checkWhole, failureList, isObject } from "../core/check";
import { DatabricksPipelineStorageArgs, pipelineStorage } from "./storage";
import { DATABRICKS_STEP, DatabricksPipelineStepArgs, downstreamStep, DownstreamResources } from "./steps";

/** The new job cluster the notebook runs on. */
export interface DatabricksPipelineClusterArgs {
  /** Workers of the run's new cluster, e.g. `1`. */
  readonly numWorkers: pulumi.Input<number>;
  /** The node type, e.g. `Standard_DS3_v2`. */
  readonly nodeTypeId: pulumi.Input<string>;
  /** The Databricks Runtime, e.g. `15.4.x-scala2.12`. */
  readonly sparkVersion: pulumi.Input<string>;
}

/** Arguments of a {@link DatabricksPipeline}. */
export interface DatabricksPipelineArgs {
  /** The Azure ML workspace the compute, components and pipeline job live in. */
  readonly workspace: AmlWorkspaceArgs;
  /** The Key Vault the Databricks token is stored in, e.g. `https://<vault>.vault.azure.net`; the Databricks step reads the token from it. */
  readonly keyVaultUrl: pulumi.Input<string>;
  /** The Key Vault secret's name. Default: `databricks-token`. */
  readonly tokenSecretName?: pulumi.Input<string>;
  /** The Databricks workspace URL, `https://adb-<id>.<n>.azuredatabricks.net` (the emulator's URL locally). */
  readonly databricksUrl: pulumi.Input<string>;
  /** The Databricks workspace's ARM id, `/subscriptions/<sub>/resourceGroups/<rg>/providers/Microsoft.Databricks/workspaces/<name>`. */
  readonly databricksResourceId: pulumi.Input<string>;
  /**
   * A Databricks access token: stored in Key Vault and given to the compute attachment. Secret
   * (wrapped for you): stored encrypted, never printed.
   */
  readonly databricksToken: pulumi.Input<string>;
  /** The attached compute's name in the Azure ML workspace. Default: `databricks`. */
  readonly computeName?: pulumi.Input<string>;
  /**
   * The notebook's source file (`.py`, `.sql`, `.scala`, `.r` or `.ipynb`), relative to the
   * program's directory. Its content hash is kept by its path (the run's `codeFiles`): an edit runs
   * the pipeline again, and a preview names the file. Plain.
   */
  readonly notebook: string;
  /** Where the notebook is imported in the Databricks workspace. Default: `/Shared/<resource name>/<file name without extension>`. */
  readonly notebookPath?: pulumi.Input<string>;
  /** The new job cluster the notebook runs on. */
  readonly cluster: DatabricksPipelineClusterArgs;
  /**
   * Notebook parameters (widgets) besides the component's own `output_path` and `output_folder`.
   * A change runs the pipeline again. Default: none.
   */
  readonly notebookParameters?: pulumi.Input<Record<string, pulumi.Input<string>>>;
  /**
   * The datastore whose blob container is mounted and whose account key goes into the secret scope,
   * read through Azure ML when the program runs. Default: `workspaceblobstore`.
   */
  readonly datastoreName?: pulumi.Input<string>;
  /** The container and key to mount instead of reading them from `datastoreName`. Default: the datastore's. */
  readonly storage?: DatabricksPipelineStorageArgs;
  /** The Databricks secret scope holding the storage key. Default: the resource name. */
  readonly secretScopeName?: pulumi.Input<string>;
  /**
   * The steps after the notebook's, by step name (not `databricks`, the notebook's own): each a
   * component or a component YAML file, its inputs typically bound to `DATABRICKS_OUTPUT`.
   * Default: none.
   */
  readonly steps?: Record<string, DatabricksPipelineStepArgs>;
  /**
   * The Azure ML compute the steps run on (the Databricks step only calls Databricks from it),
   * `azureml:<name>`. Default: `azureml:cpu-cluster`.
   */
  readonly compute?: pulumi.Input<string>;
  /** The pipeline job's experiment. Default: the service's (`Default`). A change runs again. */
  readonly experimentName?: pulumi.Input<string>;
  /** The pipeline job's name in the studio. Default: the resource name. */
  readonly displayName?: pulumi.Input<string>;
  /** Further values whose change runs the pipeline again, besides the notebook's content hash. Default: none. */
  readonly triggers?: pulumi.Input<Record<string, pulumi.Input<string>>>;
}

/** Where the mount puts the workspace blob store, as the shipped component expects it. */
export const MOUNT_NAME = "azuremlblobstore";

/**
 * Seed 001's flow: `KeyVaultSecret` (token) → `DatabricksComputeAttachment` →
 * `DatabricksSecretScope` + `DatabricksSecret` (storage key) → `DatabricksBlobMount` at
 * `/mnt/azuremlblobstore` → `DatabricksWorkspaceItem` (the notebook) →
 * `DatabricksNotebookComponent` (+ each downstream step's `AmlEnvironment` and `AmlComponent`) →
 * `AmlPipelineRun`, the notebook's step then the downstream ones, run again when the notebook's
 * content changes. Every child is parented to it and usable on its own.
 */
export class DatabricksPipeline extends pulumi.ComponentResource {
  /** The Key Vault secret holding the Databricks token. */
  readonly tokenSecret: KeyVaultSecret;
  /** The Databricks workspace attached to Azure ML. */
  readonly computeAttachment: DatabricksComputeAttachment;
  /** The secret scope holding the storage key. */
  readonly secretScope: DatabricksSecretScope;
  /** The storage account key, in the secret scope. */
  readonly storageKey: DatabricksSecret;
  /** The workspace blob store mounted at `/mnt/azuremlblobstore`. */
  readonly mount: DatabricksBlobMount;
  /** The notebook, imported into the Databricks workspace. */
  readonly notebook: DatabricksWorkspaceItem;
  /** The shipped "execute Databricks notebook" component. */
  readonly databricksComponent: DatabricksNotebookComponent;
  /** The components registered for the downstream steps given as files, by step name. */
  readonly stepComponents: Record<string, AmlComponent>;
  /** The environments registered for those components, by step name. */
  readonly stepEnvironments: Record<string, AmlEnvironment>;
  /** The pipeline run. */
  readonly run: AmlPipelineRun;

  /** The pipeline job's name. */
  readonly jobName: pulumi.Output<string>;
  /** The pipeline job's status, `Completed` once done. */
  readonly status: pulumi.Output<string>;
  /** The Databricks step's status. */
  readonly databricksStatus: pulumi.Output<string>;
  /** Each downstream step's status, by step name. */
  readonly stepStatuses: pulumi.Output<Record<string, string>>;
  /** The pipeline job's page in the Azure ML studio (the emulator's job page locally). */
  readonly studioUrl: pulumi.Output<string>;
  /** The folder the notebook wrote: `uri` (`azureml://`) and `url` (https). */
  readonly databricksOutput: pulumi.Output<AmlPipelineRunOutput>;
  /** Every step's outputs (`uri` and `url`), by step name then output name. */
  readonly outputs: pulumi.Output<Record<string, Record<string, AmlPipelineRunOutput>>>;
  /** The notebook's workspace path. */
  readonly notebookPath: pulumi.Output<string>;
  /** The mount point, `/mnt/azuremlblobstore`. */
  readonly mountPoint: pulumi.Output<string>;

  /**
   * Declares the flow; `pulumi up` provisions it and runs the pipeline.
   * @param name The resource's name, unique in the stack (prefix of its children's names).
   * @param args The workspaces, the token, the notebook, the cluster and the downstream steps.
   * @param opts Resource options.
   */
  constructor(name: string, args: DatabricksPipelineArgs, opts?: pulumi.ComponentResourceOptions) {
    super("azureml-databricks:index:DatabricksPipeline", name, {}, opts);
    const child = { parent: this };
    const ws = args.workspace;
    const host = args.databricksUrl;
    const steps = args.steps ?? {};
    if (DATABRICKS_STEP in steps) throw new Error(`DatabricksPipeline "${name}": steps.${DATABRICKS_STEP}: "${DATABRICKS_STEP}" is the notebook's own step; give this step another name.`);
    checkCluster(name, args.cluster);

    this.tokenSecret = new KeyVaultSecret(`${name}-token`, { vaultUrl: args.keyVaultUrl, name: args.tokenSecretName ?? "databricks-token", value: pulumi.secret(args.databricksToken), contentType: "text/plain", purgeOnDelete: true }, child);
    this.computeAttachment = new DatabricksComputeAttachment(
      `${name}-compute`,
      { ...ws, computeName: args.computeName ?? "databricks", databricksResourceId: args.databricksResourceId, workspaceUrl: host, accessToken: this.tokenSecret.value },
      child,
    );
    const storage = pipelineStorage(ws, args.datastoreName ?? "workspaceblobstore", args.storage);
    this.secretScope = new DatabricksSecretScope(`${name}-scope`, { host, name: args.secretScopeName ?? name }, child);
    this.storageKey = new DatabricksSecret(`${name}-storage-key`, { host, scope: this.secretScope.name, key: "storage-key", stringValue: storage.accountKey }, child);
    this.mount = new DatabricksBlobMount(
      `${name}-mount`,
      { host, mountName: MOUNT_NAME, storageAccountName: storage.accountName, containerName: storage.containerName, accountKeyScope: this.storageKey.scope, accountKeyName: this.storageKey.key },
      child,
    );
    this.notebook = new DatabricksWorkspaceItem(`${name}-notebook`, { host, path: args.notebookPath ?? `/Shared/${name}/${path.parse(args.notebook).name}`, source: args.notebook }, child);
    this.databricksComponent = new DatabricksNotebookComponent(`${name}-databricks-component`, ws, child);

    this.stepComponents = {};
    this.stepEnvironments = {};
    const jobs: Record<string, pulumi.Input<AmlPipelineStepArgs>> = {
      [DATABRICKS_STEP]: {
        component: this.databricksComponent.reference,
        inputs: {
          databricks_host: host,
          notebook_path: this.notebook.workspacePath,
          kv_url: this.tokenSecret.vaultUrl,
          kv_secret_name: this.tokenSecret.name,
          num_workers: args.cluster.numWorkers,
          node_type_id: args.cluster.nodeTypeId,
          spark_version: args.cluster.sparkVersion,
          mount_point: this.mount.mountPoint,
          ...(args.notebookParameters ? { parameters: pulumi.output(args.notebookParameters).apply((p) => JSON.stringify(p)) } : {}),
        },
      },
    };
    for (const [key, step] of Object.entries(steps)) {
      const made: DownstreamResources = {};
      jobs[key] = downstreamStep(name, key, step, ws, child, made);
      if (made.component) this.stepComponents[key] = made.component;
      if (made.environment) this.stepEnvironments[key] = made.environment;
    }

    this.run = new AmlPipelineRun(
      `${name}-run`,
      {
        ...ws,
        displayName: args.displayName ?? name,
        experimentName: args.experimentName,
        settings: { defaultCompute: args.compute ?? "azureml:cpu-cluster" },
        jobs,
        // The notebook's content runs the pipeline again, and a preview names its file. A notebook
        // that cannot be read is left to the workspace item's check, which names `source` at preview.
        codeFiles: isReadableFile(args.notebook) ? [args.notebook] : undefined,
        triggers: args.triggers,
      },
      // The step calls Databricks as the attached workspace, after the mount it writes through.
      { parent: this, dependsOn: [this.mount, this.computeAttachment] },
    );

    this.jobName = this.run.jobName;
    this.status = this.run.status;
    this.studioUrl = this.run.studioUrl;
    this.databricksStatus = this.run.steps.apply((s) => s[DATABRICKS_STEP].status);
    this.stepStatuses = this.run.steps.apply((s) => Object.fromEntries(Object.keys(steps).map((k) => [k, s[k].status])));
    this.databricksOutput = this.run.steps.apply((s) => s[DATABRICKS_STEP].outputs.output_path);
    this.outputs = this.run.steps.apply((s) => Object.fromEntries(Object.entries(s).map(([k, step]) => [k, step.outputs])));
    this.notebookPath = this.notebook.workspacePath;
    this.mountPoint = this.mount.mountPoint;
    this.registerOutputs({
      jobName: this.jobName,
      status: this.status,
      databricksStatus: this.databricksStatus,
      stepStatuses: this.stepStatuses,
      studioUrl: this.studioUrl,
      databricksOutput: this.databricksOutput,
      outputs: this.outputs,
      notebookPath: this.notebookPath,
      mountPoint: this.mountPoint,
    });
  }
}

/**
 * The cluster's plain values, checked where the program runs: the notebook step passes them to the
 * shipped component as strings, past every resource's check, so a mistake would surface only in
 * the Databricks run. Throws naming each bad property; values still to come (Outputs) pass.
 */
function checkCluster(name: string, cluster: DatabricksPipelineClusterArgs | undefined): void {
  const { failures, fail } = failureList();
  if (!isObject(cluster)) fail("cluster", 'cluster is required: { numWorkers: 1, nodeTypeId: "Standard_DS3_v2", sparkVersion: "15.4.x-scala2.12" }');
  else {
    if (!pulumi.Output.isInstance(cluster.numWorkers)) checkWhole(cluster.numWorkers ?? null, "cluster.numWorkers", fail, 0, 100_000);
    if (!pulumi.Output.isInstance(cluster.nodeTypeId)) checkString(cluster.nodeTypeId ?? null, "cluster.nodeTypeId", fail, 'a node type such as "Standard_DS3_v2"');
    if (!pulumi.Output.isInstance(cluster.sparkVersion)) checkString(cluster.sparkVersion ?? null, "cluster.sparkVersion", fail, 'a Databricks Runtime version such as "15.4.x-scala2.12"');
  }
  if (failures.length > 0) throw new Error(failures.map((f) => `DatabricksPipeline "${name}": ${f.reason}`).join("\n"));
}

function isReadableFile(file: string): boolean {
  try {
    return fs.statSync(file).isFile();
  } catch {
    return false;
  }
}
