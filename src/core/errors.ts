/**
 * The one error base type of this package's service clients. It carries what a person needs to act
 * (operation, status, the service's code and message, request id, a hint, a link) and nothing an
 * HTTP library attaches to its own errors (request configuration, headers, tokens).
 */

/** Constructor arguments of {@link ServiceError}. */
export interface ServiceErrorArgs {
  /** What was being done, e.g. `set secret "db-token"`. */
  operation: string;
  /** HTTP status, or 0 when no response arrived. */
  status: number;
  /** The service's own error code, or a network code (`ECONNRESET`) or one of ours (`ABORTED`). */
  code: string;
  /** The service's own message (or the network error's first line). */
  message: string;
  /** The service's request id, when it sent one. */
  requestId?: string;
  /** Raw `Retry-After` header of the response, when it sent one. */
  retryAfter?: string;
  /** What to do about it, one or more sentences; appended to the message. */
  hint?: string;
  /** Documentation to read; appended to the message as `See <link>`. */
  link?: string;
}

/**
 * A failure reported by a service (Azure Resource Manager, Key Vault, Databricks) or met on the way
 * to it. Message: `<operation> failed: <status> <code>: <message>` (no status when no response
 * arrived), then the hint and the link on their own lines.
 */
export class ServiceError extends Error {
  /** HTTP status code, or 0 when no response arrived. */
  readonly status: number;
  /** The service's own error code (`ObjectIsDeletedButRecoverable`, `INVALID_PARAMETER_VALUE`, ...). */
  readonly code: string;
  /** What was being done, e.g. `set secret "db-token"`. */
  readonly operation: string;
  /** The service's own message, without the operation prefix, hint or link. */
  readonly serviceMessage: string;
  /** The service's request id, when it sent one. */
  readonly requestId?: string;
  /** Raw `Retry-After` header of the response, when it sent one. */
  readonly retryAfter?: string;
  /** What to do about it, when known. */
  readonly hint?: string;
  /** Documentation to read, when known. */
  readonly link?: string;

  constructor(args: ServiceErrorArgs) {
    const status = args.status ? `${args.status} ` : "";
    const parts = [`${args.operation} failed: ${status}${args.code}: ${args.message}`];
    if (args.hint) parts.push(args.hint);
    if (args.link) parts.push(`See ${args.link}`);
    super(parts.join("\n"));
    this.name = "ServiceError";
    this.status = args.status;
    this.code = args.code;
    this.operation = args.operation;
    this.serviceMessage = args.message;
    if (args.requestId !== undefined) this.requestId = args.requestId;
    if (args.retryAfter !== undefined) this.retryAfter = args.retryAfter;
    if (args.hint) this.hint = args.hint;
    if (args.link) this.link = args.link;
  }
}

/**
 * The same failure told from the caller's side: another operation name (`create Key Vault secret
 * ...` for the client's `set secret ...`), a hint and a link (replacing the error's own, if any).
 * Status, code, message and request id are kept.
 */
export function withContext(err: ServiceError, context: { operation?: string; hint?: string; link?: string }): ServiceError {
  return new ServiceError({
    operation: context.operation ?? err.operation,
    status: err.status,
    code: err.code,
    message: err.serviceMessage,
    requestId: err.requestId,
    hint: context.hint ?? err.hint,
    link: context.link ?? err.link,
  });
}
