/**
 * The one polling loop: read a state until it is final, printing a line per change, with adaptive
 * delays (quick at first so short operations end within a second of the service reporting it,
 * then backing off for long ones) and a timeout.
 */
import { abortableSleep, Sleep } from "./abortableSleep";
import { progress } from "./progress";

/** Options of {@link pollUntil}. */
export interface PollOptions<T> {
  /** Reads the current state (one request). */
  read: (signal?: AbortSignal) => Promise<T>;
  /** True once the wait is over. */
  done: (state: T) => boolean;
  /** The state as shown in progress lines, e.g. `run 5 RUNNING`; a line is printed when it changes. */
  describe: (state: T) => string;
  /** The service's message about the state, appended to its line. */
  detail?: (state: T) => string | undefined;
  /** Prefix of the lines, e.g. `Databricks run "train"`. */
  label: string;
  /** Give up after this long (the operation keeps going). */
  timeoutMs: number;
  /** Where lines go. Default: {@link progress}. */
  log?: (line: string) => void;
  /** Aborts the wait. */
  signal?: AbortSignal;
  /** The delay before the next read. Default: {@link pollDelayMs}. */
  delayMs?: (attempt: number, elapsedMs: number) => number;
  /** How to wait. Default: {@link abortableSleep}; tests pass one that records the delays. */
  sleep?: Sleep;
  /** The clock (epoch ms). Default: `Date.now`; tests pass a simulated one that their `sleep` moves. */
  now?: () => number;
}

/** 200 ms growing by half each time, capped at 1 s for the first 30 s, 5 s up to 5 min, then 15 s. */
export function pollDelayMs(attempt: number, elapsedMs: number): number {
  const cap = elapsedMs < 30_000 ? 1_000 : elapsedMs < 300_000 ? 5_000 : 15_000;
  return Math.min(Math.round(200 * 1.5 ** attempt), cap);
}

/** The wait ended before the operation did; `last` is the last state read. */
export class PollTimeout<T> extends Error {
  constructor(
    readonly last: T,
    readonly elapsedMs: number,
    description: string,
  ) {
    super(`still ${description} after ${Math.round(elapsedMs / 1000)} s`);
    this.name = "PollTimeout";
  }
}

/** Reads until `done`; throws {@link PollTimeout} past the timeout and an `AbortError` on abort. */
export async function pollUntil<T>(o: PollOptions<T>): Promise<T> {
  const log = o.log ?? progress;
  const delayMs = o.delayMs ?? pollDelayMs;
  const now = o.now ?? Date.now;
  const started = now();
  let last = "";
  for (let attempt = 0; ; attempt++) {
    const state = await o.read(o.signal);
    const elapsed = now() - started;
    const description = o.describe(state);
    if (description !== last) {
      const detail = o.detail?.(state);
      log(`${o.label}: ${description} (${(elapsed / 1000).toFixed(1)}s)${detail ? `: ${detail}` : ""}`);
      last = description;
    }
    if (o.done(state)) return state;
    if (elapsed >= o.timeoutMs) throw new PollTimeout(state, elapsed, description);
    await (o.sleep ?? abortableSleep)(Math.min(delayMs(attempt, elapsed), Math.max(0, o.timeoutMs - elapsed)), o.signal);
  }
}
