import * as assert from "node:assert/strict";
import { finishedRun, getRun, runOutput, seedWorkspace } from "../../support/databricksWire";
import { expectError, useEmulator } from "../../support/emulator";

const okTask = (key: string, rows: string) => ({ task_key: key, notebook_task: { notebook_path: "/Shared/emu/ok", base_parameters: { rows } } });

describe("Databricks emulator: Jobs API jobs", function () {
  this.timeout(30_000);
  const t = useEmulator();
  beforeEach(() => seedWorkspace(t.call));

  async function createJob(settings: Record<string, unknown>, version = "2.1"): Promise<number> {
    const r = await t.call("POST", `/api/${version}/jobs/create`, settings);
    assert.equal(r.status, 200, r.text);
    return r.body.job_id;
  }

  it("runs a job with run-now parameters, skips runs over max_concurrent_runs and lists runs by job", async () => {
    const jobId = await createJob({
      name: "nightly",
      max_concurrent_runs: 1,
      schedule: { quartz_cron_expression: "0 0 2 * * ?", timezone_id: "UTC" },
      tasks: [okTask("main", "1")],
    });
    assert.deepEqual((await t.call("GET", `/api/2.1/jobs/get?job_id=${jobId}`)).body, {
      job_id: jobId,
      creator_user_name: "emulator@localhost",
      run_as_user_name: "emulator@localhost",
      created_time: t.clock.now(),
      settings: {
        name: "nightly",
        max_concurrent_runs: 1,
        schedule: { quartz_cron_expression: "0 0 2 * * ?", timezone_id: "UTC" },
        tasks: [okTask("main", "1")],
        timeout_seconds: 0,
        format: "MULTI_TASK",
        email_notifications: {},
        webhook_notifications: {},
      },
    });
    const runId: number = (await t.call("POST", "/api/2.1/jobs/run-now", { job_id: jobId, notebook_params: { rows: "4" } })).body.run_id;
    const second: number = (await t.call("POST", "/api/2.1/jobs/run-now", { job_id: jobId })).body.run_id;
    assert.deepEqual((await getRun(t.call, second)).state, {
      life_cycle_state: "SKIPPED",
      result_state: "MAXIMUM_CONCURRENT_RUNS_REACHED",
      state_message: "Skipping this run because the limit of 1 maximum concurrent runs has been reached.",
      user_cancelled_or_timedout: false,
    });
    const run = await finishedRun(t.call, runId);
    assert.deepEqual([run.run_type, run.job_id, run.overriding_parameters], ["JOB_RUN", jobId, { notebook_params: { rows: "4" } }]);
    assert.deepEqual((await runOutput(t.call, run.tasks[0].run_id)).notebook_output, { result: "8:True", truncated: false });
    const listed = (await t.call("GET", `/api/2.1/jobs/runs/list?job_id=${jobId}&completed_only=true`)).body;
    assert.deepEqual([listed.runs.map((r: { run_id: number }) => r.run_id), listed.has_more], [[second, runId], false]);
    assert.equal(listed.runs[0].tasks, undefined);
    assert.equal((await t.call("POST", "/api/2.1/jobs/delete", { job_id: jobId })).status, 200);
    await expectError(t.call("GET", `/api/2.1/jobs/get?job_id=${jobId}`), 400, { error_code: "INVALID_PARAMETER_VALUE", message: `Job ${jobId} does not exist` });
    await expectError(t.call("POST", "/api/2.1/jobs/run-now", { job_id: jobId }), 400, { error_code: "INVALID_PARAMETER_VALUE", message: `Job ${jobId} does not exist` });
  });

  it("pages a job's tasks over 100 in API 2.2 and queues run-now of jobs created through 2.2", async () => {
    const tasks = Array.from({ length: 101 }, (_, i) => ({ task_key: `t${String(i).padStart(3, "0")}`, notebook_task: { notebook_path: "/Shared/emu/sleepy" } }));
    const jobId = await createJob({ name: "wide", tasks }, "2.2");
    const first = (await t.call("GET", `/api/2.2/jobs/get?job_id=${jobId}`)).body;
    assert.deepEqual([first.settings.tasks.length, first.has_more, first.settings.queue], [100, true, { enabled: true }]);
    const second = (await t.call("GET", `/api/2.2/jobs/get?job_id=${jobId}&page_token=${first.next_page_token}`)).body;
    assert.deepEqual([second.settings.tasks.map((task: { task_key: string }) => task.task_key), second.has_more, second.next_page_token], [["t100"], undefined, undefined]);
    assert.equal((await t.call("GET", `/api/2.1/jobs/get?job_id=${jobId}`)).body.settings.tasks.length, 101);

    await t.call("POST", "/api/2.2/jobs/reset", { job_id: jobId, new_settings: { name: "one", tasks: [tasks[0]] } });
    const running: number = (await t.call("POST", "/api/2.2/jobs/run-now", { job_id: jobId })).body.run_id;
    const queued: number = (await t.call("POST", "/api/2.2/jobs/run-now", { job_id: jobId })).body.run_id;
    assert.deepEqual((await getRun(t.call, queued, "2.2")).state, {
      life_cycle_state: "QUEUED",
      state_message: "Queued due to reaching maximum concurrent runs of 1.",
      user_cancelled_or_timedout: false,
    });
    assert.deepEqual((await t.call("GET", `/api/2.2/jobs/runs/list?job_id=${jobId}&active_only=true`)).body.runs.map((r: { run_id: number }) => r.run_id), [queued, running]);
    assert.equal((await t.call("POST", "/api/2.2/jobs/runs/cancel-all", { job_id: jobId })).status, 200);
    assert.deepEqual([(await finishedRun(t.call, running, "2.2")).state.result_state, (await finishedRun(t.call, queued, "2.2")).state.result_state], ["CANCELED", "CANCELED"]);
  });

  it("updates settings: tasks merged by task_key, other fields replaced, fields_to_remove dropped", async () => {
    const jobId = await createJob({ name: "etl", tags: { team: "ml" }, tasks: [okTask("a", "1"), okTask("b", "2")], job_clusters: [{ job_cluster_key: "small", new_cluster: { spark_version: "15.4.x-scala2.12" } }] });
    const update = await t.call("POST", "/api/2.1/jobs/update", {
      job_id: jobId,
      new_settings: { name: "etl v2", tasks: [okTask("b", "20"), okTask("c", "3")] },
      fields_to_remove: ["tags", "tasks/a", "job_clusters/small"],
    });
    assert.equal(update.status, 200, update.text);
    const settings = (await t.call("GET", `/api/2.1/jobs/get?job_id=${jobId}`)).body.settings;
    assert.deepEqual(
      { name: settings.name, tags: settings.tags, tasks: settings.tasks, job_clusters: settings.job_clusters },
      { name: "etl v2", tags: undefined, tasks: [okTask("b", "20"), okTask("c", "3")], job_clusters: undefined },
    );
  });

  it("lists jobs by id in pages of 20 by default, at most 100", async () => {
    const ids: number[] = [];
    for (const name of ["first", "second", "third"]) ids.push(await createJob({ name }));
    const all = (await t.call("GET", "/api/2.1/jobs/list")).body;
    assert.deepEqual([all.jobs.map((j: { job_id: number }) => j.job_id), all.has_more], [ids, false]);
    const byName = (await t.call("GET", "/api/2.1/jobs/list?name=SECOND")).body;
    assert.deepEqual(byName.jobs.map((j: { job_id: number }) => j.job_id), [ids[1]]);
    const page = (await t.call("GET", "/api/2.1/jobs/list?limit=2&offset=1")).body;
    assert.deepEqual([page.jobs.map((j: { job_id: number }) => j.job_id), page.has_more, page.next_page_token], [[ids[1], ids[2]], false, undefined]);
    await expectError(t.call("GET", "/api/2.1/jobs/list?limit=101"), 400, { error_code: "INVALID_PARAMETER_VALUE", message: "Invalid limit 101: it must be between 1 and 100." });
  });
});
