import * as assert from "node:assert/strict";
import { failureList, UNKNOWN } from "../../../../src/core/check";
import { checkTask, fromWireTask, TaskInput, toWireTask } from "../../../../src/databricks/shared/task";

/** The task model runs and jobs share: one check, one conversion. */
describe("Databricks task model", () => {
  const every: TaskInput = {
    taskKey: "train",
    dependsOn: ["prepare"],
    sparkPythonTask: { pythonFile: "dbfs:/train.py", parameters: ["--epochs", "3"], source: "WORKSPACE" },
    jobClusterKey: "main",
    libraries: [{ pypi: { package: "pandas==2.2.2", repo: "https://pypi.example" } }, { maven: { coordinates: "g:a:1", exclusions: ["g:b"] } }, { whl: "dbfs:/x.whl" }, { requirements: "/Workspace/r.txt" }],
    timeoutSeconds: 600,
    maxRetries: -1,
    minRetryIntervalMillis: 1000,
    retryOnTimeout: true,
  };

  it("converts every field to the Jobs API and back, keeping the keys of user maps", () => {
    const wire = toWireTask(every);
    assert.deepEqual(wire, {
      task_key: "train",
      depends_on: [{ task_key: "prepare" }],
      spark_python_task: { python_file: "dbfs:/train.py", parameters: ["--epochs", "3"], source: "WORKSPACE" },
      job_cluster_key: "main",
      libraries: [{ pypi: { package: "pandas==2.2.2", repo: "https://pypi.example" } }, { maven: { coordinates: "g:a:1", exclusions: ["g:b"] } }, { whl: "dbfs:/x.whl" }, { requirements: "/Workspace/r.txt" }],
      timeout_seconds: 600,
      max_retries: -1,
      min_retry_interval_millis: 1000,
      retry_on_timeout: true,
    });
    assert.deepEqual(fromWireTask(wire), every);
    const notebook: TaskInput = { notebookTask: { notebookPath: "/Shared/a", baseParameters: { camelKey: "1" }, source: "WORKSPACE" }, newCluster: { sparkVersion: "15.4.x-scala2.12", nodeTypeId: "n", numWorkers: 1 } };
    assert.deepEqual(fromWireTask(toWireTask(notebook)), notebook);
    const wheel: TaskInput = { pythonWheelTask: { packageName: "etl", entryPoint: "main", namedParameters: { dryRun: "1" } }, existingClusterId: "c" };
    assert.deepEqual(fromWireTask(toWireTask(wheel)), wheel);
  });

  it("reports every failure under the task's prefix, with the fix", () => {
    const { failures, fail } = failureList();
    checkTask(
      {
        notebookTask: { notebookPath: "relative" },
        sparkJarTask: { mainClassName: "" },
        existingClusterId: "c",
        jobClusterKey: "missing",
        pythonWheelTask: undefined,
        libraries: [{}],
        maxRetries: -2,
        retryOnTimeout: "yes",
      },
      "tasks[1]",
      fail,
      { jobClusterKeys: new Set(["main"]) },
    );
    assert.deepEqual(failures, [
      { property: "tasks[1].sparkJarTask", reason: "tasks[1].notebookTask and tasks[1].sparkJarTask are mutually exclusive: a task runs one thing; add a task for the other." },
      { property: "tasks[1].notebookTask.notebookPath", reason: "tasks[1].notebookTask.notebookPath must be an absolute workspace path such as /Shared/etl/prepare (for example a DatabricksWorkspaceItem's workspacePath)." },
      { property: "tasks[1].sparkJarTask.mainClassName", reason: "tasks[1].sparkJarTask.mainClassName must be the class with the main method." },
      { property: "tasks[1].jobClusterKey", reason: "tasks[1].existingClusterId and tasks[1].jobClusterKey are mutually exclusive: run the task on an existing cluster, a new cluster, or a job cluster." },
      { property: "tasks[1].jobClusterKey", reason: 'tasks[1].jobClusterKey "missing" is not a key of jobClusters: add { jobClusterKey: "missing", newCluster: {...} } to jobClusters.' },
      { property: "tasks[1].libraries[0]", reason: 'tasks[1].libraries[0] must name exactly one of pypi, maven, cran, jar, egg, whl, requirements, e.g. { whl: "dbfs:/libs/x.whl" }.' },
      { property: "tasks[1].maxRetries", reason: "tasks[1].maxRetries must be a whole number from -1 to 1000 (-1 retries without end), not -2." },
      { property: "tasks[1].retryOnTimeout", reason: 'tasks[1].retryOnTimeout must be true or false, not "yes".' },
    ]);
  });

  it("accepts a relative path for a notebook in git, and unknown preview values anywhere", () => {
    const { failures, fail } = failureList();
    checkTask({ notebookTask: { notebookPath: "notebooks/etl", source: "GIT" } }, "", fail);
    checkTask({ notebookTask: UNKNOWN, newCluster: UNKNOWN, libraries: [UNKNOWN], maxRetries: UNKNOWN }, "", fail);
    checkTask({ pythonWheelTask: { packageName: UNKNOWN, entryPoint: "main", parameters: ["a"], namedParameters: { b: "c" } } }, "", fail);
    assert.deepEqual(failures, [
      { property: "pythonWheelTask.namedParameters", reason: "pythonWheelTask.parameters and pythonWheelTask.namedParameters are mutually exclusive: pass the entry point positional or named parameters." },
    ]);
  });
});
