/**
 * Databricks' error wire formats and the one factory per format:
 * REST 2.x `{"error_code": "...", "message": "..."}` and Command Execution 1.2 `{"error": "..."}`.
 * Handlers throw {@link DatabricksRequestError}; the route wrapper turns it into the response.
 */
import { ServiceRequestError, type EmulatorRequest, type EmulatorResponse, type Fault, type ServiceErrorFactory } from "../core/service";

/** The body of every Databricks REST 2.x error. */
export interface DatabricksErrorBody {
  error_code: string;
  message: string;
}

/** Builds one REST 2.x error response. */
export function databricksError(status: number, errorCode: string, message: string, headers?: Record<string, string>): EmulatorResponse {
  const body: DatabricksErrorBody = { error_code: errorCode, message };
  return headers ? { status, body, headers } : { status, body };
}

/** Builds one Command Execution 1.2 error response (`{"error": "..."}`). */
export function api12Error(status: number, message: string): EmulatorResponse {
  return { status, body: { error: message } };
}

/** A request the service refuses; carries the exact response. */
export class DatabricksRequestError extends ServiceRequestError {
  constructor(response: EmulatorResponse) {
    super(response, describe(response));
    this.name = "DatabricksRequestError";
  }
}

function describe(response: EmulatorResponse): string {
  const body = response.body as Partial<DatabricksErrorBody> & { error?: string };
  return `${response.status} ${body?.error_code ?? ""} ${body?.message ?? body?.error ?? ""}`.trim();
}

/** Throwable 400 INVALID_PARAMETER_VALUE. */
export function invalidParameter(message: string): DatabricksRequestError {
  return new DatabricksRequestError(databricksError(400, "INVALID_PARAMETER_VALUE", message));
}

/** Throwable 404 RESOURCE_DOES_NOT_EXIST. */
export function doesNotExist(message: string): DatabricksRequestError {
  return new DatabricksRequestError(databricksError(404, "RESOURCE_DOES_NOT_EXIST", message));
}

/**
 * Throwable 400 RESOURCE_ALREADY_EXISTS. The legacy 2.0 APIs (workspace, DBFS, secrets) answer
 * 400 with this code, not 409 (a workspace import over an existing path: 400 "Node named 'x'
 * already exists").
 */
export function alreadyExists(message: string): DatabricksRequestError {
  return new DatabricksRequestError(databricksError(400, "RESOURCE_ALREADY_EXISTS", message));
}

/** Throwable error with any status and code. */
export function apiError(status: number, errorCode: string, message: string): DatabricksRequestError {
  return new DatabricksRequestError(databricksError(status, errorCode, message));
}

/** Throwable 1.2-format error. */
export function api12Failure(status: number, message: string): DatabricksRequestError {
  return new DatabricksRequestError(api12Error(status, message));
}

/** 400 "Run N does not exist" (a missing run, like a missing job or cluster, is not a 404). */
export function runDoesNotExist(runId: number | string): DatabricksRequestError {
  return invalidParameter(`Run ${runId} does not exist`);
}

/** 400 "Job N does not exist". */
export function jobDoesNotExist(jobId: number | string): DatabricksRequestError {
  return invalidParameter(`Job ${jobId} does not exist`);
}

/** 400 "Cluster X does not exist". */
export function clusterDoesNotExist(clusterId: string): DatabricksRequestError {
  return invalidParameter(`Cluster ${clusterId} does not exist`);
}

/** 401: no bearer credential (or another scheme). */
export function unauthenticated(): EmulatorResponse {
  return databricksError(401, "UNAUTHENTICATED", "Credential was not sent or was of an unsupported type for this API.");
}

/** 403: a bearer token the workspace does not accept. */
export function invalidAccessToken(): EmulatorResponse {
  return databricksError(403, "PERMISSION_DENIED", "Invalid access token.");
}

/**
 * 404 for a path under /api/ that no route answers (also for a known path with another method). The
 * workspace names the path without its `/api/<version>` prefix: `POST /api/2.0/sql/statements/execute`
 * answers "No API found for 'POST /sql/statements/execute'" (test/contracts/databricks/endpoint-not-found.json).
 */
export function endpointNotFound(req: EmulatorRequest): EmulatorResponse {
  const path = req.pathname.replace(/^\/api\/\d+\.\d+(?=\/)/, "");
  return databricksError(404, "ENDPOINT_NOT_FOUND", `No API found for '${req.method} ${path}'`);
}

/** The Databricks error factory the server uses for this service. */
export const databricksErrors: ServiceErrorFactory = {
  notFound: endpointNotFound,
  // Databricks answers a known path with the wrong method like an unknown path.
  methodNotAllowed: (req) => endpointNotFound(req),
  badRequest: (message) => databricksError(400, "MALFORMED_REQUEST", message),
  forbidden: (message) => databricksError(403, "PERMISSION_DENIED", message),
  fault(fault: Fault): EmulatorResponse {
    const headers = { "Retry-After": String(fault.retryAfterSeconds ?? 1) };
    return fault.status === 429
      ? databricksError(429, "REQUEST_LIMIT_EXCEEDED", "Too many requests. Please wait a moment and try again. (Injected by the emulator.)", headers)
      : databricksError(503, "TEMPORARILY_UNAVAILABLE", "The service is temporarily unavailable. Please try again later. (Injected by the emulator.)", headers);
  },
  internal: () => databricksError(500, "INTERNAL_ERROR", "The emulator failed to process the request; see its log."),
};
