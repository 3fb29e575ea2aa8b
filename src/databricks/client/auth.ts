/**
 * Authentication headers for Databricks REST calls: a personal access token, or Azure AD tokens
 * for the Azure Databricks resource. Tokens live in closures, never in enumerable properties, so
 * logging a token source or a client prints no secret.
 */
import type { TokenCredential } from "@azure/core-auth";
import type { DatabricksConfig } from "./config";

/** Supplies the authentication headers of one request. */
export interface TokenSource {
  /** Which kind of credential this is, for diagnostics. */
  readonly kind: "pat" | "azure-ad";
  /** Headers to add to the next request; may fetch or refresh a token. */
  headers(): Promise<Record<string, string>>;
}

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
  return {
    kind: "pat",
    async headers() {
      return { Authorization: `Bearer ${token}` };
    },
  };
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
 * and `X-Databricks-Azure-Workspace-Resource-Id` headers. The credential caches and refreshes
 * tokens itself.
 */
export function azureAdAuth(options: AzureAdAuthOptions = {}): TokenSource {
  let credential = options.credential;
  const resourceId = options.workspaceResourceId;
  const getCredential = (): TokenCredential => {
    if (!credential) {
      // Required here, not at the top, so that local runs never load the identity stack.
      const { DefaultAzureCredential } = require("@azure/identity") as typeof import("@azure/identity");
      credential = new DefaultAzureCredential();
    }
    return credential;
  };
  return {
    kind: "azure-ad",
    async headers() {
      const cred = getCredential();
      const [databricks, management] = await Promise.all([
        cred.getToken(AZURE_DATABRICKS_SCOPE),
        resourceId ? cred.getToken(AZURE_MANAGEMENT_SCOPE) : Promise.resolve(undefined),
      ]);
      if (!databricks?.token) throw new Error(`the Azure credential returned no token for scope ${AZURE_DATABRICKS_SCOPE}`);
      const headers: Record<string, string> = { Authorization: `Bearer ${databricks.token}` };
      if (resourceId) {
        if (!management?.token) throw new Error(`the Azure credential returned no token for scope ${AZURE_MANAGEMENT_SCOPE}`);
        headers[SP_MANAGEMENT_TOKEN_HEADER] = management.token;
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
