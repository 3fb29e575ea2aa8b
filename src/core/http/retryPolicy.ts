/**
 * The retry policy: sends the request again while {@link retryDelayMs} allows, sleeping between
 * attempts. It sits outside the error-mapping policy, so it decides on the service's
 * {@link ServiceError}: its status, `Retry-After` and, without a response, its network code.
 */
import { ServiceError } from "../errors";
import { abortableSleep, Sleep } from "../abortableSleep";
import type { PipelinePolicy, PipelineResponse } from "./pipeline";
import { IDEMPOTENT_RETRIED_STATUSES, RetryOptions, retryDelayMs } from "./retryStrategy";

/** Options of {@link retryPolicy}; everything but `retry` is there for tests. */
export interface RetryPolicyOptions {
  /** Retry tunables. Default: 6 retries, 500 ms base, 30 s cap. */
  retry?: Partial<RetryOptions>;
  /** Jitter source in [0, 1). Default `Math.random`. */
  random?: () => number;
  /** Current time in epoch milliseconds, for HTTP-date `Retry-After`. Default `Date.now`. */
  now?: () => number;
  /** How to wait between attempts. Default {@link abortableSleep}. */
  sleep?: Sleep;
}

/**
 * Retries per {@link retryDelayMs}: 429 and 503 always, 500/502/504 and network errors only for
 * idempotent requests, or for requests that can tell whether they were applied
 * ({@link PipelineRequest.ifApplied}, asked after the wait: an applied request is not sent
 * again); `Retry-After` honoured, otherwise capped exponential backoff with full jitter. The wait
 * rejects with an `AbortError` as soon as the request's signal aborts.
 */
export function retryPolicy(options: RetryPolicyOptions = {}): PipelinePolicy {
  const random = options.random ?? Math.random;
  const now = options.now ?? Date.now;
  const sleep = options.sleep ?? abortableSleep;
  return {
    name: "retry",
    async send(request, next) {
      for (let retries = 0; ; retries++) {
        try {
          return await next({ ...request, attempt: retries + 1 });
        } catch (err) {
          if (!(err instanceof ServiceError)) throw err;
          const noResponse = err.status === 0;
          const delay = retryDelayMs(
            retries,
            {
              status: noResponse ? undefined : err.status,
              retryAfterHeader: err.retryAfter,
              errorCode: noResponse ? err.code : undefined,
              errorMessage: noResponse ? err.serviceMessage : undefined,
              idempotent: request.idempotent || request.ifApplied !== undefined,
            },
            options.retry,
            random,
            now(),
          );
          if (delay === undefined) throw err;
          await sleep(delay, request.signal);
          if (!request.idempotent && request.ifApplied && mayHaveBeenApplied(err.status)) {
            let applied: PipelineResponse | undefined;
            try {
              applied = await request.ifApplied();
            } catch {
              // The look-up failed too: what happened stays unknown, and the request's own failure says why.
              throw err;
            }
            if (applied) return applied;
          }
        }
      }
    },
  };
}

/** No response (status 0), or a status after which the service may or may not have applied the request. */
function mayHaveBeenApplied(status: number): boolean {
  return status === 0 || IDEMPOTENT_RETRIED_STATUSES.includes(status);
}
