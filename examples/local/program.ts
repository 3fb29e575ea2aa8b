import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
// The package as a user consumes it: the built dependency (`npm install` builds dist/).
import { DATABRICKS_OUTPUT, DatabricksPipeline } from "pulumi-azureml-databricks";

/**
 * The root program: seed 001's flow as one DatabricksPipeline. A Spark notebook writes parquet
 * through the mount of the Azure ML workspace blob store, then a Python step (its own component and
 * environment, pandas + pyarrow) reads it and writes summary.json. With `AMLDB_TARGET=local` (what
 * `npm start` sets) everything lands in the project's emulator, which runs both steps for real.
 */
export function localDemo() {
  const config = new pulumi.Config();
  // From this file, not the working directory: the CLI runs the program in examples/local/, the
  // Automation API's inline runtime wherever the calling process runs.
  const here = (...parts: string[]) => path.join(__dirname, ...parts);

  const pipeline = new DatabricksPipeline("parquet", {
    workspace: {
      subscriptionId: config.require("subscriptionId"),
      resourceGroupName: config.require("resourceGroupName"),
      workspaceName: config.require("workspaceName"),
    },
    keyVaultUrl: config.require("keyVaultUrl"),
    tokenSecretName: config.get("secretName"),
    databricksUrl: config.require("databricksUrl"),
    databricksResourceId: config.require("databricksResourceId"),
    databricksToken: config.requireSecret("databricksToken"),
    notebook: config.get("notebook") || here("notebooks", "to_parquet.py"),
    cluster: { numWorkers: 1, nodeTypeId: "Standard_DS3_v2", sparkVersion: "15.4.x-scala2.12" },
    notebookParameters: { rows: config.get("rows") ?? "10" },
    steps: {
      summarize: {
        file: here("summarize", "component.yml"),
        environment: { file: here("summarize", "environment.yml") },
        inputs: { data: DATABRICKS_OUTPUT },
      },
    },
  });

  return {
    status: pipeline.status,
    databricksStatus: pipeline.databricksStatus,
    stepStatuses: pipeline.stepStatuses,
    jobName: pipeline.jobName,
    studioUrl: pipeline.studioUrl,
    databricksJobName: pipeline.run.steps.apply((s) => s.databricks.jobName),
    parquetOutput: pipeline.databricksOutput,
    summaryOutput: pipeline.outputs.apply((o) => o.summarize.result),
    notebookPath: pipeline.notebookPath,
    keyVaultUrl: pipeline.tokenSecret.vaultUrl,
  };
}
