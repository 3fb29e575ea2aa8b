import * as assert from "node:assert/strict";
import { resolveMaxRunningTasks } from "../../../src/emulator/databricks/config";
import { TaskSlots } from "../../../src/emulator/databricks/runs/taskSlots";
import { finishedRun, getRun, runWhen, seedWorkspace, submitRun } from "../../support/databricksWire";
import { withEmulator } from "../../support/emulator";

const CANCELED = { life_cycle_state: "TERMINATED", result_state: "CANCELED", state_message: "Run cancelled.", user_cancelled_or_timedout: true };
const sleepy = (name: string) => ({ run_name: name, tasks: [{ task_key: "main", notebook_task: { notebook_path: "/Shared/emu/sleepy" } }] });
const taskState = (run: any): string => `${run.tasks[0].state.life_cycle_state}: ${run.tasks[0].state.state_message}`;

describe("Databricks emulator: the bound on task executions running at once", () => {
  describe("TaskSlots", () => {
    it("hands out up to its limit, then one per release, first come first served", async () => {
      const slots = new TaskSlots(2);
      const never = new AbortController().signal;
      const a = await slots.acquire(never);
      const b = await slots.acquire(never);
      const order: string[] = [];
      const c = slots.acquire(never).then((r) => (order.push("c"), r));
      const d = slots.acquire(never).then((r) => (order.push("d"), r));
      assert.deepEqual([slots.active, slots.queued], [2, 2]);
      a!();
      a!(); // a second release gives nothing more
      const cRelease = await c;
      assert.deepEqual([order, slots.active, slots.queued], [["c"], 2, 1]);
      b!();
      const dRelease = await d;
      assert.deepEqual([order, slots.active, slots.queued], [["c", "d"], 2, 0]);
      cRelease!();
      dRelease!();
      assert.deepEqual([slots.active, slots.queued], [0, 0]);
    });

    it("gives nothing to a waiter whose signal aborts, and takes it out of the line", async () => {
      const slots = new TaskSlots(1);
      const held = await slots.acquire(new AbortController().signal);
      const stop = new AbortController();
      const waiting = slots.acquire(stop.signal);
      const next = slots.acquire(new AbortController().signal);
      stop.abort();
      assert.equal(await waiting, undefined);
      assert.equal(slots.queued, 1);
      held!();
      assert.equal(typeof (await next), "function");
      assert.equal(await slots.acquire(stop.signal), undefined, "an aborted signal waits for nothing");
      assert.deepEqual([slots.active, slots.queued], [1, 0]);
    });

    it("refuses a limit that is not a positive integer, and the option names itself", () => {
      assert.throws(() => new TaskSlots(0), { message: "the limit of running tasks must be a positive integer, not 0." });
      assert.equal(resolveMaxRunningTasks({}), 8);
      assert.equal(resolveMaxRunningTasks({ maxRunningTasks: 1000 }), 1000);
      for (const bad of [0, 1001, 1.5, "2"]) {
        assert.throws(() => resolveMaxRunningTasks({ maxRunningTasks: bad as number }), {
          message: `databricks.maxRunningTasks must be an integer from 1 to 1000, not ${JSON.stringify(bad)}.`,
        });
      }
    });
  });

  it("keeps a task over the limit PENDING until a running one ends, and cancels it there without running it", async function () {
    this.timeout(60_000);
    await withEmulator({ databricks: { maxRunningTasks: 1 } }, async ({ call }) => {
      await seedWorkspace(call);
      const first = await submitRun(call, sleepy("first"));
      await runWhen(call, first, "has its task running", (run) => taskState(run) === "RUNNING: In run");
      const second = await submitRun(call, sleepy("second"));
      const third = await submitRun(call, sleepy("third"));
      // The first holds the only slot until it ends: the others wait for the cluster.
      for (const id of [second, third]) {
        await runWhen(call, id, "waits for a slot", (run) => taskState(run) === "PENDING: Waiting for cluster" && run.state.life_cycle_state === "RUNNING");
      }
      assert.equal(taskState(await getRun(call, second)), "PENDING: Waiting for cluster");

      // A waiting run cancelled never runs; the slot goes to the next in line when the first ends.
      assert.equal((await call("POST", "/api/2.1/jobs/runs/cancel", { run_id: third })).status, 200);
      const thirdEnd = await finishedRun(call, third);
      assert.deepEqual(thirdEnd.state, CANCELED);
      assert.deepEqual([thirdEnd.tasks[0].state, thirdEnd.tasks[0].execution_duration], [CANCELED, 0]);
      assert.equal(taskState(await getRun(call, second)), "PENDING: Waiting for cluster");
      assert.equal((await call("POST", "/api/2.1/jobs/runs/cancel", { run_id: first })).status, 200);
      await runWhen(call, second, "has its task running", (run) => taskState(run) === "RUNNING: In run");
      assert.deepEqual((await finishedRun(call, first)).state, CANCELED);
      assert.equal((await call("POST", "/api/2.1/jobs/runs/cancel", { run_id: second })).status, 200);
      assert.deepEqual((await finishedRun(call, second)).state, CANCELED);
    });
  });
});
