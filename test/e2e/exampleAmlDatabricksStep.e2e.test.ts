import * as assert from "node:assert/strict";
import type { AzureMlApi } from "../../src/azureml/client";
import { resourceList } from "./support/projectFixture";
import { configureAmlWorkspace, emulatorGet, ExampleFixture, lastLogLine, startExample, timedUp, typeCheck } from "./support/exampleFixture";

const DYNAMIC = "pulumi-nodejs:dynamic/azureml-databricks";

/**
 * examples/aml-databricks-step (seed 000) as a user runs it: the Databricks compute attached to the
 * Azure ML workspace, the DatabricksStep's script on a new job cluster and on an existing one with
 * spark_conf, spark env vars, a PyPI library and script parameters; allow_reuse as re-run rules.
 */
describe("example aml-databricks-step (seed 000) through the pulumi CLI", function () {
  this.timeout(10 * 60 * 1000);
  let example: ExampleFixture;
  let amlApi: AzureMlApi;

  before(async function () {
    this.timeout(30 * 60 * 1000); // packing builds the package; the first run may build the engine
    example = await startExample("aml-databricks-step", "e2e");
    ({ api: amlApi } = await configureAmlWorkspace(example));
  });

  after(async () => example?.close());

  const api = (route: string) => emulatorGet(example, route);

  /** The JSON line the step's script printed. */
  const printed = async (runId: number): Promise<unknown> => JSON.parse(await lastLogLine(example, runId));

  /** Every run submitted so far, by name (the control plane keeps deleted ones). */
  async function runNames(): Promise<string[]> {
    return ((await api("/_emulator/databricks/runs")).runs as { run_name: string }[]).map((r) => r.run_name).sort();
  }

  type Steps = Record<"newCluster" | "existingCluster", { runId: number; resultState: string }>;
  // The emulator keeps a cluster's spark_conf and spark_env_vars but does not apply them to the
  // local Spark session and process yet (Azure Databricks would print "true" and "process_data").
  const expected = { dataset: "nyc-taxi-dataset", rows: 3, delta_preview: "unset", stage: "unset", six: "1.16.0" };

  it("type-checks against the installed package's declarations", () => typeCheck(example));

  it("up attaches the compute and runs the step on a new job cluster and on an existing cluster", async () => {
    assert.deepEqual(await timedUp(example, "first up"), { create: 7 });
    assert.deepEqual(resourceList(example.resources()), [
      `${DYNAMIC}:DatabricksCluster::db-existing`,
      `${DYNAMIC}:DatabricksComputeAttachment::db-cluster`,
      `${DYNAMIC}:DatabricksDbfsFile::process-data-script`,
      `${DYNAMIC}:DatabricksRun::process-data`,
      `${DYNAMIC}:DatabricksRun::process-data-existing`,
      `${DYNAMIC}:KeyVaultSecret::db-access-token`,
      "pulumi:providers:pulumi-nodejs::default",
      "pulumi:pulumi:Stack::aml-databricks-step-e2e",
    ]);
    const out = await example.stack.outputs();
    assert.equal(out.computeId, `${amlApi.workspaceId}/computes/db-cluster`);
    assert.deepEqual(await amlApi.computes.listKeys("db-cluster"), { computeType: "Databricks", databricksAccessToken: example.token });
    const steps = out.steps as Steps;
    assert.deepEqual([steps.newCluster.resultState, steps.existingCluster.resultState], ["SUCCESS", "SUCCESS"]);
    assert.deepEqual(await printed(steps.newCluster.runId), expected);
    assert.deepEqual(await printed(steps.existingCluster.runId), expected);
    const cluster = (await api(`/api/2.1/jobs/runs/get?run_id=${steps.newCluster.runId}`)).tasks[0].new_cluster;
    assert.deepEqual([cluster.spark_conf, cluster.spark_env_vars], [{ "spark.databricks.delta.preview.enabled": "true" }, { PIPELINE_STAGE: "process_data" }]);
    assert.deepEqual(await runNames(), ["process_data", "process_data (existing cluster)"]);
  });

  it("an unchanged up is all same", async () => {
    assert.deepEqual(await timedUp(example, "unchanged up"), { same: 7 });
  });

  it("a new submission re-runs the allow_reuse=False step only", async () => {
    await example.stack.setConfig("submission", "2");
    assert.deepEqual(await example.update("up"), { same: 6, replace: 1 });
    assert.deepEqual(await runNames(), ["process_data", "process_data", "process_data (existing cluster)"]);
  });

  it("destroy removes everything", async () => {
    assert.deepEqual(await example.update("destroy"), { delete: 7 });
    assert.deepEqual(example.resources(), []);
  });
});
