/**
 * Key Vault's error wire format, the one factory for every error the Key Vault service answers:
 * `{"error": {"code": "...", "message": "...", "innererror"?: {"code": "..."}}}`.
 */
import type { EmulatorRequest, EmulatorResponse, Fault, HttpMethod, ServiceErrorFactory } from "../core/service";

/** The body of every Key Vault error response. */
export interface KeyVaultErrorBody {
  error: {
    code: string;
    message: string;
    innererror?: { code: string };
  };
}

/** The resource Key Vault names in its authentication challenge. */
export const KEY_VAULT_RESOURCE = "https://vault.azure.net";

/** Builds one Key Vault error response. */
export function keyVaultError(
  status: number,
  code: string,
  message: string,
  options: { innerCode?: string; headers?: Record<string, string> } = {},
): EmulatorResponse {
  const body: KeyVaultErrorBody = { error: { code, message } };
  if (options.innerCode) body.error.innererror = { code: options.innerCode };
  return { status, body, headers: options.headers };
}

/** The `WWW-Authenticate` challenge of a vault in the given tenant. */
export function challengeHeader(tenantId: string): string {
  return `Bearer authorization="https://login.windows.net/${tenantId}", resource="${KEY_VAULT_RESOURCE}"`;
}

/** 401 for a request without a bearer token (the first request of every SDK client). */
export function missingToken(tenantId: string): EmulatorResponse {
  return keyVaultError(401, "Unauthorized", "AKV10000: Request is missing a Bearer or PoP token.", {
    headers: { "WWW-Authenticate": challengeHeader(tenantId) },
  });
}

/** 401 for a bearer token the emulator does not accept. */
export function invalidToken(tenantId: string): EmulatorResponse {
  return keyVaultError(401, "Unauthorized", "AKV10032: Invalid token: the bearer token is not the one this vault accepts.", {
    headers: { "WWW-Authenticate": challengeHeader(tenantId) },
  });
}

/** 401 for a well-formed access token the vault refuses: Key Vault's own messages where it has them. */
export function refusedAccessToken(tenantId: string, message: string): EmulatorResponse {
  return keyVaultError(401, "Unauthorized", message, { headers: { "WWW-Authenticate": challengeHeader(tenantId) } });
}

/** 400 BadParameter with the given message. */
export function badParameter(message: string): EmulatorResponse {
  return keyVaultError(400, "BadParameter", message);
}

/** 400 for a request without `api-version`. */
export function missingApiVersion(): EmulatorResponse {
  return badParameter("The request URI contains an invalid or missing api-version query parameter.");
}

/** 400 for an `api-version` the service does not know. */
export function unsupportedApiVersion(version: string, latest: string): EmulatorResponse {
  return badParameter(`The specified version (${version}) is not recognized. Consider using the latest supported version (${latest}).`);
}

/** 404 for a secret (or one version of it) that does not exist or is deleted. */
export function secretNotFound(nameOrId: string): EmulatorResponse {
  return keyVaultError(
    404,
    "SecretNotFound",
    `A secret with (name/id) ${nameOrId} was not found in this key vault. If you recently deleted this secret you may be able to recover it using the correct recovery command. For help resolving this issue, please see https://go.microsoft.com/fwlink/?linkid=2125182`,
  );
}

/** 404 for a name that is not in the soft-deleted state. */
export function deletedSecretNotFound(): EmulatorResponse {
  return keyVaultError(404, "SecretNotFound", "Deleted Secret not found");
}

/** 403 for reading the value of a disabled secret version. */
export function secretDisabled(operation: string): EmulatorResponse {
  return keyVaultError(403, "Forbidden", `Operation ${operation} is not allowed on a disabled secret.`, { innerCode: "SecretDisabled" });
}

/** 409 for setting a name that is soft-deleted. */
export function deletedButRecoverable(name: string): EmulatorResponse {
  return keyVaultError(
    409,
    "Conflict",
    `Secret ${name} is currently in a deleted but recoverable state, and its name cannot be reused; in this state, the secret can only be recovered or purged.`,
    { innerCode: "ObjectIsDeletedButRecoverable" },
  );
}

/**
 * 404 for a path the vault does not serve. Key Vault answers it from its web server's front end,
 * with an HTML page rather than its JSON error (test/contracts/keyvault/unknown-path.json), and, for
 * paths outside its APIs, before it asks for a token.
 */
export function pageNotFound(): EmulatorResponse {
  return { status: 404, headers: { "Content-Type": "text/html" }, body: Buffer.from(NOT_FOUND_PAGE, "utf8") };
}

const NOT_FOUND_PAGE =
  '<!DOCTYPE html>\r\n<html>\r\n<head>\r\n<meta http-equiv="Content-Type" content="text/html; charset=iso-8859-1"/>\r\n' +
  "<title>404 - File or directory not found.</title>\r\n</head>\r\n<body>\r\n<h2>404 - File or directory not found.</h2>\r\n" +
  "<h3>The resource you are looking for might have been removed, had its name changed, or is temporarily unavailable.</h3>\r\n</body>\r\n</html>\r\n";

/** The Key Vault error factory the server uses for this service. */
export const keyVaultErrors: ServiceErrorFactory = {
  notFound: (): EmulatorResponse => pageNotFound(),
  methodNotAllowed(req: EmulatorRequest, allowed: readonly HttpMethod[]): EmulatorResponse {
    return keyVaultError(405, "MethodNotAllowed", `The requested resource does not support http method '${req.method}'.`, {
      headers: { Allow: allowed.join(", ") },
    });
  },
  badRequest(message: string): EmulatorResponse {
    return badParameter(message);
  },
  forbidden(message: string): EmulatorResponse {
    return keyVaultError(403, "Forbidden", message);
  },
  fault(fault: Fault): EmulatorResponse {
    const headers = { "Retry-After": String(fault.retryAfterSeconds ?? 1) };
    return fault.status === 429
      ? keyVaultError(429, "Throttled", "Request was not processed because too many requests were received. Reason: injected by the emulator.", { headers })
      : keyVaultError(503, "ServiceUnavailable", "The service is temporarily unavailable. Please retry after the time given in Retry-After.", { headers });
  },
  internal(): EmulatorResponse {
    return keyVaultError(500, "InternalServerError", "The emulator failed to process the request; see its log.");
  },
};
