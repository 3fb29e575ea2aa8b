/**
 * Seed 003, "Run Azure Databricks Notebooks with Azure Data Factory", as Databricks resources: the
 * Notebook activity is a one-time run with the activity's settings, its schedule trigger a job
 * with a schedule (Databricks' own trigger). See README.md for the one-to-one mapping.
 */
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { DatabricksJob, DatabricksLibraryArgs, DatabricksNewClusterArgs, DatabricksRun, DatabricksWorkspaceItem } from "pulumi-azureml-databricks";

const config = new pulumi.Config();

// The linked service's cluster configuration: an on-demand job cluster.
const cluster: DatabricksNewClusterArgs = { sparkVersion: "15.4.x-scala2.12", nodeTypeId: "Standard_DS3_v2", numWorkers: 1 };
// "Append libraries": installed on the cluster before the notebook runs.
const libraries: DatabricksLibraryArgs[] = [{ pypi: { package: "six==1.16.0" } }];
// "Base parameters".
const baseParameters = { table: config.get("table") ?? "sales", rows: config.get("rows") ?? "4", marker: "dbfs:/adf-notebook-activity/first-attempt" };

// "Settings: Notebook path": the notebook in the workspace.
const notebook = new DatabricksWorkspaceItem("ingest", { path: "/Shared/adf/ingest", source: path.join(__dirname, "notebooks", "ingest.py") });

// The Notebook activity's settings, shared by its run and its trigger's job task.
const activity = {
  notebookTask: { notebookPath: notebook.workspacePath, baseParameters },
  newCluster: cluster,
  libraries,
  // "Timeout", "Retries", "Retry interval".
  timeoutSeconds: 600,
  maxRetries: 2,
  minRetryIntervalMillis: 1000,
};

// The Notebook activity, run by `pulumi up` (a pipeline run).
const run = new DatabricksRun("notebook-activity", {
  ...activity,
  runName: "Notebook activity",
  // "Secure input": a widget value stored encrypted and never printed.
  secureInput: { api_key: config.requireSecret("apiKey") },
  // "Secure output": the notebook's exit value is a Pulumi secret (the default, said here).
  secureOutput: true,
  codeHashes: [notebook.localContentHash],
});

// The schedule trigger: the same activity every day at 02:00 UTC.
const trigger = new DatabricksJob("daily-trigger", {
  name: "adf-notebook-activity daily",
  schedule: { quartzCronExpression: "0 0 2 * * ?", timezoneId: "UTC", pauseStatus: "UNPAUSED" },
  tasks: [{ ...activity, taskKey: "notebook_activity" }],
});

export const runId = run.runId;
export const resultState = run.resultState;
export const runPageUrl = run.runPageUrl;
export const runOutput = run.notebookOutput;
export const triggerJobId = trigger.jobId;
export const triggerUrl = trigger.jobUrl;
