/**
 * A data team's stack: its notebook and pipeline on the platform stack's shared pieces, read
 * through a StackReference (config `platformStack`). A Databricks notebook step, run by the
 * package's shipped component, writes parquet under the platform's mount of the workspace blob
 * store; a downstream step in the platform's Python environment reads it and writes summary.json.
 */
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { AmlComponent, AmlPipelineRun, DatabricksNotebookComponent, DatabricksWorkspaceItem } from "pulumi-azureml-databricks";
import type { PlatformOutputs } from "../platformOutputs";

const config = new pulumi.Config();

// `organization/ml-platform/<stack>` with the file backend (local or cloud storage), or
// `<org>/ml-platform/<stack>` with Pulumi Cloud.
const platform = new pulumi.StackReference("platform", { name: config.require("platformStack") });

/** The platform outputs this stack reads (see ../platformOutputs.ts). */
const TEAM_READS = ["workspace", "databricksHost", "keyVaultUrl", "tokenSecretName", "mountPoint", "dataEnvironment", "computeName"] as const satisfies readonly (keyof PlatformOutputs)[];

/** A platform output by the contract's name and type; preview fails naming it when the platform stack lacks it. */
function fromPlatform<K extends keyof PlatformOutputs>(name: K): pulumi.Output<PlatformOutputs[K]> {
  return platform.requireOutput(name) as pulumi.Output<PlatformOutputs[K]>;
}

/**
 * Fails before any resource is declared when the platform stack lacks an output this stack reads
 * (e.g. before the platform's first `up`): one error naming them all, instead of one per input.
 */
async function requirePlatformOutputs(): Promise<void> {
  const details = await Promise.all(TEAM_READS.map(async (name) => ({ name, d: await platform.getOutputDetails(name) })));
  const missing = details.filter(({ d }) => d.value === undefined && d.secretValue === undefined).map(({ name }) => name);
  if (missing.length > 0) {
    const stack = config.require("platformStack");
    throw new Error(`platform stack "${stack}" has no output ${missing.join(", ")}: run \`pulumi up\` in platform/ first, or set config platformStack to the stack that exports them.`);
  }
}

export = async () => {
  await requirePlatformOutputs();

  const platformWorkspace = fromPlatform("workspace");
  const workspace = {
    subscriptionId: platformWorkspace.subscriptionId,
    resourceGroupName: platformWorkspace.resourceGroupName,
    workspaceName: platformWorkspace.workspaceName,
    armEndpoint: platformWorkspace.armEndpoint,
  };
  const host = fromPlatform("databricksHost");

  const notebook = new DatabricksWorkspaceItem("notebook", {
    host,
    path: config.require("notebookPath"),
    source: path.join(__dirname, "notebooks", "to_parquet.py"),
  });

  // The package's "execute Databricks notebook" component, and the team's own step in the platform's environment.
  const databricksComponent = new DatabricksNotebookComponent("databricks-notebook", workspace);
  const summarize = new AmlComponent("summarize", {
    ...workspace,
    file: path.join(__dirname, "summarize", "component.yml"),
    version: "1",
    environment: fromPlatform("dataEnvironment"),
  });

  const pipeline = new AmlPipelineRun("pipeline", {
    ...workspace,
    displayName: "team: notebook then summarize",
    settings: { defaultCompute: config.require("compute") },
    // The attached Databricks compute is the platform's; v2 command steps run on Azure ML compute and
    // call Databricks from there, so the job records which attachment it belongs to.
    tags: { databricksCompute: fromPlatform("computeName") },
    jobs: {
      databricks: {
        component: databricksComponent.reference,
        inputs: {
          databricks_host: host,
          notebook_path: notebook.workspacePath,
          kv_url: fromPlatform("keyVaultUrl"),
          kv_secret_name: fromPlatform("tokenSecretName"),
          mount_point: fromPlatform("mountPoint"),
          num_workers: 1,
          node_type_id: "Standard_DS3_v2",
          spark_version: "15.4.x-scala2.12",
          parameters: JSON.stringify({ rows: config.require("rows") }),
        },
      },
      summarize: { component: summarize.reference, inputs: { data: "${{parent.jobs.databricks.outputs.output_path}}" } },
    },
    // An edited notebook runs the pipeline again.
    triggers: { notebook: notebook.localContentHash },
  });

  return {
    jobName: pipeline.jobName,
    status: pipeline.status,
    studioUrl: pipeline.studioUrl,
    steps: pipeline.steps,
    notebookPath: notebook.workspacePath,
    /** The folder holding summary.json. */
    resultUrl: pipeline.steps.apply((s) => s.summarize.outputs.result.url),
  };
};
