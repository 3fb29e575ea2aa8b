/**
 * When to retry a REST call, and after how long. Pure functions: no clock, no I/O, the randomness
 * and the current time are parameters so that tests can fix them.
 */

/** Tunables of the retry policy. */
export interface RetryOptions {
  /** How many times a request is retried after its first attempt. Default 6. */
  readonly maxRetries: number;
  /** Base of the exponential backoff, in milliseconds. Default 500. */
  readonly baseDelayMs: number;
  /** Upper bound of every delay, `Retry-After` included, in milliseconds. Default 30000. */
  readonly maxDelayMs: number;
}

/** The defaults: 6 retries, 500 ms base, 30 s cap. */
export const DEFAULT_RETRY_OPTIONS: RetryOptions = Object.freeze({ maxRetries: 6, baseDelayMs: 500, maxDelayMs: 30_000 });

/** What happened on one attempt, as far as the retry decision is concerned. */
export interface AttemptOutcome {
  /** HTTP status of the response; absent when no response arrived. */
  readonly status?: number;
  /** Raw `Retry-After` header of the response: integer seconds or an HTTP date. */
  readonly retryAfterHeader?: string;
  /** Node network error code (`ECONNRESET`, `ETIMEDOUT`, ...) when no response arrived. */
  readonly errorCode?: string;
  /** Network error message; `socket hang up` is recognised even without a code. */
  readonly errorMessage?: string;
  /**
   * Whether the request may be sent twice without changing the outcome (GET, delete, overwrite,
   * a submit carrying an idempotency token). Default false.
   */
  readonly idempotent?: boolean;
}

/** Statuses meaning the service did not process the request: always safe to retry. */
export const ALWAYS_RETRIED_STATUSES: readonly number[] = Object.freeze([429, 503]);

/** Statuses after which the request may or may not have been processed: retried only when idempotent. */
export const IDEMPOTENT_RETRIED_STATUSES: readonly number[] = Object.freeze([500, 502, 504]);

/** Network error codes retried when the request is idempotent. */
export const RETRIED_NETWORK_ERRORS: readonly string[] = Object.freeze(["ECONNRESET", "ETIMEDOUT", "ECONNREFUSED", "EPIPE", "EAI_AGAIN"]);

/** True when the attempt failed in a way worth retrying (ignoring the retry budget). */
export function isRetriable(outcome: AttemptOutcome): boolean {
  if (outcome.status !== undefined && outcome.status > 0) {
    if (ALWAYS_RETRIED_STATUSES.includes(outcome.status)) return true;
    return outcome.idempotent === true && IDEMPOTENT_RETRIED_STATUSES.includes(outcome.status);
  }
  if (outcome.idempotent !== true) return false;
  if (outcome.errorCode !== undefined && RETRIED_NETWORK_ERRORS.includes(outcome.errorCode)) return true;
  return /socket hang up/i.test(outcome.errorMessage ?? "");
}

/**
 * Parses a `Retry-After` header: integer seconds, or an HTTP date relative to `now`. Returns the
 * delay in milliseconds (never negative), or undefined when the header is absent or malformed.
 */
export function parseRetryAfterMs(header: string | undefined, now: number = Date.now()): number | undefined {
  if (header === undefined) return undefined;
  const value = header.trim();
  if (value === "") return undefined;
  if (/^\d+$/.test(value)) return Number(value) * 1000;
  // Only accept something that looks like an HTTP date, not any string Date.parse tolerates.
  if (!/[A-Za-z]{3},?\s/.test(value)) return undefined;
  const at = Date.parse(value);
  if (Number.isNaN(at)) return undefined;
  return Math.max(0, at - now);
}

/**
 * The delay before retry number `attempt + 1`, or undefined when the request must not be retried.
 *
 * - 429 and 503 are always retried (the request was not processed); 500, 502, 504 and network
 *   errors (ECONNRESET, ETIMEDOUT, ECONNREFUSED, EPIPE, EAI_AGAIN, socket hang up) only when the
 *   request is idempotent.
 * - A valid `Retry-After` is the delay, capped at `maxDelayMs`; otherwise full-jitter exponential
 *   backoff: `random() * min(maxDelayMs, baseDelayMs * 2^attempt)`.
 *
 * @param attempt Retries already made for this request (0 after the first failure).
 * @param outcome What the failed attempt returned.
 * @param opts Retry tunables; missing fields take {@link DEFAULT_RETRY_OPTIONS}.
 * @param random Source of jitter in [0, 1). Default `Math.random`.
 * @param now Current time in epoch milliseconds, for HTTP-date `Retry-After`. Default `Date.now()`.
 */
export function retryDelayMs(
  attempt: number,
  outcome: AttemptOutcome,
  opts: Partial<RetryOptions> = {},
  random: () => number = Math.random,
  now: number = Date.now(),
): number | undefined {
  const { maxRetries, baseDelayMs, maxDelayMs } = { ...DEFAULT_RETRY_OPTIONS, ...definedOnly(opts) };
  if (!Number.isInteger(attempt) || attempt < 0 || attempt >= maxRetries) return undefined;
  if (!isRetriable(outcome)) return undefined;
  const retryAfter = parseRetryAfterMs(outcome.retryAfterHeader, now);
  if (retryAfter !== undefined) return Math.min(retryAfter, maxDelayMs);
  const ceiling = Math.min(maxDelayMs, baseDelayMs * 2 ** attempt);
  return Math.floor(random() * ceiling);
}

function definedOnly<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}
