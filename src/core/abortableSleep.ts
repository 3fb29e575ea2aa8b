/** Waiting that an AbortSignal can cut short: between retries and between polls. */

/** The error an aborted wait rejects with (`name: "AbortError"`, as `fetch` and axios use). */
export function abortError(): Error {
  return Object.assign(new Error("the operation was aborted"), { name: "AbortError" });
}

/**
 * Resolves after `ms` milliseconds; rejects with an `AbortError` as soon as `signal` aborts
 * (immediately when it already has).
 */
export function abortableSleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(abortError());
      return;
    }
    const onAbort = () => {
      clearTimeout(timer);
      reject(abortError());
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, Math.max(0, ms));
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}

/** How the retry policy and pollers wait; tests pass one that records the delays. */
export type Sleep = (ms: number, signal?: AbortSignal) => Promise<void>;
