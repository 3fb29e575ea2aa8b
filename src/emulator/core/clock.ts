/**
 * The emulator's time. Every timestamp it reports (run and cluster times, secret dates, the request
 * log) and every phase it waits through (a run's PENDING and TERMINATING, a cluster's start, a retry
 * interval, a run or task timeout) reads this clock, never `Date.now` or `setTimeout` directly.
 *
 * {@link systemClock} is real time. A {@link ManualClock} stands still until someone advances it
 * (a test, or `POST /_emulator/clock`), so a test sees every phase and ends it when it chooses,
 * instead of sleeping and hoping the emulator got there first.
 */

/** A source of time and of wake-ups. */
export interface Clock {
  /** The current time, in ms since the epoch. */
  now(): number;
  /**
   * Calls `wake` once `ms` of this clock's time have passed (`ms` <= 0: on the next turn; never
   * synchronously). Returns a function that cancels the call if it has not happened yet.
   */
  schedule(ms: number, wake: () => void): () => void;
}

/** The longest delay `setTimeout` takes; longer waits are chained. */
const MAX_TIMER_MS = 2 ** 31 - 1;

/** Real time: `Date.now` and `setTimeout`. */
export const systemClock: Clock = Object.freeze({
  now: () => Date.now(),
  schedule(ms: number, wake: () => void): () => void {
    let timer: NodeJS.Timeout;
    const due = Date.now() + Math.max(0, ms);
    const arm = (): void => {
      const left = due - Date.now();
      timer = setTimeout(left > MAX_TIMER_MS ? arm : wake, Math.min(Math.max(0, left), MAX_TIMER_MS));
    };
    arm();
    return () => clearTimeout(timer);
  },
});

/** Resolves after `ms` of the clock's time, or as soon as `signal` aborts. */
export function sleep(clock: Clock, ms: number, signal?: AbortSignal): Promise<void> {
  if (ms <= 0 || signal?.aborted) return Promise.resolve();
  return new Promise((resolve) => {
    const done = (): void => {
      cancel();
      signal?.removeEventListener("abort", done);
      resolve();
    };
    const cancel = clock.schedule(ms, done);
    signal?.addEventListener("abort", done, { once: true });
  });
}

interface WakeUp {
  readonly at: number;
  /** Order of scheduling, so that wake-ups due at the same time fire in that order. */
  readonly seq: number;
  readonly wake: () => void;
}

/**
 * A clock that moves only when {@link advance}d. Wake-ups fire in time order; after each, the
 * clock lets the woken code run (and schedule further wake-ups, which fire too when they fall
 * within the same advance) before it moves on.
 */
export class ManualClock implements Clock {
  private current: number;
  private seq = 0;
  private wakeUps: WakeUp[] = [];

  /** @param start - the initial time, ms since the epoch. Default: the real time now. */
  constructor(start: number = Date.now()) {
    if (!Number.isSafeInteger(start) || start < 0) throw new Error(`start must be a non-negative integer of ms since the epoch, not ${start}.`);
    this.current = start;
  }

  now(): number {
    return this.current;
  }

  schedule(ms: number, wake: () => void): () => void {
    const entry: WakeUp = { at: this.current + Math.max(0, ms), seq: this.seq++, wake };
    if (ms <= 0) {
      // Due now: fire on the next turn, as a timer of 0 ms would.
      let cancelled = false;
      setImmediate(() => cancelled || wake());
      return () => (cancelled = true);
    }
    this.wakeUps.push(entry);
    return () => {
      this.wakeUps = this.wakeUps.filter((w) => w !== entry);
    };
  }

  /** How many wake-ups are waiting for the clock to move. */
  get pending(): number {
    return this.wakeUps.length;
  }

  /**
   * Moves the clock `ms` forward, firing every wake-up that falls due on the way, in order, and
   * resolves once the woken code has had its turn.
   */
  async advance(ms: number): Promise<void> {
    if (!Number.isSafeInteger(ms) || ms < 0) throw new Error(`advanceMs must be a non-negative integer, not ${ms}.`);
    const target = this.current + ms;
    for (let next = this.nextDue(target); next; next = this.nextDue(target)) {
      this.wakeUps = this.wakeUps.filter((w) => w !== next);
      this.current = Math.max(this.current, next.at);
      next.wake();
      await turn();
    }
    this.current = target;
    await turn();
  }

  private nextDue(target: number): WakeUp | undefined {
    let first: WakeUp | undefined;
    for (const w of this.wakeUps) {
      if (w.at <= target && (!first || w.at < first.at || (w.at === first.at && w.seq < first.seq))) first = w;
    }
    return first;
  }
}

/** Lets pending promise continuations and immediate callbacks run. */
function turn(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
