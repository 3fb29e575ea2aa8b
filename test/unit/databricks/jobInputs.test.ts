import * as assert from "node:assert/strict";
import * as pulumi from "@pulumi/pulumi";
import { UNKNOWN } from "../../../src/core/check";
import * as job from "../../../src/databricks/job/lifecycle";

const host = "https://adb-1.2.azuredatabricks.net";
const cluster = { sparkVersion: "15.4.x-scala2.12", nodeTypeId: "Standard_DS3_v2", numWorkers: 2 };

describe("DatabricksJob check", () => {
  const saved = { ...process.env };
  before(() => Object.assign(process.env, { AMLDB_TARGET: "azure", DATABRICKS_HOST: host, DATABRICKS_TOKEN: "dapi-test" }));
  after(() => (process.env = saved));

  it("accepts named parameters and fills the host", async () => {
    const news = {
      name: "nightly",
      tasks: [
        { taskKey: "prepare", notebookTask: { notebookPath: "/Shared/prepare", baseParameters: { date: "{{job.parameters.date}}" } }, jobClusterKey: "main" },
        { taskKey: "train", dependsOn: ["prepare"], pythonWheelTask: { packageName: "trainer", entryPoint: "main" }, jobClusterKey: "main", libraries: [{ whl: "dbfs:/libs/trainer.whl" }], maxRetries: -1 },
      ],
      jobClusters: [{ jobClusterKey: "main", newCluster: cluster }],
      schedule: { quartzCronExpression: "0 0 6 * * ?", timezoneId: "UTC", pauseStatus: "PAUSED" },
      maxConcurrentRuns: 0,
      emailNotifications: { onFailure: ["ops@example.com"], noAlertForSkippedRuns: true },
      webhookNotifications: { onFailure: [{ id: "dest-1" }] },
      tags: { team: "ml" },
      parameters: [{ name: "date", default: "2024-01-01" }],
    };
    assert.deepEqual(await job.check({}, news), { inputs: { ...news, host }, failures: [] });
  });

  it("reports every failure at once, each naming its property and the fix", async () => {
    const { failures } = await job.check({}, {
      name: 7,
      tasks: [
        { taskKey: "a b", notebookTask: { notebookPath: "Shared/x" }, sparkJarTask: { mainClassName: "M" }, existingClusterId: "c", newCluster: { sparkVersion: "15.4.x-scala2.12", nodeTypeId: "n", numWorkers: -2 } },
        { taskKey: "b", sparkPythonTask: { parameters: ["x"] }, jobClusterKey: "nope", libraries: [{ pypi: { package: "x" }, whl: "y" }], timeoutSeconds: 1.5, retryOnTimeout: "yes" },
        { taskKey: "c", dependsOn: ["c"] },
      ],
      jobClusters: [{ jobClusterKey: "main" }],
      schedule: { quartzCronExpression: "daily", pauseStatus: "OFF" },
      maxConcurrentRuns: 1001,
      timeoutSeconds: -1,
      emailNotifications: { onStart: "me@example.com" },
      webhookNotifications: { onSuccess: [{ id: "1" }, { id: "2" }, { id: "3" }, { id: "4" }] },
      tags: { n: 1 },
      parameters: [{ name: "p" }, { name: "p", default: "x" }],
    });
    assert.deepEqual(failures, [
      { property: "name", reason: "name must be a string of at most 4096 characters." },
      { property: "jobClusters[0].newCluster", reason: 'jobClusters[0].newCluster is required: the cluster\'s settings, e.g. { sparkVersion: "15.4.x-scala2.12", nodeTypeId: "Standard_DS3_v2", numWorkers: 2 }.' },
      { property: "tasks[0].taskKey", reason: 'tasks[0].taskKey "a b" is not valid: use 1-100 letters, digits, _ and -.' },
      { property: "tasks[0].sparkJarTask", reason: "tasks[0].notebookTask and tasks[0].sparkJarTask are mutually exclusive: a task runs one thing; add a task for the other." },
      { property: "tasks[0].notebookTask.notebookPath", reason: "tasks[0].notebookTask.notebookPath must be an absolute workspace path such as /Shared/etl/prepare (for example a DatabricksWorkspaceItem's workspacePath)." },
      { property: "tasks[0].newCluster", reason: "tasks[0].existingClusterId and tasks[0].newCluster are mutually exclusive: run the task on an existing cluster, a new cluster, or a job cluster." },
      { property: "tasks[0].newCluster.numWorkers", reason: "tasks[0].newCluster.numWorkers must be a whole number from 0 to 100000, not -2." },
      { property: "tasks[1].sparkPythonTask.pythonFile", reason: "tasks[1].sparkPythonTask.pythonFile is required: a dbfs:/, workspace or cloud path to the script." },
      { property: "tasks[1].jobClusterKey", reason: 'tasks[1].jobClusterKey "nope" is not a key of jobClusters: add { jobClusterKey: "nope", newCluster: {...} } to jobClusters.' },
      { property: "tasks[1].libraries[0]", reason: 'tasks[1].libraries[0] must name exactly one of pypi, maven, cran, jar, egg, whl, requirements, e.g. { whl: "dbfs:/libs/x.whl" }.' },
      { property: "tasks[1].timeoutSeconds", reason: "tasks[1].timeoutSeconds must be a whole number >= 0, not 1.5." },
      { property: "tasks[1].retryOnTimeout", reason: "tasks[1].retryOnTimeout must be true or false, not \"yes\"." },
      { property: "tasks[2].notebookTask", reason: "tasks[2] needs something to run: set one of notebookTask, sparkPythonTask, sparkJarTask or pythonWheelTask (other kinds go in spec)." },
      { property: "tasks[2].dependsOn", reason: "tasks[2].dependsOn names the task itself; a task cannot wait for itself." },
      { property: "schedule.quartzCronExpression", reason: 'schedule.quartzCronExpression must be a Quartz cron expression of 6 or 7 fields, e.g. "0 0 6 * * ?" (06:00 every day).' },
      { property: "schedule.timezoneId", reason: 'schedule.timezoneId must be a Java time zone id, e.g. "UTC" or "Europe/Paris".' },
      { property: "schedule.pauseStatus", reason: 'schedule.pauseStatus must be PAUSED or UNPAUSED, not "OFF".' },
      { property: "maxConcurrentRuns", reason: "maxConcurrentRuns must be a whole number from 0 to 1000 (0 skips every new run), not 1001." },
      { property: "timeoutSeconds", reason: "timeoutSeconds must be a whole number >= 0, not -1." },
      { property: "emailNotifications.onStart", reason: "emailNotifications.onStart must be a list of strings." },
      { property: "webhookNotifications.onSuccess", reason: "webhookNotifications.onSuccess has 4 destinations; at most 3 are allowed." },
      { property: "tags", reason: 'tags must map names to string values, e.g. { team: "data" }.' },
      { property: "parameters[0].default", reason: "parameters[0].default is required: the value runs get when they do not pass one (a string)." },
      { property: "parameters[1].name", reason: 'parameter "p" is defined twice; parameter names are unique within a job.' },
    ]);
  });

  it("requires tasks unless the spec has them, and names missing, duplicate and cyclic dependencies", async () => {
    assert.deepEqual((await job.check({}, { name: "x" })).failures, [{ property: "tasks", reason: "tasks is required: at least one task (or a complete jobs/create JSON as spec)." }]);
    assert.deepEqual((await job.check({}, { spec: { name: "x", tasks: [] } })).failures, []);
    const t = (taskKey: string, dependsOn?: string[]) => ({ taskKey, dependsOn, notebookTask: { notebookPath: `/Shared/${taskKey}` }, existingClusterId: "c" });
    assert.deepEqual((await job.check({}, { tasks: [t("a", ["c"]), t("b", ["a"]), t("c", ["b"]), t("a")] })).failures, [
      { property: "tasks[3].taskKey", reason: 'taskKey "a" is used twice; task keys are unique within a job.' },
      { property: "tasks[0].dependsOn", reason: "tasks a -> c -> b -> a depend on each other in a cycle: a job's tasks must form a DAG." },
    ]);
    assert.deepEqual((await job.check({}, { tasks: [t("a", ["z"])] })).failures, [{ property: "tasks[0].dependsOn", reason: 'dependsOn names "z", which is not a task key of this job.' }]);
  });

  it("accepts a job cluster key defined in the spec, and allows serverless tasks (no cluster)", async () => {
    const spec = { job_clusters: [{ job_cluster_key: "from-spec", new_cluster: { spark_version: "15.4.x-scala2.12" } }] };
    assert.deepEqual((await job.check({}, { spec, tasks: [{ taskKey: "a", notebookTask: { notebookPath: "/a" }, jobClusterKey: "from-spec" }, { taskKey: "b", sparkPythonTask: { pythonFile: "/Workspace/b.py" } }] })).failures, []);
  });

  it("lets unknown preview values through", async () => {
    const news = { name: UNKNOWN, tasks: [{ taskKey: UNKNOWN, notebookTask: { notebookPath: UNKNOWN }, existingClusterId: UNKNOWN, jobClusterKey: undefined, dependsOn: [UNKNOWN] }, UNKNOWN], schedule: UNKNOWN, tags: UNKNOWN };
    assert.deepEqual((await job.check({}, news)).failures, []);
    assert.deepEqual((await job.check({}, { spec: UNKNOWN })).failures, []);
  });
});

describe("DatabricksJob settings", () => {
  it("converts every named field explicitly, keeping the keys of user maps", () => {
    const settings = job.jobSettings({
      host,
      name: "nightly",
      tasks: [
        {
          taskKey: "prepare",
          notebookTask: { notebookPath: "/Shared/prepare", baseParameters: { runDate: "{{job.start_time.iso_date}}" }, source: "WORKSPACE" },
          newCluster: { ...cluster, sparkConf: { "spark.sql.shuffle.partitions": "8" } },
          libraries: [{ pypi: { package: "pandas==2.2.2" } }, { maven: { coordinates: "a:b:1", exclusions: ["c:d"] } }],
          timeoutSeconds: 600,
          maxRetries: 1,
          minRetryIntervalMillis: 1000,
          retryOnTimeout: true,
        },
        { taskKey: "jar", dependsOn: ["prepare"], sparkJarTask: { mainClassName: "com.x.Main", parameters: ["--a"] }, existingClusterId: "0101-x" },
        { taskKey: "py", sparkPythonTask: { pythonFile: "dbfs:/x.py", parameters: ["1"] }, jobClusterKey: "main" },
        { taskKey: "whl", pythonWheelTask: { packageName: "p", entryPoint: "e", namedParameters: { someKey: "v" } }, jobClusterKey: "main" },
      ],
      jobClusters: [{ jobClusterKey: "main", newCluster: { ...cluster, autoscale: undefined } }],
      schedule: { quartzCronExpression: "0 0 6 * * ?", timezoneId: "UTC" },
      maxConcurrentRuns: 2,
      timeoutSeconds: 3600,
      emailNotifications: { onFailure: ["ops@example.com"], noAlertForSkippedRuns: true },
      webhookNotifications: { onStart: [{ id: "d1" }] },
      tags: { costCenter: "42" },
      parameters: [{ name: "date", default: "today" }],
    });
    assert.deepEqual(settings, {
      name: "nightly",
      tasks: [
        {
          task_key: "prepare",
          notebook_task: { notebook_path: "/Shared/prepare", base_parameters: { runDate: "{{job.start_time.iso_date}}" }, source: "WORKSPACE" },
          new_cluster: { spark_version: "15.4.x-scala2.12", node_type_id: "Standard_DS3_v2", num_workers: 2, spark_conf: { "spark.sql.shuffle.partitions": "8" } },
          libraries: [{ pypi: { package: "pandas==2.2.2" } }, { maven: { coordinates: "a:b:1", exclusions: ["c:d"] } }],
          timeout_seconds: 600,
          max_retries: 1,
          min_retry_interval_millis: 1000,
          retry_on_timeout: true,
        },
        { task_key: "jar", depends_on: [{ task_key: "prepare" }], spark_jar_task: { main_class_name: "com.x.Main", parameters: ["--a"] }, existing_cluster_id: "0101-x" },
        { task_key: "py", spark_python_task: { python_file: "dbfs:/x.py", parameters: ["1"] }, job_cluster_key: "main" },
        { task_key: "whl", python_wheel_task: { package_name: "p", entry_point: "e", named_parameters: { someKey: "v" } }, job_cluster_key: "main" },
      ],
      job_clusters: [{ job_cluster_key: "main", new_cluster: { spark_version: "15.4.x-scala2.12", node_type_id: "Standard_DS3_v2", num_workers: 2 } }],
      schedule: { quartz_cron_expression: "0 0 6 * * ?", timezone_id: "UTC" },
      max_concurrent_runs: 2,
      timeout_seconds: 3600,
      email_notifications: { on_failure: ["ops@example.com"], no_alert_for_skipped_runs: true },
      webhook_notifications: { on_start: [{ id: "d1" }] },
      tags: { costCenter: "42" },
      parameters: [{ name: "date", default: "today" }],
    });
  });

  it("replaces the spec's top-level fields with named ones; named tasks replace a legacy single task; the ACL only goes to create", () => {
    const spec = { name: "from-spec", notebook_task: { notebook_path: "/x" }, existing_cluster_id: "c", max_concurrent_runs: 3, git_source: { git_url: "u", git_provider: "gitHub" }, access_control_list: [{ group_name: "users", permission_level: "CAN_VIEW" }] };
    const inputs = { host, spec, name: "named", tasks: [{ taskKey: "t", notebookTask: { notebookPath: "/y" }, existingClusterId: "d" }] };
    assert.deepEqual(job.jobSettings(inputs), {
      name: "named",
      max_concurrent_runs: 3,
      git_source: { git_url: "u", git_provider: "gitHub" },
      tasks: [{ task_key: "t", notebook_task: { notebook_path: "/y" }, existing_cluster_id: "d" }],
    });
    assert.deepEqual((job.jobSettings(inputs, true) as { access_control_list?: unknown }).access_control_list, spec.access_control_list);
    assert.deepEqual(job.jobSettings({ host, spec }), { name: "from-spec", notebook_task: { notebook_path: "/x" }, existing_cluster_id: "c", max_concurrent_runs: 3, git_source: { git_url: "u", git_provider: "gitHub" } });
  });

  it("converts live settings back to the named form", () => {
    const named = job.fromWireSettings({
      name: "n",
      tasks: [{ task_key: "a", depends_on: [{ task_key: "b" }], notebook_task: { notebook_path: "/a", source: "WORKSPACE" }, job_cluster_key: "main", timeout_seconds: 0 }],
      job_clusters: [{ job_cluster_key: "main", new_cluster: { spark_version: "15.4.x-scala2.12", num_workers: 1 } }],
      schedule: { quartz_cron_expression: "0 0 6 * * ?", timezone_id: "UTC", pause_status: "UNPAUSED" },
      max_concurrent_runs: 1,
      email_notifications: {},
    });
    assert.deepEqual(named, {
      name: "n",
      tasks: [{ taskKey: "a", dependsOn: ["b"], notebookTask: { notebookPath: "/a", source: "WORKSPACE" }, jobClusterKey: "main", timeoutSeconds: 0 }],
      jobClusters: [{ jobClusterKey: "main", newCluster: { sparkVersion: "15.4.x-scala2.12", numWorkers: 1 } }],
      schedule: { quartzCronExpression: "0 0 6 * * ?", timezoneId: "UTC", pauseStatus: "UNPAUSED" },
      maxConcurrentRuns: 1,
      emailNotifications: {},
    });
  });
});

describe("DatabricksJob diff", () => {
  const lines: string[] = [];
  const realLog = console.log;
  before(() => (console.log = (l: string) => lines.push(l)));
  after(() => (console.log = realLog));
  beforeEach(() => (lines.length = 0));
  const news = { host, name: "nightly", tasks: [{ taskKey: "a", notebookTask: { notebookPath: "/a" }, existingClusterId: "c" }], tags: { team: "ml" } };
  const olds = { ...news, jobId: 7, jobUrl: `${host}/#job/7`, createdTime: 1700000000000 };

  it("reports no change for the same inputs, and prints nothing", async () => {
    assert.deepEqual(await job.diff("7", olds, { ...news, tags: { team: "ml" } }), { changes: false, replaces: [], deleteBeforeReplace: false });
    assert.deepEqual(lines, []);
  });

  it("resets the settings in place when any of them changes", async () => {
    assert.deepEqual(await job.diff("7", olds, { ...news, tasks: [{ ...news.tasks[0], maxRetries: 2 }], maxConcurrentRuns: 2 }), { changes: true, replaces: [], deleteBeforeReplace: false });
    assert.deepEqual(job.diffJob(olds, { ...news, spec: { git_source: { git_url: "u" } } }).changedKeys, ["spec"]);
    assert.deepEqual(lines, ['Job "nightly": tasks, maxConcurrentRuns changed; will reset its settings (jobs/reset).']);
  });

  it("replaces the job when the workspace changes", async () => {
    assert.deepEqual(await job.diff("7", olds, { ...news, host: "https://adb-9.azuredatabricks.net" }), { changes: true, replaces: ["host"], deleteBeforeReplace: false });
    assert.deepEqual(lines, ['Job "nightly": host changed; will replace it (create it in the new workspace, then delete the old one).']);
  });

  it("treats unknown values as changes", () => {
    assert.deepEqual(job.diffJob(olds, { ...news, name: UNKNOWN }).changedKeys, ["name"]);
  });
});

describe("DatabricksJob resource (mocked engine)", () => {
  const created: pulumi.runtime.MockResourceArgs[] = [];
  before(() => {
    pulumi.runtime.setMocks({ newResource: (args) => (created.push(args), { id: "7", state: { ...args.inputs, jobId: 7, jobUrl: `${host}/#job/7` } }), call: () => ({}) }, "project", "stack", false);
  });

});
