/**
 * API calls per run on a simulated clock: the status reads `pollUntil` makes with the run schedule
 * (`core/pollSchedule`) for a first run (nothing known) and a repeated one (the previous run took
 * as long), against the seed's fixed 10-s polling; the latency is how long after the service
 * reports the run terminal the wait notices it. Run: `npm run bench -- calls`.
 */
import { pollUntil } from "../src/core/poll";
import { runPollSchedule } from "../src/core/pollSchedule";

const MINUTES = [10, 1, 2, 30, 60];

/** Reads and latency of a wait for a run ending `endsAtMs` after the wait started, on a clock only the sleeps move. */
export async function simulatedWait(endsAtMs: number, delayMs: (attempt: number, elapsedMs: number) => number): Promise<{ reads: number; latencyMs: number }> {
  let clock = 0;
  let reads = 0;
  await pollUntil({
    read: async () => (++reads, clock >= endsAtMs),
    done: (ended) => ended,
    describe: (ended) => (ended ? "TERMINATED" : "RUNNING"),
    label: "run",
    timeoutMs: 24 * 3600_000,
    log: () => undefined,
    delayMs,
    now: () => clock,
    sleep: async (ms) => {
      clock += ms;
    },
  });
  return { reads, latencyMs: clock - endsAtMs };
}

export async function apiCalls(): Promise<void> {
  for (const minutes of MINUTES) {
    // Ending off the seed's 10-s grid, so its latency is not flattered.
    const end = minutes * 60_000 + 3_700;
    const seed = await simulatedWait(end, () => 10_000);
    const first = await simulatedWait(end, runPollSchedule());
    const repeated = await simulatedWait(end, runPollSchedule(end));
    const late = await simulatedWait(end * 1.05, runPollSchedule(end));
    const early = await simulatedWait(end * 0.95, runPollSchedule(end));
    const f = (r: { reads: number; latencyMs: number }) => `${r.reads} reads (noticed ${(r.latencyMs / 1000).toFixed(1)} s after the end)`;
    console.log(
      `${minutes}-minute run: seed's 10-s polling ${f(seed)}; first ${f(first)}, ratio ${(first.reads / seed.reads).toFixed(2)}; ` +
        `repeated ${f(repeated)}, ratio ${(repeated.reads / seed.reads).toFixed(2)}; repeated 5 % longer ${f(late)}; 5 % shorter ${f(early)}`,
    );
  }
  console.log("goal (10-minute run): first <= the seed's ~60 reads, repeated <= 20. A Databricks read is one runs/get; an Azure ML read is jobs/get plus the child jobs' list once started.");
}
