import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { BlockBlobClient, StorageSharedKeyCredential } from "@azure/storage-blob";
import type { AzureMlApi } from "../../src/azureml/client";
import { REPO_ROOT } from "../../scripts/localEngine";
import { resourceList } from "./support/projectFixture";
import { configure, configureAmlWorkspace, ExampleFixture, startExample, timedUp, typeCheck } from "./support/exampleFixture";

const DYNAMIC = "pulumi-nodejs:dynamic/azureml-databricks";
const STACK = "e2e";

/**
 * examples/aml-databricks-component (seed 001) as a user runs it: installed with the package as a
 * built dependency, `pulumi up` in its folder on the emulator. The seed's environment and component
 * YAML register unchanged; the pipeline runs the notebook on Spark, then the train step on its parquet.
 */
describe("example aml-databricks-component (seed 001) through the pulumi CLI", function () {
  this.timeout(10 * 60 * 1000);
  let example: ExampleFixture;
  let api: AzureMlApi;
  let storage: { account: string; key: string };

  before(async function () {
    this.timeout(30 * 60 * 1000); // packing builds the package; the first run may build the engine
    example = await startExample("aml-databricks-component", STACK);
    ({ api, storage } = await configureAmlWorkspace(example));
    await configure(example, { rows: "4" });
  });

  after(async () => example?.close());

  it("type-checks against the installed package's declarations", () => typeCheck(example));

  it("up registers the seed's YAML unchanged and runs the notebook, then the train step on its parquet", async () => {
    assert.deepEqual(await timedUp(example, "first up"), { create: 12 });
    assert.deepEqual(resourceList(example.resources()), [
      `${DYNAMIC}:AmlComponent::adb-component`,
      `${DYNAMIC}:AmlComponent::seed-component`,
      `${DYNAMIC}:AmlComponent::train`,
      `${DYNAMIC}:AmlEnvironment::databricks-env`,
      `${DYNAMIC}:AmlEnvironment::train-env`,
      `${DYNAMIC}:AmlPipelineRun::pipeline`,
      `${DYNAMIC}:DatabricksBlobMount::blobstore`,
      `${DYNAMIC}:DatabricksSecret::storage-key`,
      `${DYNAMIC}:DatabricksSecretScope::aml`,
      `${DYNAMIC}:DatabricksWorkspaceItem::notebook`,
      `${DYNAMIC}:KeyVaultSecret::adbpat`,
      "pulumi:providers:pulumi-nodejs::default",
      "pulumi:pulumi:Stack::aml-databricks-component-e2e",
    ]);
    const outputs = await example.stack.outputs();
    assert.equal(outputs.seedComponentRef, "azureml:execute_databricks_notebook:1");
    // The seed's component as registered: its command and interface are the YAML's, to the letter.
    const seedYaml = fs.readFileSync(path.join(REPO_ROOT, "test/fixtures/azureml/seed001/databricks-component.yml"), "utf8");
    assert.equal(fs.readFileSync(path.join(REPO_ROOT, "examples/aml-databricks-component/seed/databricks-component.yml"), "utf8"), seedYaml);
    const spec = (await api.components.getVersion("execute_databricks_notebook", "1")).properties?.componentSpec as Record<string, unknown>;
    assert.equal(spec.command, "python databricks_control.py --databricks-host ${{inputs.databricks_host}} --notebook_path ${{inputs.notebook_path}} --keyvault-url ${{inputs.kv_url}} --keyvault-secret-name ${{inputs.kv_secret_name}} --num-workers ${{inputs.num_workers}} --node-type-id ${{inputs.node_type_id}} --spark-version ${{inputs.spark_version}}");
    assert.deepEqual(Object.keys(spec.inputs as object), ["databricks_host", "notebook_path", "kv_url", "kv_secret_name", "num_workers", "node_type_id", "spark_version"]);
    assert.equal(outputs.status, "Completed");
    const steps = outputs.steps as Record<string, { status: string; outputs: Record<string, { url: string }> }>;
    assert.deepEqual([steps.adb.status, steps.train.status], ["Completed", "Completed"]);
    const summary = new BlockBlobClient(`${steps.train.outputs.result.url}summary.json`, new StorageSharedKeyCredential(storage.account, storage.key));
    assert.deepEqual(JSON.parse((await summary.downloadToBuffer()).toString()), { rows: 4, sum_of_squares: 0 + 1 + 4 + 9, ids: [0, 1, 2, 3] });
  });

  it("an unchanged up is all same", async () => {
    assert.deepEqual(await timedUp(example, "unchanged up"), { same: 12 });
  });

  it("destroy removes everything", async () => {
    assert.deepEqual(await example.update("destroy"), { delete: 12 });
    assert.deepEqual(example.resources(), []);
    await assert.rejects(api.components.getVersion("execute_databricks_notebook", "1"), { status: 404 });
  });
});
