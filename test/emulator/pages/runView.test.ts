import * as assert from "node:assert/strict";
import type { StoredRun, StoredTaskAttempt } from "../../../src/emulator/databricks/runs/models";
import { runView, WITHHELD } from "../../../src/emulator/pages/runView";

const T0 = Date.UTC(2026, 0, 15, 12, 0, 0);

function attempt(runId: number, fields: Partial<StoredTaskAttempt>): StoredTaskAttempt {
  return {
    run_id: runId,
    attempt_number: 0,
    state: { life_cycle_state: "PENDING", state_message: "", user_cancelled_or_timedout: false },
    start_time: 0,
    setup_duration: 0,
    execution_duration: 0,
    cleanup_duration: 0,
    end_time: 0,
    ...fields,
  };
}

function run(fields: Partial<StoredRun>): StoredRun {
  return {
    run_id: 1,
    job_id: 7,
    number_in_job: 1,
    original_attempt_run_id: 1,
    run_name: "r",
    run_type: "SUBMIT_RUN",
    creator_user_name: "emulator@localhost",
    trigger: "ONE_TIME",
    format: "MULTI_TASK",
    state: { life_cycle_state: "TERMINATED", result_state: "FAILED", state_message: "failed", user_cancelled_or_timedout: false },
    start_time: T0,
    end_time: T0 + 9_000,
    setup_duration: 0,
    execution_duration: 0,
    cleanup_duration: 0,
    tasks: [],
    api_version: "2.1",
    ...fields,
  };
}

describe("Emulator pages: what a run page shows", () => {
  it("orders the timeline by the reported times: the run, each attempt's phases and retries, a task that never started", () => {
    const failed = { life_cycle_state: "TERMINATED", result_state: "FAILED", state_message: "Workload failed", user_cancelled_or_timedout: false };
    const view = runView(
      run({
        tasks: [
          {
            task_key: "a",
            spec: { task_key: "a", notebook_task: { notebook_path: "/n" } },
            attempts: [attempt(2, { start_time: T0 + 1_000, setup_duration: 500, end_time: T0 + 3_000, state: failed }), attempt(4, { attempt_number: 1, start_time: T0 + 5_000, setup_duration: 0, end_time: T0 + 8_000, state: failed })],
          },
          { task_key: "b", spec: { task_key: "b", depends_on: [{ task_key: "a" }] }, attempts: [attempt(3, { state: { life_cycle_state: "SKIPPED", result_state: "UPSTREAM_FAILED", state_message: "Upstream failed", user_cancelled_or_timedout: false } })] },
        ],
      }),
      [],
    );
    assert.deepEqual(
      view.timeline.map((e) => [e.at === undefined ? undefined : e.at - T0, e.subject, e.state, e.message]),
      [
        [0, "Run", "PENDING", "Submitted"],
        [1_000, "Task a, attempt 0 (run 2)", "PENDING", undefined],
        [1_500, "Task a, attempt 0 (run 2)", "RUNNING", undefined],
        [3_000, "Task a, attempt 0 (run 2)", "TERMINATED FAILED", "Workload failed"],
        [5_000, "Task a, attempt 1 (run 4)", "PENDING", undefined],
        [5_000, "Task a, attempt 1 (run 4)", "RUNNING", undefined],
        [8_000, "Task a, attempt 1 (run 4)", "TERMINATED FAILED", "Workload failed"],
        [9_000, "Task b, attempt 0 (run 3)", "SKIPPED UPSTREAM_FAILED", "Upstream failed"],
        [9_000, "Run", "TERMINATED FAILED", "failed"],
      ],
    );
  });

  it("ends the timeline of an unfinished run with its current state", () => {
    const view = runView(run({ end_time: 0, state: { life_cycle_state: "RUNNING", state_message: "In run", user_cancelled_or_timedout: false } }), []);
    assert.deepEqual(view.timeline.at(-1), { subject: "Run", state: "RUNNING (now)", message: "In run" });
  });

  it("masks parameters named secure and those whose value is a workspace secret, and takes their values out of outputs", () => {
    const view = runView(
      run({
        secure_parameters: ["api_key"],
        job_parameters: [{ name: "env", value: "prod" }, { name: "pw", value: "workspace-secret" }],
        tasks: [
          {
            task_key: "t",
            spec: { task_key: "t", notebook_task: { notebook_path: "/n", base_parameters: { api_key: "key-value-1234", plain: "shown", copy: "workspace-secret" } } },
            attempts: [attempt(2, { output: { notebook_output: { result: "got key-value-1234 and workspace-secret" }, error: "Error: key-value-1234" } })],
          },
        ],
      }),
      ["workspace-secret", ""],
    );
    assert.deepEqual(view.parameters, [
      { task: "t", kind: "notebook", name: "api_key" },
      { task: "t", kind: "notebook", name: "plain", value: "shown" },
      { task: "t", kind: "notebook", name: "copy" },
      { kind: "job", name: "env", value: "prod" },
      { kind: "job", name: "pw" },
    ]);
    const a = view.tasks[0].attempts[0];
    assert.equal(a.result, "got [REDACTED] and [REDACTED]");
    assert.equal(a.error, "Error: [REDACTED]");
  });

  it("withholds an output whole when a secure value is too short to take out", () => {
    const view = runView(
      run({
        secure_parameters: ["pin"],
        tasks: [{ task_key: "t", spec: { task_key: "t", notebook_task: { notebook_path: "/n", base_parameters: { pin: "42" } } }, attempts: [attempt(2, { output: { notebook_output: { result: "pin 42" } } })] }],
      }),
      [],
    );
    assert.equal(view.tasks[0].attempts[0].result, WITHHELD);
  });
});
