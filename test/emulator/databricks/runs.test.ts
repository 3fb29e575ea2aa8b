import * as assert from "node:assert/strict";
import { blockedBy, runState } from "../../../src/emulator/databricks/runs/records";
import {
  b64,
  clusterIdPattern,
  clusterState,
  FAILED_TASK_MESSAGE,
  finishedRun,
  getRun,
  runOutput,
  runWhen,
  seedWorkspace,
  SMALL_CLUSTER,
  submitRun,
} from "../../support/databricksWire";
import { ensureLibraryEnvironment } from "../../../src/emulator/execution/pythonEnvs";
import { expectError, until, useEmulator, withEmulator } from "../../support/emulator";

/** The library of the legacy-form run: its environment is built before (pip, once per machine), so the run finds it cached. */
const LIBRARY = "tabulate==0.9.0";

const SUCCESS = { life_cycle_state: "TERMINATED", result_state: "SUCCESS", state_message: "", user_cancelled_or_timedout: false };
const okTask = (rows: string, extra: Record<string, unknown> = {}) => ({ task_key: "main", notebook_task: { notebook_path: "/Shared/emu/ok", base_parameters: { rows } }, ...extra });
const sleepyTask = (extra: Record<string, unknown> = {}) => ({ task_key: "main", notebook_task: { notebook_path: "/Shared/emu/sleepy" }, ...extra });
/** A task that fails at once, without starting Python. */
const jarTask = (key = "jar") => ({ task_key: key, spark_jar_task: { main_class_name: "com.example.Main" }, new_cluster: SMALL_CLUSTER });
const taskRunning = (run: any): boolean => run.tasks[0].state.life_cycle_state === "RUNNING";

async function controlRunCount(control: (m: string, r: string) => Promise<{ body: any }>): Promise<number> {
  return (await control("GET", "/_emulator/databricks/runs")).body.runs.length;
}

describe("Databricks emulator: Jobs API runs, executed for real", function () {
  this.timeout(30_000);
  const t = useEmulator();
  before(async function () {
    this.timeout(300_000);
    await ensureLibraryEnvironment([{ label: LIBRARY, args: [LIBRARY] }]);
  });
  beforeEach(() => seedWorkspace(t.call));

  it("runs a workspace notebook that reads a widget and a secret, writes to DBFS and exits with a value", async () => {
    const started = t.clock.now();
    const runId = await submitRun(t.call, { run_name: "double", tasks: [okTask("21", { new_cluster: SMALL_CLUSTER })] });
    const run = await finishedRun(t.call, runId);
    assert.deepEqual(run.state, SUCCESS);
    assert.deepEqual([run.run_type, run.run_name, run.format, run.tasks.length], ["SUBMIT_RUN", "double", "MULTI_TASK", 1]);
    assert.equal(run.run_page_url, `${t.emulator.url}/?o=1234567890123456#job/${run.job_id}/run/${runId}`);
    // The clock stood still: the run took no emulator time.
    assert.deepEqual([run.start_time, run.end_time, run.run_duration], [started, started, 0]);
    const task = run.tasks[0];
    assert.deepEqual(task.state, SUCCESS);
    assert.deepEqual([task.run_id, task.attempt_number], [runId + 1, 0]);
    assert.match(task.cluster_instance.cluster_id, clusterIdPattern(started));

    const output = await runOutput(t.call, task.run_id);
    assert.deepEqual(output.notebook_output, { result: "42:True", truncated: false });
    assert.equal(output.logs, undefined, "notebook tasks return no logs");
    assert.deepEqual([output.metadata.run_id, output.metadata.task_key, output.metadata.state], [task.run_id, "main", SUCCESS]);
    assert.deepEqual((await t.call("GET", "/api/2.0/dbfs/read?path=/emu/out.txt")).body, { bytes_read: 7, data: b64("rows=21") });
    await expectError(t.call("GET", `/api/2.1/jobs/runs/get-output?run_id=${runId}`), 400, {
      error_code: "INVALID_PARAMETER_VALUE",
      message: "Retrieving the output of runs with multiple tasks is not supported. Please retrieve the output of each individual task run instead.",
    });
  });

  it("accepts the legacy single-task form with numbers as strings, and 2.0 answers get-output on its parent", async () => {
    const runId = await submitRun(
      t.call,
      {
        run_name: "legacy run",
        new_cluster: { spark_version: "15.4.x-scala2.12", node_type_id: "Standard_DS3_v2", num_workers: "2" },
        notebook_task: { notebook_path: "/Shared/emu/ok", base_parameters: { rows: 5 } },
        timeout_seconds: "600",
        libraries: [{ pypi: { package: LIBRARY } }],
      },
      "2.0",
    );
    const run = await finishedRun(t.call, runId);
    assert.deepEqual([run.state.result_state, run.format, run.tasks[0].task_key], ["SUCCESS", "SINGLE_TASK", "legacy_run"]);
    assert.deepEqual(run.cluster_spec, { new_cluster: { spark_version: "15.4.x-scala2.12", node_type_id: "Standard_DS3_v2", num_workers: 2 }, libraries: [{ pypi: { package: LIBRARY } }] });
    assert.deepEqual([run.setup_duration, run.execution_duration, run.cleanup_duration], [0, 0, 0]);
    assert.deepEqual((await runOutput(t.call, runId, "2.0")).notebook_output, { result: "10:True", truncated: false });
    assert.equal((await t.call("GET", `/api/2.1/jobs/runs/get-output?run_id=${runId}`)).status, 400);
  });

  it("returns the existing run for a known idempotency token and launches nothing, and refuses the token once the run is deleted", async () => {
    const body = { run_name: "once", idempotency_token: "token-abc-1", tasks: [okTask("1")] };
    const first = await submitRun(t.call, body);
    assert.equal(await submitRun(t.call, body), first);
    assert.equal(await controlRunCount(t.control), 1);
    await finishedRun(t.call, first);
    assert.equal((await t.call("POST", "/api/2.1/jobs/runs/delete", { run_id: first })).status, 200);
    await expectError(t.call("GET", `/api/2.1/jobs/runs/get?run_id=${first}`), 400, { error_code: "INVALID_PARAMETER_VALUE", message: `Run ${first} does not exist` });
    await expectError(t.call("POST", "/api/2.1/jobs/runs/submit", body), 400, { error_code: "INVALID_PARAMETER_VALUE", message: "Run with idempotency token token-abc-1 was deleted" });
    await expectError(t.call("POST", "/api/2.1/jobs/runs/submit", { ...body, idempotency_token: "x".repeat(65) }), 400, {
      error_code: "INVALID_PARAMETER_VALUE",
      message: "The idempotency token is 65 characters long; it must be at most 64 characters.",
    });
  });

  it("fails a run whose notebook raises, with the exception in the task's output", async () => {
    const run = await finishedRun(t.call, await submitRun(t.call, { run_name: "boom", tasks: [{ task_key: "main", notebook_task: { notebook_path: "/Shared/emu/boom" } }] }));
    assert.deepEqual(run.state, { life_cycle_state: "TERMINATED", result_state: "FAILED", state_message: `Task main failed with message: ${FAILED_TASK_MESSAGE}.`, user_cancelled_or_timedout: false });
    assert.deepEqual(run.tasks[0].state, { life_cycle_state: "TERMINATED", result_state: "FAILED", state_message: FAILED_TASK_MESSAGE, user_cancelled_or_timedout: false });
    const output = await runOutput(t.call, run.tasks[0].run_id);
    assert.equal(output.error, "ValueError: boom");
    assert.match(output.error_trace, /raise ValueError\("boom"\)\nValueError: boom\n$/);
  });

  it("times a task out once its timeout_seconds have passed on the clock", async () => {
    const started = t.clock.now();
    const runId = await submitRun(t.call, { run_name: "slow", tasks: [sleepyTask({ timeout_seconds: 1 })] });
    await runWhen(t.call, runId, "has its task running", taskRunning);
    assert.equal(t.clock.pending, 1, "the task's timeout waits on the clock");
    await t.clock.advance(1000);
    const run = await finishedRun(t.call, runId);
    assert.deepEqual(run.tasks[0].state, { life_cycle_state: "TERMINATED", result_state: "TIMEDOUT", state_message: "Task timed out after 1 seconds.", user_cancelled_or_timedout: true });
    assert.deepEqual(run.state, { life_cycle_state: "TERMINATED", result_state: "TIMEDOUT", state_message: "Task main failed with message: Task timed out after 1 seconds.", user_cancelled_or_timedout: true });
    assert.deepEqual([run.tasks[0].execution_duration, run.start_time, run.end_time], [1000, started, started + 1000]);
  });

  it("times a run out once its own timeout_seconds have passed on the clock", async () => {
    const runId = await submitRun(t.call, { run_name: "slow run", timeout_seconds: 5, tasks: [sleepyTask()] });
    await runWhen(t.call, runId, "has its task running", taskRunning);
    await t.clock.advance(4999);
    assert.equal((await getRun(t.call, runId)).state.life_cycle_state, "RUNNING");
    await t.clock.advance(1);
    const run = await finishedRun(t.call, runId);
    assert.deepEqual(run.tasks[0].state, { life_cycle_state: "TERMINATED", result_state: "TIMEDOUT", state_message: "Run timed out.", user_cancelled_or_timedout: true });
    assert.deepEqual(run.state, { life_cycle_state: "TERMINATED", result_state: "TIMEDOUT", state_message: "Run timed out after 5 seconds.", user_cancelled_or_timedout: true });
    assert.equal(run.run_duration, 5000);
  });

  it("cancels a running run asynchronously: TERMINATING for the terminating phase, then TERMINATED CANCELED", async () => {
    await withEmulator({ databricks: { terminatingMs: 600 } }, async ({ call, clock }) => {
      await seedWorkspace(call);
      const runId = await submitRun(call, { run_name: "cancel me", tasks: [sleepyTask()] });
      await runWhen(call, runId, "has its task running", taskRunning);
      await expectError(call("POST", "/api/2.1/jobs/runs/delete", { run_id: runId }), 400, {
        error_code: "INVALID_PARAMETER_VALUE",
        message: `Run ${runId} is still active (RUNNING): cancel it and wait until it terminates before deleting it.`,
      });
      assert.equal((await call("POST", "/api/2.1/jobs/runs/cancel", { run_id: runId })).status, 200);
      const terminating = { life_cycle_state: "TERMINATING", state_message: "", user_cancelled_or_timedout: true };
      assert.deepEqual((await getRun(call, runId)).state, terminating);
      // The task's process is stopped; the run then spends its terminating phase on the clock.
      const stopped = await runWhen(call, runId, "has its task stopped", (run) => run.tasks[0].state.life_cycle_state === "TERMINATED");
      assert.deepEqual(stopped.tasks[0].state, { life_cycle_state: "TERMINATED", result_state: "CANCELED", state_message: "Run cancelled.", user_cancelled_or_timedout: true });
      await until("the run waits on the clock", () => clock.pending === 1);
      assert.deepEqual((await getRun(call, runId)).state, terminating);
      await clock.advance(600);
      const run = await getRun(call, runId);
      assert.deepEqual(run.state, { life_cycle_state: "TERMINATED", result_state: "CANCELED", state_message: "Run cancelled.", user_cancelled_or_timedout: true });
      assert.equal(run.run_duration, 600);
      assert.equal((await call("POST", "/api/2.1/jobs/runs/delete", { run_id: runId })).status, 200);
    });
  });

  it("runs tasks in dependency order and skips dependants of a failed task as UPSTREAM_FAILED", async () => {
    const run = await finishedRun(
      t.call,
      await submitRun(t.call, {
        run_name: "graph",
        tasks: [
          { task_key: "extract", notebook_task: { notebook_path: "/Shared/emu/boom" }, new_cluster: SMALL_CLUSTER },
          { ...okTask("1", { new_cluster: SMALL_CLUSTER }), task_key: "load", depends_on: [{ task_key: "extract" }] },
          { ...okTask("3", { new_cluster: SMALL_CLUSTER }), task_key: "report" },
        ],
      }),
    );
    const states = Object.fromEntries(run.tasks.map((task: any) => [task.task_key, [task.state.life_cycle_state, task.state.result_state, task.state.state_message]]));
    assert.deepEqual(states, {
      extract: ["TERMINATED", "FAILED", FAILED_TASK_MESSAGE],
      load: ["SKIPPED", "UPSTREAM_FAILED", "Upstream task(s) failed."],
      report: ["TERMINATED", "SUCCESS", ""],
    });
    assert.deepEqual(run.state, { life_cycle_state: "TERMINATED", result_state: "FAILED", state_message: `Task extract failed with message: ${FAILED_TASK_MESSAGE}.`, user_cancelled_or_timedout: false });
    await expectError(
      t.call("POST", "/api/2.1/jobs/runs/submit", {
        tasks: [
          { task_key: "a", depends_on: [{ task_key: "b" }], notebook_task: { notebook_path: "/x" } },
          { task_key: "b", depends_on: [{ task_key: "a" }], notebook_task: { notebook_path: "/x" } },
        ],
      }),
      400,
      { error_code: "INVALID_PARAMETER_VALUE", message: "The task dependencies form a cycle: a -> b -> a." },
    );
  });

  it("retries a failed task after min_retry_interval_millis on the clock, as a new attempt with its own run id", async () => {
    const started = t.clock.now();
    const runId = await submitRun(t.call, { run_name: "retry", tasks: [{ task_key: "main", max_retries: "1", min_retry_interval_millis: "60000", notebook_task: { notebook_path: "/Shared/emu/boom" } }] });
    const waiting = await runWhen(t.call, runId, "waits for its retry", (run) => run.tasks[0].state.life_cycle_state === "WAITING_FOR_RETRY");
    assert.deepEqual([waiting.tasks[0].attempt_number, waiting.tasks[0].state], [1, { life_cycle_state: "WAITING_FOR_RETRY", state_message: "Waiting for retry", user_cancelled_or_timedout: false }]);
    await t.clock.advance(60_000);
    const run = await finishedRun(t.call, runId);
    assert.equal(run.state.result_state, "FAILED");
    // Run ids: the run, its task's first attempt, then the retry.
    assert.deepEqual([run.tasks[0].run_id, run.tasks[0].attempt_number, run.tasks[0].start_time], [runId + 2, 1, started + 60_000]);
    const control = (await t.control("GET", "/_emulator/databricks/runs")).body.runs[0];
    assert.equal(control.tasks[0].attempt_number, 1);
    const first = await runOutput(t.call, runId + 1);
    assert.deepEqual([first.metadata.attempt_number, first.metadata.state.result_state, first.metadata.start_time], [0, "FAILED", started]);
  });

  it("waits for an existing cluster that is starting, in the clock's time, and counts the wait as setup", async () => {
    await withEmulator({ databricks: { lifecycle: "realistic", pendingMs: 1000, terminatingMs: 0 } }, async ({ call, clock }) => {
      await seedWorkspace(call);
      const clusterId: string = (await call("POST", "/api/2.0/clusters/create", { spark_version: "15.4.x-scala2.12", num_workers: 0 })).body.cluster_id;
      await clock.advance(1000);
      assert.equal((await call("POST", "/api/2.0/clusters/delete", { cluster_id: clusterId })).status, 200);

      const runId = await submitRun(call, { run_name: "on a cluster", tasks: [okTask("2", { existing_cluster_id: clusterId })] });
      await clock.advance(1000); // the run's own PENDING phase
      const waiting = await runWhen(call, runId, "waits for its cluster", (run) => run.tasks[0].state.life_cycle_state === "PENDING" && clock.pending === 1);
      assert.deepEqual(waiting.tasks[0].state, { life_cycle_state: "PENDING", state_message: "Waiting for cluster", user_cancelled_or_timedout: false });
      assert.equal(await clusterState(call, clusterId), "PENDING", "the task started the terminated cluster");

      await clock.advance(1000);
      const run = await finishedRun(call, runId);
      assert.deepEqual(run.state, SUCCESS);
      assert.deepEqual([run.tasks[0].setup_duration, run.tasks[0].cluster_instance.cluster_id], [1000, clusterId]);
      assert.deepEqual((await runOutput(call, run.tasks[0].run_id)).notebook_output, { result: "4:True", truncated: false });
    });
  });

  it("fails a JAR task with a message saying the local emulator cannot run it", async () => {
    const run = await finishedRun(t.call, await submitRun(t.call, { run_name: "jar", tasks: [jarTask()] }));
    const message = "This task cannot run in the local emulator: spark_jar_task needs a JVM Spark cluster.";
    assert.deepEqual(run.tasks[0].state, { life_cycle_state: "TERMINATED", result_state: "FAILED", state_message: message, user_cancelled_or_timedout: false });
    assert.equal(run.state.state_message, `Task jar failed with message: ${message}`);
    assert.equal((await runOutput(t.call, run.tasks[0].run_id)).error, message);
  });

  it("runs a Python file from DBFS with its parameters and returns its logs", async () => {
    await t.call("POST", "/api/2.0/dbfs/put", { path: "dbfs:/emu/job.py", contents: b64('import sys\nprint("args", sys.argv[1:])\n'), overwrite: true });
    const run = await finishedRun(t.call, await submitRun(t.call, { run_name: "py", tasks: [{ task_key: "py", spark_python_task: { python_file: "dbfs:/emu/job.py", parameters: [1, "b"] } }] }));
    assert.equal(run.state.result_state, "SUCCESS");
    const output = await runOutput(t.call, run.tasks[0].run_id);
    assert.deepEqual([output.logs, output.logs_truncated, output.notebook_output], ["args ['1', 'b']\n", false, undefined]);
  });

  it("reports missing runs as 400, and runs on a missing cluster or notebook as INTERNAL_ERROR", async () => {
    for (const [method, route, body] of [
      ["GET", "/api/2.2/jobs/runs/get?run_id=424242", undefined],
      ["GET", "/api/2.1/jobs/runs/get-output?run_id=424242", undefined],
      ["POST", "/api/2.1/jobs/runs/cancel", { run_id: 424242 }],
      ["POST", "/api/2.1/jobs/runs/delete", { run_id: "424242" }],
    ] as const) {
      await expectError(t.call(method, route, body), 400, { error_code: "INVALID_PARAMETER_VALUE", message: "Run 424242 does not exist" });
    }
    const run = await finishedRun(t.call, await submitRun(t.call, { run_name: "gone", tasks: [okTask("1", { existing_cluster_id: "0101-000000-nothere1" })] }));
    assert.deepEqual(run.state, {
      life_cycle_state: "INTERNAL_ERROR",
      result_state: "FAILED",
      state_message: "Run executed on existing cluster ID 0101-000000-nothere1 failed since the cluster does not exist.",
      user_cancelled_or_timedout: false,
    });
    const missing = await finishedRun(t.call, await submitRun(t.call, { run_name: "no notebook", tasks: [{ task_key: "main", notebook_task: { notebook_path: "/Shared/emu/none" } }] }));
    assert.deepEqual(missing.state, {
      life_cycle_state: "INTERNAL_ERROR",
      result_state: "FAILED",
      state_message: 'Unable to access the notebook "/Shared/emu/none". Either it does not exist, or the identity used to run this job, emulator@localhost, lacks the required permissions.',
      user_cancelled_or_timedout: false,
    });
  });

  it("lists runs newest first in pages of at most 25", async () => {
    const ids: number[] = [];
    for (const name of ["a", "b", "c"]) ids.push(await submitRun(t.call, { run_name: name, tasks: [jarTask()] }));
    for (const id of ids) await finishedRun(t.call, id);
    const first = (await t.call("GET", "/api/2.1/jobs/runs/list?limit=2")).body;
    assert.deepEqual([first.runs.map((r: { run_id: number }) => r.run_id), first.has_more, first.prev_page_token], [[ids[2], ids[1]], true, undefined]);
    const second = (await t.call("GET", `/api/2.1/jobs/runs/list?limit=2&page_token=${first.next_page_token}`)).body;
    assert.deepEqual([second.runs.map((r: { run_id: number }) => r.run_id), second.has_more, second.next_page_token], [[ids[0]], false, undefined]);
    await expectError(t.call("GET", "/api/2.1/jobs/runs/list?limit=26"), 400, { error_code: "INVALID_PARAMETER_VALUE", message: "Invalid limit 26: it must be between 1 and 25." });
    await expectError(t.call("GET", "/api/2.1/jobs/runs/list?offset=-1"), 400, { error_code: "INVALID_PARAMETER_VALUE", message: "Invalid offset -1: it must not be negative." });
  });
});

describe("Databricks emulator: whether a task runs after its dependencies (run_if)", () => {
  const end = (result: string) => runState("TERMINATED", "", result);
  const verdict = (runIf: string, ...results: string[]) => blockedBy(runIf, results.map(end))?.result_state ?? "runs";

  it("decides from the dependencies' results as the Jobs service does", () => {
    assert.deepEqual(
      [
        verdict("ALL_SUCCESS"),
        verdict("ALL_SUCCESS", "SUCCESS", "SUCCESS_WITH_FAILURES"),
        verdict("ALL_SUCCESS", "SUCCESS", "FAILED"),
        verdict("ALL_SUCCESS", "SUCCESS", "CANCELED"),
        verdict("ALL_DONE", "FAILED", "CANCELED"),
        verdict("NONE_FAILED", "SUCCESS", "EXCLUDED"),
        verdict("NONE_FAILED", "SUCCESS", "TIMEDOUT"),
        verdict("AT_LEAST_ONE_SUCCESS", "FAILED", "SUCCESS"),
        verdict("AT_LEAST_ONE_SUCCESS", "FAILED", "CANCELED"),
        verdict("ALL_FAILED", "FAILED", "TIMEDOUT"),
        verdict("ALL_FAILED", "FAILED", "SUCCESS"),
        verdict("AT_LEAST_ONE_FAILED", "SUCCESS", "FAILED"),
        verdict("AT_LEAST_ONE_FAILED", "SUCCESS", "SUCCESS"),
      ],
      ["runs", "runs", "UPSTREAM_FAILED", "UPSTREAM_CANCELED", "runs", "runs", "UPSTREAM_FAILED", "runs", "UPSTREAM_FAILED", "runs", "EXCLUDED", "runs", "EXCLUDED"],
    );
    assert.deepEqual(blockedBy("ALL_FAILED", [end("SUCCESS")]), { life_cycle_state: "SKIPPED", result_state: "EXCLUDED", state_message: "The run_if condition ALL_FAILED was not met.", user_cancelled_or_timedout: false });
  });
});
