/**
 * Azure credentials. The azure target: one `DefaultAzureCredential` (environment, workload
 * identity, managed identity, Azure CLI, ...) per process, and one token cache per scope on it,
 * shared by every client, so that a deployment of many resources asks for each token once. The
 * local target: a {@link LocalEmulatorCredential} per client, asking the emulator's token endpoint.
 */
import type { TokenCredential } from "@azure/core-auth";
import { bearerToken, cachedToken, TokenSource } from "./http/tokenSource";

let shared: TokenCredential | undefined;
const tokens = new Map<string, () => Promise<string>>();

/** The process's `DefaultAzureCredential`, created on first use. */
export function defaultAzureCredential(): TokenCredential {
  // Required here, not at the top, so that local runs never load the identity stack.
  shared ??= new (require("@azure/identity") as typeof import("@azure/identity")).DefaultAzureCredential();
  return shared;
}

/**
 * A token for `scope`: from `credential` (cached per call of this function) or, without one, from
 * the process's {@link defaultAzureCredential} (cached per scope for the whole process). The
 * credential is created on the first call of the returned function, not before.
 */
export function azureToken(scope: string, credential?: TokenCredential): () => Promise<string> {
  if (credential) return cachedToken(credential, scope);
  return () => {
    let token = tokens.get(scope);
    if (!token) {
      token = cachedToken(defaultAzureCredential(), scope);
      tokens.set(scope, token);
    }
    return token();
  };
}

/** `Authorization: Bearer <token>` with {@link azureToken} for `scope`; `kind` names the credential in errors. */
export function azureTokenSource(scope: string, credential?: TokenCredential, kind = "azure-ad"): TokenSource {
  return bearerToken(azureToken(scope, credential), kind);
}

export { LocalEmulatorCredential } from "./localCredential";
