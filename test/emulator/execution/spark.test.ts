import * as assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { executeTask } from "../../../src/emulator/execution/executor";
import { baseEnvironment } from "../../support/pythonPackages";
import { useExecutionFolders } from "./folders";

const NOT_STARTED = "<SparkSession (local emulator, not started yet)> <SparkContext (local emulator, not started yet)>";
const INSTALL_JAVA = "Install a Java runtime (e.g. `apt-get install openjdk-17-jre-headless`) or set JAVA_HOME to one.";

/** `spark` and `sc` in notebooks: pyspark in local mode from the base environment, started on first use. */
describe("Spark in notebooks (real pyspark)", function () {
  this.timeout(300_000);
  const f = useExecutionFolders({});
  let python: string;

  before(async () => {
    python = (await baseEnvironment()).python;
  });

  it("offers spark and sc without starting anything until they are used", async () => {
    f.notebook("idle.py", "import sys\nprint(repr(spark), repr(sc))\nprint('pyspark' in sys.modules)");
    const outcome = await executeTask(f.spec("idle.py"), { python });
    assert.equal(outcome.state, "SUCCESS", `${outcome.error}\n${outcome.logs}`);
    assert.equal(outcome.logs, `${NOT_STARTED}\nFalse\n`);
  });

  it("says what to install when the Python has no pyspark, or when there is no Java", async () => {
    f.notebook("uses.py", "print('before')", "spark.range(1).count()");
    const plain = execFileSync("python3", ["-c", "import sys; print(sys.executable)"], { encoding: "utf8" }).trim();
    const withoutPyspark = await executeTask(f.spec("uses.py"), { python: "python3" });
    assert.equal(withoutPyspark.state, "FAILED");
    assert.equal(
      withoutPyspark.error,
      `SparkUnavailableError: Spark needs the Python package pyspark, which the Python running this code (${plain}) does not have. ` +
        "Build the emulator's Spark environment (in the project: `npm test` or `npm start`, which run scripts/pythonEnv.ts), " +
        `or install it into this Python: \`${plain} -m pip install pyspark==4.0.1 pandas==2.2.3 pyarrow==19.0.1\`. Spark also needs Java 17 or later.`,
    );

    const saved = process.env.JAVA_HOME;
    process.env.JAVA_HOME = path.join(f.dir, "no-java");
    try {
      const withoutJava = await executeTask(f.spec("uses.py"), { python });
      assert.equal(withoutJava.state, "FAILED");
      assert.equal(withoutJava.error, `SparkUnavailableError: Spark needs Java 17 or later, and JAVA_HOME is ${path.join(f.dir, "no-java")}, which has no bin/java. ${INSTALL_JAVA}`);
      assert.equal(withoutJava.logs.split("\n")[0], "before");
    } finally {
      if (saved === undefined) delete process.env.JAVA_HOME;
      else process.env.JAVA_HOME = saved;
    }
  });

  it("reads and writes tables and DBFS paths in every form, and displays a DataFrame as a table; the JVM keeps its temporary files in the task's folder", async () => {
    f.notebook(
      "tables.py",
      [
        'df = spark.createDataFrame([(1, "one"), (2, "two"), (3, None)], ["id", "name"])',
        'df.write.mode("overwrite").saveAsTable("numbers")',
        'display(spark.read.table("numbers").orderBy("id"))',
        'print(spark.sql("SELECT count(*) AS n FROM numbers").first().n, sc.defaultParallelism > 0)',
      ].join("\n"),
      [
        'numbers = spark.read.table("numbers")',
        'numbers.write.mode("overwrite").parquet("dbfs:/out/parquet")',
        'numbers.write.mode("overwrite").option("header", True).csv("/out/csv")',
        'numbers.write.format("json").mode("overwrite").save("/dbfs/out/json")',
        'dbutils.fs.put("/in/lines.txt", "a\\nb\\nc\\n")',
        "print(spark.read.parquet(\"/out/parquet\").count(), spark.read.load(\"/dbfs/out/parquet\").count(),",
        '      spark.read.option("header", True).csv("dbfs:/out/csv").count(), spark.read.json("/out/json").count(),',
        '      sc.textFile("dbfs:/in/lines.txt").count())',
      ].join("\n"),
      [
        "import os",
        'jvm_tmp = sc._jvm.java.lang.System.getProperty("java.io.tmpdir")',
        'kinds = {n.split("-")[0] for n in os.listdir(jvm_tmp)}',
        'print(jvm_tmp == os.path.join(os.environ["AMLDB_EXECUTION_DIR"], "jvm-tmp"), sorted(kinds & {"artifacts", "liblz4", "snappy", "spark"}))',
        "print(jvm_tmp)",
      ].join("\n"),
    );
    const started = Date.now();
    const outcome = await executeTask(f.spec("tables.py"), { python });
    console.log(`      (a notebook starting Spark, writing a table and files: ${((Date.now() - started) / 1000).toFixed(1)} s)`);
    assert.equal(outcome.state, "SUCCESS", `${outcome.error}\n${outcome.logs}`);
    const logLines = outcome.logs.split("\n");
    const jvmTmp = logLines.splice(-2, 1)[0];
    assert.equal(logLines.join("\n"), "id | name\n---+-----\n1  | one\n2  | two\n3  | null\n3 True\nWrote 6 bytes.\n3 3 3 3 3\nTrue ['artifacts', 'liblz4', 'snappy', 'spark']\n");
    // The JVM's temporary files (Spark's folders, the native libraries it unpacks) went in the task's folder, removed with it.
    assert.equal(fs.existsSync(jvmTmp), false, jvmTmp);
    const parquet = fs.readdirSync(path.join(f.dbfs, "out", "parquet")).sort();
    assert.ok(parquet.length >= 2, parquet.join(","));
    assert.deepEqual(
      parquet.map((n) => (n.endsWith(".snappy.parquet") ? "part" : n)),
      ["_SUCCESS", ...parquet.slice(1).map(() => "part")],
      "parts and _SUCCESS, no checksum files",
    );
    const warehouse = path.join(f.dir, "spark", "warehouse", "numbers");
    assert.ok(fs.readdirSync(warehouse).some((n) => n.endsWith(".parquet")), "the table is in the warehouse beside DBFS");
  });
});
