/**
 * When to read a run's or a job's status again, from what the stack's state knows of how long its
 * previous execution took. A read is one request; reads cost API quota and the time between the
 * service ending the run and our next read is latency the user waits for nothing.
 *
 * - Nothing known (a first run): every 0.5 s at first, then a quarter of the time waited so far,
 *   at most 15 s: a 10-minute run costs fewer reads than polling every 10 s (61), short runs end
 *   within a second of the service.
 * - The previous execution took `expectedMs`: sparse until the run is due (never more than twice
 *   the time waited, so early state changes and failures are still seen; never more than half the
 *   time left, so the reads close in on the due time), one read at the due time, then every 0.5 s
 *   while only just late, backing off by half of how late it is (at most 15 s) when the run takes
 *   longer than the previous one: a repeated 10-minute run costs under 20 reads.
 */

/** The shortest delay between two reads. */
export const DENSE_DELAY_MS = 500;
/** The longest delay between two reads. */
export const MAX_DELAY_MS = 15_000;
/** A first run's delay as a share of the time waited so far. */
const FIRST_RUN_GROWTH = 0.25;
/** Past the due time, the delay as a share of how late the run is. */
const LATE_GROWTH = 0.5;
/** Before the due time, the delay is at most this share of the time left. */
const CLOSING_IN = 0.5;
/** Before the due time, the delay is at most this many times the time waited (at least 1 s). */
const EARLY_GROWTH = 2;

/** The delay before the next read after `elapsedMs` of waiting; `expectedMs` is how long the previous execution took. */
export function runPollDelayMs(elapsedMs: number, expectedMs?: number): number {
  if (expectedMs === undefined || !(expectedMs > 0)) return clamp(elapsedMs * FIRST_RUN_GROWTH);
  const left = expectedMs - elapsedMs;
  if (left > DENSE_DELAY_MS) return Math.round(Math.max(DENSE_DELAY_MS, Math.min(Math.max(1_000, elapsedMs * EARLY_GROWTH), left * CLOSING_IN)));
  if (left > 0) return Math.ceil(left);
  return clamp(-left * LATE_GROWTH);
}

/** {@link runPollDelayMs} for a known (or unknown) previous duration, in the shape `pollUntil` takes. */
export function runPollSchedule(expectedMs?: number): (attempt: number, elapsedMs: number) => number {
  return (_attempt, elapsedMs) => runPollDelayMs(elapsedMs, expectedMs);
}

/** How long an execution took from its start and end times (epoch ms); undefined unless both are known and in order. */
export function durationMs(start: number | undefined, end: number | undefined): number | undefined {
  return start !== undefined && end !== undefined && Number.isFinite(start) && Number.isFinite(end) && end > start ? end - start : undefined;
}

function clamp(ms: number): number {
  return Math.round(Math.min(MAX_DELAY_MS, Math.max(DENSE_DELAY_MS, ms)));
}
