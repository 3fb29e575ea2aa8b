import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import { randomBytes } from "node:crypto";
import { resourceList } from "./support/projectFixture";
import { configure, emulatorGet, ExampleFixture, startExample, timedUp, typeCheck } from "./support/exampleFixture";
import { filesUnder } from "./support/inlineFixture";

const DYNAMIC = "pulumi-nodejs:dynamic/azureml-databricks";

/**
 * examples/adf-notebook-activity (seed 003) as a user runs it: the Notebook activity's run with
 * its timeout, retries (the notebook fails its first attempt), retry interval, secure input and
 * output, base parameters and appended library; the schedule trigger as a scheduled job.
 */
describe("example adf-notebook-activity (seed 003) through the pulumi CLI", function () {
  this.timeout(10 * 60 * 1000);
  const apiKey = randomBytes(12).toString("hex");
  let example: ExampleFixture;

  before(async function () {
    this.timeout(30 * 60 * 1000); // packing builds the package; the first run may build the engine
    example = await startExample("adf-notebook-activity", "e2e");
    await configure(example, { rows: "5" }, { apiKey });
  });

  after(async () => example?.close());

  const api = (route: string) => emulatorGet(example, route);

  it("type-checks against the installed package's declarations", () => typeCheck(example));

  it("up runs the activity (a failed first attempt, then a retry that succeeds) and creates the scheduled trigger", async () => {
    assert.deepEqual(await timedUp(example, "first up"), { create: 4 });
    assert.deepEqual(resourceList(example.resources()), [
      `${DYNAMIC}:DatabricksJob::daily-trigger`,
      `${DYNAMIC}:DatabricksRun::notebook-activity`,
      `${DYNAMIC}:DatabricksWorkspaceItem::ingest`,
      "pulumi:providers:pulumi-nodejs::default",
      "pulumi:pulumi:Stack::adf-notebook-activity-e2e",
    ]);
    const outputs = await example.stack.outputs();
    assert.equal(outputs.resultState, "SUCCESS");
    assert.deepEqual(JSON.parse(outputs.runOutput as string), { table: "sales", rows: 5, sum: 10, apiKeyLength: apiKey.length, six: "1.16.0" });
    const run = await api(`/api/2.1/jobs/runs/get?run_id=${outputs.runId}`);
    // The retry: attempt 0 failed on the marker, attempt 1 (after the interval) succeeded.
    assert.equal(run.state.result_state, "SUCCESS");
    const [task] = run.tasks;
    assert.equal(task.attempt_number, 1);
    assert.deepEqual(
      { timeout: task.timeout_seconds, retries: task.max_retries, interval: task.min_retry_interval_millis, libraries: task.libraries, parameters: Object.keys(task.notebook_task.base_parameters).sort() },
      { timeout: 600, retries: 2, interval: 1000, libraries: [{ pypi: { package: "six==1.16.0" } }], parameters: ["api_key", "marker", "rows", "table"] },
    );
    const job = await api(`/api/2.1/jobs/get?job_id=${outputs.triggerJobId}`);
    assert.deepEqual(job.settings.schedule, { quartz_cron_expression: "0 0 2 * * ?", timezone_id: "UTC", pause_status: "UNPAUSED" });
    assert.deepEqual(job.settings.tasks.map((t: Record<string, any>) => [t.task_key, t.notebook_task.notebook_path, t.max_retries]), [["notebook_activity", "/Shared/adf/ingest", 2]]);
  });

  it("keeps the secure input and the secure output encrypted in the state", () => {
    const stateFiles = filesUnder(example.backendDir);
    const state = stateFiles.map((f) => fs.readFileSync(f, "utf8")).join("\n");
    const run = example.resources().find((r) => r.type === `${DYNAMIC}:DatabricksRun`)!;
    assert.ok(state.includes("notebook-activity"), "the scanned state is not empty");
    assert.ok(!state.includes(apiKey), "the state leaks the secure input");
    // Pulumi's secret signature: the exit value is stored encrypted.
    assert.equal((run.outputs!.notebookOutput as Record<string, unknown>)["4dabf18193072939515e22adb298388d"], "1b47061264138c4ac30d75fd1eb44270");
    assert.equal((run.outputs!.secureInput as Record<string, unknown>)?.["4dabf18193072939515e22adb298388d"], "1b47061264138c4ac30d75fd1eb44270");
  });

  it("an unchanged up is all same", async () => {
    assert.deepEqual(await timedUp(example, "unchanged up"), { same: 4 });
  });

  it("destroy removes everything", async () => {
    assert.deepEqual(await example.update("destroy"), { delete: 4 });
    assert.deepEqual(example.resources(), []);
    assert.deepEqual((await api("/api/2.1/jobs/list")).jobs ?? [], []);
  });
});
