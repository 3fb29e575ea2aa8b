import * as assert from "node:assert/strict";
import { UNKNOWN } from "../../../src/core/check";
import { secretOutputs } from "../../../src/databricks/run/databricksRun";
import { buildSubmitRequest, checkRunInputs, diffRun, idempotencyToken, RunInputs, runDetail } from "../../../src/databricks/run/inputs";
import { reviewRun } from "../../../src/databricks/run/lifecycle";

const base: RunInputs = {
  host: "https://adb-1.2.azuredatabricks.net",
  identity: "proj/dev/train",
  notebookTask: { notebookPath: "/Shared/train", baseParameters: { epochs: "3" } },
  newCluster: { sparkVersion: "15.4.x-scala2.12", nodeTypeId: "Standard_DS3_v2", numWorkers: 2 },
};

describe("DatabricksRun check", () => {
  it("accepts a notebook task on a new cluster", () => {
    assert.deepEqual(checkRunInputs({ ...base }), []);
  });

  it("names both fields of every exclusive pair and each missing part", () => {
    assert.deepEqual(
      checkRunInputs({
        notebookTask: { notebookPath: "relative/path" },
        sparkPythonTask: { pythonFile: "dbfs:/x.py" },
        existingClusterId: "0101-abc",
        newCluster: { nodeTypeId: "a", instancePoolId: "p", numWorkers: 1, autoscale: { minWorkers: 2, maxWorkers: 1 } },
        libraries: [{ pypi: { package: "x" }, jar: "dbfs:/y.jar" }],
        maxRetries: -2,
      }),
      [
        { property: "sparkPythonTask", reason: "notebookTask and sparkPythonTask are mutually exclusive: a task runs one thing; add a task for the other." },
        { property: "notebookTask.notebookPath", reason: "notebookTask.notebookPath must be an absolute workspace path such as /Shared/etl/prepare (for example a DatabricksWorkspaceItem's workspacePath)." },
        { property: "newCluster", reason: "existingClusterId and newCluster are mutually exclusive: run the task on an existing cluster, a new cluster, or a job cluster." },
        { property: "newCluster.sparkVersion", reason: 'newCluster.sparkVersion is required, e.g. "15.4.x-scala2.12".' },
        { property: "newCluster.instancePoolId", reason: "newCluster.nodeTypeId and newCluster.instancePoolId are mutually exclusive: the pool decides the node type." },
        { property: "newCluster.autoscale", reason: "newCluster.numWorkers and newCluster.autoscale are mutually exclusive: a fixed size or a range." },
        { property: "newCluster.autoscale", reason: "newCluster.autoscale needs whole numbers 1 <= minWorkers <= maxWorkers <= 100000, e.g. { minWorkers: 1, maxWorkers: 4 }." },
        { property: "libraries[0]", reason: 'libraries[0] must name exactly one of pypi, maven, cran, jar, egg, whl, requirements, e.g. { whl: "dbfs:/libs/x.whl" }.' },
        { property: "maxRetries", reason: "maxRetries must be a whole number from -1 to 1000 (-1 retries without end), not -2." },
      ],
    );
  });

  it("requires a task and a cluster", () => {
    assert.deepEqual(checkRunInputs({}), [
      { property: "notebookTask", reason: "a task is required: set notebookTask, sparkPythonTask, sparkJarTask or pythonWheelTask, or pass a complete runs/submit JSON as spec." },
    ]);
    assert.deepEqual(checkRunInputs({ notebookTask: { notebookPath: "/a" } }), [
      { property: "newCluster", reason: "a cluster is required: set existingClusterId or newCluster (or new_cluster/existing_cluster_id in spec)." },
    ]);
  });

  it("accepts a complete spec in the legacy single-task form, numbers as the API takes them", () => {
    assert.deepEqual(checkRunInputs({ spec: { run_name: "r", existing_cluster_id: "c1", spark_jar_task: { main_class_name: "Main" } } }), []);
  });

  it("refuses secureOutput: false with a secure input, whose value the notebook may return", () => {
    const run = { notebookTask: { notebookPath: "/n" }, existingClusterId: "c" };
    assert.deepEqual(checkRunInputs({ ...run, secureInput: { k: "v" }, secureOutput: false }), [
      { property: "secureOutput", reason: "secureOutput is false, but the run has secureInput: a notebook given secret inputs may return them, so its exit values stay secret. Remove secureOutput: false." },
    ]);
    assert.deepEqual(checkRunInputs({ ...run, secureOutput: false }), []);
  });

  it("keeps the notebook's exit values secret unless the program says they hold none, and never with a secure input", () => {
    assert.deepEqual(secretOutputs({}), ["secureInput", "notebookOutput", "taskOutputs"]);
    assert.deepEqual(secretOutputs({ secureOutput: true }), ["secureInput", "notebookOutput", "taskOutputs"]);
    assert.deepEqual(secretOutputs({ secureInput: { k: "v" }, secureOutput: false }), ["secureInput", "notebookOutput", "taskOutputs"]);
    assert.deepEqual(secretOutputs({ secureOutput: false }), ["secureInput"]);
  });

  it("refuses secureInput without a notebook task", () => {
    assert.deepEqual(checkRunInputs({ sparkPythonTask: { pythonFile: "dbfs:/a.py" }, existingClusterId: "c", secureInput: { k: "v" } }), [
      { property: "secureInput", reason: "secureInput passes secret notebook parameters (widgets): it needs a notebook task." },
    ]);
  });

  it("lets unknown preview values through", () => {
    assert.deepEqual(checkRunInputs({ notebookTask: UNKNOWN, existingClusterId: UNKNOWN, libraries: UNKNOWN, timeoutSeconds: UNKNOWN }), []);
  });
});

describe("DatabricksRun submit request", () => {
  it("maps named inputs to one task, field by field", () => {
    assert.deepEqual(buildSubmitRequest({ ...base, libraries: [{ pypi: { package: "pandas" } }], timeoutSeconds: 600, maxRetries: 1, secureInput: { token: "s" } }, "train"), {
      run_name: "train",
      tasks: [
        {
          task_key: "main",
          notebook_task: { notebook_path: "/Shared/train", base_parameters: { epochs: "3", token: "s" } },
          new_cluster: { spark_version: "15.4.x-scala2.12", node_type_id: "Standard_DS3_v2", num_workers: 2 },
          libraries: [{ pypi: { package: "pandas" } }],
          timeout_seconds: 600,
          max_retries: 1,
        },
      ],
    });
  });

  it("turns a legacy single-task spec into tasks[]; a named cluster replaces the spec\'s", () => {
    const request = buildSubmitRequest(
      {
        host: base.host,
        identity: "p/s/r",
        runName: "named",
        spec: { run_name: "from-spec", new_cluster: { spark_version: "5.3.x-scala2.11", node_type_id: "Standard_D3_v2", num_workers: 2 }, libraries: [{ jar: "dbfs:/docs/sparkpi.jar" }], spark_jar_task: { main_class_name: "org.apache.spark.examples.SparkPi", parameters: ["10"] } },
        existingClusterId: "0101-x",
      },
      "r",
    );
    assert.deepEqual(request, {
      run_name: "named",
      tasks: [
        {
          task_key: "main",
          libraries: [{ jar: "dbfs:/docs/sparkpi.jar" }],
          spark_jar_task: { main_class_name: "org.apache.spark.examples.SparkPi", parameters: ["10"] },
          existing_cluster_id: "0101-x",
        },
      ],
    });
  });

  it("keeps a multi-task spec as it is", () => {
    const tasks = [{ task_key: "a", existing_cluster_id: "c", notebook_task: { notebook_path: "/a" } }, { task_key: "b", depends_on: [{ task_key: "a" }], existing_cluster_id: "c", notebook_task: { notebook_path: "/b" } }];
    assert.deepEqual(buildSubmitRequest({ host: base.host, identity: "p/s/r", spec: { tasks } }, "r"), { run_name: "r", tasks });
  });
});

describe("DatabricksRun idempotency and diff", () => {
  const request = buildSubmitRequest(base, "train");

  it("derives the same 64-character token for the same run and attempt, another for anything else", () => {
    const t = idempotencyToken(base, request, 0);
    assert.match(t, /^[0-9a-f]{64}$/);
    assert.equal(idempotencyToken({ ...base }, buildSubmitRequest({ ...base }, "train"), 0), t);
    assert.notEqual(idempotencyToken(base, request, 1), t);
    assert.notEqual(idempotencyToken({ ...base, codeHash: "h2" }, request, 0), t);
    assert.notEqual(idempotencyToken({ ...base, identity: "proj/prod/train" }, request, 0), t);
  });

  it("re-runs on a change of the code, the task or triggers; settings only update", () => {
    assert.deepEqual(diffRun({ ...base, codeHash: "a" }, { ...base, codeHash: "b" }), { changes: true, replaces: ["codeHash"], changedKeys: ["codeHash"] });
    assert.deepEqual(diffRun(base, { ...base, notebookTask: { notebookPath: "/Shared/train", baseParameters: { epochs: "4" } } }).replaces, ["notebookTask"]);
    assert.deepEqual(diffRun(base, { ...base, triggers: { n: "1" } }).replaces, ["triggers"]);
    assert.deepEqual(diffRun(base, { ...base, keepHistory: true, waitTimeoutSeconds: 60 }), { changes: true, replaces: [], changedKeys: ["waitTimeoutSeconds", "keepHistory"] });
    assert.deepEqual(diffRun(base, { ...base }), { changes: false, replaces: [], changedKeys: [] });
  });

  it("shows the code file that changed, not the combined code hash; the hash when files cannot tell", () => {
    const olds = { ...base, codeHash: "a", codeFiles: { "notebooks/train.py": "1", "lib/util.py": "2" } };
    const edited = { ...olds, codeHash: "b", codeFiles: { "notebooks/train.py": "9", "lib/util.py": "2" } };
    assert.deepEqual(runDetail(olds, edited, diffRun(olds, edited)), {
      detail: { 'codeFiles["notebooks/train.py"]': "update-replace" },
      replaces: ["codeFiles"],
      causes: ["code file notebooks/train.py"],
    });
    // Same files, another hash: the code given as codeHashes changed.
    assert.deepEqual(runDetail(olds, { ...olds, codeHash: "c" }, diffRun(olds, { ...olds, codeHash: "c" })).detail, { codeHash: "update-replace" });
    // A state written before files were named.
    const { codeFiles: _c, ...older } = olds;
    assert.deepEqual(runDetail(older, edited, diffRun(older, edited)).causes, ["the code it runs (codeHash)"]);
    // Secure inputs are named, never shown.
    const secret = runDetail(base, { ...base, secureInput: { key: "s3cret" } }, diffRun(base, { ...base, secureInput: { key: "s3cret" } }));
    assert.deepEqual(secret, { detail: { secureInput: "add-replace" }, replaces: ["secureInput"], causes: ["secureInput (secret values not shown)"] });
  });

  it("says why the run runs again, in a reviewer's words, and lists no output", () => {
    const olds = { ...base, codeHash: "a", codeFiles: { "notebooks/train.py": "1" }, runId: 7, runName: "train", runPageUrl: "https://x/#job/1/run/7", lifeCycleState: "TERMINATED", resultState: "SUCCESS", taskRunIds: {} };
    const news = { ...base, codeHash: "b", codeFiles: { "notebooks/train.py": "2" } };
    assert.deepEqual(reviewRun(olds, news), {
      diff: { changes: true, replaces: ["codeFiles"], deleteBeforeReplace: false, detailedDiff: { 'codeFiles["notebooks/train.py"]': "update-replace" } },
      reason: 'Databricks run "train": will run again (replace): code file notebooks/train.py changed.',
    });
    // The effective run name in the state is no change when the program gives none.
    assert.deepEqual(reviewRun(olds, { ...base, codeHash: "a", codeFiles: { "notebooks/train.py": "1" } }), { diff: { changes: false, replaces: [], deleteBeforeReplace: false, detailedDiff: {} } });
    assert.equal(reviewRun({ ...olds, resultState: "FAILED" }, { ...base, codeHash: "a", codeFiles: { "notebooks/train.py": "1" } }).reason, 'Databricks run "train": run 7 ended FAILED; will run again.');
  });
});
