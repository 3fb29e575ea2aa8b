import * as assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import * as path from "node:path";
import { PythonContext } from "../../../src/emulator/execution/commandContext";
import { executeTask, pythonCommand, runnerPath } from "../../../src/emulator/execution/executor";
import { until } from "../../support/emulator";
import { useExecutionFolders } from "./folders";

const TOKEN = "s3cr3t-value";
const SECRETS = { pipeline: { "api-token": TOKEN } };
/**
 * More secrets: `left` and `right` overlap ("abcdef-1234-ghijkl" holds both), `marker` is a piece of
 * the word REDACTED, `flag` is too short to redact in place.
 */
const TRICKY = { pipeline: { "api-token": TOKEN, left: "abcdef-1234", right: "1234-ghijkl", marker: "ACTED", flag: "e" } };
const WITHHELD = "[REDACTED: output withheld because the code read a secret value shorter than 4 characters, which cannot be redacted without revealing it]";
const READ = 'import os, subprocess, sys, time\ntoken = dbutils.secrets.get("pipeline", "api-token")';

/** Secret values never come out of a task or a command context: not split, not through child processes or file descriptors, not in results. */
describe("redaction of secrets (real Python)", function () {
  this.timeout(20_000);
  let contexts: PythonContext[] = [];
  afterEach(async () => {
    await Promise.all(contexts.map((c) => c.destroy()));
    contexts = [];
  });
  const f = useExecutionFolders(SECRETS);
  const startContext = async (secrets: Record<string, Record<string, string>> = SECRETS): Promise<PythonContext> => {
    const context = await PythonContext.start({ dbfsRoot: f.dbfs, mountsFile: f.mountsFile, secrets, tempDir: f.temp });
    contexts.push(context);
    return context;
  };

  it("redacts a secret written in pieces far apart, by Python, by os.write, by a child process and by %sh", async () => {
    // The pauses are what the defect needed: each piece left the process on its own before.
    f.notebook(
      "pieces.py",
      [
        READ,
        'os.environ["TOKEN"] = token',
        'for piece in (token[:3], token[3:7], token[7:] + "\\n"):',
        "    sys.stdout.write(piece)",
        "    sys.stdout.flush()",
        "    time.sleep(0.2)",
        "os.write(1, token[:5].encode())",
        "time.sleep(0.2)",
        'os.write(2, token[5:].encode() + b"\\n")',
        'subprocess.run(["bash", "-c", \'printf "%s" "${TOKEN:0:6}"; sleep 0.2; printf "%s\\\\n" "${TOKEN:6}"\'])',
      ].join("\n"),
      `# MAGIC %sh\n# MAGIC printf '%s' "\${TOKEN:0:4}"; sleep 0.2; printf '%s\\n' "\${TOKEN:4}"`,
    );
    const outcome = await executeTask(f.spec("pieces.py"), { tempDir: f.temp });
    assert.deepEqual([outcome.state, outcome.logs], ["SUCCESS", "[REDACTED]\n".repeat(4)]);
  });

  it("redacts what a task writes to its file descriptors directly, and its error, trace, exit and task values", async () => {
    f.notebook(
      "direct.py",
      [
        READ,
        'os.system(f"echo os.system {token}")',
        'subprocess.run(["echo", "subprocess", token])',
        'os.write(1, f"fd 1 {token}\\n".encode())',
        'os.write(2, f"fd 2 {token}\\n".encode())',
        'dbutils.jobs.taskValues.set("token", {"value": token, token: [token, 1]})',
        'raise ValueError(f"bad token {token}")',
      ].join("\n"),
    );
    const failed = await executeTask(f.spec("direct.py"), { tempDir: f.temp });
    const trace = ["Traceback (most recent call last):", '  File "<notebook cell 1>", line 8, in <module>', '    raise ValueError(f"bad token {token}")', "ValueError: bad token [REDACTED]", ""].join("\n");
    assert.deepEqual(failed, {
      state: "FAILED",
      error: "ValueError: bad token [REDACTED]",
      errorTrace: trace,
      taskValues: { token: { value: "[REDACTED]", "[REDACTED]": ["[REDACTED]", 1] } },
      logs: `os.system [REDACTED]\nsubprocess [REDACTED]\nfd 1 [REDACTED]\nfd 2 [REDACTED]\n${trace}`,
      logsTruncated: false,
      durationMs: failed.durationMs,
    });

    f.notebook("exit.py", `${READ}\ndbutils.notebook.exit("token=" + token)`);
    assert.deepEqual(await executeTask(f.spec("exit.py"), { tempDir: f.temp }).then((o) => [o.state, o.result]), ["SUCCESS", "token=[REDACTED]"]);
    f.notebook("exits.py", 'from databricks.sdk.runtime import dbutils\nimport sys\nsys.exit("no " + dbutils.secrets.get("pipeline", "api-token"))');
    const exited = await executeTask(f.spec("exits.py", { kind: "python_file" }), { tempDir: f.temp });
    assert.deepEqual([exited.state, exited.error], ["FAILED", "SystemExit: no [REDACTED]"]);
  });

  it("redacts overlapping secrets as one, and a secret that is a piece of the word REDACTED only where it occurs", async () => {
    f.notebook("overlap.py", 'left, right = dbutils.secrets.get("pipeline", "left"), dbutils.secrets.get("pipeline", "right")\nprint(left + right[4:])\nprint("token:", dbutils.secrets.get("pipeline", "api-token"))');
    assert.equal((await executeTask(f.spec("overlap.py", { secrets: TRICKY }), { tempDir: f.temp })).logs, "[REDACTED]\ntoken: [REDACTED]\n");
    const context = await startContext(TRICKY);
    assert.deepEqual(await context.execute('print(dbutils.secrets.get("pipeline", "left") + "-ghijkl")\ndbutils.notebook.exit(dbutils.secrets.get("pipeline", "api-token"))'), {
      resultType: "text",
      data: "[REDACTED]\n[REDACTED]",
    });
  });

  it("leaves output alone for a secret too short to redact, and withholds all output once the code reads it", async () => {
    f.notebook("unread.py", 'print("hello there, the token is", dbutils.secrets.get("pipeline", "api-token"))');
    assert.equal((await executeTask(f.spec("unread.py", { secrets: TRICKY }), { tempDir: f.temp })).logs, "hello there, the token is [REDACTED]\n");

    f.notebook(
      "read.py",
      'print("before")',
      'flag = dbutils.secrets.get("pipeline", "flag")\nprint("after", flag)\nimport os\nos.system(f"echo {flag}")\ndbutils.jobs.taskValues.set("flag", flag)\ndbutils.notebook.exit(flag)',
    );
    const read = await executeTask(f.spec("read.py", { secrets: TRICKY }), { tempDir: f.temp });
    assert.deepEqual([read.state, read.logs, read.result, read.taskValues], ["SUCCESS", `before\n${WITHHELD}\n`, WITHHELD, undefined]);
    f.notebook("raise.py", 'raise ValueError("flag is " + dbutils.secrets.get("pipeline", "flag"))');
    const raised = await executeTask(f.spec("raise.py", { secrets: TRICKY }), { tempDir: f.temp });
    assert.deepEqual([raised.state, raised.error, raised.errorTrace, raised.logs], ["FAILED", WITHHELD, WITHHELD, `${WITHHELD}\n`]);

    const context = await startContext(TRICKY);
    assert.deepEqual(await context.execute('print("hello there")'), { resultType: "text", data: "hello there" });
    assert.deepEqual(await context.execute('flag = dbutils.secrets.get("pipeline", "flag")\nprint("flag", flag)'), { resultType: "text", data: WITHHELD });
    assert.deepEqual(await context.execute("1/0"), { resultType: "error", summary: WITHHELD, cause: WITHHELD });
    assert.deepEqual(await context.execute('import os\nos.system("echo driver")'), { resultType: "text", data: WITHHELD });
    assert.equal(await until("the driver log says why it is withheld", async () => (await context.driverLogTail()) || undefined), WITHHELD);
  });

  it("redacts what a command context writes to its file descriptors directly, in its driver log and in the cause of its end", async () => {
    const context = await startContext();
    const wrote = await context.execute(`${READ}\nos.system("echo " + token)\n_ = os.write(2, token[:4].encode())\n_ = os.write(2, (token[4:] + "\\n").encode())`);
    assert.deepEqual(wrote, { resultType: "text", data: "" });
    const log = await until("the driver log has both lines", () => context.driverLogTail().split("\n").length === 2 && context.driverLogTail());
    assert.equal(log, "[REDACTED]\n[REDACTED]");
    assert.deepEqual(await context.execute("import os\nos._exit(3)"), {
      resultType: "error",
      summary: "The Python process of the execution context ended unexpectedly.",
      cause: "[REDACTED]\n[REDACTED]",
    });
  });

  it("cuts a command's output at 5 MB without showing the part of a secret before the cut", async () => {
    const context = await startContext();
    const max = 5 * 1024 * 1024;
    const cut = await context.execute(`${READ}\nprint("x" * ${max - 5} + token)`);
    assert.equal(cut.data, `${"x".repeat(max - 5)}[REDA\n*** WARNING: output truncated ***`);
  });

  it("redacts a stream cut anywhere exactly as the whole text (the runner's redactor)", () => {
    const script = [
      "import itertools, sys",
      "sys.path.insert(0, sys.argv[1])",
      "from redaction import Redactor, RedactingStream",
      "cases = [",
      '    (["s3cr3t-value"], "a s3cr3t-values3cr3t-value, s3cr3t-val and s3cr3t-value"),',
      '    (["abcdef", "cdefgh"], "xxabcdefghyy abcdeabcdefgh cdefghabcdef"),',
      '    (["abcd", "abcdefgh"], "abcdefgh abcdabcdefg xabcdefghabcd"),',
      '    (["9abx", "abxdefgh"], "9abxdefgh 9abxdefg zz9abxdefghzz9abx"),',
      '    (["aaaa"], "aaaaaaaaa aaabaaaa"),',
      '    (["héllo-wörld"], "say héllo-wörld! héllo-wör"),',
      "]",
      "for secrets, text in cases:",
      "    r = Redactor(secrets)",
      "    data = text.encode()",
      "    whole = r.text(text).encode()",
      "    assert not any(s.encode() in whole for s in secrets), whole",
      "    for i, j in itertools.combinations(range(len(data) + 1), 2):",
      "        s = RedactingStream(r)",
      "        out = s.feed(data[:i]) + s.feed(data[i:j]) + s.feed(data[j:]) + s.finish()",
      "        assert out == whole, (secrets, i, j, out, whole)",
      '    print(whole.decode())',
    ].join("\n");
    const run = spawnSync(pythonCommand(), ["-c", script, path.dirname(runnerPath())], { encoding: "utf8" });
    assert.equal(run.stderr, "");
    assert.equal(
      run.stdout,
      [
        "a [REDACTED][REDACTED], s3cr3t-val and [REDACTED]",
        "xx[REDACTED]yy abcde[REDACTED] [REDACTED][REDACTED]",
        "[REDACTED] [REDACTED][REDACTED]efg x[REDACTED][REDACTED]",
        "[REDACTED] [REDACTED]defg zz[REDACTED]zz[REDACTED]",
        "[REDACTED] aaab[REDACTED]",
        "say [REDACTED]! héllo-wör",
        "",
      ].join("\n"),
    );
  });
});
