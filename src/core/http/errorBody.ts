/**
 * Reading what a service said in an error response, whatever the body: its JSON object, or the
 * gist of an HTML page or text a gateway answered instead, or the status text when it said nothing.
 */
import { STATUS_CODES } from "node:http";

/** The status text as a code: 503 → `SERVICE_UNAVAILABLE`; `UNKNOWN` for a status without a text. */
export function statusCodeName(status: number): string {
  const text = STATUS_CODES[status];
  return text ? text.toUpperCase().replace(/[^A-Z0-9]+/g, "_").replace(/^_|_$/g, "") : "UNKNOWN";
}

/** The status text (`Service Unavailable`), or `HTTP <status>`. */
export function statusText(status: number): string {
  return STATUS_CODES[status] ?? `HTTP ${status}`;
}

/** The body's JSON object, or undefined when it is not one. */
export function jsonObjectOf(text: string): Record<string, unknown> | undefined {
  const trimmed = text.trim();
  if (!trimmed.startsWith("{")) return undefined;
  try {
    const value: unknown = JSON.parse(trimmed);
    return typeof value === "object" && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The message of a body that is not JSON: an HTML page's `<pre>` or `<title>`, else the text
 * without tags, truncated; undefined for an empty body.
 */
export function textMessage(text: string): string | undefined {
  const trimmed = text.trim();
  if (!trimmed) return undefined;
  const element = /<pre>([\s\S]*?)<\/pre>/i.exec(trimmed) ?? /<title>([\s\S]*?)<\/title>/i.exec(trimmed);
  const inner = element ? truncate(plainText(element[1]).replace(/[ .]+$/, ""), 500) : "";
  return inner || truncate(plainText(trimmed), 200) || undefined;
}

/** Text without HTML tags (and the content of script/style elements), whitespace collapsed. */
function plainText(text: string): string {
  return text
    .replace(/<(script|style)[^>]*>[\s\S]*?<\/\1>/gi, " ")
    .replace(/<[^>]*>/g, " ")
    .replace(/\s+/g, " ")
    .trim();
}

function truncate(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max)}...` : text;
}
