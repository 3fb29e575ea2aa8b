import * as assert from "node:assert/strict";
import { createDatabricksApi, DatabricksApi } from "../../../src/databricks/client";
import * as lifecycle from "../../../src/databricks/run/lifecycle";
import { RunInputs } from "../../../src/databricks/run/inputs";
import { RunningEmulator, systemClock } from "../../../src/emulator";
import { startTestEmulator, until } from "../../support/emulator";

/** The DatabricksRun provider's operations against the Databricks part of the emulator. */
describe("DatabricksRun provider operations against the emulator", function () {
  this.timeout(60_000);
  const token = "run-lifecycle-token";
  let emulator: RunningEmulator;
  let api: DatabricksApi;
  const saved = { ...process.env };
  const logged: string[] = [];
  const realLog = console.log;

  before(async () => {
    emulator = (await startTestEmulator({ token, clock: systemClock })).emulator;
    Object.assign(process.env, { AMLDB_TARGET: "local", AMLDB_LOCAL_TOKEN: token, DATABRICKS_HOST: emulator.url });
    api = createDatabricksApi({ host: emulator.url });
    await api.workspace.mkdirs("/Shared/tests");
    await api.workspace.import({ path: "/Shared/tests/ok", format: "SOURCE", language: "PYTHON", overwrite: true, content: notebook('rows = int(dbutils.widgets.get("rows"))', 'dbutils.notebook.exit(str(rows * 2))') });
    await api.workspace.import({ path: "/Shared/tests/boom", format: "SOURCE", language: "PYTHON", overwrite: true, content: notebook('raise ValueError("boom")') });
    console.log = (...args: unknown[]) => logged.push(args.join(" "));
  });
  after(async () => {
    console.log = realLog;
    process.env = saved;
    await emulator?.close();
  });
  beforeEach(() => (logged.length = 0));

  const inputs = (path: string, rows = "21"): RunInputs => ({
    host: emulator.url,
    identity: `proj/test/${path}-${rows}`,
    notebookTask: { notebookPath: `/Shared/tests/${path}`, baseParameters: { rows } },
    newCluster: { sparkVersion: "15.4.x-scala2.12", nodeTypeId: "Standard_DS3_v2", numWorkers: 1 },
  });

  async function runCount(): Promise<number> {
    return (await api.jobs.runsList({})).runs?.length ?? 0;
  }

  it("submits, waits, and returns the notebook's exit value with the run's record", async () => {
    const { id, outs } = await lifecycle.create(inputs("ok"));
    assert.equal(id, String(outs.runId));
    assert.equal(outs.notebookOutput, "42");
    assert.equal(outs.lifeCycleState, "TERMINATED");
    assert.equal(outs.resultState, "SUCCESS");
    assert.equal(outs.runName, "ok-21");
    assert.deepEqual(Object.keys(outs.taskRunIds), ["main"]);
    assert.match(outs.runPageUrl, /#job\/\d+\/run\/\d+$/);
    assert.ok(logged.some((l) => l.includes(`run ${outs.runId} TERMINATED SUCCESS`)), logged.join("\n"));
  });

  it("adopts the run of an interrupted up instead of starting another", async () => {
    const first = await lifecycle.create(inputs("ok", "5"));
    const before = await runCount();
    const again = await lifecycle.create(inputs("ok", "5"));
    assert.equal(again.outs.runId, first.outs.runId);
    assert.equal(await runCount(), before);
  });

  it("fails with the notebook's exception and the run page, records the run, and runs again on the next up", async () => {
    type Recorded = Error & { id: string; properties: lifecycle.RunOutputs };
    const failure = (await lifecycle.create(inputs("boom")).then(() => assert.fail("should fail"), (e: Error) => e)) as Recorded;
    assert.match(failure.message, /^Databricks run "boom-21" \(run \d+\) ended TERMINATED FAILED/);
    assert.match(failure.message, /ValueError: boom/);
    assert.match(failure.message, /\nRun page: http:\/\/127\.0\.0\.1:\d+\/.*#job\/\d+\/run\/\d+$/);
    assert.equal(failure.id, String(failure.properties.runId));
    assert.equal(failure.properties.resultState, "FAILED");
    assert.deepEqual(await lifecycle.diff(failure.id, failure.properties, inputs("boom")), { changes: true, replaces: [], deleteBeforeReplace: false });
    const again = (await lifecycle.update(failure.id, failure.properties, inputs("boom")).then(() => assert.fail("should fail"), (e: Error) => e)) as Recorded;
    assert.equal(again.id, failure.id);
    assert.notEqual(again.properties.runId, failure.properties.runId);
    await assert.rejects(api.jobs.runsGet(failure.properties.runId), /does not exist/);
  });

  it("keeps notebook text out of what state records of a failure, and secure inputs out of the message too", async () => {
    type Recorded = Error & { id: string; properties: lifecycle.RunOutputs; reasons: string[] };
    const canary = `canary-${Date.now()}-s3cret`;
    await api.workspace.import({
      path: "/Shared/tests/leak",
      format: "SOURCE",
      language: "PYTHON",
      overwrite: true,
      content: notebook('key = dbutils.widgets.get("api_key")', 'print("the key is " + key)', 'raise RuntimeError("refused key " + key)'),
    });
    const failing = { ...inputs("leak"), secureInput: { api_key: canary } };
    const failure = (await lifecycle.create(failing).then(() => assert.fail("should fail"), (e: Error) => e)) as Recorded;
    const runId = failure.properties.runId;
    const page = failure.properties.runPageUrl;
    assert.equal(
      failure.message.replace(/\n {6}.*(?=\n)/g, ""),
      `Databricks run "leak-21" (run ${runId}) ended TERMINATED FAILED: Task main failed with message: Workload failed, see run output for details.\n` +
        '  task "main" FAILED: Workload failed, see run output for details\n' +
        "    RuntimeError: refused key [REDACTED]\n" +
        `Run page: ${page}`,
    );
    assert.match(failure.message, /\n {6}RuntimeError: refused key \[REDACTED\]\n/);
    assert.deepEqual(failure.reasons, [
      `Databricks run "leak-21" (run ${runId}) ended TERMINATED FAILED: Task main failed with message: Workload failed, see run output for details.\n` +
        '  task "main" FAILED: Workload failed, see run output for details\n' +
        "The tasks' errors are printed above, not kept in the stack's state, as notebook text may hold secrets; the run page has them too.\n" +
        `Run page: ${page}`,
    ]);
    const { secureInput, ...recorded } = failure.properties;
    assert.deepEqual(secureInput, { api_key: canary }, "the engine re-marks the secure input secret");
    assert.deepEqual(Object.keys(recorded).filter((k) => /output/i.test(k)), []);
    for (const text of [failure.message, JSON.stringify(failure.reasons), JSON.stringify(recorded)]) assert.ok(!text.includes(canary), text);
    assert.equal(logged[logged.length - 1], failure.message, "the error is printed, secure inputs taken out");
    assert.ok(!logged.join("\n").includes(canary));

    // The run page masks the secure input the package named, in the parameters and in the error.
    const runPage = await fetch(`${emulator.url}/jobs/${(await api.jobs.runsGet(runId)).job_id}/runs/${runId}`, { headers: { Authorization: `Bearer ${token}` } });
    const pageText = await runPage.text();
    assert.equal(runPage.status, 200);
    assert.ok(pageText.includes('<td>main</td><td>notebook</td><td>api_key</td><td><span class="masked">••••• (secure)</span></td>'), pageText);
    assert.ok(pageText.includes("RuntimeError: refused key [REDACTED]"), pageText);
    assert.ok(!pageText.includes(canary), "the secure input appears nowhere on the run page");

    const short = (await lifecycle.create({ ...inputs("leak", "22"), secureInput: { api_key: "k9" } }).then(() => assert.fail("should fail"), (e: Error) => e)) as Recorded;
    assert.match(short.message, /\n {4}\(the task's error is withheld: a secure input is too short to take out of it; see the run page\)\nRun page: /);
    assert.ok(!short.message.includes("refused key"));
  });

  it("deletes the run record on delete unless keepHistory", async () => {
    const { id, outs } = await lifecycle.create(inputs("ok", "7"));
    await lifecycle.remove(id, outs);
    await assert.rejects(api.jobs.runsGet(outs.runId), /does not exist/);
    const again = await lifecycle.create(inputs("ok", "7"));
    assert.ok(again.outs.runId > outs.runId, "the same inputs after a delete start a new run: the deleted run's token is refused, the next one taken");
    assert.equal(again.outs.resultState, "SUCCESS");
    const kept = await lifecycle.create(inputs("ok", "8"));
    await lifecycle.remove(kept.id, { ...kept.outs, keepHistory: true });
    assert.equal((await api.jobs.runsGet(kept.outs.runId)).run_id, kept.outs.runId);
  });

  it("cancels a still-active run on delete, waits for it to stop, then deletes it", async () => {
    await api.workspace.import({ path: "/Shared/tests/sleep", format: "SOURCE", language: "PYTHON", overwrite: true, content: notebook("import time", "time.sleep(60)") });
    const { run_id } = await api.jobs.runsSubmit({ run_name: "sleepy", tasks: [{ task_key: "main", existing_cluster_id: undefined, new_cluster: { spark_version: "15.4.x-scala2.12", node_type_id: "n", num_workers: 0 }, notebook_task: { notebook_path: "/Shared/tests/sleep" } }] });
    await until("the run is RUNNING", async () => (await api.jobs.runsGet(run_id)).state?.life_cycle_state === "RUNNING");
    const props = { ...inputs("sleep"), runId: run_id, runName: "sleepy", runPageUrl: "", lifeCycleState: "RUNNING", taskRunIds: {} };
    await lifecycle.remove(String(run_id), props);
    assert.ok(logged.some((l) => l.includes(`cancelling run ${run_id} (RUNNING)`)), logged.join("\n"));
    assert.ok(logged.some((l) => l.includes(`run ${run_id} TERMINATED CANCELED`)), logged.join("\n"));
    await assert.rejects(api.jobs.runsGet(run_id), /does not exist/);
  });

  it("records a run still going when the wait times out, and the next up adopts it and waits again", async () => {
    await api.workspace.import({ path: "/Shared/tests/gate", format: "SOURCE", language: "PYTHON", overwrite: true, content: notebook("import os, time", "while not os.path.exists('/dbfs/gate'): time.sleep(0.05)", 'dbutils.notebook.exit("through")') });
    const waiting = { ...inputs("gate"), waitTimeoutSeconds: 1 };
    const err = (await lifecycle.create(waiting).then(() => assert.fail("create should time out"), (e: unknown) => e)) as Error & { id: string; properties: lifecycle.RunOutputs; reasons: string[] };
    assert.match(err.message, /^Databricks run "gate-21": run \d+ is still RUNNING after 1 s; it keeps running\. Raise waitTimeoutSeconds, or run pulumi up again to adopt it and keep waiting\. Run page: http/);
    assert.equal(err.id, String(err.properties.runId));
    assert.deepEqual(err.reasons, [err.message]);
    assert.equal(err.properties.lifeCycleState, "RUNNING");
    const before = await runCount();
    await api.dbfs.put("/gate", Buffer.from("open"), true);
    const { outs } = await lifecycle.update(err.id, err.properties, waiting);
    assert.deepEqual([outs.runId, outs.resultState, outs.notebookOutput, await runCount()], [err.properties.runId, "SUCCESS", "through", before]);
  });

  it("keeps what it knew when the service no longer has the run", async () => {
    const { id, outs } = await lifecycle.create(inputs("ok", "9"));
    await api.jobs.runsDelete(outs.runId);
    assert.deepEqual(await lifecycle.read(id, outs), { id, props: outs });
  });
});

function notebook(...cells: string[]): string {
  return ["# Databricks notebook source", ...cells].join("\n\n# COMMAND ----------\n\n") + "\n";
}
