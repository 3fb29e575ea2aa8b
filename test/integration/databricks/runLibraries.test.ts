import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import * as lifecycle from "../../../src/databricks/run/lifecycle";
import type { RunInputs } from "../../../src/databricks/run/inputs";
import type { DatabricksLibraryArgs } from "../../../src/databricks/shared/library";
import { useDatabricksEmulator } from "../../support/databricksEmulator";
import { baseEnvironment, writeWheel } from "../../support/pythonPackages";

type Recorded = Error & { properties: lifecycle.RunOutputs };

/** Task libraries through the DatabricksRun provider: installed with pip before the notebook runs, or failing the run as the service does. */
describe("DatabricksRun libraries against the emulator (real pip)", function () {
  // A first build of an environment downloads from the package index; later runs find it cached.
  this.timeout(300_000);
  const db = useDatabricksEmulator("run-libraries-token");
  let wheels: string;

  before(async () => {
    await baseEnvironment();
    const api = db.api;
    await api.workspace.mkdirs("/Shared/libs");
    const notebook = (...cells: string[]) => ["# Databricks notebook source", ...cells].join("\n\n# COMMAND ----------\n\n") + "\n";
    await api.workspace.import({
      path: "/Shared/libs/table",
      format: "SOURCE",
      language: "PYTHON",
      overwrite: true,
      content: notebook("from tabulate import tabulate", 'dbutils.notebook.exit(tabulate([[1, "a"]], headers=["id", "name"], tablefmt="psql"))'),
    });
    await api.workspace.import({ path: "/Shared/libs/wheel", format: "SOURCE", language: "PYTHON", overwrite: true, content: notebook("import amldb_wheel_demo", "dbutils.notebook.exit(amldb_wheel_demo.VALUE)") });
    await api.workspace.import({ path: "/Shared/libs/requirements.txt", format: "AUTO", overwrite: true, content: "tabulate==0.9.0\n" });
    wheels = fs.mkdtempSync(path.join(os.tmpdir(), "amldb-wheels-"));
    const wheel = writeWheel(wheels, "amldb_wheel_demo", "1.0", "VALUE = 'from the wheel on DBFS'\n");
    await api.dbfs.put("/libs/amldb_wheel_demo-1.0-py3-none-any.whl", fs.readFileSync(wheel), true);
  });
  after(() => fs.rmSync(wheels, { recursive: true, force: true }));

  const inputs = (notebook: string, libraries: DatabricksLibraryArgs[], name = notebook): RunInputs => ({
    host: db.emulator.url,
    identity: `proj/test/libs-${name}`,
    runName: `libs-${name}`,
    notebookTask: { notebookPath: `/Shared/libs/${notebook}` },
    newCluster: { sparkVersion: "15.4.x-scala2.12", nodeTypeId: "Standard_DS3_v2", numWorkers: 1 },
    libraries: libraries as RunInputs["libraries"],
  });

  it("installs a PyPI library the notebook imports, and a requirements file from the workspace", async () => {
    const table = "+------+--------+\n|   id | name   |\n|------+--------|\n|    1 | a      |\n+------+--------+";
    const fromPypi = await lifecycle.create(inputs("table", [{ pypi: { package: "tabulate==0.9.0" } }]));
    assert.equal(fromPypi.outs.resultState, "SUCCESS");
    assert.equal(fromPypi.outs.notebookOutput, table);
    const fromRequirements = await lifecycle.create(inputs("table", [{ requirements: "/Workspace/Shared/libs/requirements.txt" }], "requirements"));
    assert.equal(fromRequirements.outs.notebookOutput, table);
  });

  it("installs a wheel from DBFS", async () => {
    const { outs } = await lifecycle.create(inputs("wheel", [{ whl: "dbfs:/libs/amldb_wheel_demo-1.0-py3-none-any.whl" }]));
    assert.equal(outs.notebookOutput, "from the wheel on DBFS");
  });

  it("fails the run with pip's error when a library cannot be installed, before the notebook runs", async () => {
    const failure = (await lifecycle.create(inputs("table", [{ pypi: { package: "tabulate==0.0.0.999" } }], "missing")).then(
      () => assert.fail("the run should fail"),
      (e: Error) => e,
    )) as Recorded;
    const run = await db.api.jobs.runsGet(failure.properties.runId);
    const task = run.tasks![0];
    const clusterId = task.cluster_instance!.cluster_id;
    const message = task.state!.state_message!;
    const expectedStart =
      'Library installation failed for library due to user error for pypi {\n  package: "tabulate==0.0.0.999"\n}\n Error messages:\n' +
      `Library installation attempted on the driver node of cluster ${clusterId} and failed. Please refer to the following error message to fix the library or contact Databricks support. ` +
      "Error Code: DRIVER_LIBRARY_INSTALLATION_FAILURE. Error Message: org.apache.spark.SparkException: Process List(";
    assert.equal(message.slice(0, expectedStart.length), expectedStart);
    assert.match(message.slice(expectedStart.length), /^\/\S+\/bin\/python, -m, pip, install, --disable-pip-version-check, --no-input, tabulate==0\.0\.0\.999\) exited with code 1\. ERROR: /);
    assert.ok(message.endsWith("\nERROR: No matching distribution found for tabulate==0.0.0.999"), message);
    assert.deepEqual([task.state!.life_cycle_state, task.state!.result_state], ["INTERNAL_ERROR", "FAILED"]);
    assert.deepEqual(run.state, { life_cycle_state: "INTERNAL_ERROR", result_state: "FAILED", state_message: message, user_cancelled_or_timedout: false });
    assert.equal((await db.api.jobs.runsGetOutput(task.run_id!)).error, message);
    assert.equal(task.execution_duration, 0, "the notebook did not run");
    assert.match(failure.message, /ended INTERNAL_ERROR FAILED: Library installation failed for library due to user error for pypi \{/);
  });

  it("fails clearly for JAR, Maven and CRAN libraries, naming the library", async () => {
    const cases: [DatabricksLibraryArgs, string, string][] = [
      [{ jar: "dbfs:/libs/etl.jar" }, 'jar: "dbfs:/libs/etl.jar"', "JAR libraries need a JVM Spark cluster"],
      [{ maven: { coordinates: "com.example:etl:1.0" } }, 'maven {\n  coordinates: "com.example:etl:1.0"\n}', "Maven libraries need a JVM Spark cluster"],
      [{ cran: { package: "forecast" } }, 'cran {\n  package: "forecast"\n}', "CRAN libraries need an R cluster"],
    ];
    for (const [library, label, why] of cases) {
      const failure = (await lifecycle.create(inputs("table", [{ pypi: { package: "tabulate==0.9.0" } }, library], label.slice(0, 3))).then(
        () => assert.fail("the run should fail"),
        (e: Error) => e,
      )) as Recorded;
      const run = await db.api.jobs.runsGet(failure.properties.runId);
      assert.deepEqual(run.tasks![0].state, {
        life_cycle_state: "INTERNAL_ERROR",
        result_state: "FAILED",
        state_message:
          `Library installation failed for library due to user error for ${label}\n Error messages:\n` +
          `The local emulator cannot install it: ${why}; it installs PyPI, wheel and requirements libraries.`,
        user_cancelled_or_timedout: false,
      });
    }
  });
});
