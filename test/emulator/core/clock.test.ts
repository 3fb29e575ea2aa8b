import * as assert from "node:assert/strict";
import { ManualClock, sleep } from "../../../src/emulator/core/clock";

describe("emulator clock: ManualClock", () => {
  it("stands still until advanced, then fires wake-ups in time order, scheduling order breaking ties", async () => {
    const clock = new ManualClock(1_000);
    const fired: string[] = [];
    clock.schedule(300, () => fired.push(`c@${clock.now()}`));
    clock.schedule(100, () => fired.push(`a@${clock.now()}`));
    clock.schedule(100, () => fired.push(`b@${clock.now()}`));
    assert.deepEqual([clock.now(), clock.pending, fired], [1_000, 3, []]);
    await clock.advance(299);
    assert.deepEqual([clock.now(), clock.pending, fired], [1_299, 1, ["a@1100", "b@1100"]]);
    await clock.advance(1);
    assert.deepEqual([clock.now(), clock.pending, fired], [1_300, 0, ["a@1100", "b@1100", "c@1300"]]);
  });

  it("lets woken code run and fires what it schedules within the same advance", async () => {
    const clock = new ManualClock(0);
    const seen: number[] = [];
    void (async () => {
      for (let i = 0; i < 3; i++) {
        await sleep(clock, 50);
        seen.push(clock.now());
      }
    })();
    await clock.advance(120);
    assert.deepEqual([seen, clock.now(), clock.pending], [[50, 100], 120, 1]);
    await clock.advance(30);
    assert.deepEqual(seen, [50, 100, 150]);
  });

  it("cancels a wake-up, and ends a sleep at once when its signal aborts", async () => {
    const clock = new ManualClock(0);
    let fired = false;
    const cancel = clock.schedule(10, () => (fired = true));
    cancel();
    const abort = new AbortController();
    const slept = sleep(clock, 1_000, abort.signal);
    assert.equal(clock.pending, 1);
    abort.abort();
    await slept;
    await clock.advance(1_000);
    assert.deepEqual([fired, clock.pending], [false, 0]);
  });

  it("fires a wake-up due now on the next turn, without waiting for an advance", async () => {
    const clock = new ManualClock(0);
    let fired = false;
    clock.schedule(0, () => (fired = true));
    assert.equal(fired, false, "never synchronously");
    await new Promise((resolve) => setImmediate(resolve));
    assert.deepEqual([fired, clock.pending], [true, 0]);
  });

  it("refuses a negative or fractional advance and a bad start", async () => {
    const clock = new ManualClock(0);
    await assert.rejects(clock.advance(-1), { message: "advanceMs must be a non-negative integer, not -1." });
    await assert.rejects(clock.advance(1.5), { message: "advanceMs must be a non-negative integer, not 1.5." });
    assert.throws(() => new ManualClock(-5), { message: "start must be a non-negative integer of ms since the epoch, not -5." });
  });
});
