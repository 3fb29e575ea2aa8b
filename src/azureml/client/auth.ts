/**
 * The Resource Manager token of a target: from `DefaultAzureCredential` (azure), or from the
 * emulator's token endpoint at the endpoint's origin (local), for {@link ARM_SCOPE} in both.
 */
import type { TokenCredential } from "@azure/core-auth";
import { azureTokenSource } from "../../core/azureCredentials";
import type { SendRequest, TokenSource } from "../../core/http";
import { LocalEmulatorCredential } from "../../core/localCredential";
import type { Target } from "../../core/target";
import { ARM_SCOPE } from "./endpoint";

/**
 * The token source for Resource Manager at `endpoint` in `target`.
 *
 * @param credential Azure credential. Default: the process's `DefaultAzureCredential` (azure), the
 *   emulator's token endpoint with `AMLDB_LOCAL_TOKEN` of `env` (local).
 * @param env Environment holding `AMLDB_LOCAL_TOKEN` (local target). Default `process.env`.
 * @param transport How the local credential reaches the token endpoint. Default: the package's transport.
 */
export function armTokenSource(endpoint: URL, target: Target, credential?: TokenCredential, env: NodeJS.ProcessEnv = process.env, transport?: SendRequest): TokenSource {
  if (target === "local") return azureTokenSource(ARM_SCOPE, credential ?? new LocalEmulatorCredential(endpoint.origin, { env, transport }), "local emulator");
  return azureTokenSource(ARM_SCOPE, credential);
}
