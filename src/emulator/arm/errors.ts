/**
 * Azure Resource Manager's error wire format, `{"error": {"code": "...", "message": "..."}}`, and the
 * one factory for every error the ARM service answers (test/contracts/arm/*.json name the sources).
 */
import { guardRequestErrors, ServiceRequestError, type EmulatorRequest, type EmulatorResponse, type Fault, type HttpMethod, type ServiceErrorFactory } from "../core/service";

/** The body of every Resource Manager error. */
export interface ArmErrorBody {
  error: { code: string; message: string };
}

/** Builds one Resource Manager error response. */
export function armError(status: number, code: string, message: string, headers?: Record<string, string>): EmulatorResponse {
  const body: ArmErrorBody = { error: { code, message } };
  return headers ? { status, body, headers } : { status, body };
}

/** 401 for a request without `Authorization`, with Resource Manager's challenge. */
export function missingAuthorization(): EmulatorResponse {
  return armError(401, "AuthenticationFailed", "Authentication failed. The 'Authorization' header is missing.", {
    "WWW-Authenticate": 'Bearer authorization_uri="https://login.windows.net/", error="invalid_token", error_description="The authentication failed because of missing \'Authorization\' header."',
  });
}

/** 401 for a bearer token the emulator does not accept. */
export function invalidAuthenticationToken(): EmulatorResponse {
  return armError(401, "InvalidAuthenticationToken", "The access token is invalid.", {
    "WWW-Authenticate": 'Bearer authorization_uri="https://login.windows.net/", error="invalid_token", error_description="The access token is invalid."',
  });
}

/** 400 for a request without `api-version`. */
export function missingApiVersion(): EmulatorResponse {
  return armError(400, "MissingApiVersionParameter", "The api-version query parameter (?api-version=) is required for all requests.");
}

/**
 * 404 for a path no route answers. Under `providers/<namespace>/<type>` Resource Manager names the
 * resource type it does not know (`InvalidResourceType`); elsewhere the emulator says which request
 * it does not serve.
 */
export function resourceNotFound(req: EmulatorRequest): EmulatorResponse {
  const provider = /\/providers\/([^/]+)\/([^/]+)/i.exec(req.pathname);
  if (provider) {
    const [namespace, type] = [decodeSafely(provider[1]), decodeSafely(provider[2])];
    const version = req.query.get("api-version") ?? "";
    return armError(404, "InvalidResourceType", `The resource type '${type}' could not be found in the namespace '${namespace}' for api version '${version}'.`);
  }
  return armError(404, "NotFound", `The local emulator serves no Resource Manager operation ${req.method} ${req.pathname}.`);
}

function decodeSafely(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

/** The Resource Manager error factory the server uses for this service. */
export const armErrors: ServiceErrorFactory = {
  notFound: resourceNotFound,
  methodNotAllowed: (req: EmulatorRequest, allowed: readonly HttpMethod[]) =>
    armError(405, "MethodNotAllowed", `The requested resource does not support http method '${req.method}'.`, { Allow: allowed.join(", ") }),
  badRequest: (message) => armError(400, "InvalidRequestContent", message),
  forbidden: (message) => armError(403, "AuthorizationFailed", message),
  fault(fault: Fault): EmulatorResponse {
    const headers = { "Retry-After": String(fault.retryAfterSeconds ?? 1) };
    return fault.status === 429
      ? armError(429, "TooManyRequests", "The request was throttled by the local emulator; retry after the time given in Retry-After.", headers)
      : armError(503, "ServiceUnavailable", "The service is temporarily unavailable; retry after the time given in Retry-After. (Injected by the emulator.)", headers);
  },
  internal: () => armError(500, "InternalServerError", "The emulator failed to process the request; see its log."),
};

/** Thrown by a Resource Manager handler to answer with an error; {@link armGuarded} turns it into the response. */
export class ArmRequestError extends ServiceRequestError {
  constructor(response: EmulatorResponse) {
    super(response, String((response.body as ArmErrorBody | undefined)?.error?.message ?? response.status));
    this.name = "ArmRequestError";
  }
}

/** An {@link ArmRequestError} of one status, code and message. */
export function armFailure(status: number, code: string, message: string): ArmRequestError {
  return new ArmRequestError(armError(status, code, message));
}

/** Wraps a handler so that a thrown {@link ArmRequestError} becomes its response. */
export const armGuarded = guardRequestErrors;
