import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { PythonContext } from "../../../src/emulator/execution/commandContext";
import { until } from "../../support/emulator";

const SECRET = "s3cr3t-value";

/** Command Execution contexts: one long-lived Python process each, run for real. */
describe("PythonContext (real Python)", function () {
  this.timeout(20_000);
  let dir: string;
  let context: PythonContext | undefined;
  let dbfs: string;
  let mountsFile: string;
  const mounts = () => JSON.parse(fs.readFileSync(mountsFile, "utf8"));

  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "amldb-context-test-"));
    dbfs = path.join(dir, "dbfs");
    mountsFile = path.join(dir, "mounts.json");
    fs.mkdirSync(dbfs);
  });
  afterEach(async () => {
    await context?.destroy();
    context = undefined;
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it("keeps globals between commands, captures prints without breaking the protocol, reports errors with their cause", async () => {
    context = await PythonContext.start({ dbfsRoot: dbfs, mountsFile, secrets: { s: { k: SECRET } } });
    assert.deepEqual(await context.execute('x = 41\nprint("noise {\\"id\\": 1, \\"resultType\\": \\"error\\"}")\nimport os\n_ = os.write(1, b"raw fd 1 {}\\n")'), {
      resultType: "text",
      data: 'noise {"id": 1, "resultType": "error"}',
    });
    assert.deepEqual(await context.execute("x + 1"), { resultType: "text", data: "42" });
    // The driver log is written by the process's redacting pipe, which may lag the command's answer.
    await until("output written around sys.stdout reaches the driver log", () => /raw fd 1 \{\}/.test(context!.driverLogTail()));
    assert.deepEqual(await context.execute('print(dbutils.secrets.get("s", "k"))\ndbutils.secrets.get("s", "k")'), { resultType: "text", data: "[REDACTED]\n'[REDACTED]'" });
    assert.deepEqual(await context.execute('dbutils.fs.mount("wasbs://c@acct3.blob.core.windows.net", "/mnt/c")\ndbutils.notebook.exit(dbutils.fs.mounts()[0].source)'), {
      resultType: "text",
      data: "wasbs://c@acct3.blob.core.windows.net",
    });
    const failed = await context.execute("def f():\n    return 1/0\nf()");
    assert.equal(failed.resultType, "error");
    assert.equal(failed.summary, "ZeroDivisionError: division by zero");
    assert.match(failed.cause!, /^Traceback \(most recent call last\):\n {2}File "<command-5>", line 3, in <module>\n/);
    assert.match(failed.cause!, /ZeroDivisionError: division by zero\n$/);
    assert.equal(failed.data, undefined);
    assert.deepEqual(await context.execute("x"), { resultType: "text", data: "41" });
    assert.equal(Object.keys(mounts())[0], "/mnt/c", "a mount made in a context is in the shared table");
  });

  it("cancels by stopping the process; the context is then unusable", async () => {
    context = await PythonContext.start({ dbfsRoot: dbfs, mountsFile, secrets: {} });
    const marker = path.join(dir, "started");
    const running = context.execute(`import time\nopen(${JSON.stringify(marker)}, "w").close()\ntime.sleep(30)`);
    await until("the command runs", () => fs.existsSync(marker));
    context.cancel();
    const result = await running;
    assert.deepEqual(result, { resultType: "error", summary: "The command was cancelled." });
    assert.equal(context.alive, false);
    assert.equal((await context.execute("1")).resultType, "error");
    const timedOut = await PythonContext.start({ dbfsRoot: dbfs, mountsFile, secrets: {} });
    try {
      assert.deepEqual(await timedOut.execute("import time\ntime.sleep(30)", { timeoutMs: 300 }), {
        resultType: "error",
        summary: "The command timed out after 300 ms; its execution context was stopped.",
      });
    } finally {
      await timedOut.destroy();
    }
  });

  it("fails to start clearly without Python", async () => {
    await assert.rejects(PythonContext.start({ dbfsRoot: dbfs, mountsFile, secrets: {}, python: path.join(dir, "no-python") }), /Could not start Python/);
  });
});
