/**
 * Seed 002, "Azure Databricks for Kubeflow Pipelines": each Create*Op as a resource (its Delete*Op
 * is `pulumi destroy`), each in the seed's two forms: the complete Databricks spec (`spec`, the
 * API's snake_case JSON) and named parameters. The seed's SparkPi JAR run is behind config
 * `runSparkPiJar` (a JAR needs a JVM Spark cluster the emulator does not have); its Python
 * equivalent runs in both forms.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import {
  DatabricksCluster,
  DatabricksDbfsFile,
  DatabricksJob,
  DatabricksRun,
  DatabricksSecret,
  DatabricksSecretScope,
  DatabricksWorkspaceItem,
} from "pulumi-azureml-databricks";

const config = new pulumi.Config();
const parameter = config.get("parameter") ?? "10";
const sparkVersion = "15.4.x-scala2.12";

// CreateDbfsBlockOp: the seed's docs folder in DBFS.
const piSpec = new DatabricksDbfsFile("pi-py-spec", {
  spec: { path: "dbfs:/docs/pi.py", contents: fs.readFileSync(path.join(__dirname, "code", "pi.py")).toString("base64"), overwrite: true },
});
const piNamed = new DatabricksDbfsFile("pi-py-named", { path: "dbfs:/docs/named/pi.py", source: path.join(__dirname, "code", "pi.py") });

// CreateClusterOp.
const clusterSpec = new DatabricksCluster("cluster-spec", {
  spec: { cluster_name: "kfp-spec", spark_version: sparkVersion, node_type_id: "Standard_D3_v2", num_workers: 2, autotermination_minutes: 30 },
});
const clusterNamed = new DatabricksCluster("cluster-named", { clusterName: "kfp-named", sparkVersion, nodeTypeId: "Standard_D3_v2", numWorkers: 2, autoterminationMinutes: 30 });

// CreateSecretScopeOp, and a secret in each scope.
const scopeSpec = new DatabricksSecretScope("scope-spec", { spec: { scope: "kfp-spec", initial_manage_principal: "users" } });
const scopeNamed = new DatabricksSecretScope("scope-named", { name: "kfp-named", initialManagePrincipal: "users" });
const secretSpec = new DatabricksSecret("secret-spec", { spec: { scope: scopeSpec.name, key: "password", string_value: config.requireSecret("password") } });
const secretNamed = new DatabricksSecret("secret-named", { scope: scopeNamed.name, key: "password", stringValue: config.requireSecret("password") });

// ImportWorkspaceItemOp.
const itemSpec = new DatabricksWorkspaceItem("item-spec", {
  spec: { path: "/Shared/kfp/spec-notebook", format: "SOURCE", language: "PYTHON", content: Buffer.from("# Databricks notebook source\nprint('spec form')\n").toString("base64"), overwrite: true },
});
const itemNamed = new DatabricksWorkspaceItem("item-named", { path: "/Shared/kfp/named-notebook", source: path.join(__dirname, "code", "notebook.py") });

// CreateJobOp: SparkPi in Python as a job (created, not run).
const jobSpec = new DatabricksJob("job-spec", {
  spec: {
    name: "kfp-spec",
    tasks: [{ task_key: "pi", new_cluster: { spark_version: sparkVersion, node_type_id: "Standard_D3_v2", num_workers: 2 }, spark_python_task: { python_file: piSpec.dbfsPath, parameters: [parameter] } }],
  },
});
const jobNamed = new DatabricksJob("job-named", {
  name: "kfp-named",
  tasks: [{ taskKey: "pi", existingClusterId: clusterNamed.clusterId, sparkPythonTask: { pythonFile: piNamed.dbfsPath, parameters: [parameter] } }],
});

// SubmitRunOp: the Python equivalent of SparkPi, in both forms (a new cluster; the named cluster).
const runSpec = new DatabricksRun("pi-run-spec", {
  spec: {
    run_name: "pi-spec",
    new_cluster: { spark_version: sparkVersion, node_type_id: "Standard_D3_v2", num_workers: 2 },
    spark_python_task: { python_file: piSpec.dbfsPath, parameters: [parameter] },
  },
  codeHashes: [piSpec.contentHash],
});
const runNamed = new DatabricksRun("pi-run-named", {
  runName: "pi-named",
  existingClusterId: clusterNamed.clusterId,
  sparkPythonTask: { pythonFile: piNamed.dbfsPath, parameters: [parameter] },
  codeHashes: [piNamed.contentHash],
});

// The seed's own SubmitRunOp, to the letter: a JAR on a new cluster. Needs a JVM Spark cluster.
if (config.getBoolean("runSparkPiJar")) {
  new DatabricksRun("sparkpi-jar", {
    spec: {
      run_name: "test-run",
      new_cluster: { spark_version: "5.3.x-scala2.11", node_type_id: "Standard_D3_v2", num_workers: 2 },
      libraries: [{ jar: "dbfs:/docs/sparkpi.jar" }],
      spark_jar_task: { main_class_name: "org.apache.spark.examples.SparkPi", parameters: [parameter] },
    },
  });
}

export const clusterIds = { spec: clusterSpec.clusterId, named: clusterNamed.clusterId };
export const clusterStates = { spec: clusterSpec.state, named: clusterNamed.state };
export const jobIds = { spec: jobSpec.jobId, named: jobNamed.jobId };
export const runs = { spec: { runId: runSpec.runId, resultState: runSpec.resultState }, named: { runId: runNamed.runId, resultState: runNamed.resultState } };
export const scopes = { spec: scopeSpec.name, named: scopeNamed.name };
export const secretKeys = { spec: secretSpec.key, named: secretNamed.key };
export const workspaceItems = { spec: itemSpec.workspacePath, named: itemNamed.workspacePath };
export const dbfsFiles = { spec: piSpec.dbfsPath, named: piNamed.dbfsPath };
