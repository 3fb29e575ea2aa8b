/**
 * The Key Vault secrets service of the emulator: challenge authentication (`./auth`), api-version checks,
 * the route table and Key Vault's error format, over a {@link SecretStore}.
 */
import { randomUUID } from "node:crypto";
import type { EmulatorRequest, EmulatorResponse, EmulatorService } from "../core/service";
import type { TokenIssuer } from "../identity/tokens";
import { authenticateKeyVault } from "./auth";
import { keyVaultErrors, missingApiVersion, unsupportedApiVersion } from "./errors";
import { createSecretHandlers } from "./handlers";
import { KEY_VAULT_PATH_PREFIXES, keyVaultRoutes } from "./routes";
import type { SecretStore } from "./store";

/** api-versions of the Key Vault data plane the emulator answers (strict mode). */
export const KEY_VAULT_API_VERSIONS: readonly string[] = [
  "2016-10-01",
  "7.0",
  "7.1",
  "7.2",
  "7.3",
  "7.4",
  "7.5",
  "7.6-preview.1",
  "7.6-preview.2",
  "7.6",
  "2025-07-01",
  // The default of azure-keyvault-secrets 4.12 (Python).
  "2026-04-01",
];

/** The newest api-version in {@link KEY_VAULT_API_VERSIONS}. */
export const LATEST_KEY_VAULT_API_VERSION = "2026-04-01";

/** Value of the `x-ms-keyvault-service-version` header the emulator sends. */
export const KEY_VAULT_SERVICE_VERSION = "1.9.0.0-local-emulator";

/** Options of the Key Vault service. */
export interface KeyVaultServiceOptions {
  /** Where the secrets live. */
  readonly store: SecretStore;
  /** The emulator's own token, accepted as a bearer. */
  readonly token: string;
  /** Verifies the access tokens the emulator issued; without it only {@link token} is accepted. */
  readonly tokens?: TokenIssuer;
  /** Tenant named in the authentication challenge. */
  readonly tenantId: string;
  /** When true, `api-version` may be missing or unknown. Default false. */
  readonly loose?: boolean;
}

/**
 * Creates the Key Vault service. It owns `/secrets...` and `/deletedsecrets...`; as the vault
 * sits at the root, the server also hands it the paths no service owns (Key Vault's 404).
 */
export function createKeyVaultService(options: KeyVaultServiceOptions): EmulatorService {
  const routes = keyVaultRoutes(createSecretHandlers(options.store));

  return {
    name: "keyvault",
    routes,
    errors: keyVaultErrors,

    owns: isKeyVaultPath,

    authenticate: (req: EmulatorRequest): EmulatorResponse | undefined => authenticateKeyVault(req, options),

    validate(req: EmulatorRequest): EmulatorResponse | undefined {
      if (options.loose) return undefined;
      const version = req.query.get("api-version");
      if (!version) return missingApiVersion();
      if (!KEY_VAULT_API_VERSIONS.includes(version)) return unsupportedApiVersion(version, LATEST_KEY_VAULT_API_VERSION);
      return undefined;
    },

    responseHeaders(): Record<string, string> {
      return {
        "x-ms-request-id": randomUUID(),
        "x-ms-keyvault-service-version": KEY_VAULT_SERVICE_VERSION,
        "x-ms-keyvault-region": "local",
        "Cache-Control": "no-cache",
        "X-Content-Type-Options": "nosniff",
      };
    },

    reset(): void {
      options.store.clear();
    },

    problems: () => options.store.problems?.() ?? [],

    durable: () => options.store.durable?.() ?? Promise.resolve(),
  };
}

/** True for paths under the Key Vault secrets API. */
export function isKeyVaultPath(pathname: string): boolean {
  return KEY_VAULT_PATH_PREFIXES.some((p) => pathname === p || pathname.startsWith(`${p}/`));
}
