import * as assert from "node:assert/strict";
import { keyed } from "../../../src/emulator/core/keyed";
import { runState } from "../../../src/emulator/databricks/runs/records";
import { MAX_KEPT_RUNS, RUN_RETENTION_MS, runsToDrop } from "../../../src/emulator/databricks/runs/retention";
import type { StoredRun } from "../../../src/emulator/databricks/runs/models";
import { emptyState, type DatabricksState } from "../../../src/emulator/databricks/state";
import { finishedRun, SMALL_CLUSTER } from "../../support/databricksWire";
import { expectError, useEmulator } from "../../support/emulator";

const T0 = Date.UTC(2026, 0, 1);

function stateWith(runs: Array<{ id: number; active?: boolean; endedAt?: number }>): DatabricksState {
  const s = emptyState();
  s.runs = keyed(
    runs.map(({ id, active, endedAt }) => [
      String(id),
      { run_id: id, state: active ? runState("RUNNING") : runState("TERMINATED", "", "SUCCESS"), start_time: T0, end_time: active ? 0 : (endedAt ?? T0) } as StoredRun,
    ]),
  );
  return s;
}

describe("Databricks emulator: run retention", function () {
  this.timeout(30_000);
  const t = useEmulator();

  it("keeps a finished run 60 days of the emulator's clock, then forgets it and its idempotency token", async () => {
    const body = { run_name: "old", idempotency_token: "once", tasks: [{ task_key: "t", notebook_task: { notebook_path: "/Shared/missing" }, new_cluster: SMALL_CLUSTER }] };
    const runId: number = (await t.call("POST", "/api/2.1/jobs/runs/submit", body)).body.run_id;
    const ended: number = (await finishedRun(t.call, runId)).end_time;
    await t.clock.advance(ended + RUN_RETENTION_MS - 1 - t.clock.now());
    assert.equal((await t.call("GET", `/api/2.1/jobs/runs/get?run_id=${runId}`)).status, 200);
    assert.deepEqual((await t.call("POST", "/api/2.1/jobs/runs/submit", body)).body, { run_id: runId }, "the token still names the run");

    await t.clock.advance(1);
    await expectError(t.call("GET", `/api/2.1/jobs/runs/get?run_id=${runId}`), 400, { error_code: "INVALID_PARAMETER_VALUE", message: `Run ${runId} does not exist` });
    assert.deepEqual((await t.call("GET", "/api/2.1/jobs/runs/list")).body, { has_more: false });
    const again: number = (await t.call("POST", "/api/2.1/jobs/runs/submit", body)).body.run_id;
    assert.notEqual(again, runId, "the token is free again");
  });

  it("drops runs finished 60 days ago and the oldest finished ones beyond the cap, never an active one", () => {
    const now = T0 + RUN_RETENTION_MS;
    assert.deepEqual(runsToDrop(stateWith([{ id: 1 }, { id: 2, endedAt: T0 + 1 }, { id: 3, active: true }]), now), ["1"]);
    const many = Array.from({ length: MAX_KEPT_RUNS + 3 }, (_, i) => ({ id: i + 1, endedAt: T0 + 1, active: i === 0 }));
    assert.deepEqual(runsToDrop(stateWith(many), now), ["2", "3", "4"]);
    assert.deepEqual(runsToDrop(stateWith(many.map((r) => ({ ...r, active: true }))), now), []);
  });
});
