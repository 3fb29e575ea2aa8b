/** Secrets 2.0: scopes and secrets. Each method is one REST call. */
import type { CallOptions, DatabricksHttpClient } from "./httpClient";
import type { CreateScopeRequest, PutSecretRequest, SecretMetadata, SecretScope } from "./types";

const SECRETS = "/api/2.0/secrets";

/** Secrets 2.0. */
export class SecretsApi {
  /** @param client The HTTP client every call goes through. */
  constructor(private readonly client: DatabricksHttpClient) {}

  /**
   * Creates a scope (`POST secrets/scopes/create`); an existing name is RESOURCE_ALREADY_EXISTS.
   * After a reset connection or a 5xx the scopes are listed: a scope of the name means the create
   * was applied, and it is not sent again (a repeat would be refused as a duplicate).
   */
  async createScope(req: CreateScopeRequest, opts: CallOptions = {}): Promise<void> {
    const ifApplied = async () => ((await this.listScopes({ signal: opts.signal })).some((s) => s.name === req.scope) ? {} : undefined);
    await this.client.request({ method: "POST", path: `${SECRETS}/scopes/create`, body: req, operation: `create secret scope "${req.scope}"`, ifApplied, ...opts });
  }

  /** Deletes a scope and its secrets (`POST secrets/scopes/delete`). */
  async deleteScope(scope: string, opts: CallOptions = {}): Promise<void> {
    await this.client.request({ method: "POST", path: `${SECRETS}/scopes/delete`, body: { scope }, operation: `delete secret scope "${scope}"`, idempotent: true, ...opts });
  }

  /** Lists scopes (`GET secrets/scopes/list`). */
  async listScopes(opts: CallOptions = {}): Promise<SecretScope[]> {
    const res = await this.client.request<{ scopes?: SecretScope[] }>({ method: "GET", path: `${SECRETS}/scopes/list`, operation: "list secret scopes", ...opts });
    return res.scopes ?? [];
  }

  /** Creates or overwrites a secret (`POST secrets/put`); values up to 128 KB. */
  async putSecret(req: PutSecretRequest, opts: CallOptions = {}): Promise<void> {
    await this.client.request({ method: "POST", path: `${SECRETS}/put`, body: req, operation: `put secret "${req.key}" in scope "${req.scope}"`, idempotent: true, ...opts });
  }

  /** Deletes a secret (`POST secrets/delete`). */
  async deleteSecret(scope: string, key: string, opts: CallOptions = {}): Promise<void> {
    await this.client.request({ method: "POST", path: `${SECRETS}/delete`, body: { scope, key }, operation: `delete secret "${key}" from scope "${scope}"`, idempotent: true, ...opts });
  }

  /** Lists the secrets of a scope, without values (`GET secrets/list`). */
  async listSecrets(scope: string, opts: CallOptions = {}): Promise<SecretMetadata[]> {
    const res = await this.client.request<{ secrets?: SecretMetadata[] }>({ method: "GET", path: `${SECRETS}/list`, query: { scope }, operation: `list secrets of scope "${scope}"`, ...opts });
    return res.secrets ?? [];
  }
}
