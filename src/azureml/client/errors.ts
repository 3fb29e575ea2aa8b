/**
 * Resource Manager's error type and how it is read from its error body,
 * `{"error": {"code", "message", "details": [{"code", "message"}]}}` (ARM common types).
 */
import { ServiceError, ServiceErrorArgs } from "../../core/errors";
import { jsonObjectOf, PipelineResponse, ServiceErrorParser, statusCodeName, statusText, textMessage } from "../../core/http";
import { LOCAL_TOKEN_ENV, Target } from "../../core/target";

/** A failed Azure Resource Manager (Azure ML) call. */
export class ArmError extends ServiceError {
  constructor(args: ServiceErrorArgs) {
    super(args);
    this.name = "ArmError";
  }
}

/** An ARM error object `{code, message, details?}` as a code and a message (details appended). */
export function armErrorParts(error: unknown): { code?: string; message?: string } {
  if (!error || typeof error !== "object") return {};
  const e = error as { code?: unknown; message?: unknown; details?: unknown };
  const details = Array.isArray(e.details)
    ? e.details
        .map((d) => (d && typeof d === "object" ? (d as { code?: unknown; message?: unknown }) : {}))
        .filter((d) => typeof d.message === "string" && d.message !== e.message)
        .map((d) => (typeof d.code === "string" ? `${d.code}: ${String(d.message)}` : String(d.message)))
    : [];
  const message = typeof e.message === "string" && e.message.trim() ? e.message.trim() : undefined;
  return {
    code: typeof e.code === "string" && e.code ? e.code : undefined,
    message: message && details.length > 0 ? `${message} (${details.join("; ")})` : message,
  };
}

/** True for a 404 (the resource or its parent is not there). */
export function isArmNotFound(err: unknown): boolean {
  return err instanceof ServiceError && err.status === 404;
}

/** How the HTTP pipeline builds Resource Manager errors; the 401 hint depends on the target. */
export function armErrors(target: Target): ServiceErrorParser<ArmError> {
  const requestIdOf = (response: PipelineResponse) => response.headers["x-ms-request-id"] || response.headers["x-ms-correlation-request-id"] || undefined;
  return {
    requestIdOf,
    create: (args) => new ArmError(args),
    fromResponse(operation, response) {
      const { code, message } = armErrorParts(jsonObjectOf(response.body)?.error);
      return new ArmError({
        operation,
        status: response.status,
        code: code ?? statusCodeName(response.status),
        message: message ?? textMessage(response.body) ?? statusText(response.status),
        requestId: requestIdOf(response),
        retryAfter: response.headers["retry-after"] || undefined,
        hint: response.status === 401 ? unauthorizedHint(target) : undefined,
      });
    },
  };
}

function unauthorizedHint(target: Target): string {
  if (target === "local") return `The emulator did not accept the token: set ${LOCAL_TOKEN_ENV} to the token it was started with.`;
  return "Azure Resource Manager did not accept the Azure token: sign in (az login, or AZURE_CLIENT_ID/AZURE_TENANT_ID/AZURE_CLIENT_SECRET) with an identity of the subscription's tenant.";
}
