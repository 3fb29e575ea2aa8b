import type { SecretClient } from "@azure/keyvault-secrets";
import { credentialFor } from "../../core/azureCredentials";
import { currentTarget } from "../../core/target";

/**
 * A Key Vault SecretClient for the current target. The local emulator speaks plain HTTP on
 * loopback and answers the challenge with its own resource, so the client is told to accept both.
 * Retries (429/503/network, honouring Retry-After) are the SDK's own exponential policy.
 */
export function secretClientFor(vaultUrl: string): SecretClient {
  const { SecretClient: Client } = require("@azure/keyvault-secrets") as typeof import("@azure/keyvault-secrets");
  const target = currentTarget();
  const local = target === "local";
  return new Client(vaultUrl, credentialFor(target), {
    allowInsecureConnection: local,
    disableChallengeResourceVerification: local,
    retryOptions: { maxRetries: 6, retryDelayInMs: 500, maxRetryDelayInMs: 30_000 },
    userAgentOptions: { userAgentPrefix: "pulumi-azureml-databricks" },
  });
}
