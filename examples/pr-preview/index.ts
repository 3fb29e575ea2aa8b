/**
 * The program the pull-request workflow previews (pulumi-preview.yml): a DatabricksPipeline whose
 * notebook (notebooks/prepare.py) writes rows through the mounted blob store and whose downstream
 * step (report/, its own component and code) reads them. Edit either file in a pull request and
 * the preview comment names the file, the resources that re-run and why.
 */
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { DATABRICKS_OUTPUT, DatabricksPipeline } from "pulumi-azureml-databricks";

const config = new pulumi.Config();
// Paths relative to this folder, the program's working directory: previews name files this way.
const here = (...parts: string[]) => path.join(__dirname, ...parts);

const pipeline = new DatabricksPipeline("prdemo", {
  workspace: {
    subscriptionId: config.require("subscriptionId"),
    resourceGroupName: config.require("resourceGroupName"),
    workspaceName: config.require("workspaceName"),
    armEndpoint: config.get("armEndpoint"),
  },
  keyVaultUrl: config.require("vaultUrl"),
  databricksUrl: config.require("databricksHost"),
  databricksResourceId: config.get("databricksResourceId") ?? `/subscriptions/${config.require("subscriptionId")}/resourceGroups/${config.require("resourceGroupName")}/providers/Microsoft.Databricks/workspaces/adb`,
  databricksToken: config.requireSecret("databricksToken"),
  notebook: here("notebooks", "prepare.py"),
  cluster: { numWorkers: 1, nodeTypeId: "Standard_DS3_v2", sparkVersion: "15.4.x-scala2.12" },
  notebookParameters: { rows: config.get("rows") ?? "5" },
  steps: {
    report: {
      file: here("report", "component.yml"),
      environment: { file: here("report", "environment.yml") },
      inputs: { data: DATABRICKS_OUTPUT },
    },
  },
});

export const status = pipeline.status;
export const stepStatuses = pipeline.stepStatuses;
export const studioUrl = pipeline.studioUrl;
export const reportOutput = pipeline.outputs.apply((o) => o.report.result);
