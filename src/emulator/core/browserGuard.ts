/**
 * Refuses what a web page could make a browser send to the emulator. The emulator's clients are
 * programs on the same machine; a page the developer happens to visit must not reach it:
 *
 * - DNS rebinding: a page on `http://evil.example` whose name is re-pointed at 127.0.0.1 sends
 *   `Host: evil.example`. Only `localhost` and IP literals are accepted as `Host` (an IP literal
 *   cannot be re-pointed, and is what a client of a non-loopback bind uses).
 * - Cross-site requests: a browser names the page that sends a request in `Origin` and, for
 *   fetches, says in `Sec-Fetch-Site` whether it is `same-origin`. A request from any other
 *   origin is refused, whatever its method or content type, so even requests a page can send
 *   without a CORS preflight (a `text/plain` POST) do nothing.
 *
 * Programs (SDKs, curl, the providers) send neither header, or only `Sec-Fetch-Site: none`.
 */
import { isIP } from "node:net";
import type { IncomingHttpHeaders } from "node:http";

/** Why the request is refused, or `undefined` when it may go on; `scheme` is the one the emulator serves. */
export function foreignRequest(headers: IncomingHttpHeaders, scheme: "http" | "https"): string | undefined {
  const host = headers.host;
  if (host !== undefined && !isLocalHost(host)) {
    return `The Host header "${host}" is not the emulator's: use localhost or an IP address (requests through other names are refused to stop DNS rebinding).`;
  }
  const origin = headers.origin;
  if (origin !== undefined && (host === undefined || origin.toLowerCase() !== `${scheme}://${host.toLowerCase()}`)) {
    return `Cross-origin requests are refused: Origin ${origin} is not the emulator's own.`;
  }
  const site = headers["sec-fetch-site"];
  if (site !== undefined && site !== "same-origin" && site !== "none") {
    return `Cross-site requests are refused (Sec-Fetch-Site: ${site}).`;
  }
  return undefined;
}

/** True for `localhost` or an IP literal, with or without a port. */
export function isLocalHost(hostHeader: string): boolean {
  const m = /^(?:\[([0-9A-Fa-f:.]+)\]|([^:[\]]+))(?::\d{1,5})?$/.exec(hostHeader);
  if (!m) return false;
  if (m[1] !== undefined) return isIP(m[1]) === 6;
  const name = m[2].toLowerCase();
  return name === "localhost" || isIP(name) === 4;
}
