/**
 * Key Vault authentication: `Authorization: Bearer <token>`, where the token is an Azure AD access
 * token the emulator issued for Key Vault, or the emulator's own token (a stand-in for the tokens
 * of its owner). Anything else answers 401 with the vault's challenge, naming the problem in Key
 * Vault's words (`AKV10022: Invalid audience`, `[TokenExpired]`, ...).
 */
import { bearerTokenOf, tokenMatches } from "../core/bearer";
import type { EmulatorRequest, EmulatorResponse } from "../core/service";
import { looksLikeJwt, type TokenCheck, type TokenIssuer } from "../identity/tokens";
import { invalidToken, KEY_VAULT_RESOURCE, missingToken, refusedAccessToken } from "./errors";

/** The application id of Azure Key Vault: the other audience its tokens may have. */
export const KEY_VAULT_APPLICATION_ID = "cfa8b339-82a2-471a-a3c9-0fc0be7a4093";
/** Audiences Key Vault accepts (Azure AD names a v1 resource by its URI, or by its application id). */
export const KEY_VAULT_AUDIENCES: readonly string[] = [KEY_VAULT_RESOURCE, KEY_VAULT_APPLICATION_ID];

/** What a request is checked against. */
export interface KeyVaultAuthOptions {
  /** The emulator's own token. */
  readonly token: string;
  /** Verifies the access tokens the emulator issued. */
  readonly tokens?: TokenIssuer;
  /** The tenant the challenge names. */
  readonly tenantId: string;
}

/** `undefined` when the request may go on; otherwise Key Vault's 401 with its challenge. */
export function authenticateKeyVault(req: EmulatorRequest, options: KeyVaultAuthOptions): EmulatorResponse | undefined {
  if (!/^Bearer\s+\S/i.test(req.headers.authorization ?? "")) return missingToken(options.tenantId);
  const token = bearerTokenOf(req.headers);
  if (token !== undefined && tokenMatches(token, options.token)) return undefined;
  if (token === undefined || !options.tokens || !looksLikeJwt(token)) return invalidToken(options.tenantId);
  const check = options.tokens.verify(token, KEY_VAULT_AUDIENCES);
  return check.ok ? undefined : refusedAccessToken(options.tenantId, refusal(check, token, options.tokens.issuer));
}

function refusal(check: Exclude<TokenCheck, { ok: true }>, token: string, issuer: string): string {
  switch (check.problem) {
    case "audience":
      return `AKV10022: Invalid audience. Expected ${KEY_VAULT_AUDIENCES.join(" or ")}, found: ${String(check.claims?.aud)}.`;
    case "expired":
      return "[TokenExpired] Error validating token: 'S2S12086'.";
    case "not-yet-valid":
      return "Token not yet valid.";
    case "issuer":
      return `AKV10032: Invalid issuer. Expected one of ${issuer}, found: ${String(check.claims?.iss)}.`;
    case "unknown-key":
      return `AKV10046: Unable to resolve the key used for signature validation. EncodedJwtHeader: '${token.split(".")[0]}'.`;
    case "signature":
      return "Invalid token signature: the token was not signed by the key of its issuer.";
    case "malformed":
      return "AKV10032: Invalid token: the bearer token is not the one this vault accepts.";
  }
}
