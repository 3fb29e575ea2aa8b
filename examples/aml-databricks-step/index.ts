/**
 * Seed 000, "Run an Azure ML pipeline step on Databricks compute": the attached compute, and the
 * DatabricksStep's work as Databricks runs of `scripts/process_data.py` - on a new job cluster
 * (the seed's step) and on an existing cluster - with its options one to one. See README.md.
 */
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { DatabricksCluster, DatabricksComputeAttachment, DatabricksDbfsFile, DatabricksRun, KeyVaultSecret } from "pulumi-azureml-databricks";

const config = new pulumi.Config();
const ws = {
  subscriptionId: config.require("subscriptionId"),
  resourceGroupName: config.require("resourceGroupName"),
  workspaceName: config.require("workspaceName"),
  armEndpoint: config.get("armEndpoint"),
};

// Attaching Azure Databricks compute: DatabricksCompute.attach_configuration(resource_group,
// workspace_name, access_token) and ComputeTarget.attach(ws, "db-cluster", ...). The token is kept
// in Key Vault, never in the program.
const token = new KeyVaultSecret("db-access-token", { vaultUrl: config.require("vaultUrl"), name: "db-access-token", value: config.requireSecret("databricksToken"), purgeOnDelete: true });
const compute = new DatabricksComputeAttachment("db-cluster", {
  ...ws,
  computeName: "db-cluster",
  databricksResourceId: `/subscriptions/${ws.subscriptionId}/resourceGroups/db_resource_group/providers/Microsoft.Databricks/workspaces/db_workspace`,
  workspaceUrl: config.require("databricksHost"),
  accessToken: token.value,
});

// source_directory + python_script_name: the script, uploaded where the cluster reads it.
const script = new DatabricksDbfsFile("process-data-script", { path: "dbfs:/aml/scripts/process_data.py", source: path.join(__dirname, "scripts", "process_data.py") });

const datasetName = config.get("datasetName") ?? "nyc-taxi-dataset";
const stepOptions = {
  // python_script_params.
  sparkPythonTask: { pythonFile: script.dbfsPath, parameters: ["--dataset_name", datasetName] },
  // pypi_libraries (six stands for the seed's scikit-learn, scipy and azureml-sdk: small to install).
  libraries: [{ pypi: { package: "six==1.16.0" } }],
  codeHashes: [script.contentHash],
};
// spark_conf and spark env vars of the step's cluster.
const sparkConf = { "spark.databricks.delta.preview.enabled": "true" };
const sparkEnvVars = { PIPELINE_STAGE: "process_data" };

// The seed's step: a new job cluster (spark_version, node_type, num_workers), made for the step and
// deleted after it. allow_reuse=False: it runs again on every submission, i.e. whenever config
// `submission` changes, as well as when the script or an option changes.
const newClusterStep = new DatabricksRun("process-data", {
  ...stepOptions,
  runName: "process_data",
  newCluster: { sparkVersion: "15.4.x-scala2.12", nodeTypeId: "Standard_DS3_v2", numWorkers: 1, sparkConf, sparkEnvVars },
  triggers: { submission: config.get("submission") ?? "1" },
});

// The existing-cluster variant (DatabricksStep(existing_cluster_id=...)). allow_reuse=True: it
// runs again only when the script or an option changes.
const cluster = new DatabricksCluster("db-existing", { clusterName: "db-existing", sparkVersion: "15.4.x-scala2.12", nodeTypeId: "Standard_DS3_v2", numWorkers: 1, sparkConf, sparkEnvVars, autoterminationMinutes: 30 });
const existingClusterStep = new DatabricksRun("process-data-existing", { ...stepOptions, runName: "process_data (existing cluster)", existingClusterId: cluster.clusterId });

export const computeId = compute.computeId;
export const steps = {
  newCluster: { runId: newClusterStep.runId, resultState: newClusterStep.resultState, runPageUrl: newClusterStep.runPageUrl },
  existingCluster: { runId: existingClusterStep.runId, resultState: existingClusterStep.resultState, runPageUrl: existingClusterStep.runPageUrl },
};
