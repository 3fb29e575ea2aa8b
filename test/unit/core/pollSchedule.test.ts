import * as assert from "node:assert/strict";
import { pollUntil } from "../../../src/core/poll";
import { DENSE_DELAY_MS, durationMs, runPollDelayMs, runPollSchedule } from "../../../src/core/pollSchedule";
import { noteExpectedDuration, takeExpectedDuration } from "../../../src/core/expectedDurations";

/**
 * Waits through `pollUntil` for a run that the service reports terminal `endsAtMs` after the wait
 * started, on a simulated clock that only the sleeps move: the reads it cost and how long after
 * the end the wait noticed it.
 */
async function waitOnSimulatedClock(endsAtMs: number, delayMs: (attempt: number, elapsedMs: number) => number): Promise<{ reads: number; latencyMs: number }> {
  let clock = 1_000_000;
  const started = clock;
  let reads = 0;
  await pollUntil({
    read: async () => {
      reads++;
      return clock - started >= endsAtMs ? "TERMINATED" : "RUNNING";
    },
    done: (s) => s === "TERMINATED",
    describe: (s) => s,
    label: "run",
    timeoutMs: 24 * 3600_000,
    log: () => undefined,
    delayMs,
    now: () => clock,
    sleep: async (ms) => {
      clock += ms;
    },
  });
  return { reads, latencyMs: clock - started - endsAtMs };
}

const SEED = () => 10_000;
const TEN_MINUTES = 600_000;

describe("runPollSchedule", () => {
  it("a first 10-minute run costs fewer reads than the seed's polling every 10 s", async () => {
    assert.deepEqual(await waitOnSimulatedClock(TEN_MINUTES, SEED), { reads: 61, latencyMs: 0 });
    assert.deepEqual(await waitOnSimulatedClock(TEN_MINUTES, runPollSchedule()), { reads: 57, latencyMs: 11_070 });
  });

  it("a repeated 10-minute run that takes as long as the previous one costs 18 reads and is noticed when it ends", async () => {
    assert.deepEqual(await waitOnSimulatedClock(TEN_MINUTES, runPollSchedule(TEN_MINUTES)), { reads: 18, latencyMs: 0 });
    // Ending 0.3 s later than the previous run: one more read, 0.2 s after the end.
    assert.deepEqual(await waitOnSimulatedClock(TEN_MINUTES + 300, runPollSchedule(TEN_MINUTES)), { reads: 19, latencyMs: 200 });
  });

  it("repeated runs of 5, 30, 60 and 120 s are noticed within the dense delay of their end", async () => {
    const results = [];
    for (const s of [5, 30, 60, 120]) results.push(await waitOnSimulatedClock(s * 1000 + 300, runPollSchedule(s * 1000)));
    assert.deepEqual(results, [
      { reads: 7, latencyMs: 200 },
      { reads: 12, latencyMs: 200 },
      { reads: 14, latencyMs: 200 },
      { reads: 15, latencyMs: 200 },
    ]);
  });

  it("a repeated run much longer or shorter than the previous one backs off by how far it is from due", async () => {
    assert.deepEqual(await waitOnSimulatedClock(TEN_MINUTES * 1.05, runPollSchedule(TEN_MINUTES)), { reads: 29, latencyMs: 8_453 });
    assert.deepEqual(await waitOnSimulatedClock(TEN_MINUTES * 0.95, runPollSchedule(TEN_MINUTES)), { reads: 11, latencyMs: 7_688 });
    // A previous run of 5 s, now 10 minutes: the late back-off stays under the seed's reads.
    assert.deepEqual(await waitOnSimulatedClock(TEN_MINUTES, runPollSchedule(5_000)), { reads: 55, latencyMs: 13_453 });
  });

  it("delays: 0.5 s at first, a quarter of the time waited up to 15 s with nothing known; sparse, then at the due time with a previous duration", () => {
    assert.deepEqual([0, 1_000, 4_000, 20_000, 60_000, 600_000].map((t) => runPollDelayMs(t)), [500, 500, 1_000, 5_000, 15_000, 15_000]);
    assert.deepEqual([0, 1_000, 100_000, 599_000, 599_700, 600_000, 601_000, 700_000].map((t) => runPollDelayMs(t, TEN_MINUTES)), [1_000, 2_000, 200_000, DENSE_DELAY_MS, 300, DENSE_DELAY_MS, DENSE_DELAY_MS, 15_000]);
    assert.equal(runPollDelayMs(0, 0), 500, "a zero duration is not a known one");
  });

  it("a duration is known only from a start before an end", () => {
    assert.deepEqual([durationMs(1_000, 4_000), durationMs(undefined, 4_000), durationMs(1_000, undefined), durationMs(4_000, 1_000), durationMs(1_000, Number.NaN)], [3_000, undefined, undefined, undefined, undefined]);
  });
});

describe("expected durations of replacements", () => {
  it("a duration noted for inputs is taken once by the same inputs, whatever their key order", () => {
    noteExpectedDuration({ a: 1, b: { c: [1, 2], d: "x" } }, 42_000);
    assert.equal(takeExpectedDuration({ b: { d: "x", c: [1, 2] }, a: 1 }), 42_000);
    assert.equal(takeExpectedDuration({ a: 1, b: { c: [1, 2], d: "x" } }), undefined);
  });

  it("other inputs, or an unknown duration, find nothing", () => {
    noteExpectedDuration({ a: 1 }, 5_000);
    noteExpectedDuration({ a: 3 }, undefined);
    assert.equal(takeExpectedDuration({ a: 2 }), undefined);
    assert.equal(takeExpectedDuration({ a: 3 }), undefined);
    assert.equal(takeExpectedDuration({ a: 1 }), 5_000);
  });
});
