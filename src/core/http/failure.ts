/**
 * Failures met before a response arrived (connection reset, refused, timed out, aborted, no
 * credential), reduced to a code and one message line. HTTP libraries' own errors carry the
 * request configuration, Authorization header included; they are turned into a
 * {@link RequestFailure} where they are caught and never travel further.
 */

/** Code of a request stopped by its abort signal. */
export const ABORTED = "ABORTED";
/** Code of a request that could not get its credential. */
export const AUTHENTICATION_FAILED = "AUTHENTICATION_FAILED";

/** A failure without a response: just a code and a message. */
export class RequestFailure extends Error {
  /** Network code (`ECONNRESET`, `ETIMEDOUT`, ...) or one of ours ({@link ABORTED}, {@link AUTHENTICATION_FAILED}). */
  readonly code: string;

  constructor(code: string, message: string) {
    super(message);
    this.name = "RequestFailure";
    this.code = code;
  }
}

/**
 * The code and first message line of anything thrown on the way to a response. Aborts (DOM
 * `AbortError`, axios `ERR_CANCELED`) become {@link ABORTED}; a `socket hang up` without a code
 * becomes `ECONNRESET`; anything else without a code `NETWORK_ERROR`.
 */
export function describeFailure(err: unknown): { code: string; message: string } {
  if (err instanceof RequestFailure) return { code: err.code, message: err.message };
  const e = (err ?? {}) as { code?: unknown; message?: unknown; name?: unknown };
  const code = typeof e.code === "string" && e.code ? e.code : undefined;
  if (code === "ERR_CANCELED" || e.name === "AbortError" || e.name === "CanceledError") return { code: ABORTED, message: "the request was aborted" };
  const message = typeof e.message === "string" && e.message ? firstLine(e.message) : String(err);
  return { code: code ?? (/socket hang up/i.test(message) ? "ECONNRESET" : "NETWORK_ERROR"), message };
}

/** An `AbortError`, as `fetch` and timers reject with. */

function firstLine(text: string): string {
  return text.split("\n")[0].trim();
}
