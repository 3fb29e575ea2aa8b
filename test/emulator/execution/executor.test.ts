import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { ManualClock } from "../../../src/emulator/core/clock";
import { executeTask, runnerPath } from "../../../src/emulator/execution/executor";
import { gone, sleeperCode, sleeperPids, useExecutionFolders } from "./folders";

const SECRET = "s3cr3t-value";
const PACKAGE_ROOT = path.resolve(__dirname, "..", "..", "..");

/** Notebooks and Python files run for real with the local Python 3 and the local dbutils. */
describe("task executor (real Python)", function () {
  this.timeout(20_000);
  const f = useExecutionFolders({ pipeline: { "api-token": SECRET } });
  const mounts = () => JSON.parse(fs.readFileSync(f.mountsFile, "utf8"));

  it("runs the cells in order: widgets, a redacted secret, files under a mount and /dbfs, notebook.exit", async () => {
    f.notebook(
      "etl.py",
      "# MAGIC %md\n# MAGIC # Load\n# MAGIC This markdown is not Python and is skipped.",
      [
        'dbutils.widgets.text("rows", "1", "Rows")',
        'dbutils.widgets.text("label", "default-label")',
        'rows = int(dbutils.widgets.get("rows"))',
        'token = dbutils.secrets.get(scope="pipeline", key="api-token")',
        'print("token is", token)',
      ].join("\n"),
      [
        'dbutils.fs.mount(source="wasbs://data@acct1.blob.core.windows.net/base", mount_point="/mnt/data",',
        '                 extra_configs={"fs.azure.account.key.acct1.blob.core.windows.net": token})',
        'dbutils.fs.put("/mnt/data/out/part.txt", "row\\n" * rows)',
        'with open("/dbfs/tmp/plain.txt", "w") as f:',
        '    f.write("via open")',
        'print(open("/dbfs/mnt/data/out/part.txt").read().count("row"))',
      ].join("\n"),
      'import json\ndbutils.notebook.exit(json.dumps({"rows": rows, "label": dbutils.widgets.get("label"), "tokenLength": len(token)}))',
      'raise RuntimeError("after exit: not run")',
    );
    const outcome = await executeTask(f.spec("etl.py", { widgets: { rows: "3" } }));
    assert.equal(outcome.state, "SUCCESS", `${outcome.error}\n${outcome.logs}`);
    assert.equal(outcome.result, '{"rows": 3, "label": "default-label", "tokenLength": 12}');
    assert.equal(outcome.error, undefined);
    assert.equal(outcome.logs, "token is [REDACTED]\nWrote 12 bytes.\n3\n");
    assert.ok(!outcome.logs.includes(SECRET));
    assert.equal(outcome.logsTruncated, false);
    assert.equal(fs.readFileSync(path.join(f.dbfs, ".blob", "acct1", "data", "base", "out", "part.txt"), "utf8"), "row\nrow\nrow\n");
    assert.equal(fs.readFileSync(path.join(f.dbfs, "tmp", "plain.txt"), "utf8"), "via open");
    assert.deepEqual(mounts(), {
      "/mnt/data": {
        mountPoint: "/mnt/data",
        source: "wasbs://data@acct1.blob.core.windows.net/base",
        encryptionType: "",
        extraConfigKeys: ["fs.azure.account.key.acct1.blob.core.windows.net"],
      },
    });
    assert.ok(!fs.readFileSync(f.mountsFile, "utf8").includes(SECRET), "config values are never recorded");
    assert.ok(outcome.durationMs > 0);
  });

  it("fails with the exception of the failing cell, and does not run the next cells", async () => {
    f.notebook("boom.py", 'print("cell one")', 'def check():\n    raise ValueError("boom")\ncheck()', 'print("cell three")');
    const outcome = await executeTask(f.spec("boom.py"));
    assert.equal(outcome.state, "FAILED");
    assert.equal(outcome.error, "ValueError: boom");
    assert.equal(
      outcome.errorTrace,
      [
        "Traceback (most recent call last):",
        '  File "<notebook cell 2>", line 3, in <module>',
        "    check()",
        '  File "<notebook cell 2>", line 2, in check',
        '    raise ValueError("boom")',
        "ValueError: boom",
        "",
      ].join("\n"),
    );
    assert.equal(outcome.result, undefined);
    assert.match(outcome.logs, /^cell one\n/);
    assert.ok(!outcome.logs.includes("cell three"));
    assert.ok(!outcome.logs.includes("runner.py"), "the emulator's frames are not shown");
  });

  it("reports a widget that is not defined, a missing secret and a refused %pip as the real ones", async () => {
    f.notebook("widget.py", 'dbutils.widgets.get("missing")');
    const widget = await executeTask(f.spec("widget.py"));
    assert.equal(widget.state, "FAILED");
    assert.match(widget.error!, /^Py4JJavaError: An error occurred while calling o\d+\.getArgument\.\n: com\.databricks\.dbutils_v1\.InputWidgetNotDefined: No input widget named missing is defined$/);

    f.notebook("secret.py", 'dbutils.secrets.get("pipeline", "nope")');
    assert.equal((await executeTask(f.spec("secret.py"))).error, "IllegalArgumentException: Secret does not exist with scope: pipeline and key: nope");

    f.notebook("pip.py", "# MAGIC %pip install pandas");
    const pip = await executeTask(f.spec("pip.py"));
    assert.equal(pip.state, "FAILED");
    assert.match(pip.error!, /^NotImplementedError: %pip is not supported by the local emulator: install the packages into the Python interpreter/);
  });

  it("skips %md, runs %sh (redacted) and %run with parameters", async () => {
    fs.mkdirSync(path.join(f.ws, "lib"));
    fs.writeFileSync(path.join(f.ws, "lib", "setup"), '# Databricks notebook source\nGREETING = "hello " + dbutils.widgets.get("who")\n');
    f.notebook(
      "shell.py",
      "# MAGIC %md\n# MAGIC this is not python(",
      "# MAGIC %sh\n# MAGIC echo from bash\n# MAGIC echo $AMLDB_DBFS_ROOT | grep -c dbfs\n# MAGIC echo s3cr3t-value",
      '# MAGIC %run ./lib/setup $who="notebooks"',
      "dbutils.notebook.exit(GREETING)",
    );
    const outcome = await executeTask(f.spec("shell.py"));
    assert.equal(outcome.state, "SUCCESS", `${outcome.error}\n${outcome.logs}`);
    assert.equal(outcome.result, "hello notebooks");
    assert.equal(outcome.logs, "from bash\n1\n[REDACTED]\n");
  });

  it("runs a Jupyter notebook's code cells in order", async () => {
    fs.writeFileSync(
      path.join(f.ws, "nb.ipynb"),
      JSON.stringify({
        cells: [
          { cell_type: "markdown", source: ["# Title\n", "not python("] },
          { cell_type: "code", source: ['x = int(dbutils.widgets.get("x"))\n', "y = x * 2"] },
          { cell_type: "code", source: "dbutils.notebook.exit(str(x + y))" },
        ],
        metadata: {},
        nbformat: 4,
        nbformat_minor: 5,
      }),
    );
    const outcome = await executeTask(f.spec("nb.ipynb", { format: "JUPYTER", widgets: { x: "7" } }));
    assert.equal(outcome.state, "SUCCESS", outcome.error);
    assert.equal(outcome.result, "21");
  });

  it("runs a Python file as __main__ with its parameters", async () => {
    fs.writeFileSync(
      path.join(f.ws, "job.py"),
      'import sys\nif __name__ == "__main__":\n    print("args", sys.argv[1:])\n    print("to stderr", file=sys.stderr)\n    sys.exit(3 if "--fail" in sys.argv else 0)\n',
    );
    const ok = await executeTask(f.spec("job.py", { kind: "python_file", argv: ["--dataset_name", "nyc-taxi"] }));
    assert.equal(ok.state, "SUCCESS", ok.error);
    assert.equal(ok.logs, "args ['--dataset_name', 'nyc-taxi']\nto stderr\n");
    assert.equal(ok.result, undefined);
    const failed = await executeTask(f.spec("job.py", { kind: "python_file", argv: ["--fail"] }));
    assert.equal(failed.state, "FAILED");
    assert.equal(failed.error, "SystemExit: 3");
  });

  it("times out on its clock by killing the process and its children", async () => {
    const marker = path.join(f.dir, "started");
    f.notebook("sleep.py", sleeperCode(marker));
    const clock = new ManualClock(0);
    const running = executeTask(f.spec("sleep.py"), { timeoutSeconds: 1, clock });
    const pids = await sleeperPids(marker);
    assert.equal(clock.pending, 1, "the timeout waits on the clock");
    await clock.advance(1000);
    const outcome = await running;
    assert.deepEqual([outcome.state, outcome.error, outcome.logs, outcome.durationMs], ["TIMEDOUT", "Run timed out after 1 seconds", "sleeping\n", 1000]);
    await gone(pids);
  });

  it("cancels when the signal aborts, killing the process and its children", async () => {
    const marker = path.join(f.dir, "started");
    f.notebook("sleep.py", sleeperCode(marker));
    const abort = new AbortController();
    const running = executeTask(f.spec("sleep.py"), { signal: abort.signal, clock: new ManualClock(0) });
    const pids = await sleeperPids(marker);
    abort.abort();
    const outcome = await running;
    assert.deepEqual([outcome.state, outcome.error, outcome.logs], ["CANCELED", "Run was cancelled", "sleeping\n"]);
    await gone(pids);
    const already = await executeTask(f.spec("sleep.py"), { signal: AbortSignal.abort() });
    assert.deepEqual([already.state, already.logs], ["CANCELED", ""]);
  });

  it("mounts, refuses a second mount and an unmount of what is not mounted, as Databricks does", async () => {
    f.notebook(
      "mounts.py",
      [
        'dbutils.fs.mount("abfss://lake@acct2.dfs.core.windows.net/raw", "/mnt/lake")',
        "try:",
        '    dbutils.fs.mount("abfss://lake@acct2.dfs.core.windows.net/raw", "/mnt/lake")',
        "except Exception as e:",
        '    print("second:", str(e).splitlines()[-1].strip())',
        "points = [m.mountPoint for m in dbutils.fs.mounts()]",
        'print(points[0], "/" in points, [m.name for m in dbutils.fs.ls("/mnt")])',
        'dbutils.fs.unmount("/mnt/lake")',
        'print("/mnt/lake" in [m.mountPoint for m in dbutils.fs.mounts()])',
        'dbutils.fs.unmount("/mnt/lake")',
      ].join("\n"),
    );
    const outcome = await executeTask(f.spec("mounts.py"));
    assert.equal(
      outcome.logs.split("Traceback")[0],
      [
        "second: java.lang.IllegalArgumentException: requirement failed: Directory already mounted: /mnt/lake",
        "/mnt/lake True ['lake/']",
        "/mnt/lake has been unmounted.",
        "False",
        "",
      ].join("\n"),
    );
    assert.equal(outcome.state, "FAILED");
    assert.match(outcome.error!, /^ExecutionError: An error occurred while calling o\d+\.unmount\.\n: java\.rmi\.RemoteException: java\.lang\.IllegalArgumentException: Directory not mounted: \/mnt\/lake;/);
    assert.deepEqual(mounts(), {});
  });

  it("keeps the last logs when they exceed maxLogBytes", async () => {
    fs.writeFileSync(path.join(f.ws, "loud.py"), 'for i in range(1000):\n    print(f"line {i:04d}")\n');
    const outcome = await executeTask(f.spec("loud.py", { kind: "python_file" }), { maxLogBytes: 100 });
    assert.equal(outcome.state, "SUCCESS");
    assert.equal(outcome.logsTruncated, true);
    assert.equal(outcome.logs.length, 100);
    assert.ok(outcome.logs.endsWith("line 0999\n"));
  });

  it("fails clearly when Python cannot start", async () => {
    f.notebook("any.py", "print(1)");
    const outcome = await executeTask(f.spec("any.py"), { python: path.join(f.dir, "no-such-python3") });
    assert.equal(outcome.state, "FAILED");
    assert.match(outcome.error!, /^Could not start Python \(".*no-such-python3": spawn .* ENOENT\)\. .*install it or set AMLDB_PYTHON/);
  });

  it("finds the Python files beside the module, in src/ and, once built, in dist/", () => {
    assert.equal(runnerPath(), path.join(PACKAGE_ROOT, "src", "emulator", "execution", "runner.py"));
    for (const file of ["runner.py", "context_runner.py", "dbutils_local.py", "redaction.py"]) {
      assert.ok(fs.existsSync(path.join(PACKAGE_ROOT, "dist", "src", "emulator", "execution", file)), `dist has ${file}`);
    }
  });
});
