/**
 * Databricks authentication: `Authorization: Bearer <token>`, where the token is the emulator's
 * own (a personal access token's stand-in) or an Azure AD access token the emulator issued for
 * the Azure Databricks resource. Checked before the body is read.
 */
import { bearerTokenOf, tokenMatches } from "../core/bearer";
import type { EmulatorRequest, EmulatorResponse } from "../core/service";
import { looksLikeJwt, type TokenIssuer } from "../identity/tokens";
import { databricksError, invalidAccessToken, unauthenticated } from "./errors";

/** The application id of the Azure Databricks resource: the audience of its Azure AD tokens. */
export const AZURE_DATABRICKS_AUDIENCE = "2ff814a6-3304-4ab8-85cb-cd0e6f879c1d";

/** How a request authenticated. */
export type DatabricksCaller = { readonly kind: "pat" } | { readonly kind: "azure-ad"; readonly objectId: string; readonly appId: string };

const callers = new WeakMap<EmulatorRequest, DatabricksCaller>();

/** The bearer token of a request, or `undefined` when it has no bearer credential. */
export function bearerToken(req: EmulatorRequest): string | undefined {
  return bearerTokenOf(req.headers);
}

/**
 * Checks the request's credential: 401 UNAUTHENTICATED without a bearer token (the real
 * workspace's "Credential was not sent or was of an unsupported type for this API."), 401 "Token
 * is expired" for an Azure AD token past its expiry, 403 PERMISSION_DENIED "Invalid access token."
 * for any other token it does not accept (another audience, a signature not the emulator's);
 * `undefined` when the token is the emulator's own or an Azure AD token it issued for Azure
 * Databricks. Remembers the caller for {@link isAzureAdCaller}.
 */
export function authenticate(req: EmulatorRequest, expected: string, tokens?: TokenIssuer): EmulatorResponse | undefined {
  const token = bearerToken(req);
  if (token === undefined) return unauthenticated();
  if (tokenMatches(token, expected)) {
    callers.set(req, { kind: "pat" });
    return undefined;
  }
  if (!tokens || !looksLikeJwt(token)) return invalidAccessToken();
  const check = tokens.verify(token, [AZURE_DATABRICKS_AUDIENCE]);
  if (check.ok) {
    callers.set(req, { kind: "azure-ad", objectId: check.claims.oid, appId: check.claims.appid });
    return undefined;
  }
  return check.problem === "expired" ? databricksError(401, "UNAUTHENTICATED", "Token is expired") : invalidAccessToken();
}

/**
 * True when the caller authenticated with an Azure AD access token the emulator issued (rather
 * than a personal access token). Only such callers may create Azure Key Vault-backed secret scopes.
 */
export function isAzureAdCaller(req: EmulatorRequest): boolean {
  return callers.get(req)?.kind === "azure-ad";
}

/** How the request authenticated; `undefined` before authentication. */
export function callerOf(req: EmulatorRequest): DatabricksCaller | undefined {
  return callers.get(req);
}
