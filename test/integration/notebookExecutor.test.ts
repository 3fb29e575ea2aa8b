import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { executeTask, TaskSpec } from "../../src/emulator/databricks/execution/executor";
import { PythonContext } from "../../src/emulator/databricks/execution/commandContext";

/** Notebooks and scripts run for real with the local Python and the local dbutils. */
describe("notebook executor", function () {
  this.timeout(30_000);
  let dir: string;
  let spec: (file: string, extra?: Partial<TaskSpec>) => TaskSpec;

  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "amldb-exec-"));
    fs.mkdirSync(path.join(dir, "dbfs"));
    spec = (file, extra = {}) => ({
      kind: "notebook",
      path: path.join(dir, file),
      secrets: { pipeline: { "api-token": "s3cr3t-value" } },
      dbfsRoot: path.join(dir, "dbfs"),
      mountsFile: path.join(dir, "mounts.json"),
      workspaceRoot: dir,
      ...extra,
    });
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  const write = (file: string, ...cells: string[]) => fs.writeFileSync(path.join(dir, file), ["# Databricks notebook source", ...cells].join("\n\n# COMMAND ----------\n\n"));

  it("runs the cells in order with widgets, secrets (redacted in logs), mounts and notebook.exit", async () => {
    write(
      "ok.py",
      "# MAGIC %md\n# MAGIC # Title",
      'dbutils.widgets.text("rows", "1")\nrows = int(dbutils.widgets.get("rows"))\ntoken = dbutils.secrets.get("pipeline", "api-token")\nprint("token", token)',
      'dbutils.fs.mount("wasbs://data@acct.blob.core.windows.net", "/mnt/data", extra_configs={"k": "v"})\ndbutils.fs.put("/mnt/data/out/x.txt", "hello " * rows, overwrite=True)\nwith open("/dbfs/plain.txt", "w") as f:\n    f.write("plain")',
      'dbutils.notebook.exit(str(rows) + ":" + str(len(token)))',
      'raise RuntimeError("not reached")',
    );
    const outcome = await executeTask(spec("ok.py", { widgets: { rows: "3" } }));
    assert.equal(outcome.state, "SUCCESS", outcome.logs + outcome.error);
    assert.equal(outcome.result, "3:12");
    assert.match(outcome.logs, /token \[REDACTED\]/);
    assert.ok(!outcome.logs.includes("s3cr3t-value"));
    assert.equal(fs.readFileSync(path.join(dir, "dbfs/.blob/acct/data/out/x.txt"), "utf8"), "hello hello hello ");
    assert.equal(fs.readFileSync(path.join(dir, "dbfs/plain.txt"), "utf8"), "plain");
    assert.deepEqual(JSON.parse(fs.readFileSync(path.join(dir, "mounts.json"), "utf8")), { "/mnt/data": { source: "wasbs://data@acct.blob.core.windows.net", extraConfigKeys: ["k"] } });
  });

  it("fails with the exception of the failing cell and stops there", async () => {
    write("boom.py", 'print("one")', 'raise ValueError("boom")', 'print("three")');
    const outcome = await executeTask(spec("boom.py"));
    assert.equal(outcome.state, "FAILED");
    assert.equal(outcome.error, "ValueError: boom");
    assert.match(outcome.errorTrace!, /<notebook cell 2>/);
    assert.match(outcome.logs, /^one\n/);
    assert.ok(!outcome.logs.includes("three"));
  });

  it("reports a widget that is not defined as the real dbutils does", async () => {
    write("widget.py", 'dbutils.widgets.get("missing")');
    const outcome = await executeTask(spec("widget.py"));
    assert.equal(outcome.error, "Exception: com.databricks.dbutils_v1.InputWidgetNotDefined: No input widget named missing is defined");
  });

  it("runs a Python file with its parameters and a Jupyter notebook", async () => {
    fs.writeFileSync(path.join(dir, "script.py"), 'import sys\nprint("args", sys.argv[1:])\n');
    const script = await executeTask(spec("script.py", { kind: "python_file", argv: ["a", "b"] }));
    assert.equal(script.state, "SUCCESS");
    assert.equal(script.logs, "args ['a', 'b']\n");
    fs.writeFileSync(path.join(dir, "nb.ipynb"), JSON.stringify({ cells: [{ cell_type: "markdown", source: ["# t"] }, { cell_type: "code", source: ["x = 20\n", "dbutils.notebook.exit(str(x + 1))"] }] }));
    const jupyter = await executeTask(spec("nb.ipynb", { format: "JUPYTER" }));
    assert.equal(jupyter.result, "21");
  });

  it("times out and cancels by killing the process", async () => {
    write("sleep.py", "import time\ntime.sleep(30)");
    const started = Date.now();
    const timedOut = await executeTask(spec("sleep.py"), { timeoutSeconds: 1 });
    assert.equal(timedOut.state, "TIMEDOUT");
    assert.equal(timedOut.error, "Run timed out after 1 seconds");
    assert.ok(Date.now() - started < 5000);
    const abort = new AbortController();
    setTimeout(() => abort.abort(), 300);
    assert.equal((await executeTask(spec("sleep.py"), { signal: abort.signal })).state, "CANCELED");
  });

  it("keeps a command context's globals and reports errors with their cause", async () => {
    const context = await PythonContext.start({ dbfsRoot: path.join(dir, "dbfs"), mountsFile: path.join(dir, "mounts.json"), secrets: {} });
    try {
      assert.deepEqual(await context.execute('x = 41\nprint("noise {not json")'), { resultType: "text", data: "noise {not json" });
      assert.deepEqual(await context.execute("x + 1"), { resultType: "text", data: "42" });
      assert.deepEqual(await context.execute("[m.mountPoint for m in dbutils.fs.mounts()][0]"), { resultType: "text", data: "'/mnt/data'" });
      const failed = await context.execute("1/0");
      assert.equal(failed.resultType, "error");
      assert.equal(failed.summary, "ZeroDivisionError: division by zero");
      assert.match(failed.cause!, /Traceback/);
    } finally {
      await context.destroy();
    }
  });
});
