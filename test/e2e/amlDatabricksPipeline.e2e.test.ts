import * as assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import type { EngineEvent } from "@pulumi/pulumi/automation";
import { BlockBlobClient, ContainerClient, StorageSharedKeyCredential } from "@azure/storage-blob";
import { AmlComponent, AmlEnvironment, AmlPipelineRun, DatabricksBlobMount, DatabricksNotebookComponent, DatabricksSecret, DatabricksSecretScope, DatabricksWorkspaceItem, KeyVaultSecret } from "../../src";
import { AzureMlApi, createAzureMlApi } from "../../src/azureml/client";
import { httpCaller } from "../support/emulator";
import { filesUnder, useInlineStack } from "./support/inlineFixture";

/** The seed-001 example, whose notebook and train component this test runs (no copies of its own). */
const EXAMPLE = path.join(__dirname, "../../examples/aml-databricks-component");

/** The engine's steps for each of the program's resources that changes, by resource name. */
function resourceOps(events: EngineEvent[]): Record<string, string[]> {
  const ops: Record<string, string[]> = {};
  for (const e of events) {
    const m = e.resourcePreEvent?.metadata;
    if (m && m.type.startsWith("pulumi-nodejs:dynamic/") && m.op !== "same") (ops[m.urn.split("::").pop() as string] ??= []).push(m.op);
  }
  return ops;
}

/** The summary the downstream step writes for `rows` rows of (id, id²). */
function summaryOf(rows: number): Record<string, unknown> {
  const ids = Array.from({ length: rows }, (_, i) => i);
  return { rows, sum_of_squares: ids.reduce((s, i) => s + i * i, 0), ids };
}

/**
 * Issue 10's proof through the engine on the emulator, seed 001's flow as one program: the
 * Databricks token in Key Vault → a secret scope holding the storage key → the workspace blob
 * store mounted in Databricks → a Spark notebook → the shipped "execute Databricks notebook"
 * component and a downstream train component with its own environment → an AmlPipelineRun of the
 * two steps. The notebook writes parquet through the mount into the Databricks step's output
 * folder; the train step reads it from the datastore with pandas and writes a summary.
 */
describe("The Azure ML pipeline with a Databricks step, through the Pulumi engine", function () {
  this.timeout(20 * 60 * 1000);
  const cliOutput: string[] = [];
  const onOutput = (out: string) => cliOutput.push(out);
  let dir: string;
  let api: AzureMlApi;
  let storageKey: string;
  let blobs: ContainerClient;

  const program = async () => {
    const config = new pulumi.Config();
    const ws = { subscriptionId: config.require("subscriptionId"), resourceGroupName: config.require("resourceGroupName"), workspaceName: config.require("workspaceName"), armEndpoint: config.require("armEndpoint") };
    const vaultUrl = config.require("vaultUrl");
    const token = new KeyVaultSecret("adb-token", { vaultUrl, name: "databricks-token", value: config.requireSecret("databricksToken"), purgeOnDelete: true });
    const scope = new DatabricksSecretScope("aml", { name: "aml" });
    const key = new DatabricksSecret("storage-key", { scope: scope.name, key: "storage-key", stringValue: config.requireSecret("storageKey") });
    const mount = new DatabricksBlobMount("blobstore", { mountName: "azuremlblobstore", storageAccountName: config.require("storageAccount"), containerName: config.require("container"), accountKeyScope: scope.name, accountKeyName: key.key });
    const notebook = new DatabricksWorkspaceItem("notebook", { path: "/Shared/aml/to_parquet", source: path.join(dir, "notebooks", "to_parquet.py") });
    const env = new AmlEnvironment("train-env", { ...ws, file: path.join(dir, "train", "environment.yml"), version: "1" });
    const adb = new DatabricksNotebookComponent("adb-component", ws);
    const train = new AmlComponent("train", { ...ws, file: path.join(dir, "train", "train-component.yml"), version: "1", environment: env.reference });
    const run = new AmlPipelineRun(
      "pipeline",
      {
        ...ws,
        displayName: "databricks then train",
        settings: { defaultCompute: "azureml:cpu-cluster" },
        jobs: {
          adb: {
            component: adb.reference,
            inputs: {
              databricks_host: config.require("databricksHost"),
              notebook_path: notebook.workspacePath,
              kv_url: vaultUrl,
              kv_secret_name: token.name,
              num_workers: 1,
              node_type_id: "Standard_DS3_v2",
              spark_version: "15.4.x-scala2.12",
              parameters: JSON.stringify({ rows: config.require("rows") }),
            },
          },
          train: { component: train.reference, inputs: { data: "${{parent.jobs.adb.outputs.output_path}}" } },
        },
        triggers: { notebook: notebook.localContentHash },
      },
      { dependsOn: [mount] },
    );
    return { jobName: run.jobName, status: run.status, studioUrl: run.studioUrl, steps: run.steps };
  };

  const e2e = useInlineStack("e2e-aml-databricks", program);
  const control = () => httpCaller(e2e.emulator.url, e2e.token);

  /** The states of the Databricks runs of Azure ML steps (named by the step's run id; the mount's own run left out). */
  async function databricksRuns(): Promise<string[]> {
    const r = await control()("GET", "/_emulator/databricks/runs");
    assert.equal(r.status, 200);
    const runs = r.body.runs as { run_name: string; state: { life_cycle_state: string; result_state?: string } }[];
    assert.ok(runs.some((run) => run.run_name === "Mount /mnt/azuremlblobstore"), JSON.stringify(runs.map((run) => run.run_name)));
    return runs.filter((run) => /^[0-9a-f-]{36}$/.test(run.run_name)).map((run) => `${run.state.life_cycle_state} ${run.state.result_state ?? ""}`.trim());
  }

  /** The workspace's pipeline jobs (child jobs left out). */
  async function pipelineJobs(): Promise<string[]> {
    const r = await control()("GET", `${api.workspaceId}/jobs?api-version=2025-12-01`);
    return (r.body.value as { name: string; properties: { jobType: string } }[]).filter((j) => j.properties.jobType === "Pipeline").map((j) => j.name);
  }

  /** What the train step wrote. */
  async function summaryWritten(steps: Record<string, { outputs: Record<string, { url: string }> }>): Promise<unknown> {
    const blob = new BlockBlobClient(`${steps.train.outputs.result.url}summary.json`, new StorageSharedKeyCredential(config.storageAccount, storageKey));
    return JSON.parse((await blob.downloadToBuffer()).toString());
  }

  const config = { storageAccount: "", container: "" };

  before(async () => {
    dir = path.join(e2e.workDir, "aml");
    for (const folder of ["notebooks", "train"]) fs.cpSync(path.join(EXAMPLE, folder), path.join(dir, folder), { recursive: true });
    const aml = e2e.emulator.azureml;
    api = createAzureMlApi({ workspace: { subscriptionId: aml.subscriptionId, resourceGroupName: aml.resourceGroup, workspaceName: aml.workspace }, endpoint: e2e.emulator.url, target: "local", env: { AMLDB_LOCAL_TOKEN: e2e.token } });
    const store = (await api.datastores.get("workspaceblobstore")).properties as unknown as Record<string, unknown>;
    config.storageAccount = String(store.accountName);
    config.container = String(store.containerName);
    storageKey = String((await api.datastores.listSecrets("workspaceblobstore")).key);
    blobs = new ContainerClient(`${e2e.emulator.blobUrl}/${config.storageAccount}/${config.container}`, new StorageSharedKeyCredential(config.storageAccount, storageKey));
    const values = { subscriptionId: aml.subscriptionId, resourceGroupName: aml.resourceGroup, workspaceName: aml.workspace, armEndpoint: e2e.emulator.url, vaultUrl: e2e.emulator.keyVaultUrl, databricksHost: e2e.emulator.url, storageAccount: config.storageAccount, container: config.container, rows: "5" };
    for (const [k, value] of Object.entries(values)) await e2e.stack.setConfig(k, { value });
    // Locally the emulator's token is the Databricks personal access token.
    await e2e.stack.setConfig("databricksToken", { value: e2e.token, secret: true });
    await e2e.stack.setConfig("storageKey", { value: storageKey, secret: true });
  });

  it("up runs the notebook on Spark inside the Azure ML pipeline, and the downstream step reads its parquet from the datastore", async () => {
    const started = Date.now();
    const up = await e2e.stack.up({ onOutput });
    console.log(`      first up: ${((Date.now() - started) / 1000).toFixed(1)} s`);
    assert.deepEqual(up.summary.resourceChanges, { create: 10 });
    assert.equal(up.outputs.status.value, "Completed");
    const steps = up.outputs.steps.value;
    assert.deepEqual([steps.adb.status, steps.train.status], ["Completed", "Completed"]);
    assert.deepEqual(await summaryWritten(steps), summaryOf(5));
    // The parquet the notebook wrote through the mount, where the Databricks step's output names.
    const folder = new URL(steps.adb.outputs.output_path.url).pathname.split("/").slice(3).join("/");
    assert.match(folder, /^azureml\/[0-9a-f-]{36}\/output_path\/$/);
    const names: string[] = [];
    for await (const b of blobs.listBlobsFlat({ prefix: folder })) names.push(b.name.slice(folder.length));
    assert.ok(names.includes("_SUCCESS") && names.some((n) => /^part-\d{5}-[0-9a-f-]+-c000\.snappy\.parquet$/.test(n)), names.join(", "));
    assert.deepEqual(await databricksRuns(), ["TERMINATED SUCCESS"]);
    const output = cliOutput.join("");
    assert.ok(output.includes(`Azure ML pipeline run "pipeline": submitted job ${up.outputs.jobName.value}; studio: ${up.outputs.studioUrl.value}`), output);
    assert.ok(output.includes('Azure ML pipeline run "pipeline": step "adb" Completed'), output);
    assert.ok(output.includes('Azure ML pipeline run "pipeline": step "train" Completed'), output);
  });

  it("an unchanged up runs nothing", async () => {
    const started = Date.now();
    const up = await e2e.stack.up({ onOutput });
    console.log(`      unchanged up: ${((Date.now() - started) / 1000).toFixed(1)} s`);
    assert.deepEqual(up.summary.resourceChanges, { same: 10 });
    assert.deepEqual(await databricksRuns(), ["TERMINATED SUCCESS"]);
    assert.equal((await pipelineJobs()).length, 1);
  });

  it("an edited notebook previews as an update of the notebook and a re-run of the pipeline naming it; up runs both steps again", async () => {
    const file = path.join(dir, "notebooks", "to_parquet.py");
    fs.appendFileSync(file, "\n# COMMAND ----------\nprint('written to', output_location)\n");
    const lines: string[] = [];
    const events: EngineEvent[] = [];
    const preview = await e2e.stack.preview({ onOutput: (o) => (lines.push(o), onOutput(o)), onEvent: (e) => events.push(e) });
    assert.deepEqual(preview.changeSummary, { same: 8, update: 1, replace: 1 });
    assert.deepEqual(resourceOps(events), { notebook: ["update"], pipeline: ["create-replacement", "replace", "delete-replaced"] });
    assert.ok(lines.join("").includes('Azure ML pipeline run "pipeline": will run again (replace): trigger "notebook" changed.'), lines.join(""));
    const up = await e2e.stack.up({ onOutput });
    assert.deepEqual(up.summary.resourceChanges, { same: 8, update: 1, replace: 1 });
    assert.deepEqual(await summaryWritten(up.outputs.steps.value), summaryOf(5));
    assert.deepEqual(await databricksRuns(), ["TERMINATED SUCCESS", "TERMINATED SUCCESS"]);
  });

  it("a failing notebook fails up naming the notebook's exception, the Databricks run page and the Azure ML step; the next up runs it again", async () => {
    await e2e.stack.setConfig("rows", { value: "-1" });
    await assert.rejects(e2e.stack.up({ onOutput }), (err: Error) => {
      assert.match(err.message, /Azure ML pipeline run "pipeline": job pipeline_[0-9a-f]{20} ended Failed/);
      assert.match(err.message, /step "adb" \(job [0-9a-f-]{36}\) Failed/);
      assert.match(err.message, /ValueError: rows must be >= 1, not -1/);
      assert.match(err.message, /https:\/\/127\.0\.0\.1:\d+\/\?o=\d+#job\/\d+\/run\/\d+/);
      return true;
    });
    assert.deepEqual((await databricksRuns()).at(-1), "TERMINATED FAILED");
    await e2e.stack.setConfig("rows", { value: "3" });
    const up = await e2e.stack.up({ onOutput });
    assert.equal(up.outputs.status.value, "Completed");
    assert.deepEqual(await summaryWritten(up.outputs.steps.value), summaryOf(3));
  });

  it("keeps the Databricks token and the storage key out of the state and the CLI output", () => {
    const state = filesUnder(e2e.backendDir).map((f) => fs.readFileSync(f, "utf8")).join("\n");
    const output = cliOutput.join("");
    assert.ok(state.includes("AmlPipelineRun") && output.includes("pipeline"), "the scanned state and output are not empty");
    for (const [label, value] of Object.entries({ databricksToken: e2e.token, storageKey })) {
      assert.ok(!state.includes(value), `state leaks ${label}`);
      assert.ok(!output.includes(value), `CLI output leaks ${label}`);
    }
  });

  it("destroy removes everything and leaves no step or notebook process running", async () => {
    const destroy = await e2e.stack.destroy({ onOutput });
    assert.deepEqual(destroy.summary.resourceChanges, { delete: 10 });
    assert.deepEqual(await pipelineJobs(), []);
    await assert.rejects(api.components.getVersion("train_on_databricks_output", "1"), { status: 404 });
    await assert.rejects(api.environments.getVersion("train", "1"), { status: 404 });
    const processes = execFileSync("ps", ["-eo", "args"], { encoding: "utf8" }).split("\n");
    assert.ok(processes.some((p) => p.includes("node")), "ps lists processes");
    assert.deepEqual(processes.filter((p) => /execute_databricks_notebook\.py|train\.py|azureml-job-/.test(p)), []);
  });
});
