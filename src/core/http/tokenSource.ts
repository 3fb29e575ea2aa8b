/**
 * Where a request's credential comes from: a fixed bearer token, or an Azure `TokenCredential`
 * asked for one scope and cached until shortly before it expires. Tokens live in closures, never
 * in enumerable properties, so logging or inspecting a token source or a client prints no secret.
 */
import type { AccessToken, TokenCredential } from "@azure/core-auth";

/** Supplies the authentication headers of one request. */
export interface TokenSource {
  /** Which kind of credential this is, for error messages (`pat`, `azure-ad`, `bearer`). */
  readonly kind: string;
  /** Headers to add to the next request; may fetch or refresh a token. */
  headers(): Promise<Record<string, string>>;
}

/** `Authorization: Bearer <token>` with a fixed token, or the token a function returns. */
export function bearerToken(token: string | (() => Promise<string>), kind = "bearer"): TokenSource {
  if (!token) throw new Error(`A ${kind} token source needs a non-empty token.`);
  return {
    kind,
    async headers() {
      return { Authorization: `Bearer ${typeof token === "string" ? token : await token()}` };
    },
  };
}

/** A token is renewed this long before it expires (or at the credential's `refreshAfterTimestamp`). */
export const TOKEN_REFRESH_MARGIN_MS = 5 * 60 * 1000;

/**
 * A function returning a token of `credential` for `scope`, asking the credential again only
 * when the cached token is within {@link TOKEN_REFRESH_MARGIN_MS} of expiry (some credentials,
 * such as the Azure CLI's, start a process per call). Concurrent callers share one request; a
 * failed request is not cached.
 *
 * @param now Current time in epoch milliseconds. Default `Date.now`.
 */
export function cachedToken(credential: TokenCredential, scope: string, now: () => number = Date.now): () => Promise<string> {
  let cached: AccessToken | undefined;
  let pending: Promise<AccessToken> | undefined;
  const fresh = (t: AccessToken | undefined): t is AccessToken =>
    t !== undefined && now() < (t.refreshAfterTimestamp ?? t.expiresOnTimestamp - TOKEN_REFRESH_MARGIN_MS);
  return async () => {
    if (fresh(cached)) return cached.token;
    pending ??= (async () => {
      try {
        const token = await credential.getToken(scope);
        if (!token?.token) throw new Error(`the Azure credential returned no token for scope ${scope}`);
        cached = token;
        return token;
      } finally {
        pending = undefined;
      }
    })();
    return (await pending).token;
  };
}

/** `Authorization: Bearer <token>` with a cached token of `credential` for `scope`. */
export function credentialToken(credential: TokenCredential, scope: string, kind = "azure-ad", now?: () => number): TokenSource {
  return bearerToken(cachedToken(credential, scope, now), kind);
}
