import * as assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { resourceList } from "./support/projectFixture";
import { configure, emulatorGet, ExampleFixture, lastLogLine, startExample, timedUp, typeCheck } from "./support/exampleFixture";

const DYNAMIC = "pulumi-nodejs:dynamic/azureml-databricks";

/**
 * examples/kubeflow-databricks-ops (seed 002) as a user runs it: every Create*Op as a resource in
 * the full-spec and the named-parameter forms, the Python SparkPi run in both, and the seed's
 * SparkPi JAR run (behind `runSparkPiJar`) failing with the emulator's reason.
 */
describe("example kubeflow-databricks-ops (seed 002) through the pulumi CLI", function () {
  this.timeout(10 * 60 * 1000);
  let example: ExampleFixture;

  before(async function () {
    this.timeout(30 * 60 * 1000); // packing builds the package; the first run may build the engine
    example = await startExample("kubeflow-databricks-ops", "e2e");
    await configure(example, {}, { password: randomBytes(12).toString("hex") });
  });

  after(async () => example?.close());

  const api = (route: string) => emulatorGet(example, route);

  it("type-checks against the installed package's declarations", () => typeCheck(example));

  it("up creates every op's resource in both forms and runs SparkPi in Python in both", async () => {
    assert.deepEqual(await timedUp(example, "first up"), { create: 15 });
    const kinds = ["DatabricksCluster::cluster", "DatabricksDbfsFile::pi-py", "DatabricksJob::job", "DatabricksRun::pi-run", "DatabricksSecret::secret", "DatabricksSecretScope::scope", "DatabricksWorkspaceItem::item"];
    assert.deepEqual(resourceList(example.resources()), [
      ...kinds.flatMap((k) => [`${DYNAMIC}:${k}-named`, `${DYNAMIC}:${k}-spec`]),
      "pulumi:providers:pulumi-nodejs::default",
      "pulumi:pulumi:Stack::kubeflow-databricks-ops-e2e",
    ]);
    const out = await example.stack.outputs();
    const runs = out.runs as Record<string, { runId: number; resultState: string }>;
    assert.deepEqual([runs.spec.resultState, runs.named.resultState], ["SUCCESS", "SUCCESS"]);
    for (const form of ["spec", "named"]) assert.equal(await lastLogLine(example, runs[form].runId), "Pi is roughly 3.141593");
    const clusters = out.clusterIds as Record<string, string>;
    for (const [form, id] of Object.entries(clusters)) {
      const c = await api(`/api/2.0/clusters/get?cluster_id=${id}`);
      assert.deepEqual([c.cluster_name, c.num_workers, c.state], [`kfp-${form}`, 2, "RUNNING"]);
    }
    const jobs = out.jobIds as Record<string, number>;
    assert.deepEqual((await api(`/api/2.1/jobs/get?job_id=${jobs.spec}`)).settings.tasks[0].spark_python_task, { python_file: "dbfs:/docs/pi.py", parameters: ["10"] });
    assert.deepEqual((await api(`/api/2.1/jobs/get?job_id=${jobs.named}`)).settings.tasks[0].existing_cluster_id, clusters.named);
    for (const scope of ["kfp-spec", "kfp-named"]) assert.deepEqual((await api(`/api/2.0/secrets/list?scope=${scope}`)).secrets.map((s: { key: string }) => s.key), ["password"]);
    for (const item of ["/Shared/kfp/spec-notebook", "/Shared/kfp/named-notebook"]) assert.equal((await api(`/api/2.0/workspace/get-status?path=${item}`)).object_type, "NOTEBOOK");
    for (const file of ["/docs/pi.py", "/docs/named/pi.py"]) assert.equal((await api(`/api/2.0/dbfs/get-status?path=${file}`)).is_dir, false);
  });

  it("an unchanged up is all same", async () => {
    assert.deepEqual(await timedUp(example, "unchanged up"), { same: 15 });
  });

  it("the seed's SparkPi JAR run fails up, saying a JAR needs a JVM Spark cluster; without it, it is deleted and the rest unchanged", async () => {
    await example.stack.setConfig("runSparkPiJar", "true");
    // Outputs suppressed so that the error's tail holds the diagnostics.
    await assert.rejects(example.stack.run(["up", "--yes", "--skip-preview", "--suppress-outputs"]), (err: Error) => {
      assert.match(err.message, /DatabricksRun \(sparkpi-jar\):\n\s+error: 1 error occurred:\n\s+\* Databricks run "test-run" \(run \d+\) ended TERMINATED FAILED: Task main failed with message: This task cannot run in the local emulator: spark_jar_task needs a JVM Spark cluster\./);
      assert.match(err.message, /Run page: https:\/\/127\.0\.0\.1:\d+\/\?o=\d+#job\/\d+\/run\/\d+/);
      return true;
    });
    await example.stack.setConfig("runSparkPiJar", "false");
    assert.deepEqual(await example.update("up"), { same: 15, delete: 1 });
  });

  it("destroy removes everything", async () => {
    assert.deepEqual(await example.update("destroy"), { delete: 15 });
    assert.deepEqual(example.resources(), []);
    assert.deepEqual((await api("/api/2.1/jobs/list")).jobs ?? [], []);
    assert.deepEqual((await api("/api/2.0/secrets/scopes/list")).scopes ?? [], []);
  });
});
