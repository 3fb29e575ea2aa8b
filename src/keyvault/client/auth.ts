/**
 * The Key Vault token of a target: from `DefaultAzureCredential` for the vault's cloud (azure),
 * or from the emulator's token endpoint (local), for the Key Vault audience in both. Sent with the
 * first request rather than after Key Vault's 401 challenge; the vault URL is checked beforehand
 * (see `vaultUrl.ts`).
 */
import type { TokenCredential } from "@azure/core-auth";
import { azureTokenSource } from "../../core/azureCredentials";
import type { SendRequest, TokenSource } from "../../core/http";
import { LocalEmulatorCredential } from "../../core/localCredential";
import type { Target } from "../../core/target";
import { keyVaultScope } from "./vaultUrl";

/**
 * The token source for `vaultUrl` in `target`.
 *
 * @param credential Azure credential. Default: the process's `DefaultAzureCredential` (azure), the
 *   emulator's token endpoint at the vault's origin with `AMLDB_LOCAL_TOKEN` of `env` (local).
 * @param env Environment holding `AMLDB_LOCAL_TOKEN` (local target). Default `process.env`.
 * @param transport How the local credential reaches the token endpoint. Default: the package's transport.
 */
export function keyVaultTokenSource(vaultUrl: URL, target: Target, credential?: TokenCredential, env: NodeJS.ProcessEnv = process.env, transport?: SendRequest): TokenSource {
  if (target === "local") return azureTokenSource(keyVaultScope(vaultUrl), credential ?? new LocalEmulatorCredential(vaultUrl.origin, { env, transport }), "local emulator");
  return azureTokenSource(keyVaultScope(vaultUrl), credential);
}
