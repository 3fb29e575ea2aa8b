/**
 * The Key Vault client's error type and how it is read from Key Vault's error body,
 * `{"error": {"code", "message", "innererror": {"code", "innererror"?}}}`: the innermost code wins
 * (`Conflict` → `ObjectIsDeletedButRecoverable`, `Forbidden` → `SecretDisabled`).
 */
import { ServiceError, ServiceErrorArgs } from "../../core/errors";
import { jsonObjectOf, PipelineResponse, ServiceErrorParser, statusCodeName, statusText, textMessage } from "../../core/http";
import { LOCAL_TOKEN_ENV, Target } from "../../core/target";

/** A failed Key Vault call. */
export class KeyVaultError extends ServiceError {
  constructor(args: ServiceErrorArgs) {
    super(args);
    this.name = "KeyVaultError";
  }
}

/** The innermost `code` of a Key Vault error object. */
export function innermostCode(error: unknown): string | undefined {
  let code: string | undefined;
  for (let e = error as { code?: unknown; innererror?: unknown } | undefined; e && typeof e === "object"; e = e.innererror as typeof e) {
    if (typeof e.code === "string" && e.code) code = e.code;
  }
  return code;
}

/** The tenant a `WWW-Authenticate: Bearer authorization="https://login.../<tenant>"` challenge names. */
export function challengeTenant(header: string | undefined): string | undefined {
  return header ? /authorization(?:_uri)?="https:\/\/[^/"]+\/([^/"]+)/i.exec(header)?.[1] : undefined;
}

/** How the HTTP pipeline builds Key Vault errors; the 401 hint depends on the target. */
export function keyVaultErrors(target: Target): ServiceErrorParser<KeyVaultError> {
  const requestIdOf = (response: PipelineResponse) => response.headers["x-ms-request-id"] || undefined;
  return {
    requestIdOf,
    create: (args) => new KeyVaultError(args),
    fromResponse(operation, response) {
      const error = jsonObjectOf(response.body)?.error as { code?: unknown; message?: unknown } | undefined;
      const message = typeof error?.message === "string" && error.message.trim() ? error.message.trim() : (textMessage(response.body) ?? statusText(response.status));
      return new KeyVaultError({
        operation,
        status: response.status,
        code: innermostCode(error) ?? statusCodeName(response.status),
        message,
        requestId: requestIdOf(response),
        retryAfter: response.headers["retry-after"] || undefined,
        hint: response.status === 401 ? unauthorizedHint(target, challengeTenant(response.headers["www-authenticate"])) : undefined,
      });
    },
  };
}

function unauthorizedHint(target: Target, tenant: string | undefined): string {
  if (target === "local") return `The emulator did not accept the token: set ${LOCAL_TOKEN_ENV} to the token it was started with.`;
  const login = tenant ? `a token of the vault's tenant ${tenant} (az login --tenant ${tenant}, or AZURE_TENANT_ID)` : "a token of the vault's tenant";
  return `Key Vault did not accept the Azure token: sign in with ${login}.`;
}
