/**
 * Seed 001, "Create an AzureML Databricks Component", as one program: the Databricks token in Key
 * Vault (`ADBPAT`), the Azure ML blob store mounted in Databricks from a secret scope, the seed's
 * environment and component YAML registered unchanged, and a pipeline of a Databricks notebook step
 * and a downstream train step reading the notebook's parquet.
 */
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import {
  AmlComponent,
  AmlEnvironment,
  AmlPipelineRun,
  DatabricksBlobMount,
  DatabricksNotebookComponent,
  DatabricksSecret,
  DatabricksSecretScope,
  DatabricksWorkspaceItem,
  KeyVaultSecret,
} from "pulumi-azureml-databricks";

const config = new pulumi.Config();
const ws = {
  subscriptionId: config.require("subscriptionId"),
  resourceGroupName: config.require("resourceGroupName"),
  workspaceName: config.require("workspaceName"),
  armEndpoint: config.get("armEndpoint"),
};
const vaultUrl = config.require("vaultUrl");

// "Store your Databricks personal access token in Azure Key vault": secret ADBPAT.
const pat = new KeyVaultSecret("adbpat", { vaultUrl, name: "ADBPAT", value: config.requireSecret("databricksToken"), purgeOnDelete: true });

// "Mount the AzureML Workspace Blob Store in Databricks": the account key in a secret scope, then
// dbutils.fs.mount of wasbs://<container>@<account> at /mnt/azuremlblobstore.
const scope = new DatabricksSecretScope("aml", { name: "aml" });
const storageKey = new DatabricksSecret("storage-key", { scope: scope.name, key: "storage-key", stringValue: config.requireSecret("storageKey") });
const mount = new DatabricksBlobMount("blobstore", {
  mountName: "azuremlblobstore",
  storageAccountName: config.require("storageAccount"),
  containerName: config.require("container"),
  accountKeyScope: storageKey.scope,
  accountKeyName: storageKey.key,
});

// The notebook the component runs on a new job cluster: writes a Spark table as parquet.
const notebook = new DatabricksWorkspaceItem("notebook", { path: "/Shared/aml/to_parquet", source: path.join(__dirname, "notebooks", "to_parquet.py") });

// "Create a Databricks Environment in AzureML" and "Create a Databricks Component": the seed's
// files as they are (`az ml environment create -f ... --version 1`, `az ml component create ...`).
const seedEnv = new AmlEnvironment("databricks-env", { ...ws, file: path.join(__dirname, "seed", "databricks-environment.yml"), version: "1" });
const seedComponent = new AmlComponent("seed-component", { ...ws, file: path.join(__dirname, "seed", "databricks-component.yml"), version: "1", environment: seedEnv.reference });

// The step that runs: the package's component with the seed's inputs (see README: the seed's own
// script cannot run on the emulator), and the downstream train step in its own environment.
const adb = new DatabricksNotebookComponent("adb-component", ws);
const trainEnv = new AmlEnvironment("train-env", { ...ws, file: path.join(__dirname, "train", "environment.yml"), version: "1" });
const train = new AmlComponent("train", { ...ws, file: path.join(__dirname, "train", "train-component.yml"), version: "1", environment: trainEnv.reference });

const pipeline = new AmlPipelineRun(
  "pipeline",
  {
    ...ws,
    displayName: "databricks then train",
    settings: { defaultCompute: config.get("compute") ?? "azureml:cpu-cluster" },
    jobs: {
      adb: {
        component: adb.reference,
        inputs: {
          databricks_host: config.require("databricksHost"),
          notebook_path: notebook.workspacePath,
          kv_url: vaultUrl,
          kv_secret_name: pat.name,
          num_workers: 1,
          node_type_id: "Standard_DS3_v2",
          spark_version: "15.4.x-scala2.12",
          parameters: JSON.stringify({ rows: config.get("rows") ?? "5" }),
        },
      },
      train: { component: train.reference, inputs: { data: "${{parent.jobs.adb.outputs.output_path}}" } },
    },
    // An edited notebook runs the pipeline again.
    triggers: { notebook: notebook.localContentHash },
  },
  { dependsOn: [mount] },
);

export const seedComponentRef = seedComponent.reference;
export const seedComponentName = seedComponent.name;
export const jobName = pipeline.jobName;
export const status = pipeline.status;
export const studioUrl = pipeline.studioUrl;
export const steps = pipeline.steps;
