/**
 * Adds the credential's headers to each request, and refuses to add them for a host the client
 * must never send its token to.
 */
import { AUTHENTICATION_FAILED, RequestFailure } from "./failure";
import type { PipelinePolicy } from "./pipeline";
import type { TokenSource } from "./tokenSource";

/** Code of a request refused because its host may not receive the credential. */
export const UNTRUSTED_HOST = "UNTRUSTED_HOST";

/** Options of {@link authPolicy}. */
export interface AuthPolicyOptions {
  /**
   * Whether a URL may receive the token; a request to any other URL fails with
   * {@link UNTRUSTED_HOST} before anything is sent. Default: every URL.
   */
  mayReceiveToken?: (url: URL) => boolean;
}

/**
 * Adds `source`'s headers. A credential that fails becomes {@link AUTHENTICATION_FAILED} with the
 * first line of its message; nothing is sent then.
 */
export function authPolicy(source: TokenSource, options: AuthPolicyOptions = {}): PipelinePolicy {
  return {
    name: "auth",
    async send(request, next) {
      const url = new URL(request.url);
      if (options.mayReceiveToken && !options.mayReceiveToken(url)) {
        throw new RequestFailure(UNTRUSTED_HOST, `refusing to send ${source.kind} credentials to ${url.protocol}//${url.host}`);
      }
      let headers: Record<string, string>;
      try {
        headers = await source.headers();
      } catch (err) {
        const message = err instanceof Error ? err.message.split("\n")[0] : String(err);
        throw new RequestFailure(AUTHENTICATION_FAILED, `could not get ${source.kind} credentials: ${message}`);
      }
      return next({ ...request, headers: { ...request.headers, ...headers } });
    },
  };
}
