/** The pages' error factory: every error is a small HTML page in the pages' own style. */
import type { EmulatorResponse, Fault, HttpMethod, ServiceErrorFactory } from "../core/service";
import { html, page } from "./html";

/** An error page. */
export function errorPage(status: number, title: string, detail: string, headers?: Record<string, string>): EmulatorResponse {
  return page(title, html`<h1>${title}</h1><p>${detail}</p><p class="note"><a href="/">All runs</a></p>`, { status, headers });
}

/** The pages' error factory. */
export const pageErrors: ServiceErrorFactory = {
  notFound: (req) => errorPage(404, "Not found", `There is no page ${req.pathname} in this workspace.`),
  methodNotAllowed: (req, allowed: readonly HttpMethod[]) => errorPage(405, "Method not allowed", `${req.method} is not allowed here.`, { Allow: allowed.join(", ") }),
  badRequest: (message) => errorPage(400, "Bad request", message),
  forbidden: (message) => errorPage(403, "Forbidden", message),
  // Pages take no faults (`takesFaults: false`); this answers only if one were ever routed here.
  fault: (fault: Fault) => errorPage(fault.status, "Unavailable", "The page is unavailable for a moment.", { "Retry-After": String(fault.retryAfterSeconds ?? 1) }),
  internal: () => errorPage(500, "Internal error", "The emulator failed to render this page; see its log."),
};
