/**
 * The Key Vault client on this package's HTTP pipeline: which URLs may receive a token
 * (`vaultUrl`), the token (`auth`), errors (`errors`), wire types (`types`) and the secrets API
 * (`secrets`), gathered here into {@link KeyVaultApi}.
 */
import type { TokenCredential } from "@azure/core-auth";
import { JsonHttpClient, JsonHttpClientOptions } from "../../core/http";
import { currentTarget, Target } from "../../core/target";
import { keyVaultTokenSource } from "./auth";
import { KeyVaultError, keyVaultErrors } from "./errors";
import { DeletionWaitOptions, SecretsApi } from "./secrets";
import { vaultUrlProblem } from "./vaultUrl";

export * from "./auth";
export * from "./errors";
export * from "./secrets";
export * from "./types";
export * from "./vaultUrl";

/** Options of {@link createKeyVaultApi}. */
export interface KeyVaultApiOptions
  extends Pick<JsonHttpClientOptions<KeyVaultError>, "retry" | "timeoutMs" | "log" | "random" | "now" | "sleep" | "transport">,
    Partial<Pick<DeletionWaitOptions, "pollIntervalMs">> {
  /** The vault, `https://<vault>.vault.azure.net` (or the emulator's URL in the local target). */
  vaultUrl: string;
  /** Which services to talk to. Default: `AMLDB_TARGET` of `env`. */
  target?: Target;
  /** Azure credential. Default: the process's `DefaultAzureCredential` (azure), the emulator's token endpoint (local). */
  credential?: TokenCredential;
  /** Environment to read the target and `AMLDB_LOCAL_TOKEN` from. Default `process.env`. */
  env?: NodeJS.ProcessEnv;
}

/** The Key Vault APIs of one vault. */
export class KeyVaultApi {
  /** Secrets. */
  readonly secrets: SecretsApi;

  /**
   * @param client The HTTP client of the vault.
   * @param wait How deletions and purges are awaited.
   */
  constructor(
    readonly client: JsonHttpClient<KeyVaultError>,
    wait: DeletionWaitOptions,
  ) {
    this.secrets = new SecretsApi(client, wait);
  }

  /** The vault URL, without a trailing slash. */
  get vaultUrl(): string {
    return this.client.baseUrl;
  }
}

/**
 * The API of `options.vaultUrl`. Its token (an Azure token for the vault's cloud, or the
 * emulator's) goes to that vault's origin and nowhere else.
 *
 * @throws Error when the URL is not a Key Vault URL (azure target) or not loopback (local target).
 */
export function createKeyVaultApi(options: KeyVaultApiOptions): KeyVaultApi {
  const { vaultUrl, target: targetOption, credential, env = process.env, pollIntervalMs: pollOption, ...http } = options;
  const target = targetOption ?? currentTarget(env);
  const vault = new URL(vaultUrl);
  const problem = vaultUrlProblem(vault, target, env);
  if (problem) throw new Error(`Refusing to call Key Vault at ${vaultUrl}: ${problem}`);
  const client = new JsonHttpClient<KeyVaultError>({
    ...http,
    baseUrl: vault.origin,
    auth: keyVaultTokenSource(vault, target, credential, env, http.transport),
    errors: keyVaultErrors(target),
    mayReceiveToken: (url) => url.origin === vault.origin,
    notJsonHint: "is the URL a Key Vault?",
  });
  const pollIntervalMs = pollOption ?? (target === "local" ? 50 : 1000);
  return new KeyVaultApi(client, { pollIntervalMs, sleep: http.sleep });
}
