/**
 * Authentication headers for Databricks REST calls: a personal access token, or Azure AD tokens
 * for the Azure Databricks resource (cached until shortly before they expire). Tokens live in
 * closures, never in enumerable properties, so logging a token source or a client prints no secret.
 */
import type { TokenCredential } from "@azure/core-auth";
import { azureToken } from "../../core/azureCredentials";
import { bearerToken, TokenSource } from "../../core/http";
import type { DatabricksConfig } from "./config";

export type { TokenSource };

/** Application id of the Azure Databricks first-party resource. */
export const AZURE_DATABRICKS_RESOURCE_ID = "2ff814a6-3304-4ab8-85cb-cd0e6f879c1d";
/** Token scope for the Azure Databricks resource. */
export const AZURE_DATABRICKS_SCOPE = `${AZURE_DATABRICKS_RESOURCE_ID}/.default`;
/** Token scope for Azure Resource Manager, sent as the SP management token. */
export const AZURE_MANAGEMENT_SCOPE = "https://management.core.windows.net//.default";
/** Header carrying the ARM token of a service principal that is not a workspace member. */
export const SP_MANAGEMENT_TOKEN_HEADER = "X-Databricks-Azure-SP-Management-Token";
/** Header carrying the workspace ARM id, sent with {@link SP_MANAGEMENT_TOKEN_HEADER}. */
export const WORKSPACE_RESOURCE_ID_HEADER = "X-Databricks-Azure-Workspace-Resource-Id";

/** `Authorization: Bearer <token>` with a personal access token (or the emulator's token). */
export function patAuth(token: string): TokenSource {
  if (!token) throw new Error("patAuth needs a non-empty Databricks token.");
  return bearerToken(token, "pat");
}

/** Options of {@link azureAdAuth}. */
export interface AzureAdAuthOptions {
  /** Azure credential. Default: `DefaultAzureCredential` from `@azure/identity` (loaded on first use). */
  credential?: TokenCredential;
  /**
   * ARM id of the workspace (`/subscriptions/.../providers/Microsoft.Databricks/workspaces/<name>`).
   * When set, requests also carry an ARM token and this id, which lets a service principal that
   * is not yet a workspace member (but has Contributor on the workspace) be admitted.
   */
  workspaceResourceId?: string;
}

/**
 * Azure AD auth: a token for the Azure Databricks resource (scope
 * `2ff814a6-3304-4ab8-85cb-cd0e6f879c1d/.default`), plus, with `workspaceResourceId`, the
 * `X-Databricks-Azure-SP-Management-Token` (scope `https://management.core.windows.net//.default`)
 * and `X-Databricks-Azure-Workspace-Resource-Id` headers. Tokens are cached until shortly before
 * they expire; those of the process's `DefaultAzureCredential` are shared by every client.
 */
export function azureAdAuth(options: AzureAdAuthOptions = {}): TokenSource {
  const resourceId = options.workspaceResourceId;
  const databricks = azureToken(AZURE_DATABRICKS_SCOPE, options.credential);
  const management = resourceId ? azureToken(AZURE_MANAGEMENT_SCOPE, options.credential) : undefined;
  return {
    kind: "azure-ad",
    async headers() {
      const [token, managementToken] = await Promise.all([databricks(), management?.()]);
      const headers: Record<string, string> = { Authorization: `Bearer ${token}` };
      if (resourceId && managementToken !== undefined) {
        headers[SP_MANAGEMENT_TOKEN_HEADER] = managementToken;
        headers[WORKSPACE_RESOURCE_ID_HEADER] = resourceId;
      }
      return headers;
    },
  };
}

/** The token source a resolved {@link DatabricksConfig} calls for. */
export function tokenSourceFor(config: DatabricksConfig, credential?: TokenCredential): TokenSource {
  if (config.authType === "pat") {
    if (!config.token) throw new Error(`Databricks auth type "pat" for ${config.host} has no token.`);
    return patAuth(config.token);
  }
  return azureAdAuth({ credential, workspaceResourceId: config.azure?.workspaceResourceId });
}
