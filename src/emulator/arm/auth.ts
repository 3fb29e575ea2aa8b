/**
 * Resource Manager authentication: `Authorization: Bearer <token>`, where the token is the
 * emulator's own or an access token the emulator issued for the management audience: Azure's
 * (`https://management.azure.com`, `https://management.core.windows.net`, with or without the
 * slash) or the emulator's own base URL (what a client pointed at the emulator asks for by default,
 * `<endpoint>/.default`). Anything else answers 401 in Resource Manager's words.
 */
import { bearerTokenOf, tokenMatches } from "../core/bearer";
import type { EmulatorRequest, EmulatorResponse } from "../core/service";
import { looksLikeJwt, type TokenCheck, type TokenIssuer } from "../identity/tokens";
import { armError, invalidAuthenticationToken, missingAuthorization } from "./errors";

/** Azure's management audiences, as Resource Manager lists them in its refusal. */
export const MANAGEMENT_AUDIENCES: readonly string[] = [
  "https://management.core.windows.net/",
  "https://management.core.windows.net",
  "https://management.azure.com/",
  "https://management.azure.com",
];

/** The audiences a request to the emulator at `baseUrl` may carry. */
export function armAudiences(baseUrl: string): string[] {
  return [...MANAGEMENT_AUDIENCES, baseUrl, `${baseUrl}/`];
}

/** `undefined` when the request may go on; otherwise Resource Manager's 401. */
export function authenticateArm(req: EmulatorRequest, ownToken: string, tokens?: TokenIssuer): EmulatorResponse | undefined {
  return authenticateBearer(req, ownToken, tokens, armAudiences(req.baseUrl));
}

/**
 * `undefined` when the request carries the emulator's token or one it issued for one of
 * `audiences`; otherwise the 401 in Resource Manager's words (which Azure's other front doors use
 * too: the Azure ML inference endpoints).
 */
export function authenticateBearer(req: EmulatorRequest, ownToken: string | undefined, tokens: TokenIssuer | undefined, audiences: readonly string[]): EmulatorResponse | undefined {
  if (req.headers.authorization === undefined) return missingAuthorization();
  const token = bearerTokenOf(req.headers);
  if (token !== undefined && ownToken !== undefined && tokenMatches(token, ownToken)) return undefined;
  if (token === undefined || !tokens || !looksLikeJwt(token)) return invalidAuthenticationToken();
  const check = tokens.verify(token, audiences);
  return check.ok ? undefined : refusal(check, tokens, audiences);
}

function refusal(check: Exclude<TokenCheck, { ok: true }>, tokens: TokenIssuer, audiences: readonly string[]): EmulatorResponse {
  switch (check.problem) {
    case "audience":
      return armError(
        401,
        "InvalidAuthenticationTokenAudience",
        `The access token has been obtained for wrong audience or resource '${String(check.claims?.aud)}'. It should exactly match with one of the allowed audiences ${audiences.map((a) => `'${a}'`).join(",")}.`,
      );
    case "expired":
      return armError(401, "ExpiredAuthenticationToken", "The access token expiry UTC time is earlier than current UTC time.");
    case "issuer":
      return armError(401, "InvalidAuthenticationTokenTenant", `The access token is from the wrong issuer '${String(check.claims?.iss)}'. It must match the tenant '${tokens.issuer}' associated with this subscription.`);
    default:
      return invalidAuthenticationToken();
  }
}
