import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { TEST_CLOCK_START, until } from "../../support/emulator";
import { MAX_PARALLEL_STEPS } from "../../../src/emulator/azureml/execution/pipelineRun";
import { useAzureMlEmulator, V, WS } from "./fixture";
import { blobText, childJobs, datastoreContainer, jobOf, jobPageHtml, pageHistories, registerComponent, submitJob, untilStatus } from "./executionFixture";

const iso = (ms: number): string => new Date(ms).toISOString();

describe("Azure ML emulator: pipeline steps in parallel, pipeline inputs and outputs, times and statuses", function () {
  this.timeout(90_000);
  const t = useAzureMlEmulator();
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "aml-pipe-"));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it("runs independent steps at once: each step sees the other's marker while it runs", async () => {
    // Each step marks that it runs, then waits (at most 30 s) for the other's mark: both succeed only if they overlap.
    const rendezvous = await registerComponent(t, "rendezvous", {
      command: "touch ${{inputs.dir}}/${{inputs.me}}; for i in $(seq 300); do [ -e ${{inputs.dir}}/${{inputs.other}} ] && echo met ${{inputs.other}} && exit 0; sleep 0.1; done; echo alone; exit 1",
      inputs: { dir: { type: "string" }, me: { type: "string" }, other: { type: "string" } },
    });
    const step = (me: string, other: string) => ({
      type: "command",
      componentId: rendezvous,
      inputs: { dir: { job_input_type: "literal", value: "${{parent.inputs.marker_dir}}" }, me: { job_input_type: "literal", value: me }, other: { job_input_type: "literal", value: other } },
    });
    await submitJob(t, "parallel", { jobType: "Pipeline", inputs: { marker_dir: { jobInputType: "literal", value: dir } }, jobs: { a: step("a", "b"), b: step("b", "a") } });
    await untilStatus(t, "parallel", "Completed");
    const children = await childJobs(t, "parallel");
    const container = await datastoreContainer(t);
    assert.equal(await blobText(container, `azureml/${children.a.name}/user_logs/std_log.txt`), "met b\n");
    assert.equal(await blobText(container, `azureml/${children.b.name}/user_logs/std_log.txt`), "met a\n");
  });

  it(`runs at most ${MAX_PARALLEL_STEPS} steps at once: the next waits until one of them ends`, async () => {
    // Each step marks that it runs, then waits (at most 30 s) for the file go.
    const go = path.join(dir, "go");
    const hold = await registerComponent(t, "hold", { command: `touch ${dir}/\${{inputs.me}}.runs; for i in $(seq 300); do [ -e ${go} ] && break; sleep 0.1; done; [ -e ${go} ]`, inputs: { me: { type: "string" } } });
    const steps = Array.from({ length: MAX_PARALLEL_STEPS + 1 }, (_, i) => `s${i + 1}`);
    await submitJob(t, "limited", { jobType: "Pipeline", jobs: Object.fromEntries(steps.map((s) => [s, { type: "command", componentId: hold, inputs: { me: { job_input_type: "literal", value: s } } }])) });
    const first = steps.slice(0, MAX_PARALLEL_STEPS);
    await until(`steps ${first.join(", ")} run`, () => first.every((s) => fs.existsSync(path.join(dir, `${s}.runs`))));
    // The executor starts every step it may in one pass: had the limit let the last one start, it would be Queued by now.
    const last = steps[MAX_PARALLEL_STEPS];
    assert.equal((await childJobs(t, "limited"))[last].properties.status, "NotStarted");
    assert.equal(fs.existsSync(path.join(dir, `${last}.runs`)), false);
    fs.writeFileSync(go, "");
    await untilStatus(t, "limited", "Completed");
    assert.equal(fs.existsSync(path.join(dir, `${last}.runs`)), true);
  });

  it("binds a step's inputs to the pipeline's literal and uri inputs, and its outputs to the pipeline's outputs, which land at their paths", async () => {
    const container = await datastoreContainer(t);
    await container.getBlockBlobClient("seed/words.txt").upload("alpha beta", 10);
    const copy = await registerComponent(t, "copy", {
      command: "cat ${{inputs.data}}/words.txt > ${{outputs.result}}/words.txt && echo ${{inputs.suffix}} > ${{outputs.extra}}/suffix.txt",
      inputs: { data: { type: "uri_folder" }, suffix: { type: "string" } },
      outputs: { result: { type: "uri_folder" }, extra: { type: "uri_folder" } },
    });
    const submitted = {
      jobType: "Pipeline",
      inputs: { seed: { jobInputType: "uri_folder", uri: "azureml://datastores/workspaceblobstore/paths/seed/", mode: "ReadOnlyMount" }, suffix: { jobInputType: "literal", value: "-x" } },
      outputs: { words: { jobOutputType: "uri_folder", mode: "ReadWriteMount" }, more: { jobOutputType: "uri_folder", uri: "azureml://datastores/workspaceblobstore/paths/chosen/more/" } },
      jobs: {
        copy: {
          type: "command",
          componentId: copy,
          inputs: { data: { job_input_type: "literal", value: "${{parent.inputs.seed}}" }, suffix: { job_input_type: "literal", value: "${{parent.inputs.suffix}}" } },
          outputs: { result: { type: "literal", value: "${{parent.outputs.words}}" }, extra: { type: "literal", value: "${{parent.outputs.more}}" } },
        },
      },
    };
    await submitJob(t, "bound", submitted);
    const parent = await untilStatus(t, "bound", "Completed");
    assert.deepEqual(parent.outputs, {
      words: { jobOutputType: "uri_folder", mode: "ReadWriteMount", uri: "azureml://datastores/workspaceblobstore/paths/azureml/bound/words/" },
      more: { jobOutputType: "uri_folder", uri: "azureml://datastores/workspaceblobstore/paths/chosen/more/" },
    });
    assert.equal(await blobText(container, "azureml/bound/words/words.txt"), "alpha beta");
    assert.equal(await blobText(container, "chosen/more/suffix.txt"), "-x\n");
    const again = await t.call("PUT", `${WS}/jobs/bound?${V}`, { properties: { ...submitted, tags: { seen: "yes" } } });
    assert.equal(again.status, 200, "a re-PUT of the same job (its output paths left to the service) changes its tags");
    assert.deepEqual(again.body.properties.outputs, parent.outputs);
    const child = (await childJobs(t, "bound")).copy;
    assert.deepEqual(child.properties.outputs, {
      result: { jobOutputType: "uri_folder", uri: "azureml://datastores/workspaceblobstore/paths/azureml/bound/words/" },
      extra: { jobOutputType: "uri_folder", uri: "azureml://datastores/workspaceblobstore/paths/chosen/more/" },
    });
  });

  it("records start and end times (StartTimeUtc, EndTimeUtc) and every status on the parent and its child", async () => {
    const go = path.join(dir, "go");
    const started = path.join(dir, "started");
    const wait = await registerComponent(t, "wait", { command: `touch ${started}; for i in $(seq 300); do [ -e ${go} ] && exit 0; sleep 0.1; done; exit 1` });
    await submitJob(t, "timed", { jobType: "Pipeline", jobs: { wait: { type: "command", componentId: wait } } });
    await until("the step runs", () => fs.existsSync(started));
    assert.equal((await jobOf(t, "timed")).status, "Running");
    t.clock.advance(60_000);
    fs.writeFileSync(go, "");
    const parent = await untilStatus(t, "timed", "Completed");
    const [start, end] = [iso(TEST_CLOCK_START), iso(TEST_CLOCK_START + 60_000)];
    assert.deepEqual(parent.properties, { StartTimeUtc: start, EndTimeUtc: end });
    const child = (await childJobs(t, "timed")).wait;
    assert.deepEqual(child.properties.properties, { "azureml.parentrunid": "timed", "azureml.nodeid": "wait", StartTimeUtc: start, EndTimeUtc: end });
    const [parentHistory, childHistory] = pageHistories(await jobPageHtml(t, "timed"));
    assert.deepEqual(parentHistory, [
      { status: "NotStarted", at: start },
      { status: "Preparing", at: start },
      { status: "Running", at: start },
      { status: "Finalizing", at: end },
      { status: "Completed", at: end },
    ]);
    assert.deepEqual(childHistory, [
      { status: "NotStarted", at: start },
      { status: "Queued", at: start },
      { status: "Preparing", at: start },
      { status: "Running", at: start },
      { status: "Finalizing", at: end },
      { status: "Completed", at: end },
    ]);
    assert.equal(`${WS}/components/wait/versions/1`, child.properties.componentId);
  });
});
