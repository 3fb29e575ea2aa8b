/**
 * Databricks authentication: `Authorization: Bearer <token>`, where the token is the emulator's
 * one token (a PAT such as `dapi...` or an Azure AD access token). Checked before the body is read.
 */
import { bearerTokenOf, tokenMatches } from "../core/bearer";
import type { EmulatorRequest, EmulatorResponse } from "../core/service";
import { invalidAccessToken, unauthenticated } from "./errors";

/** The bearer token of a request, or `undefined` when it has no bearer credential. */
export function bearerToken(req: EmulatorRequest): string | undefined {
  return bearerTokenOf(req.headers);
}

/**
 * Checks the request's credential: 401 UNAUTHENTICATED without a bearer token (the real
 * workspace's "Credential was not sent or was of an unsupported type for this API."), 403
 * PERMISSION_DENIED "Invalid access token." for a token it does not accept, `undefined` when the
 * token is the emulator's.
 */
export function authenticate(req: EmulatorRequest, expected: string): EmulatorResponse | undefined {
  const token = bearerToken(req);
  if (token === undefined) return unauthenticated();
  return tokenMatches(token, expected) ? undefined : invalidAccessToken();
}

/**
 * True when the caller authenticated with an Azure AD access token (a JWT, `eyJ...`) rather than
 * a personal access token. Only such callers may create Azure Key Vault-backed secret scopes.
 */
export function isAzureAdCaller(req: EmulatorRequest): boolean {
  return bearerToken(req)?.startsWith("eyJ") ?? false;
}
