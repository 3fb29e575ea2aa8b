/**
 * Seed 004, "Introduction to pipelines": Python script steps and a Databricks step passing data,
 * the pipeline run as an experiment, published as a REST endpoint and scheduled. See README.md.
 */
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import {
  AmlComponent,
  AmlEnvironment,
  AmlPipelineEndpoint,
  AmlPipelineRun,
  AmlSchedule,
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
const file = (name: string) => path.join(__dirname, name);

// What the Databricks step needs: the token in Key Vault, the blob store mounted, the notebook.
const pat = new KeyVaultSecret("adbpat", { vaultUrl, name: "ADBPAT", value: config.requireSecret("databricksToken"), purgeOnDelete: true });
const scope = new DatabricksSecretScope("aml", { name: "aml" });
const storageKey = new DatabricksSecret("storage-key", { scope: scope.name, key: "storage-key", stringValue: config.requireSecret("storageKey") });
const mount = new DatabricksBlobMount("blobstore", {
  mountName: "azuremlblobstore",
  storageAccountName: config.require("storageAccount"),
  containerName: config.require("container"),
  accountKeyScope: storageKey.scope,
  accountKeyName: storageKey.key,
});
const notebook = new DatabricksWorkspaceItem("notebook", { path: "/Shared/pipeline-steps/to_parquet", source: file("notebooks/to_parquet.py") });

// The steps' components: PythonScriptStep('prepare data', data_prep.py), the DatabricksStep (the
// package's component), PythonScriptStep('train model', train_model.py).
const env = new AmlEnvironment("steps-env", { ...ws, file: file("environment.yml"), version: "1" });
const prep = new AmlComponent("prep-data", { ...ws, file: file("prep/data-prep-component.yml"), version: "1", environment: env.reference });
const adb = new DatabricksNotebookComponent("databricks-step", { ...ws, version: "1" });
const train = new AmlComponent("train-model", { ...ws, file: file("train/train-model-component.yml"), version: "1", environment: env.reference });
const components = [prep, adb, train];

// The workspace-specific inputs of pipeline.yml.
const inputs = { rows: 4, databricks_host: config.require("databricksHost"), notebook_path: notebook.workspacePath, kv_url: vaultUrl, kv_secret_name: pat.name };

// experiment.submit(train_pipeline): the pipeline run, waited for.
const run = new AmlPipelineRun("training-pipeline", { ...ws, file: file("pipeline.yml"), inputs, triggers: { notebook: notebook.localContentHash } }, { dependsOn: [...components, mount] });

// pipeline.publish(...): a REST endpoint that runs the pipeline.
const endpoint = new AmlPipelineEndpoint("published", { ...ws, endpointName: "training-pipeline", pipelineFile: file("pipeline.yml"), settings: { default_compute: "azureml:cpu-cluster" } }, { dependsOn: components });

// Schedule.create(..., recurrence=ScheduleRecurrence(frequency="Day", interval=1)).
const schedule = new AmlSchedule("daily", { ...ws, file: file("schedule.yml") }, { dependsOn: components });

export const status = run.status;
export const steps = run.steps;
export const pipelineOutputs = run.pipelineOutputs;
export const invocationUri = endpoint.invocationUri;
export const scheduleId = schedule.scheduleId;
