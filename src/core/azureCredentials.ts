import type { AccessToken, TokenCredential } from "@azure/core-auth";
import { LOCAL_EMULATOR_TOKEN } from "../emulator/core/constants";
import { LOCAL_TOKEN_ENV, Target } from "./target";

/**
 * The credential for a target: `DefaultAzureCredential` (environment, workload identity, managed
 * identity, Azure CLI, ...) for Azure, the emulator's bearer token for the local target.
 */
export function credentialFor(target: Target, env: NodeJS.ProcessEnv = process.env): TokenCredential {
  if (target === "local") return staticToken(env[LOCAL_TOKEN_ENV] || LOCAL_EMULATOR_TOKEN);
  // Required here, not at the top, so that local runs never load the identity stack.
  const { DefaultAzureCredential } = require("@azure/identity") as typeof import("@azure/identity");
  return new DefaultAzureCredential();
}

function staticToken(token: string): TokenCredential {
  return {
    async getToken(): Promise<AccessToken> {
      return { token, expiresOnTimestamp: Date.now() + 60 * 60 * 1000 };
    },
  };
}
