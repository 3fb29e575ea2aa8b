/**
 * The Azure credential of the local target: asks the emulator's token endpoint for each scope, as
 * `ClientSecretCredential` asks Azure AD. The client is the emulator's owner application, whose
 * secret is the emulator's token (`AMLDB_LOCAL_TOKEN`), so the services get access tokens of the
 * audience they expect rather than a token of their own.
 */
import type { AccessToken, TokenCredential } from "@azure/core-auth";
import { axiosTransport, SendRequest } from "./http";
import { LOCAL_TOKEN_ENV, localToken } from "./target";

/** The emulator's tenant (unless it was started with another). */
export const LOCAL_TENANT_ID = "00000000-0000-0000-0000-000000000000";
/** The client id of the emulator's owner application. */
export const LOCAL_CLIENT_ID = "00000000-0000-0000-0000-000000000001";

/** Options of {@link LocalEmulatorCredential}. */
export interface LocalEmulatorCredentialOptions {
  /** Environment holding `AMLDB_LOCAL_TOKEN`. Default `process.env`. */
  env?: NodeJS.ProcessEnv;
  /** The emulator's tenant. Default {@link LOCAL_TENANT_ID}. */
  tenantId?: string;
  /** The transport. Default: the package's axios transport. */
  transport?: SendRequest;
  /** Time of the client, epoch milliseconds (for the token's expiry). Default `Date.now`. */
  now?: () => number;
}

/** The credential of the emulator at `origin` (`https://127.0.0.1:<port>`). */
export class LocalEmulatorCredential implements TokenCredential {
  private readonly tokenUrl: string;

  constructor(
    origin: string,
    private readonly options: LocalEmulatorCredentialOptions = {},
  ) {
    this.tokenUrl = `${new URL(origin).origin}/${options.tenantId ?? LOCAL_TENANT_ID}/oauth2/v2.0/token`;
  }

  /** A token for one scope (`<resource>/.default`). */
  async getToken(scopes: string | string[]): Promise<AccessToken> {
    const scope = Array.isArray(scopes) ? scopes.join(" ") : scopes;
    const body = new URLSearchParams({ grant_type: "client_credentials", client_id: LOCAL_CLIENT_ID, client_secret: localToken(this.options.env), scope }).toString();
    const send = this.options.transport ?? axiosTransport();
    const operation = `get a token for ${scope} from the emulator's token endpoint ${this.tokenUrl}`;
    const response = await send({
      method: "POST",
      url: this.tokenUrl,
      path: new URL(this.tokenUrl).pathname,
      body,
      headers: { "Content-Type": "application/x-www-form-urlencoded", Accept: "application/json" },
      operation,
      idempotent: false,
      attempt: 1,
    });
    const json = parse(response.body);
    if (response.status === 200 && typeof json?.access_token === "string" && typeof json.expires_in === "number") {
      return { token: json.access_token, expiresOnTimestamp: (this.options.now ?? Date.now)() + json.expires_in * 1000, tokenType: "Bearer" };
    }
    const error = typeof json?.error === "string" ? json.error : `HTTP ${response.status}`;
    const description = typeof json?.error_description === "string" ? json.error_description.split(/\r?\n/)[0] : response.body.slice(0, 200);
    const hint = error === "invalid_client" ? ` Set ${LOCAL_TOKEN_ENV} to the token the emulator was started with.` : "";
    throw new Error(`${operation} failed: ${response.status} ${error}: ${description}${hint}`);
  }
}

function parse(text: string): Record<string, unknown> | undefined {
  try {
    const value = JSON.parse(text) as unknown;
    return value && typeof value === "object" ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}
