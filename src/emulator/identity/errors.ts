/**
 * The identity service's error formats: Azure AD's OAuth 2.0 errors (`{"error", "error_description":
 * "AADSTS<n>: ...", "error_codes", "timestamp", "trace_id", "correlation_id", "error_uri"}`) for the
 * token endpoint, and the App Service managed-identity endpoint's `{"statusCode", "message"}`.
 */
import { randomUUID } from "node:crypto";
import type { EmulatorRequest, EmulatorResponse, Fault, HttpMethod, ServiceErrorFactory } from "../core/service";

/** The body of an Azure AD error. */
export interface AzureAdErrorBody {
  error: string;
  error_description: string;
  error_codes: number[];
  timestamp: string;
  trace_id: string;
  correlation_id: string;
  error_uri: string;
}

/** One Azure AD error response: OAuth `error`, the AADSTS number and its message. */
export function azureAdError(status: number, error: string, code: number, message: string, now: Date = new Date()): EmulatorResponse {
  const timestamp = now.toISOString().replace("T", " ").replace(/\.\d+Z$/, "Z");
  const traceId = randomUUID();
  const correlationId = randomUUID();
  const body: AzureAdErrorBody = {
    error,
    error_description: `AADSTS${code}: ${message}\r\nTrace ID: ${traceId}\r\nCorrelation ID: ${correlationId}\r\nTimestamp: ${timestamp}`,
    error_codes: [code],
    timestamp,
    trace_id: traceId,
    correlation_id: correlationId,
    error_uri: `https://login.microsoftonline.com/error?code=${code}`,
  };
  return { status, body };
}

/** 400 AADSTS900144: a required parameter is missing. */
export function missingParameter(name: string, now?: Date): EmulatorResponse {
  return azureAdError(400, "invalid_request", 900144, `The request body must contain the following parameter: '${name}'.`, now);
}

/** A managed-identity endpoint error, `{"statusCode", "message"}`. */
export function managedIdentityError(status: number, message: string): EmulatorResponse {
  return { status, body: { statusCode: status, message } };
}

/** The identity service's error factory (Azure AD's format). */
export const identityErrors: ServiceErrorFactory = {
  notFound: (req: EmulatorRequest) => azureAdError(404, "invalid_request", 90027, `The endpoint ${req.method} ${req.pathname} does not exist.`),
  methodNotAllowed: (req: EmulatorRequest, allowed: readonly HttpMethod[]) => ({
    ...azureAdError(405, "invalid_request", 90056, `The endpoint ${req.pathname} only accepts ${allowed.join(" or ")} requests.`),
    headers: { Allow: allowed.join(", ") },
  }),
  badRequest: (message: string) => azureAdError(400, "invalid_request", 90014, message),
  forbidden: (message: string) => azureAdError(403, "access_denied", 50105, message),
  fault: (fault: Fault) => azureAdError(fault.status, "temporarily_unavailable", 90033, "A transient error has occurred. Please try again."),
  internal: () => azureAdError(500, "server_error", 90033, "The emulator failed to process the request; see its log."),
};
