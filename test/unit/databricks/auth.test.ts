import * as assert from "node:assert/strict";
import type { AccessToken, TokenCredential } from "@azure/core-auth";
import { AZURE_DATABRICKS_SCOPE, AZURE_MANAGEMENT_SCOPE, azureAdAuth, patAuth, tokenSourceFor } from "../../../src/databricks/client";

/** A credential answering `<scope>#<n>`, recording each scope asked for. */
function scopedCredential(): TokenCredential & { asked: string[] } {
  const asked: string[] = [];
  return {
    asked,
    async getToken(scope: string | string[]): Promise<AccessToken> {
      asked.push(String(scope));
      return { token: `${String(scope)}#${asked.length}`, expiresOnTimestamp: Date.now() + 3_600_000 };
    },
  };
}

describe("Databricks authentication", () => {
  it("a personal access token", async () => {
    assert.deepEqual(await patAuth("dapi-1").headers(), { Authorization: "Bearer dapi-1" });
    assert.equal(patAuth("dapi-1").kind, "pat");
  });

  it("an Azure AD token for the Azure Databricks resource, asked for once", async () => {
    const credential = scopedCredential();
    const auth = azureAdAuth({ credential });
    assert.equal(AZURE_DATABRICKS_SCOPE, "2ff814a6-3304-4ab8-85cb-cd0e6f879c1d/.default");
    assert.deepEqual(await auth.headers(), { Authorization: `Bearer ${AZURE_DATABRICKS_SCOPE}#1` });
    assert.deepEqual(await auth.headers(), { Authorization: `Bearer ${AZURE_DATABRICKS_SCOPE}#1` });
    assert.deepEqual(credential.asked, [AZURE_DATABRICKS_SCOPE]);
  });

  it("with a workspace resource id, the SP management token and the workspace id too", async () => {
    const credential = scopedCredential();
    const id = "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Databricks/workspaces/w";
    const headers = await tokenSourceFor({ host: "https://adb-1.1.azuredatabricks.net", authType: "azure-ad", azure: { workspaceResourceId: id } }, credential).headers();
    assert.deepEqual(headers, {
      Authorization: `Bearer ${AZURE_DATABRICKS_SCOPE}#1`,
      "X-Databricks-Azure-SP-Management-Token": `${AZURE_MANAGEMENT_SCOPE}#2`,
      "X-Databricks-Azure-Workspace-Resource-Id": id,
    });
  });
});
