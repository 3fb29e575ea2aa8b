import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { TEST_CLOCK_START, until } from "../../support/emulator";
import { writeWheel } from "../../support/pythonPackages";
import { OPERATION_MS, useAzureMlEmulator, V, WS } from "./fixture";
import { blobText, childJobs, datastoreContainer, jobOf, registerComponent, uploadCode, untilStatus } from "./executionFixture";

/** Step 1 writes n numbers; step 2 sums what step 1 wrote. */
const CODE = {
  "make.py": "import os, sys\nn, out = int(sys.argv[1]), sys.argv[2]\nopen(os.path.join(out, 'numbers.txt'), 'w').write('\\n'.join(str(i) for i in range(1, n + 1)))\nprint('wrote', n, 'numbers; run', os.environ['AZUREML_RUN_ID'])\n",
  "total.py":
    "import os, sys\ndata, out = sys.argv[1], sys.argv[2]\nnumbers = [int(x) for x in open(os.path.join(data, 'numbers.txt')).read().split()]\nopen(os.path.join(out, 'total.txt'), 'w').write(str(sum(numbers)))\nprint('input from', os.environ['AZURE_ML_INPUT_data'] == data)\n",
};

const AT_START = new Date(TEST_CLOCK_START).toISOString();

describe("Azure ML emulator: pipeline jobs run locally", function () {
  this.timeout(90_000);
  const t = useAzureMlEmulator();

  /** Registers the two components of {@link CODE}; returns their ids. */
  async function components(makeCommand = "python make.py ${{inputs.n}} ${{outputs.numbers}}"): Promise<{ make: string; total: string }> {
    const code = await uploadCode(t, "numbers-code", CODE);
    const make = await registerComponent(t, "make", { code, command: makeCommand, inputs: { n: { type: "integer" } }, outputs: { numbers: { type: "uri_folder" } } });
    const total = await registerComponent(t, "total", { code, command: "python total.py ${{inputs.data}} ${{outputs.total}}", inputs: { data: { type: "uri_folder" } }, outputs: { total: { type: "uri_folder" } } });
    return { make, total };
  }

  /** Submits a pipeline where `sum` reads `make`'s output and `make` reads the pipeline's input n=4. */
  async function submit(name: string, ids: { make: string; total: string }): Promise<void> {
    const r = await t.call("PUT", `${WS}/jobs/${name}?${V}`, {
      properties: {
        jobType: "Pipeline",
        inputs: { n_param: { jobInputType: "literal", value: "4" } },
        settings: { default_compute: `${WS}/computes/cpu-cluster`, default_datastore: `${WS}/datastores/workspaceblobstore` },
        jobs: {
          sum: { name: "sum", type: "command", componentId: ids.total, inputs: { data: { job_input_type: "literal", value: "${{parent.jobs.make.outputs.numbers}}" } } },
          make: { name: "make", type: "command", componentId: ids.make, inputs: { n: { job_input_type: "literal", value: "${{parent.inputs.n_param}}" } } },
        },
      },
    });
    assert.equal(r.status, 201);
    assert.equal(r.body.properties.status, "NotStarted");
  }

  it("runs the steps in dependency order: step 2 reads step 1's output from the datastore; statuses and times on parent and children", async () => {
    await submit("two_steps", await components());
    const parent = await untilStatus(t, "two_steps", "Completed");
    assert.deepEqual(parent.properties, { StartTimeUtc: AT_START, EndTimeUtc: AT_START });
    const children = await childJobs(t, "two_steps");
    assert.deepEqual(Object.keys(children).sort(), ["make", "sum"]);
    const container = await datastoreContainer(t);
    for (const [step, output] of [["make", "numbers"], ["sum", "total"]]) {
      const child = children[step];
      assert.equal(child.properties.status, "Completed", step);
      assert.deepEqual(child.properties.properties, { "azureml.parentrunid": "two_steps", "azureml.nodeid": step, StartTimeUtc: AT_START, EndTimeUtc: AT_START });
      assert.deepEqual(child.properties.outputs, { [output]: { jobOutputType: "uri_folder", uri: `azureml://datastores/workspaceblobstore/paths/azureml/${child.name}/${output}/` } });
    }
    assert.equal(await blobText(container, `azureml/${children.make.name}/numbers/numbers.txt`), "1\n2\n3\n4");
    assert.equal(await blobText(container, `azureml/${children.sum.name}/total/total.txt`), "10");
    assert.equal(await blobText(container, `azureml/${children.make.name}/user_logs/std_log.txt`), `wrote 4 numbers; run ${children.make.name}\n`);
    assert.equal(await blobText(container, `azureml/${children.sum.name}/user_logs/std_log.txt`), "input from True\n");
  });

  it("a failing step fails its child and the pipeline with its exit code and log tail; the step after it never starts", async () => {
    await submit("fails", await components("echo preparing; echo 'boom: no numbers' >&2; exit 3"));
    const parent = await untilStatus(t, "fails", "Failed");
    const error = "step make failed with exit code 3; the end of its log:\npreparing\nboom: no numbers";
    assert.deepEqual(parent.properties, { StartTimeUtc: AT_START, EndTimeUtc: AT_START, "azureml.error": error });
    const children = await childJobs(t, "fails");
    assert.deepEqual(children.make.properties.properties, { "azureml.parentrunid": "fails", "azureml.nodeid": "make", StartTimeUtc: AT_START, EndTimeUtc: AT_START, "azureml.error": error });
    assert.equal(children.make.properties.status, "Failed");
    assert.equal(children.sum.properties.status, "NotStarted");
    assert.deepEqual(children.sum.properties.properties, { "azureml.parentrunid": "fails", "azureml.nodeid": "sum" });
    assert.equal((await jobOf(t, "fails")).status, "Failed");
  });

  it("cancel kills the running step: its child ends Canceled at once, the pipeline when the cancel operation completes; no later step starts", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "aml-cancel-"));
    const pidFile = path.join(dir, "pid");
    try {
      // The step says it runs (its pid) and then waits to be killed.
      await submit("canceled", await components(`echo $$ > ${pidFile}.tmp && mv ${pidFile}.tmp ${pidFile} && exec tail -f /dev/null`));
      const pid = Number(await until("the step process runs", () => fs.existsSync(pidFile) && fs.readFileSync(pidFile, "utf8").trim()));
      assert.equal(process.kill(pid, 0), true, "the step's process is alive before the cancel");
      assert.equal((await t.call("POST", `${WS}/jobs/canceled/cancel?${V}`)).status, 202);
      await until(`the step process ${pid} is gone`, () => {
        try {
          process.kill(pid, 0);
          return false;
        } catch {
          return true;
        }
      });
      const children = await childJobs(t, "canceled");
      assert.equal(children.make.properties.status, "Canceled");
      assert.equal(children.make.properties.properties.EndTimeUtc, AT_START);
      assert.equal(children.sum.properties.status, "NotStarted");
      assert.equal((await jobOf(t, "canceled")).status, "CancelRequested");
      t.clock.advance(OPERATION_MS);
      assert.equal((await jobOf(t, "canceled")).status, "Canceled");
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it("runs a step in its environment: the conda file's pip dependencies are importable", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "aml-env-"));
    try {
      const wheel = writeWheel(dir, "amlgreeting", "1.0.0", "HELLO = 'hello from the environment'\n");
      const condaFile = `name: greet\nchannels:\n- conda-forge\ndependencies:\n- python=3.11\n- pip\n- pip:\n  - ${wheel}\n`;
      assert.equal((await t.call("PUT", `${WS}/environments/greet/versions/1?${V}`, { properties: { image: "mcr.microsoft.com/azureml/openmpi4.1.0-ubuntu20.04:latest", condaFile } })).status, 201);
      const code = await uploadCode(t, "greet-code", { "greet.py": "import sys, amlgreeting\nopen(sys.argv[1] + '/greeting.txt', 'w').write(amlgreeting.HELLO)\n" });
      const component = await registerComponent(t, "greet", { code, environment: `azureml:${WS}/environments/greet/versions/1`, command: "python greet.py ${{outputs.greeting}}", outputs: { greeting: { type: "uri_folder" } } });
      const r = await t.call("PUT", `${WS}/jobs/greeting?${V}`, { properties: { jobType: "Pipeline", jobs: { greet: { type: "command", componentId: component } } } });
      assert.equal(r.status, 201);
      await untilStatus(t, "greeting", "Completed");
      const child = (await childJobs(t, "greeting")).greet;
      assert.equal(await blobText(await datastoreContainer(t), `azureml/${child.name}/greeting/greeting.txt`), "hello from the environment");
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
  // Last: it moves the shared manual clock on, which the tests above read as their start.
  it("deleting a pipeline job deletes its step jobs: a job submitted again under its name runs its own steps", async () => {
    const ids = await components();
    await submit("again", ids);
    await untilStatus(t, "again", "Completed");
    const first = await childJobs(t, "again");
    assert.deepEqual(Object.keys(first).sort(), ["make", "sum"]);
    assert.equal((await t.call("DELETE", `${WS}/jobs/again?${V}`)).status, 202);
    t.clock.advance(OPERATION_MS);
    assert.equal((await t.call("GET", `${WS}/jobs/again?${V}`)).status, 404);
    for (const child of Object.values(first)) assert.equal((await t.call("GET", `${WS}/jobs/${child.name}?${V}`)).status, 404, child.name);
    assert.deepEqual(await childJobs(t, "again"), {});

    await submit("again", ids);
    await untilStatus(t, "again", "Completed");
    const second = await childJobs(t, "again");
    assert.deepEqual(Object.keys(second).sort(), ["make", "sum"]);
    for (const step of ["make", "sum"]) {
      assert.notEqual(second[step].name, first[step].name, step);
      assert.equal(second[step].properties.status, "Completed", step);
    }
    const container = await datastoreContainer(t);
    assert.equal(await blobText(container, `azureml/${second.make.name}/user_logs/std_log.txt`), `wrote 4 numbers; run ${second.make.name}\n`);
    assert.equal(await blobText(container, `azureml/${second.sum.name}/total/total.txt`), "10");
  });
});
