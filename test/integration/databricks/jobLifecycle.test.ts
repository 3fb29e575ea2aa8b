import * as assert from "node:assert/strict";
import * as job from "../../../src/databricks/job/lifecycle";
import { captureEachTest, checkedBy, useDatabricksEmulator } from "../../support/databricksEmulator";

const cluster = { sparkVersion: "15.4.x-scala2.12", nodeTypeId: "Standard_DS3_v2", numWorkers: 2 };
const named = {
  name: "nightly",
  tasks: [
    { taskKey: "prepare", notebookTask: { notebookPath: "/Shared/prepare", baseParameters: { runDate: "{{job.start_time.iso_date}}" } }, jobClusterKey: "main" },
    { taskKey: "train", dependsOn: ["prepare"], sparkPythonTask: { pythonFile: "dbfs:/train.py", parameters: ["--epochs", "3"] }, jobClusterKey: "main", maxRetries: 2 },
  ],
  jobClusters: [{ jobClusterKey: "main", newCluster: { ...cluster, sparkConf: { "spark.sql.shuffle.partitions": "8" } } }],
  schedule: { quartzCronExpression: "0 0 6 * * ?", timezoneId: "UTC", pauseStatus: "PAUSED" },
  maxConcurrentRuns: 1,
  emailNotifications: { onFailure: ["ops@example.com"] },
  tags: { costCenter: "42" },
  parameters: [{ name: "date", default: "today" }],
};

/** The DatabricksJob provider's operations, called as the engine would, against the emulator. */
describe("DatabricksJob provider operations against the emulator", function () {
  this.timeout(30_000);
  const db = useDatabricksEmulator("job-lifecycle-token");
  const lines = captureEachTest(db);

  const checked = checkedBy<job.JobInputs>(job.check);

  it("creates the job with its settings in the API's form and returns its id, page and creation time", async () => {
    const before = Date.now();
    const inputs = await checked(named);
    const { id, outs } = await job.create(inputs);
    const live = await db.api.jobs.jobsGet(Number(id));
    assert.deepEqual(outs, { ...inputs, jobId: Number(id), jobUrl: `${db.emulator.url}/#job/${id}`, createdTime: live.created_time });
    assert.ok(live.created_time! >= before);
    const s = live.settings!;
    assert.deepEqual([s.name, s.max_concurrent_runs, s.tags, s.parameters], ["nightly", 1, { costCenter: "42" }, [{ name: "date", default: "today" }]]);
    assert.deepEqual(s.schedule, { quartz_cron_expression: "0 0 6 * * ?", timezone_id: "UTC", pause_status: "PAUSED" });
    assert.deepEqual(s.email_notifications, { on_failure: ["ops@example.com"] });
    assert.deepEqual(s.job_clusters, [{ job_cluster_key: "main", new_cluster: { spark_version: "15.4.x-scala2.12", node_type_id: "Standard_DS3_v2", num_workers: 2, spark_conf: { "spark.sql.shuffle.partitions": "8" } } }]);
    assert.deepEqual(
      s.tasks?.map((t) => [t.task_key, t.depends_on, t.job_cluster_key, t.notebook_task?.base_parameters, t.spark_python_task?.parameters, t.max_retries]),
      [
        ["prepare", undefined, "main", { runDate: "{{job.start_time.iso_date}}" }, undefined, undefined],
        ["train", [{ task_key: "prepare" }], "main", undefined, ["--epochs", "3"], 2],
      ],
    );
    assert.deepEqual(lines, [`Job "nightly": created ${db.emulator.url}/#job/${id}`]);
  });

  it("resets all the settings on update", async () => {
    const { id, outs } = await job.create(await checked(named));
    const news = await checked({ ...named, name: "nightly-v2", tasks: [named.tasks[0]], schedule: undefined });
    assert.deepEqual(await job.diff(id, outs, news), { changes: true, replaces: [], deleteBeforeReplace: false });
    const { outs: updated } = await job.update(id, outs, news);
    const s = (await db.api.jobs.jobsGet(Number(id))).settings!;
    assert.equal(s.name, "nightly-v2");
    assert.deepEqual(s.tasks?.map((t) => t.task_key), ["prepare"]);
    assert.equal(s.schedule, undefined, "reset removes what the new settings leave out");
    assert.deepEqual([updated.jobId, updated.createdTime, updated.name], [outs.jobId, outs.createdTime, "nightly-v2"]);
  });

  it("reads the job back unchanged despite the service's defaults, and brings back settings changed in the workspace", async () => {
    const { id, outs } = await job.create(await checked(named));
    lines.length = 0;
    assert.deepEqual((await job.read(id, outs)).props, outs);
    assert.deepEqual(lines, []);
    const live = (await db.api.jobs.jobsGet(Number(id))).settings!;
    const tasks = live.tasks!.map((t) => (t.task_key === "train" ? { ...t, max_retries: 5 } : t)).reverse();
    await db.api.jobs.jobsUpdate({ job_id: Number(id), new_settings: { name: "renamed-in-ui", tasks, max_concurrent_runs: 4 } });
    const drifted = await job.read(id, outs);
    assert.equal(drifted.props.name, "renamed-in-ui");
    assert.equal(drifted.inputs?.maxConcurrentRuns, 4);
    assert.deepEqual(drifted.inputs?.tasks?.map((t) => [t.taskKey, t.maxRetries]), [["prepare", undefined], ["train", 5]], "tasks aligned to the program's order, defaults pruned");
    assert.deepEqual(lines, [`Job "nightly": name, tasks, maxConcurrentRuns changed in the workspace; the next pulumi up resets them.`]);
    assert.deepEqual(job.diffJob(drifted.props, await checked(named)).changedKeys, ["name", "tasks", "maxConcurrentRuns"]);
  });

  it("creates from the complete jobs/create JSON, named parameters replacing its fields", async () => {
    const spec = {
      name: "from-spec",
      tasks: [{ task_key: "legacy", notebook_task: { notebook_path: "/Shared/a" }, existing_cluster_id: "0101-x" }],
      max_concurrent_runs: 3,
      access_control_list: [{ group_name: "users", permission_level: "CAN_VIEW" }],
    };
    const { id } = await job.create(await checked({ spec, name: "named" }));
    const s = (await db.api.jobs.jobsGet(Number(id))).settings!;
    assert.deepEqual([s.name, s.max_concurrent_runs, s.tasks?.[0].task_key], ["named", 3, "legacy"]);
  });

  it("deletes the job, and treats a job already gone as deleted", async () => {
    const { id, outs } = await job.create(await checked(named));
    await job.remove(id, outs);
    await assert.rejects(db.api.jobs.jobsGet(Number(id)), { status: 400, code: "INVALID_PARAMETER_VALUE" });
    assert.deepEqual(await job.read(id, outs), { id: "", props: {} });
    await job.remove(id, outs);
  });
});
