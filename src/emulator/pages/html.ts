/**
 * Server-rendered HTML without a build step: a tagged template that escapes every interpolated
 * value unless it is markup made by the same template, and the document every page is wrapped
 * in, served with a Content-Security-Policy that allows no script or style but the page's own
 * inline ones (by hash), no framing and no form target but the emulator itself, and a referrer
 * policy that names the page to the emulator only.
 */
import { createHash } from "node:crypto";
import type { EmulatorResponse } from "../core/service";

/** Markup that is safe to insert as is (made by {@link html}). */
export class Html {
  constructor(readonly markup: string) {}

  toString(): string {
    return this.markup;
  }
}

/** Escapes text for HTML content and quoted attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ESCAPES[c]);
}

const ESCAPES: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };

/** A value a template may hold: text (escaped), markup, a list of them, or nothing. */
export type HtmlValue = Html | string | number | boolean | null | undefined | readonly HtmlValue[];

/**
 * Markup from a template: each value is escaped unless it is {@link Html}; lists are joined; `null`,
 * `undefined` and `false` insert nothing.
 */
export function html(strings: TemplateStringsArray, ...values: HtmlValue[]): Html {
  let out = strings[0];
  values.forEach((value, i) => {
    out += render(value) + strings[i + 1];
  });
  return new Html(out);
}

function render(value: HtmlValue): string {
  if (value instanceof Html) return value.markup;
  if (Array.isArray(value)) return value.map(render).join("");
  if (value === null || value === undefined || value === false) return "";
  return escapeHtml(String(value));
}

/** The style every page shares. */
const STYLE = [
  "body{font-family:system-ui,sans-serif;margin:2rem;color:#1b1b1b;max-width:72rem}",
  "h1{font-size:1.4rem}h2{font-size:1.15rem;margin-top:2rem}h3{font-size:1rem}",
  "table{border-collapse:collapse;margin:.5rem 0}td,th{border:1px solid #ccc;padding:.25rem .6rem;text-align:left;vertical-align:top}",
  "pre{background:#f5f5f5;padding:.6rem;overflow:auto;max-height:30rem;white-space:pre-wrap}",
  ".masked{color:#666;font-style:italic}.state{font-weight:600}.note{color:#555}",
  "header{border-bottom:1px solid #ccc;padding-bottom:.4rem;margin-bottom:1rem}",
  ".graph{display:block;margin:.5rem 0;max-width:100%;height:auto}.graph text{font-size:13px;fill:#1b1b1b}.graph .name{font-weight:600}.graph .node rect{stroke-width:2}",
  ".edge{fill:none;stroke:#666;stroke-width:1.5}.arrowhead{fill:#666}",
  ".st-done rect{fill:#e3f4e6;stroke:#2e7d32}.st-failed rect{fill:#fde7e7;stroke:#c62828}.st-running rect{fill:#e6f0fb;stroke:#1565c0}",
  ".st-waiting rect{fill:#f2f2f2;stroke:#888}.st-canceled rect{fill:#fff4e0;stroke:#b26a00}",
].join("");

/** The header of every page: the ways to what the emulator holds. */
export const HEADER = '<header><nav><a href="/">Runs</a> · <a href="/index">Everything in the emulator</a></nav></header>';

/** How to build one page. */
export interface PageOptions {
  /** HTTP status. Default 200. */
  status?: number;
  /** The page's one inline script, if any; allowed by its hash. */
  script?: string;
  /** Extra response headers (Set-Cookie). */
  headers?: Record<string, string>;
}

/** A complete HTML document as a response. */
export function page(title: string, body: Html, options: PageOptions = {}): EmulatorResponse {
  const script = options.script ? html`<script>${new Html(options.script)}</script>` : "";
  const document = html`<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><meta name="referrer" content="same-origin"><title>${title}</title><style>${new Html(STYLE)}</style>${script}</head>
<body>${new Html(HEADER)}${body}</body></html>
`;
  const scriptSource = options.script ? ` 'sha256-${sha256(options.script)}'` : " 'none'";
  return {
    status: options.status ?? 200,
    headers: {
      "Content-Type": "text/html; charset=utf-8",
      "Content-Security-Policy": `default-src 'none'; style-src 'sha256-${sha256(STYLE)}'; script-src${scriptSource}; form-action 'self'; frame-ancestors 'none'; base-uri 'none'`,
      // Not `no-referrer`: under it a browser sends `Origin: null` with the sign-in form, which the
      // browser guard refuses. `same-origin` still sends no referrer to any other site.
      "Referrer-Policy": "same-origin",
      "X-Content-Type-Options": "nosniff",
      "Cache-Control": "no-store",
      ...options.headers,
    },
    body: Buffer.from(document.markup, "utf8"),
  };
}

/** A redirect (303 See Other) to a path of the emulator. */
export function redirect(location: string, headers: Record<string, string> = {}): EmulatorResponse {
  return { status: 303, headers: { Location: location, "Cache-Control": "no-store", ...headers } };
}

function sha256(text: string): string {
  return createHash("sha256").update(text, "utf8").digest("base64");
}
