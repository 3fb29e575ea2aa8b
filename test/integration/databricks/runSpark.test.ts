import * as assert from "node:assert/strict";
import * as lifecycle from "../../../src/databricks/run/lifecycle";
import type { RunInputs } from "../../../src/databricks/run/inputs";
import { useDatabricksEmulator } from "../../support/databricksEmulator";
import { baseEnvironment } from "../../support/pythonPackages";

/** Azurite's published development account: the mount names the account and key a notebook on the service would. */
const ACCOUNT = "devstoreaccount1";
const ACCOUNT_KEY = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

const notebook = (...cells: string[]) => ["# Databricks notebook source", ...cells].join("\n\n# COMMAND ----------\n\n") + "\n";

/**
 * The seed's Databricks notebook through the DatabricksRun provider: one run mounts the Azure ML
 * blob store and writes a Spark table; the next reads the table and writes it as parquet under the
 * mount, its last cell exactly as the seed has it. Two runs, two Spark processes: the table lives
 * in the emulator's warehouse and metastore between them.
 */
describe("DatabricksRun with Spark against the emulator (real pyspark)", function () {
  this.timeout(300_000);
  const db = useDatabricksEmulator("run-spark-token");

  before(async () => {
    await baseEnvironment();
    await db.api.workspace.mkdirs("/Shared/spark");
    await db.api.workspace.import({
      path: "/Shared/spark/setup",
      format: "SOURCE",
      language: "PYTHON",
      overwrite: true,
      content: notebook(
        `dbutils.fs.mount(source="wasbs://azureml-blobstore@${ACCOUNT}.blob.core.windows.net", mount_point="/mnt/azuremlblobstore",\n` +
          `                 extra_configs={"fs.azure.account.key.${ACCOUNT}.blob.core.windows.net": "${ACCOUNT_KEY}"})`,
        'spark.createDataFrame([(1, 2.5), (2, 7.0), (3, 1.25)], ["trip_id", "fare"]).write.mode("overwrite").saveAsTable("trips")',
      ),
    });
    await db.api.workspace.import({
      path: "/Shared/spark/databricks-notebook",
      format: "SOURCE",
      language: "PYTHON",
      overwrite: true,
      content: notebook(
        'df = spark.read.table("trips")',
        'output_location = "/mnt/azuremlblobstore/" + dbutils.widgets.getArgument("output_folder")\nprint(output_location)\n\ndf.write.mode("overwrite").parquet(output_location)',
      ),
    });
  });

  const inputs = (notebookPath: string, baseParameters?: Record<string, string>): RunInputs => ({
    host: db.emulator.url,
    identity: `proj/test/spark-${notebookPath}`,
    notebookTask: { notebookPath: `/Shared/spark/${notebookPath}`, ...(baseParameters ? { baseParameters } : {}) },
    newCluster: { sparkVersion: "15.4.x-scala2.12", nodeTypeId: "Standard_DS3_v2", numWorkers: 1 },
  });

  it("reads a table written by an earlier run and writes it as parquet through a mount (the seed's last cell, unchanged)", async () => {
    const setup = await lifecycle.create(inputs("setup"));
    assert.equal(setup.outs.resultState, "SUCCESS");

    const { outs } = await lifecycle.create(inputs("databricks-notebook", { output_folder: "azureml/run-1/output_path" }));
    assert.equal(outs.resultState, "SUCCESS");

    const written = await db.api.dbfs.list("/mnt/azuremlblobstore/azureml/run-1/output_path");
    const names = written.map((f) => f.path.split("/").pop()!).sort();
    assert.ok(names.length >= 2, names.join(","));
    assert.deepEqual(
      names.map((n) => (/^part-.*\.snappy\.parquet$/.test(n) ? "part" : n)),
      ["_SUCCESS", ...names.slice(1).map(() => "part")],
    );
    const part = await db.api.dbfs.readAll(`/mnt/azuremlblobstore/azureml/run-1/output_path/${names[1]}`);
    assert.deepEqual([part.subarray(0, 4).toString(), part.subarray(-4).toString()], ["PAR1", "PAR1"]);
    assert.ok(part.includes("trip_id") && part.includes("fare"), "the table's columns are in the parquet schema");
  });
});
