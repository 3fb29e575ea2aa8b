import * as assert from "node:assert/strict";
import * as runs from "../../../src/databricks/run/lifecycle";
import * as scopes from "../../../src/databricks/secretScope/lifecycle";
import * as vaultSecrets from "../../../src/keyvault/secret/lifecycle";
import { emulatorVaultDnsName } from "../../support/azureAd";
import { useDatabricksEmulator } from "../../support/databricksEmulator";
import { notebook } from "../../support/databricksWire";

/**
 * A secret written to Key Vault by the KeyVaultSecret provider reaches a notebook through a Key
 * Vault-backed scope the DatabricksSecretScope provider created, and a rotation reaches the next run.
 */
describe("A Key Vault secret read in a notebook through a Key Vault-backed scope (providers against the emulator)", function () {
  this.timeout(60_000);
  // Only an Azure AD caller may create a Key Vault-backed scope.
  const db = useDatabricksEmulator("aad-scope-token", { quiet: true, azureAd: true });

  it("reads the vault's current value, redacted, in each run", async () => {
    const secret = await vaultSecrets.create({ vaultUrl: db.emulator.keyVaultUrl, name: "storage-key", value: "first-value", purgeOnDelete: true });
    const { outs: scope } = await scopes.create({
      host: db.emulator.url,
      name: "vault",
      keyVault: { resourceId: "/subscriptions/0/resourceGroups/rg/providers/Microsoft.KeyVault/vaults/local", dnsName: emulatorVaultDnsName(db.emulator.keyVaultUrl) },
    } as scopes.ScopeInputs);
    await db.api.workspace.mkdirs("/Shared/vault");
    const source = notebook('v = dbutils.secrets.get(scope="vault", key="storage-key")\nprint(v)\ndbutils.notebook.exit(f"{len(v)}:{v}")');
    await db.api.workspace.import({ path: "/Shared/vault/read", format: "SOURCE", language: "PYTHON", overwrite: true, content: source });
    const run = (identity: string) =>
      runs.create({
        host: db.emulator.url,
        identity,
        notebookTask: { notebookPath: "/Shared/vault/read", baseParameters: {} },
        newCluster: { sparkVersion: "15.4.x-scala2.12", nodeTypeId: "Standard_DS3_v2", numWorkers: 1 },
      });
    const first = await run("vault/read-1");
    assert.equal(first.outs.notebookOutput, "11:[REDACTED]");
    // The value itself is nowhere in what the run's provider keeps.
    assert.equal(JSON.stringify(first.outs).includes("first-value"), false);
    await vaultSecrets.update(secret.id, secret.outs, { ...secret.outs, value: "rotated" });
    assert.equal((await run("vault/read-2")).outs.notebookOutput, "7:[REDACTED]");
    await scopes.remove(scope.name, scope);
  });
});
