import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { httpCaller, until, withEmulator, type TestEmulator } from "../../support/emulator";
import { startEmulatorProcess } from "../../support/emulatorProcess";
import { OPERATION_MS, V, WS } from "./fixture";
import { blobText, datastoreContainer, ENVIRONMENT, jobOf, registerComponent, submitJob, untilStatus } from "./executionFixture";

/** Every child job of `parent` (a step run again has several), oldest first. */
async function allChildren(t: TestEmulator, parent: string): Promise<{ name: string; step: string; status: string; error?: string }[]> {
  const jobs = (await t.call("GET", `${WS}/jobs?${V}`)).body.value as { name: string; properties: Record<string, any> }[];
  return jobs
    .filter((j) => j.properties.properties?.["azureml.parentrunid"] === parent)
    .map((j) => ({ name: j.name, step: j.properties.properties["azureml.nodeid"], status: j.properties.status, error: j.properties.properties["azureml.error"] }));
}

const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

/** How long a step may take to start on a busy machine (a fresh emulator process resolves its Python first). */
const START_LIMIT_MS = 60_000;

describe("Azure ML emulator: jobs running when the emulator stops go on when it starts again on the same state", function () {
  this.timeout(120_000);
  let dir: string;
  let options: { stateDir: string; azureml: { operationMs: number } };
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "aml-resume-"));
    options = { stateDir: path.join(dir, "state"), azureml: { operationMs: OPERATION_MS } };
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  /** A command that records its pid, then waits (at most 30 s) for the file `go`; it succeeds if `go` is there. */
  const waitForGo = (name: string): string => `echo $$ > ${dir}/${name}.pid; for i in $(seq 300); do [ -e ${dir}/go ] && break; sleep 0.1; done; [ -e ${dir}/go ]`;

  it("a pipeline keeps its completed step, and runs the interrupted one again as a new child job (the old one Failed: node lost)", async () => {
    const pidFile = path.join(dir, "second.pid");
    const first = await withEmulator(options, async (t) => {
      const make = await registerComponent(t, "make", { command: "echo 42 > ${{outputs.out}}/n.txt", outputs: { out: { type: "uri_folder" } } });
      const use = await registerComponent(t, "use", { command: `${waitForGo("second")} && cat \${{inputs.data}}/n.txt > \${{outputs.out}}/n.txt`, inputs: { data: { type: "uri_folder" } }, outputs: { out: { type: "uri_folder" } } });
      await submitJob(t, "resumed", {
        jobType: "Pipeline",
        jobs: {
          first: { type: "command", componentId: make },
          second: { type: "command", componentId: use, inputs: { data: { job_input_type: "literal", value: "${{parent.jobs.first.outputs.out}}" } } },
        },
      });
      const pid = Number(await until("the second step runs", () => fs.existsSync(pidFile) && fs.readFileSync(pidFile, "utf8").trim(), START_LIMIT_MS));
      assert.equal((await jobOf(t, "resumed")).status, "Running");
      return { pid, children: await allChildren(t, "resumed") };
    });
    assert.equal(alive(first.pid), false, "stopping the emulator ended the running step");
    assert.deepEqual(first.children.map((c) => [c.step, c.status]), [["first", "Completed"], ["second", "Running"]]);

    fs.writeFileSync(path.join(dir, "go"), "");
    await withEmulator(options, async (t) => {
      await untilStatus(t, "resumed", "Completed");
      const children = await allChildren(t, "resumed");
      const [kept, lost, rerun] = children;
      assert.deepEqual(children.map((c) => [c.step, c.status]), [["first", "Completed"], ["second", "Failed"], ["second", "Completed"]]);
      assert.equal(kept.name, first.children[0].name, "the completed step is kept, not run again");
      assert.equal(lost.name, first.children[1].name);
      assert.equal(lost.error, `the compute node running step second was lost (the emulator stopped); the step runs again as job ${rerun.name}`);
      assert.equal(await blobText(await datastoreContainer(t), `azureml/${rerun.name}/out/n.txt`), "42\n", "the rerun read the kept step's output");
    });
  });

  it("a command job runs again from the start", async () => {
    const pidFile = path.join(dir, "cmd.pid");
    await withEmulator(options, async (t) => {
      await submitJob(t, "cmd_resumed", { jobType: "Command", command: `${waitForGo("cmd")} && echo done > \${{outputs.out}}/done.txt`, environmentId: ENVIRONMENT, outputs: { out: { jobOutputType: "uri_folder" } } });
      await until("the command runs", () => fs.existsSync(pidFile), START_LIMIT_MS);
      assert.equal((await jobOf(t, "cmd_resumed")).status, "Running");
    });
    fs.writeFileSync(path.join(dir, "go"), "");
    await withEmulator(options, async (t) => {
      await untilStatus(t, "cmd_resumed", "Completed");
      assert.equal(await blobText(await datastoreContainer(t), "azureml/cmd_resumed/out/done.txt"), "done\n");
    });
  });

  it("after the emulator is killed (SIGKILL), the next start ends the step process it left and runs the step again", async () => {
    const token = "resume-kill-token-5f1e";
    const pidFile = path.join(dir, "killed.pid");
    const child = await startEmulatorProcess(options.stateDir, token);
    let pid: number;
    try {
      const remote = { call: httpCaller(child.url, token) };
      const step = await registerComponent(remote, "held", { command: waitForGo("killed") });
      await submitJob(remote, "killed", { jobType: "Pipeline", jobs: { held: { type: "command", componentId: step } } });
      pid = Number(await until("the step runs", () => fs.existsSync(pidFile) && fs.readFileSync(pidFile, "utf8").trim(), START_LIMIT_MS));
    } finally {
      await child.kill();
    }
    assert.equal(alive(pid), true, "the step's process outlives the killed emulator");
    fs.rmSync(pidFile);
    await withEmulator(options, async (t) => {
      await until(`the left step process ${pid} is ended`, () => !alive(pid), START_LIMIT_MS);
      const rerun = Number(await until("the step runs again", () => fs.existsSync(pidFile) && fs.readFileSync(pidFile, "utf8").trim(), START_LIMIT_MS));
      assert.notEqual(rerun, pid);
      fs.writeFileSync(path.join(dir, "go"), "");
      await untilStatus(t, "killed", "Completed");
      // Listed by creation time, which the killed emulator's clock set: in no set order.
      assert.deepEqual((await allChildren(t, "killed")).map((c) => [c.step, c.status]).sort(), [["held", "Completed"], ["held", "Failed"]]);
    });
  });
});
