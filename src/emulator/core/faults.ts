/**
 * Fault injection: a queue of failures answered to the next authenticated requests, so clients'
 * retry behaviour can be proven against the emulator.
 */
import type { Fault } from "./service";

/** Default `Retry-After` of an injected fault, in seconds. */
export const DEFAULT_FAULT_RETRY_AFTER_SECONDS = 1;

/**
 * Checks an untrusted fault list (from options or from `POST /_emulator/faults`) and returns it
 * normalised; throws an `Error` naming the offending entry and field.
 */
export function parseFaults(input: unknown): Fault[] {
  if (!Array.isArray(input)) throw new Error("faults must be a JSON array of {status, count, retryAfterSeconds?}.");
  return input.map((entry: unknown, i) => {
    if (typeof entry !== "object" || entry === null || Array.isArray(entry)) {
      throw new Error(`faults[${i}] must be an object {status, count, retryAfterSeconds?}.`);
    }
    const { status, count, retryAfterSeconds } = entry as Record<string, unknown>;
    if (status !== 429 && status !== 503) throw new Error(`faults[${i}].status must be 429 or 503, not ${JSON.stringify(status)}.`);
    if (typeof count !== "number" || !Number.isInteger(count) || count < 1) {
      throw new Error(`faults[${i}].count must be a positive integer, not ${JSON.stringify(count)}.`);
    }
    if (retryAfterSeconds !== undefined && (typeof retryAfterSeconds !== "number" || !Number.isInteger(retryAfterSeconds) || retryAfterSeconds < 0)) {
      throw new Error(`faults[${i}].retryAfterSeconds must be a non-negative integer, not ${JSON.stringify(retryAfterSeconds)}.`);
    }
    return { status, count, retryAfterSeconds: retryAfterSeconds ?? DEFAULT_FAULT_RETRY_AFTER_SECONDS };
  });
}

/** The pending faults, consumed front to back, one request at a time. */
export class FaultQueue {
  private pending: { status: 429 | 503; remaining: number; retryAfterSeconds: number }[] = [];

  constructor(faults: readonly Fault[] = []) {
    this.replace(faults);
  }

  /** Replaces the pending faults (an empty list clears them). */
  replace(faults: readonly Fault[]): void {
    this.pending = parseFaults(faults).map((f) => ({
      status: f.status,
      remaining: f.count,
      retryAfterSeconds: f.retryAfterSeconds ?? DEFAULT_FAULT_RETRY_AFTER_SECONDS,
    }));
  }

  /** Takes one use of the first pending fault, or `undefined` when none is pending. */
  take(): Fault | undefined {
    const head = this.pending[0];
    if (!head) return undefined;
    head.remaining -= 1;
    if (head.remaining <= 0) this.pending.shift();
    return { status: head.status, count: 1, retryAfterSeconds: head.retryAfterSeconds };
  }

  /** The faults still pending, with their remaining counts. */
  list(): Fault[] {
    return this.pending.map((f) => ({ status: f.status, count: f.remaining, retryAfterSeconds: f.retryAfterSeconds }));
  }
}
