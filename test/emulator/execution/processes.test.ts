import * as assert from "node:assert/strict";
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { once } from "node:events";
import * as fs from "node:fs";
import * as path from "node:path";
import { ManualClock } from "../../../src/emulator/core/clock";
import { PythonContext } from "../../../src/emulator/execution/commandContext";
import { cleanupExecutionLeftovers } from "../../../src/emulator/execution/contract";
import { executeTask } from "../../../src/emulator/execution/executor";
import { makeWorkDir } from "../../../src/emulator/execution/workDirs";
import { until } from "../../support/emulator";
import { alive, gone, sleeperCode, sleeperPids, useExecutionFolders } from "./folders";

const PACKAGE_ROOT = path.resolve(__dirname, "..", "..", "..");
const FIXTURE = path.join(__dirname, "fixtures", "executorProcess.ts");

/** The Python processes the executor starts, and their temporary folders, end with what started them. */
describe("executor processes and temporary folders (real Python)", function () {
  this.timeout(30_000);
  let emulator: ChildProcess | undefined;
  afterEach(() => {
    emulator?.kill("SIGKILL");
    emulator = undefined;
  });
  const f = useExecutionFolders({ pipeline: { "api-token": "s3cr3t-value" } });

  /** A Node process that starts a task run or a context (see the fixture), killed by the test or leaving by itself. */
  const startEmulator = (...args: string[]): ChildProcess =>
    spawn(process.execPath, ["-r", "ts-node/register/transpile-only", FIXTURE, ...args], { cwd: PACKAGE_ROOT, stdio: "ignore" });

  it("ends a task's process group when the emulator running it is killed; the next start kills what left the group and removes the folder", async () => {
    const marker = path.join(f.dir, "started");
    f.notebook("sleep.py", sleeperCode(marker, true));
    emulator = startEmulator("task", JSON.stringify(f.spec("sleep.py")), f.temp);
    const [runner, child, escaped] = await sleeperPids(marker);
    const folders = fs.readdirSync(f.temp);
    assert.equal(folders.length, 1);
    assert.match(folders[0], new RegExp(`^amldb-task-${emulator.pid}-\\d+-\\w{6}$`));

    const exited = once(emulator, "exit");
    emulator.kill("SIGKILL");
    await gone([runner, child]);
    await exited;
    assert.ok(alive(escaped), "a process in a session of its own outlives the task's group");
    assert.deepEqual(cleanupExecutionLeftovers(f.temp), { removed: [path.join(f.temp, folders[0])], killed: [escaped] });
    await gone([escaped]);
    assert.deepEqual(fs.readdirSync(f.temp), []);
  });

  it("ends a command context's process group when the emulator running it is killed", async () => {
    const marker = path.join(f.dir, "started");
    const options = { dbfsRoot: f.dbfs, mountsFile: f.mountsFile, secrets: {}, tempDir: f.temp };
    emulator = startEmulator("context", JSON.stringify(options), sleeperCode(marker));
    const pids = await sleeperPids(marker);
    const folders = fs.readdirSync(f.temp);
    assert.match(folders.join(), new RegExp(`^amldb-context-${emulator.pid}-\\d+-\\w{6}$`));

    const exited = once(emulator, "exit");
    emulator.kill("SIGKILL");
    await gone(pids);
    await exited;
    assert.deepEqual(cleanupExecutionLeftovers(f.temp), { removed: [path.join(f.temp, folders[0])], killed: [] });
    assert.deepEqual(fs.readdirSync(f.temp), []);
  });

  it("removes a run's temporary folder however the run ends, and a context's when it is destroyed", async () => {
    const marker = path.join(f.dir, "folder");
    f.notebook(
      "ends.py",
      [
        "import os, time",
        `with open(${JSON.stringify(marker)} + ".tmp", "w") as f:`,
        '    f.write(os.environ["AMLDB_EXECUTION_DIR"])',
        `os.rename(${JSON.stringify(marker)} + ".tmp", ${JSON.stringify(marker)})`,
        'end = dbutils.widgets.get("end")',
        'if end == "fail":',
        '    raise ValueError("failed")',
        'if end == "wait":',
        "    time.sleep(30)",
      ].join("\n"),
    );
    /** Runs the notebook until `stop` ends it; returns its state and whether its folder was under `temp` and is gone. */
    const run = async (end: string, stop: (clock: ManualClock, abort: AbortController) => Promise<void> | void = () => undefined) => {
      fs.rmSync(marker, { force: true });
      const clock = new ManualClock(0);
      const abort = new AbortController();
      const running = executeTask(f.spec("ends.py", { widgets: { end } }), { tempDir: f.temp, clock, timeoutSeconds: 5, signal: abort.signal });
      const folder = await until("the notebook wrote its folder", () => fs.existsSync(marker) && fs.readFileSync(marker, "utf8"));
      await stop(clock, abort);
      const outcome = await running;
      return [outcome.state, path.dirname(folder) === f.temp, fs.existsSync(folder)];
    };
    assert.deepEqual(await run("ok"), ["SUCCESS", true, false]);
    assert.deepEqual(await run("fail"), ["FAILED", true, false]);
    assert.deepEqual(await run("wait", (clock) => clock.advance(5000)), ["TIMEDOUT", true, false]);
    assert.deepEqual(await run("wait", (_, abort) => abort.abort()), ["CANCELED", true, false]);
    assert.deepEqual(fs.readdirSync(f.temp), []);

    const context = await PythonContext.start({ dbfsRoot: f.dbfs, mountsFile: f.mountsFile, secrets: {}, tempDir: f.temp });
    const folder = (await context.execute('import os\nos.environ["AMLDB_EXECUTION_DIR"]')).data!.slice(1, -1);
    assert.deepEqual([path.dirname(folder), fs.existsSync(folder)], [f.temp, true]);
    await context.destroy();
    assert.deepEqual(fs.readdirSync(f.temp), []);

    // The last thing a Node process does: nothing else keeps it running while the context ends.
    emulator = startEmulator("destroy", JSON.stringify({ dbfsRoot: f.dbfs, mountsFile: f.mountsFile, secrets: {}, tempDir: f.temp }), 'print("hello")');
    assert.deepEqual(await once(emulator, "exit"), [0, null]);
    assert.deepEqual(fs.readdirSync(f.temp), []);
  });

  it("leaves the folders of a running emulator, and folders it did not make, alone", () => {
    const running = makeWorkDir("task", f.temp);
    // Made by an earlier process with this pid (its start time differs): that emulator is gone.
    const orphaned = path.join(f.temp, `amldb-context-${process.pid}-1-aB3dE9`);
    const gonePid = spawnSync("true").pid;
    const ofExited = path.join(f.temp, `amldb-task-${gonePid}-1-zzzzzz`);
    const unknown = ["amldb-task-Ab12Cd", "notes"].map((name) => path.join(f.temp, name));
    for (const dir of [orphaned, ofExited, ...unknown]) fs.mkdirSync(dir);
    fs.writeFileSync(path.join(orphaned, "result.json"), "{}");

    assert.deepEqual(cleanupExecutionLeftovers(f.temp), { removed: [orphaned, ofExited].sort(), killed: [] });
    assert.deepEqual(fs.readdirSync(f.temp).sort(), [path.basename(running), "amldb-task-Ab12Cd", "notes"].sort());
    assert.deepEqual(cleanupExecutionLeftovers(path.join(f.dir, "missing")), { removed: [], killed: [] });
  });
});
