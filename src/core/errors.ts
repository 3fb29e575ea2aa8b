/**
 * Errors raised by this package. They carry what a person needs to act (operation, resource, the
 * service's status, code and message, a link) and nothing a client library attached to its own
 * error objects (request configuration, headers, tokens).
 */

/** A failure reported by a service (Azure Resource Manager, Key Vault, Databricks). */
export class ServiceError extends Error {
  /** HTTP status code, or 0 when no response arrived. */
  readonly status: number;
  /** The service's own error code (`ObjectIsDeletedButRecoverable`, `INVALID_PARAMETER_VALUE`, ...). */
  readonly code: string;
  /** What was being done, e.g. `set secret "db-token"`. */
  readonly operation: string;

  constructor(args: { operation: string; status: number; code: string; message: string; hint?: string; link?: string }) {
    const status = args.status ? `${args.status} ` : "";
    const parts = [`${args.operation} failed: ${status}${args.code}: ${args.message}`];
    if (args.hint) parts.push(args.hint);
    if (args.link) parts.push(`See ${args.link}`);
    super(parts.join("\n"));
    this.name = "ServiceError";
    this.status = args.status;
    this.code = args.code;
    this.operation = args.operation;
  }
}

/** Shape of the errors thrown by the Azure SDK (`RestError`) and by Node's network stack. */
interface AzureLikeError {
  statusCode?: number;
  code?: string;
  message?: string;
  // The SDK renames the wire's `innererror` to `innerError` when it parses the body.
  details?: { error?: { code?: string; message?: string; innerError?: { code?: string }; innererror?: { code?: string } } };
}

/**
 * Turns an error thrown by an Azure SDK client into a {@link ServiceError}, keeping only the
 * status, the most specific service code and the service's message.
 */
export function fromAzureError(operation: string, err: unknown, extra: { hint?: string; link?: string } = {}): ServiceError {
  if (err instanceof ServiceError) return err;
  const e = (err ?? {}) as AzureLikeError;
  const body = e.details?.error;
  const code = innerCode(body) ?? body?.code ?? e.code ?? "Error";
  const message = firstLine(body?.message ?? e.message ?? String(err));
  return new ServiceError({ operation, status: e.statusCode ?? 0, code, message, ...extra });
}

/** The innermost service error code of an Azure SDK error, if any. */
export function azureErrorCode(err: unknown): string | undefined {
  const e = (err ?? {}) as AzureLikeError;
  return innerCode(e.details?.error) ?? e.details?.error?.code ?? e.code;
}

/** The HTTP status of an Azure SDK error, if any. */
export function azureErrorStatus(err: unknown): number | undefined {
  return ((err ?? {}) as AzureLikeError).statusCode;
}

function innerCode(body: NonNullable<AzureLikeError["details"]>["error"]): string | undefined {
  return body?.innerError?.code ?? body?.innererror?.code;
}

function firstLine(text: string): string {
  return text.split("\n")[0].trim();
}
