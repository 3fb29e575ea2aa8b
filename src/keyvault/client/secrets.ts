/**
 * Key Vault secrets (api-version 7.5): what `KeyVaultSecret` needs. Each method is one REST call,
 * except that deleting and purging wait until the service shows the result, as later calls on the
 * same name depend on it.
 */
import { isDeepStrictEqual } from "node:util";
import { describeFailure, JsonHttpClient, Sleep } from "../../core/http";
import { pollUntil, PollTimeout } from "../../core/poll";
import { KeyVaultError } from "./errors";
import type { DeletedSecretBundle, SecretBundle, SecretSetParameters } from "./types";

/** The api-version sent with every call. */
export const KEY_VAULT_API_VERSION = "7.5";

/** Options every call accepts. */
export interface CallOptions {
  /** Aborts the call (and its retry and poll waits). */
  signal?: AbortSignal;
}

/** How {@link SecretsApi} waits for a deletion or a purge to show. */
export interface DeletionWaitOptions {
  /** Pause between polls, in milliseconds. */
  pollIntervalMs: number;
  /** Give up after this long, in milliseconds. Default 120000. */
  timeoutMs?: number;
  /** How to wait between polls. Default: a timer that an abort cuts short. */
  sleep?: Sleep;
}

/** The version of a secret id `https://<vault>/secrets/<name>/<version>`, or `""`. */
export function versionOf(id: string | undefined): string {
  return /\/secrets\/[^/]+\/([^/?#]+)/.exec(id ?? "")?.[1] ?? "";
}

/** Secrets of one vault. */
export class SecretsApi {
  /**
   * @param client The HTTP client of the vault.
   * @param wait How deletions and purges are awaited.
   */
  constructor(
    private readonly client: JsonHttpClient<KeyVaultError>,
    private readonly wait: DeletionWaitOptions,
  ) {}

  /**
   * Sets a secret, creating a new version (`PUT /secrets/{name}`); a soft-deleted name is 409
   * ObjectIsDeletedButRecoverable.
   *
   * Every PUT makes a version, so a blind repeat of one whose answer was lost would make two. After
   * a reset connection, a timeout or a 5xx, the latest version is read first: when it already holds
   * what was sent (value, content type, tags, attributes), it is the result and nothing is sent
   * again; otherwise the PUT is.
   */
  setSecret(name: string, parameters: SecretSetParameters, opts: CallOptions = {}): Promise<SecretBundle> {
    const ifApplied = async (): Promise<SecretBundle | undefined> => {
      let latest: SecretBundle;
      try {
        latest = await this.getSecret(name, "", opts);
      } catch (err) {
        if (err instanceof KeyVaultError && err.status === 404) return undefined;
        throw err;
      }
      return holds(latest, parameters) ? latest : undefined;
    };
    return this.client.request<SecretBundle>({
      method: "PUT",
      path: `/secrets/${enc(name)}`,
      query: { "api-version": KEY_VAULT_API_VERSION },
      body: parameters,
      operation: `set secret "${name}" in ${this.client.baseUrl}`,
      idempotent: false,
      ifApplied,
      signal: opts.signal,
    });
  }

  /** Gets the latest version, or `version` (`GET /secrets/{name}/{version}`); a disabled version is 403 SecretDisabled. */
  getSecret(name: string, version = "", opts: CallOptions = {}): Promise<SecretBundle> {
    const path = version ? `/secrets/${enc(name)}/${enc(version)}` : `/secrets/${enc(name)}`;
    return this.call("GET", path, `get secret "${name}"`, opts);
  }

  /**
   * Deletes a secret (`DELETE /secrets/{name}`) and, in a vault with soft delete, waits until it
   * is listed as deleted, so that a purge or recovery can follow.
   */
  async deleteSecret(name: string, opts: CallOptions = {}): Promise<DeletedSecretBundle> {
    const deleted = await this.call<DeletedSecretBundle>("DELETE", `/secrets/${enc(name)}`, `delete secret "${name}"`, opts);
    if (!deleted.recoveryId) return deleted;
    return (await this.waitForDeleted(name, "listed", opts)) ?? deleted;
  }

  /** Gets a soft-deleted secret (`GET /deletedsecrets/{name}`); 404 when the name is not deleted. */
  getDeletedSecret(name: string, opts: CallOptions = {}): Promise<DeletedSecretBundle> {
    return this.call("GET", `/deletedsecrets/${enc(name)}`, `get deleted secret "${name}"`, opts);
  }

  /**
   * Purges a soft-deleted secret (`DELETE /deletedsecrets/{name}`) and waits until it is no
   * longer listed, so that the name can be set again.
   */
  async purgeDeletedSecret(name: string, opts: CallOptions = {}): Promise<void> {
    await this.call("DELETE", `/deletedsecrets/${enc(name)}`, `purge deleted secret "${name}"`, opts);
    await this.waitForDeleted(name, "gone", opts);
  }

  private call<T>(method: "GET" | "PUT" | "DELETE", path: string, operation: string, opts: CallOptions, body?: unknown): Promise<T> {
    return this.client.request<T>({ method, path, query: { "api-version": KEY_VAULT_API_VERSION }, body, operation: `${operation} in ${this.client.baseUrl}`, signal: opts.signal });
  }

  /**
   * Polls `getDeletedSecret` until the name is listed as deleted (returning it) or is gone. A 403
   * ends the wait too: the identity may delete but not read deleted secrets.
   */
  private async waitForDeleted(name: string, until: "listed" | "gone", opts: CallOptions): Promise<DeletedSecretBundle | undefined> {
    const timeoutMs = this.wait.timeoutMs ?? 120_000;
    const operation = `wait for secret "${name}" in ${this.client.baseUrl} to be ${until === "listed" ? "listed as deleted" : "purged"}`;
    const read = async (): Promise<{ state: "listed" | "gone" | "forbidden"; deleted?: DeletedSecretBundle }> => {
      try {
        return { state: "listed", deleted: await this.getDeletedSecret(name, opts) };
      } catch (err) {
        if (!(err instanceof KeyVaultError) || (err.status !== 403 && err.status !== 404)) throw err;
        return { state: err.status === 403 ? "forbidden" : "gone" };
      }
    };
    try {
      const last = await pollUntil({
        read,
        done: (r) => r.state === until || r.state === "forbidden",
        describe: (r) => r.state,
        label: operation,
        timeoutMs,
        log: () => undefined,
        signal: opts.signal,
        delayMs: () => this.wait.pollIntervalMs,
        sleep: this.wait.sleep,
      });
      return last.deleted;
    } catch (err) {
      if (err instanceof KeyVaultError) throw err;
      if (err instanceof PollTimeout) throw new KeyVaultError({ operation, status: 0, code: "TIMEOUT", message: `the service did not show it within ${timeoutMs} ms` });
      throw new KeyVaultError({ operation, status: 0, ...describeFailure(err) });
    }
  }
}

function enc(segment: string): string {
  return encodeURIComponent(segment);
}

/** True when `version` is what a PUT of `sent` makes (a version is enabled unless it says otherwise). */
function holds(version: SecretBundle, sent: SecretSetParameters): boolean {
  const made = version.attributes ?? {};
  const asked = sent.attributes ?? {};
  return (
    version.value === sent.value &&
    version.contentType === sent.contentType &&
    isDeepStrictEqual(version.tags ?? {}, sent.tags ?? {}) &&
    (made.enabled ?? true) === (asked.enabled ?? true) &&
    made.nbf === asked.nbf &&
    made.exp === asked.exp
  );
}
