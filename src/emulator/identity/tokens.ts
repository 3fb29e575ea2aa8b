/**
 * Access tokens shaped like Azure AD's (v1 JWTs, RS256): issued for one audience, and verified by
 * the services the way Azure's services check theirs: the emulator's signature, its issuer, the
 * audience the service expects, and the validity window on the emulator's clock (with Azure's
 * five minutes of clock skew). The signing and checking of the signature is jsonwebtoken's.
 */
import { randomBytes } from "node:crypto";
import jwt from "jsonwebtoken";
import type { Clock } from "../core/clock";
import { ACCESS_TOKEN_LIFETIME_SECONDS, issuerOf } from "./constants";
import type { SigningKey } from "./signingKey";

/** Clock skew a service tolerates on `exp` and `nbf`, in seconds (Azure's default). */
export const CLOCK_SKEW_SECONDS = 300;

/** Who a token is for: an application (client credentials) or a managed identity. */
export interface Principal {
  /** Application (client) id: `appid`. */
  readonly appId: string;
  /** Object id of its service principal: `oid` and `sub`. */
  readonly objectId: string;
}

/** The claims of an emulator access token. */
export interface AccessTokenClaims {
  readonly aud: string;
  readonly iss: string;
  readonly iat: number;
  readonly nbf: number;
  readonly exp: number;
  readonly appid: string;
  /** `1`: the application authenticated with a client secret (or is a managed identity). */
  readonly appidacr: string;
  readonly idp: string;
  readonly oid: string;
  readonly sub: string;
  readonly tid: string;
  readonly uti: string;
  readonly ver: "1.0";
}

/** An issued token and when it expires. */
export interface IssuedToken {
  readonly accessToken: string;
  /** Expiry, unix seconds. */
  readonly expiresOn: number;
  /** Seconds from issue to expiry. */
  readonly expiresIn: number;
}

/** Why a token is refused. */
export type TokenProblem = "malformed" | "unknown-key" | "signature" | "issuer" | "expired" | "not-yet-valid" | "audience";

/** The outcome of {@link TokenIssuer.verify}. */
export type TokenCheck = { readonly ok: true; readonly claims: AccessTokenClaims } | { readonly ok: false; readonly problem: TokenProblem; readonly claims?: Partial<AccessTokenClaims> };

/** True for text shaped like a JWS compact serialisation (three base64url parts). */
export function looksLikeJwt(token: string): boolean {
  return /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$/.test(token);
}

/** Issues and verifies the emulator's access tokens in its tenant. */
export class TokenIssuer {
  /** `iss` of every token. */
  readonly issuer: string;

  constructor(
    private readonly key: SigningKey,
    readonly tenantId: string,
    private readonly clock: Clock,
  ) {
    this.issuer = issuerOf(tenantId);
  }

  /** The public key as a JSON Web Key Set (`GET /{tenant}/discovery/v2.0/keys`). */
  jwks(): { keys: Record<string, unknown>[] } {
    const jwk = this.key.publicKey.export({ format: "jwk" });
    return { keys: [{ kty: jwk.kty, use: "sig", kid: this.key.kid, x5t: this.key.kid, n: jwk.n, e: jwk.e, issuer: this.issuer }] };
  }

  /** A token of `principal` for `audience` (a resource: `https://vault.azure.net`, an application id). */
  issue(principal: Principal, audience: string): IssuedToken {
    const now = Math.floor(this.clock.now() / 1000);
    const claims: AccessTokenClaims = {
      aud: audience,
      iss: this.issuer,
      iat: now,
      nbf: now,
      exp: now + ACCESS_TOKEN_LIFETIME_SECONDS,
      appid: principal.appId,
      appidacr: "1",
      idp: this.issuer,
      oid: principal.objectId,
      sub: principal.objectId,
      tid: this.tenantId,
      uti: randomBytes(16).toString("base64url"),
      ver: "1.0",
    };
    const accessToken = jwt.sign(claims, this.key.privateKey, { algorithm: "RS256", keyid: this.key.kid, header: { alg: "RS256", typ: "JWT", x5t: this.key.kid } });
    return { accessToken, expiresOn: claims.exp, expiresIn: ACCESS_TOKEN_LIFETIME_SECONDS };
  }

  /**
   * Checks `token` for a service whose audiences are `audiences`, in this order: a JWT, signed by
   * the emulator's key (its `kid`, then the signature), issued by its tenant, within its validity
   * window on the emulator's clock, for one of `audiences`.
   */
  verify(token: string, audiences: readonly string[]): TokenCheck {
    if (!looksLikeJwt(token)) return { ok: false, problem: "malformed" };
    const decoded = jwt.decode(token, { complete: true });
    if (!decoded || typeof decoded.payload !== "object") return { ok: false, problem: "malformed" };
    const claims = decoded.payload as Partial<AccessTokenClaims>;
    if (decoded.header.kid !== this.key.kid) return { ok: false, problem: "unknown-key", claims };
    try {
      jwt.verify(token, this.key.publicKey, { algorithms: ["RS256"], ignoreExpiration: true, ignoreNotBefore: true });
    } catch {
      return { ok: false, problem: "signature", claims };
    }
    const now = Math.floor(this.clock.now() / 1000);
    if (claims.iss !== this.issuer) return { ok: false, problem: "issuer", claims };
    if (typeof claims.exp !== "number" || now > claims.exp + CLOCK_SKEW_SECONDS) return { ok: false, problem: "expired", claims };
    if (typeof claims.nbf === "number" && now < claims.nbf - CLOCK_SKEW_SECONDS) return { ok: false, problem: "not-yet-valid", claims };
    if (typeof claims.aud !== "string" || !audiences.includes(claims.aud)) return { ok: false, problem: "audience", claims };
    return { ok: true, claims: claims as AccessTokenClaims };
  }
}
