/**
 * The Databricks client's error type and how it is read from Databricks' error bodies. It keeps
 * the operation, the HTTP status, the service's `error_code` and message, the request id and
 * `Retry-After`, and nothing an HTTP library attached to its own errors (request configuration,
 * headers, the bearer token).
 */
import { ServiceError } from "../../core/errors";
import { describeFailure, jsonObjectOf, ServiceErrorParser, statusCodeName, statusText, textMessage } from "../../core/http";

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

  constructor(args: DatabricksApiErrorArgs) {
    super({ operation: args.operation, status: args.status, code: args.errorCode, message: args.message, requestId: args.requestId, retryAfter: args.retryAfter });
    this.name = "DatabricksApiError";
    this.errorCode = args.errorCode;
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
  const text = response.body ?? "";
  let errorCode = statusCodeName(response.status);
  let message = statusText(response.status);
  let requestId = headers["x-request-id"] || undefined;

  const json = jsonObjectOf(text);
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
  } else {
    message = textMessage(text) ?? message;
  }
  return new DatabricksApiError({ operation, status: response.status, errorCode, message, requestId, retryAfter: headers["retry-after"] || undefined });
}

/**
 * Builds the error for a request that got no response (connection reset, refused, timed out,
 * DNS failure, aborted). Only the error's `code` and first message line are kept.
 */
export function errorFromNetworkFailure(operation: string, err: unknown): DatabricksApiError {
  if (err instanceof DatabricksApiError) return err;
  const { code, message } = describeFailure(err);
  return new DatabricksApiError({ operation, status: 0, errorCode: code, message });
}

/** How the HTTP pipeline builds Databricks errors. */
export const databricksErrors: ServiceErrorParser<DatabricksApiError> = {
  fromResponse: (operation, response) => errorFromResponse(operation, response),
  create: ({ operation, status, code, message, requestId, retryAfter }) => new DatabricksApiError({ operation, status, errorCode: code, message, requestId, retryAfter }),
  requestIdOf: (response) => response.headers["x-request-id"] || undefined,
};

/**
 * True when the error says the object is gone: a 404 (except ENDPOINT_NOT_FOUND, which names a
 * wrong API path, not a missing object), RESOURCE_DOES_NOT_EXIST, or a 400
 * INVALID_PARAMETER_VALUE whose message says "does not exist". The last is how Databricks answers
 * a missing run, job or cluster (`Run 123 does not exist`, `Cluster abc does not exist`): its code
 * does not tell, so the official SDKs match the message too (test/contracts/databricks/
 * run-does-not-exist.json and cluster-does-not-exist.json).
 */
export function isNotFound(err: unknown): boolean {
  if (!(err instanceof ServiceError)) return false;
  if (err.code === "ENDPOINT_NOT_FOUND") return false;
  if (err.status === 404) return true;
  if (err.code === "RESOURCE_DOES_NOT_EXIST") return true;
  return err.status === 400 && err.code === "INVALID_PARAMETER_VALUE" && /\b(does not|doesn't) exist\b/i.test(err.serviceMessage);
}

/** True for 409 or RESOURCE_ALREADY_EXISTS (a scope, path or object of that name exists). */
export function isAlreadyExists(err: unknown): boolean {
  return err instanceof ServiceError && (err.status === 409 || err.code === "RESOURCE_ALREADY_EXISTS");
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
