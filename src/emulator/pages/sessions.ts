/**
 * Who may see the pages. A browser cannot send the emulator's bearer token, so a person signs in
 * once with it (the token they started the emulator with, `AMLDB_LOCAL_TOKEN`) on the sign-in page
 * and gets a session cookie: random, valid until the emulator stops, `HttpOnly` and
 * `SameSite=Strict` (and `Secure` over https). Programs may send the bearer token instead. The
 * token itself never goes into a cookie, a URL or a page.
 */
import busboy from "busboy";
import { randomBytes } from "node:crypto";
import { pipeline } from "node:stream/promises";
import { bearerTokenOf, tokenMatches } from "../core/bearer";
import type { EmulatorRequest } from "../core/service";

/** The session cookie's name. */
export const SESSION_COOKIE = "amldb_pages";

/** The sessions of one emulator run. */
export class PageSessions {
  private readonly open = new Set<string>();

  constructor(private readonly token: string) {}

  /** True when the request carries the emulator's token or a session cookie of this run. */
  admits(req: EmulatorRequest): boolean {
    const bearer = bearerTokenOf(req.headers);
    if (bearer !== undefined) return tokenMatches(bearer, this.token);
    const session = cookieOf(req.headers.cookie, SESSION_COOKIE);
    return session !== undefined && this.open.has(session);
  }

  /** Checks a token given on the sign-in page; on success, the `Set-Cookie` value of a new session. */
  signIn(token: string, secure: boolean): string | undefined {
    if (!tokenMatches(token, this.token)) return undefined;
    const session = randomBytes(32).toString("base64url");
    this.open.add(session);
    return `${SESSION_COOKIE}=${session}; Path=/; HttpOnly; SameSite=Strict${secure ? "; Secure" : ""}`;
  }
}

/** The value of one cookie of a `Cookie` header. */
export function cookieOf(header: string | undefined, name: string): string | undefined {
  for (const part of (header ?? "").split(";")) {
    const eq = part.indexOf("=");
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return undefined;
}

/** The fields of a small `application/x-www-form-urlencoded` body (the sign-in form); `undefined` when it is not one. */
export async function readForm(req: EmulatorRequest): Promise<Record<string, string> | undefined> {
  if (!/^application\/x-www-form-urlencoded\b/i.test(req.headers["content-type"] ?? "")) return undefined;
  const fields: Record<string, string> = {};
  let tooLong = false;
  const parser = busboy({ headers: req.headers, limits: { fields: 8, fieldSize: 4096 } });
  parser.on("field", (name, value, info) => {
    if (info.valueTruncated) tooLong = true;
    fields[name] = value;
  });
  try {
    await pipeline(req.bodyStream(), parser);
  } catch {
    return undefined;
  }
  return tooLong ? undefined : fields;
}

/** A path of the emulator to go to after signing in: absolute, on this origin; `/` otherwise. */
export function localPath(next: string | null | undefined): string {
  return next && next.startsWith("/") && !next.startsWith("//") && !next.startsWith("/\\") && !/[\r\n]/.test(next) ? next : "/";
}
