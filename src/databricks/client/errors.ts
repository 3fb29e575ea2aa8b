/**
 * The one error type of the Databricks client. It keeps the operation, the HTTP status, the
 * service's `error_code` and message and the request id, and nothing an HTTP library attached to
 * its own errors (request configuration, headers, the bearer token).
 */
import { STATUS_CODES } from "node:http";
import { ServiceError } from "../../core/errors";

/** Constructor arguments of {@link DatabricksApiError}. */
export interface DatabricksApiErrorArgs {
  /** What was being done, e.g. `get run 123`. */
  operation: string;
  /** HTTP status, or 0 when no response arrived. */
  status: number;
  /** The service's `error_code` (INVALID_PARAMETER_VALUE, ...) or the network error code (ECONNRESET, ...). */
  errorCode: string;
  /** The service's message, or the network error's message. */
  message: string;
  /** The service's request id, when it sent one. */
  requestId?: string;
  /** Raw `Retry-After` header of the response, when it sent one. */
  retryAfter?: string;
}

/**
 * A failed Databricks REST call. Message: `<operation> failed: <status> <ERROR_CODE>: <message>`
 * (without the status when no response arrived).
 */
export class DatabricksApiError extends ServiceError {
  /** The service's `error_code`, or the network error code; same as `code`. */
  readonly errorCode: string;
  /** The service's own message (or the network error's), without the operation prefix. */
  readonly serviceMessage: string;
  /** The service's request id, when it sent one (`x-request-id` or a RequestInfo detail). */
  readonly requestId?: string;
  /** Raw `Retry-After` header of the response, when it sent one. */
  readonly retryAfter?: string;

  constructor(args: DatabricksApiErrorArgs) {
    super({ operation: args.operation, status: args.status, code: args.errorCode, message: args.message });
    this.name = "DatabricksApiError";
    this.errorCode = args.errorCode;
    this.serviceMessage = args.message;
    if (args.requestId !== undefined) this.requestId = args.requestId;
    if (args.retryAfter !== undefined) this.retryAfter = args.retryAfter;
  }
}

/** The parts of an HTTP response an error is built from. */
export interface ErrorResponse {
  /** HTTP status code. */
  status: number;
  /** Response headers, lower-case names. */
  headers?: Record<string, string | undefined>;
  /** Response body as text (may be JSON, HTML or empty). */
  body?: string;
}

/**
 * Builds the error for a non-2xx response. Understands `{error_code, message}`, API 1.2's
 * `{error: "..."}`, a bare `{message}`, HTML error pages (`<pre>` or `<title>`) and empty bodies;
 * when the body names no code, the code is the status text (`SERVICE_UNAVAILABLE`).
 */
export function errorFromResponse(operation: string, response: ErrorResponse): DatabricksApiError {
  const headers = response.headers ?? {};
  const text = (response.body ?? "").trim();
  const statusCode = statusCodeName(response.status);
  let errorCode = statusCode;
  let message = STATUS_CODES[response.status] ?? `HTTP ${response.status}`;
  let requestId = headers["x-request-id"] || undefined;

  const json = parseJsonObject(text);
  if (json) {
    if (typeof json.error_code === "string" || typeof json.error_code === "number") errorCode = String(json.error_code);
    if (typeof json.message === "string" && json.message.trim()) message = json.message.trim();
    else if (typeof json.error === "string" && json.error.trim()) message = json.error.trim();
    else if (typeof json.error === "object" && json.error !== null) {
      const inner = json.error as Record<string, unknown>;
      if (typeof inner.code === "string") errorCode = inner.code;
      if (typeof inner.message === "string") message = inner.message;
    }
    requestId ??= requestIdFromDetails(json.details);
  } else if (text) {
    message = htmlMessage(text) ?? (truncate(plainText(text), 200) || message);
  }
  return new DatabricksApiError({ operation, status: response.status, errorCode, message, requestId, retryAfter: headers["retry-after"] || undefined });
}

/**
 * Builds the error for a request that got no response (connection reset, refused, timed out,
 * DNS failure, aborted). Only the error's `code` and first message line are kept.
 */
export function errorFromNetworkFailure(operation: string, err: unknown): DatabricksApiError {
  if (err instanceof DatabricksApiError) return err;
  const e = (err ?? {}) as { code?: unknown; message?: unknown; name?: unknown };
  const rawCode = typeof e.code === "string" && e.code ? e.code : undefined;
  const aborted = rawCode === "ERR_CANCELED" || e.name === "AbortError" || e.name === "CanceledError";
  const rawMessage = typeof e.message === "string" && e.message ? firstLine(e.message) : String(err);
  const errorCode = aborted ? "ABORTED" : rawCode ?? (/socket hang up/i.test(rawMessage) ? "ECONNRESET" : "NETWORK_ERROR");
  const message = aborted ? "the request was aborted" : rawMessage;
  return new DatabricksApiError({ operation, status: 0, errorCode, message });
}

/**
 * True when the error says the object is gone: a 404 (except ENDPOINT_NOT_FOUND, which names a
 * wrong API path, not a missing object), RESOURCE_DOES_NOT_EXIST, or a 400
 * INVALID_PARAMETER_VALUE whose message says "does not exist" (how Databricks answers a missing
 * run, job or cluster: `Run 123 does not exist`).
 */
export function isNotFound(err: unknown): boolean {
  if (!(err instanceof ServiceError)) return false;
  if (err.code === "ENDPOINT_NOT_FOUND") return false;
  if (err.status === 404) return true;
  if (err.code === "RESOURCE_DOES_NOT_EXIST") return true;
  const message = err instanceof DatabricksApiError ? err.serviceMessage : err.message;
  return err.status === 400 && err.code === "INVALID_PARAMETER_VALUE" && /\b(does not|doesn't) exist\b/i.test(message);
}

/** True for 409 or RESOURCE_ALREADY_EXISTS (a scope, path or object of that name exists). */
export function isAlreadyExists(err: unknown): boolean {
  return err instanceof ServiceError && (err.status === 409 || err.code === "RESOURCE_ALREADY_EXISTS");
}

function statusCodeName(status: number): string {
  const text = STATUS_CODES[status];
  return text ? text.toUpperCase().replace(/[^A-Z0-9]+/g, "_").replace(/^_|_$/g, "") : "UNKNOWN";
}

function parseJsonObject(text: string): Record<string, unknown> | undefined {
  if (!text.startsWith("{")) return undefined;
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === "object" && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

function requestIdFromDetails(details: unknown): string | undefined {
  if (!Array.isArray(details)) return undefined;
  for (const d of details) {
    if (d && typeof d === "object" && typeof (d as { request_id?: unknown }).request_id === "string") {
      return (d as { request_id: string }).request_id;
    }
  }
  return undefined;
}

function htmlMessage(text: string): string | undefined {
  const pre = /<pre>([\s\S]*?)<\/pre>/i.exec(text) ?? /<title>([\s\S]*?)<\/title>/i.exec(text);
  if (!pre) return undefined;
  const inner = plainText(pre[1]).replace(/[ .]+$/, "");
  return inner ? truncate(inner, 500) : undefined;
}

/** Text without HTML tags (and the content of script/style elements), whitespace collapsed. */
function plainText(text: string): string {
  return text
    .replace(/<(script|style)[^>]*>[\s\S]*?<\/\1>/gi, " ")
    .replace(/<[^>]*>/g, " ")
    .replace(/\s+/g, " ")
    .trim();
}

function firstLine(text: string): string {
  return text.split("\n")[0].trim();
}

function truncate(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max)}...` : text;
}
