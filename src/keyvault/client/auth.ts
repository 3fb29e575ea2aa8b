/**
 * The Key Vault token of a target: from `DefaultAzureCredential` for the vault's cloud (azure),
 * or the emulator's bearer token (local). Sent with the first request rather than after Key
 * Vault's 401 challenge; the vault URL is checked beforehand (see `vaultUrl.ts`).
 */
import type { TokenCredential } from "@azure/core-auth";
import { azureTokenSource } from "../../core/azureCredentials";
import { bearerToken, TokenSource } from "../../core/http";
import { localToken, Target } from "../../core/target";
import { keyVaultScope } from "./vaultUrl";

/**
 * The token source for `vaultUrl` in `target`.
 *
 * @param credential Azure credential (azure target). Default: the process's `DefaultAzureCredential`.
 * @param env Environment holding `AMLDB_LOCAL_TOKEN` (local target). Default `process.env`.
 */
export function keyVaultTokenSource(vaultUrl: URL, target: Target, credential?: TokenCredential, env: NodeJS.ProcessEnv = process.env): TokenSource {
  if (target === "local") return bearerToken(localToken(env), "local emulator");
  return azureTokenSource(keyVaultScope(vaultUrl), credential);
}
