import * as assert from "node:assert/strict";
import { BlockBlobClient, StorageSharedKeyCredential } from "@azure/storage-blob";
import type { AzureMlApi } from "../../src/azureml/client";
import { resourceList } from "./support/projectFixture";
import { configureAmlWorkspace, ExampleFixture, startExample, timedUp, typeCheck } from "./support/exampleFixture";

const DYNAMIC = "pulumi-nodejs:dynamic/azureml-databricks";

/**
 * examples/aml-pipeline-steps (seed 004) as a user runs it: a Python script step and the
 * Databricks step feeding a train step, the pipeline run as an experiment, published as an
 * endpoint and scheduled.
 */
describe("example aml-pipeline-steps (seed 004) through the pulumi CLI", function () {
  this.timeout(10 * 60 * 1000);
  let example: ExampleFixture;
  let api: AzureMlApi;
  let storage: { account: string; key: string };

  before(async function () {
    this.timeout(30 * 60 * 1000); // packing builds the package; the first run may build the engine
    example = await startExample("aml-pipeline-steps", "e2e");
    ({ api, storage } = await configureAmlWorkspace(example));
  });

  after(async () => example?.close());

  it("type-checks against the installed package's declarations", () => typeCheck(example));

  it("up runs prepare → Databricks → train with data passed between them, publishes the endpoint and the schedule", async () => {
    assert.deepEqual(await timedUp(example, "first up"), { create: 13 });
    assert.deepEqual(resourceList(example.resources()), [
      `${DYNAMIC}:AmlComponent::databricks-step`,
      `${DYNAMIC}:AmlComponent::prep-data`,
      `${DYNAMIC}:AmlComponent::train-model`,
      `${DYNAMIC}:AmlEnvironment::steps-env`,
      `${DYNAMIC}:AmlPipelineEndpoint::published`,
      `${DYNAMIC}:AmlPipelineRun::training-pipeline`,
      `${DYNAMIC}:AmlSchedule::daily`,
      `${DYNAMIC}:DatabricksBlobMount::blobstore`,
      `${DYNAMIC}:DatabricksSecret::storage-key`,
      `${DYNAMIC}:DatabricksSecretScope::aml`,
      `${DYNAMIC}:DatabricksWorkspaceItem::notebook`,
      `${DYNAMIC}:KeyVaultSecret::adbpat`,
      "pulumi:providers:pulumi-nodejs::default",
      "pulumi:pulumi:Stack::aml-pipeline-steps-e2e",
    ]);
    const out = await example.stack.outputs();
    assert.equal(out.status, "Completed");
    const steps = out.steps as Record<string, { status: string }>;
    assert.deepEqual(Object.fromEntries(Object.entries(steps).map(([k, v]) => [k, v.status])), { prep: "Completed", adb: "Completed", train: "Completed" });
    const model = (out.pipelineOutputs as Record<string, { url: string }>).model;
    const blob = new BlockBlobClient(`${model.url}model.json`, new StorageSharedKeyCredential(storage.account, storage.key));
    assert.deepEqual(JSON.parse((await blob.downloadToBuffer()).toString()), { rows: 4, weight: (0 + 1 + 4 + 9) * 10, expected_rows: 4 });
    assert.equal(out.invocationUri, (await api.batchEndpoints.get("training-pipeline")).properties?.scoringUri);
    assert.equal(out.scheduleId, `${api.workspaceId}/schedules/training-pipeline-daily`);
    const trigger = (await api.schedules.get("training-pipeline-daily")).properties?.trigger as unknown as Record<string, unknown>;
    assert.deepEqual([trigger.triggerType, trigger.frequency, trigger.interval], ["Recurrence", "Day", 1]);
  });

  it("an unchanged up is all same", async () => {
    assert.deepEqual(await timedUp(example, "unchanged up"), { same: 13 });
  });

  it("destroy removes everything", async () => {
    assert.deepEqual(await example.update("destroy"), { delete: 13 });
    assert.deepEqual(example.resources(), []);
    await assert.rejects(api.schedules.get("training-pipeline-daily"), { status: 404 });
  });
});
