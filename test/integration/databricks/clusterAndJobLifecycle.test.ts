import * as assert from "node:assert/strict";
import * as cluster from "../../../src/databricks/cluster/lifecycle";
import * as job from "../../../src/databricks/job/lifecycle";
import { useDatabricksEmulator } from "../../support/databricksEmulator";

/** DatabricksCluster and DatabricksJob provider operations against the emulator. */
describe("DatabricksCluster and DatabricksJob provider operations against the emulator", function () {
  this.timeout(60_000);
  const db = useDatabricksEmulator("cluster-job-token");

  it("creates a cluster and waits until RUNNING, edits it, and deletes it permanently", async () => {
    const inputs = { host: db.emulator.url, clusterName: "etl", sparkVersion: "15.4.x-scala2.12", nodeTypeId: "Standard_DS3_v2", numWorkers: 1, sparkConf: { "spark.speculation": "true" } };
    assert.deepEqual((await cluster.check({}, inputs)).failures, []);
    const { id, outs } = await cluster.create(inputs);
    assert.equal(outs.state, "RUNNING");
    assert.equal(outs.clusterId, id);
    const details = await db.api.clusters.get(id);
    assert.deepEqual([details.cluster_name, details.num_workers, details.spark_conf], ["etl", 1, { "spark.speculation": "true" }]);
    await cluster.update(id, inputs, { ...inputs, numWorkers: 3 });
    assert.equal((await db.api.clusters.get(id)).num_workers, 3);
    await cluster.remove(id, inputs);
    assert.deepEqual(await cluster.read(id, inputs), { id: "", props: {} });
  });

  it("reports cluster input mistakes under the cluster's own property names", async () => {
    assert.deepEqual((await cluster.check({}, { nodeTypeId: "a", instancePoolId: "p", autoterminationMinutes: 5 })).failures, [
      { property: "sparkVersion", reason: 'sparkVersion is required, e.g. "15.4.x-scala2.12".' },
      { property: "instancePoolId", reason: "nodeTypeId and instancePoolId are mutually exclusive: the pool decides the node type." },
      { property: "autoterminationMinutes", reason: "autoterminationMinutes is 0 (never) or a whole number of minutes >= 10." },
    ]);
  });

  it("creates a job with two tasks and a schedule, resets it on change, and deletes it", async () => {
    const inputs: job.JobInputs = {
      host: db.emulator.url,
      name: "nightly",
      tasks: [
        { taskKey: "prepare", notebookTask: { notebookPath: "/Shared/prepare" }, jobClusterKey: "main" },
        { taskKey: "train", dependsOn: ["prepare"], sparkPythonTask: { pythonFile: "dbfs:/train.py", parameters: ["--epochs", "3"] }, jobClusterKey: "main", maxRetries: 2 },
      ],
      jobClusters: [{ jobClusterKey: "main", newCluster: { sparkVersion: "15.4.x-scala2.12", nodeTypeId: "Standard_DS3_v2", numWorkers: 2 } }],
      schedule: { quartzCronExpression: "0 0 6 * * ?", timezoneId: "UTC" },
      maxConcurrentRuns: 1,
    };
    assert.deepEqual((await job.check({}, inputs as unknown as Record<string, unknown>)).failures, []);
    const { id, outs } = await job.create(inputs);
    assert.equal(outs.jobUrl, `${db.emulator.url}/#job/${id}`);
    const settings = (await db.api.jobs.jobsGet(Number(id))).settings!;
    assert.deepEqual(settings.tasks?.map((t) => [t.task_key, t.depends_on, t.max_retries]), [["prepare", undefined, undefined], ["train", [{ task_key: "prepare" }], 2]]);
    assert.deepEqual(settings.schedule, { quartz_cron_expression: "0 0 6 * * ?", timezone_id: "UTC" });
    await job.update(id, outs, { ...inputs, name: "nightly-v2" });
    assert.equal((await db.api.jobs.jobsGet(Number(id))).settings?.name, "nightly-v2");
    await job.remove(id, inputs);
    assert.deepEqual(await job.read(id, inputs), { id: "", props: {} });
  });

  it("names a dependency on an unknown task and a duplicate key", async () => {
    const { failures } = await job.check({}, { tasks: [{ taskKey: "a", notebookTask: { notebookPath: "/a" }, existingClusterId: "c" }, { taskKey: "a", dependsOn: ["z"], notebookTask: { notebookPath: "/b" }, existingClusterId: "c" }] });
    assert.deepEqual(failures, [
      { property: "tasks[1].taskKey", reason: 'taskKey "a" is used twice; task keys are unique within a job.' },
      { property: "tasks[1].dependsOn", reason: 'dependsOn names "z", which is not a task key of this job.' },
    ]);
  });
});
