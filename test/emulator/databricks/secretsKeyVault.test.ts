import * as assert from "node:assert/strict";
import { AAD_TOKEN, b64, executeCommand, runNotebook, startContext } from "../../support/databricksWire";
import { TEST_CLOCK_START, useEmulator, type TestEmulator } from "../../support/emulator";

const VAULT_SCOPE = { scope: "vault", scope_backend_type: "AZURE_KEYVAULT" };
const RESOURCE_ID = "/subscriptions/0/resourceGroups/rg/providers/Microsoft.KeyVault/vaults/local";

/** Sets a secret through the Key Vault API (a new version), with the emulator's token. */
async function setVaultSecret(t: TestEmulator, name: string, body: Record<string, unknown>): Promise<void> {
  const r = await t.call("PUT", `/secrets/${name}?api-version=7.5`, body);
  assert.equal(r.status, 200, r.text);
}

describe("Databricks emulator: Key Vault-backed secret scopes read the emulator's vault", function () {
  this.timeout(60_000);
  const t = useEmulator({ token: AAD_TOKEN });

  beforeEach(async () => {
    const created = await t.call("POST", "/api/2.0/secrets/scopes/create", { ...VAULT_SCOPE, backend_azure_keyvault: { resource_id: RESOURCE_ID, dns_name: `${t.emulator.keyVaultUrl}/` } });
    assert.equal(created.status, 200, created.text);
  });

  it("lists and gets the current enabled version of each vault secret, as the vault holds it at each call", async () => {
    await setVaultSecret(t, "db-password", { value: "first" });
    await setVaultSecret(t, "Disabled-One", { value: "hidden", attributes: { enabled: false } });
    await t.clock.advance(5_000);
    await setVaultSecret(t, "db-password", { value: "second" });
    const updated = Math.floor((TEST_CLOCK_START + 5_000) / 1000) * 1000;
    assert.deepEqual((await t.call("GET", "/api/2.0/secrets/list?scope=vault")).body, { secrets: [{ key: "db-password", last_updated_timestamp: updated }] });
    // Key Vault names ignore case.
    assert.deepEqual((await t.call("GET", "/api/2.0/secrets/get?scope=vault&key=DB-PASSWORD")).body, { key: "DB-PASSWORD", value: b64("second") });
    assert.deepEqual((await t.call("GET", "/api/2.0/secrets/get?scope=vault&key=Disabled-One")).body, {
      error_code: "RESOURCE_DOES_NOT_EXIST",
      message: "Secret Disabled-One does not exist in scope vault!",
    });
    assert.equal((await t.call("DELETE", "/secrets/db-password?api-version=7.5")).status, 200);
    assert.deepEqual((await t.call("GET", "/api/2.0/secrets/list?scope=vault")).body, {});
  });

  it("hands a notebook the vault's value, redacted in what it returns and prints, and the rotated value on the next run", async () => {
    await setVaultSecret(t, "storage-key", { value: "vault-value-one" });
    const read = 'v = dbutils.secrets.get(scope="vault", key="storage-key")\nprint(v)\ndbutils.notebook.exit(f"{len(v)}:{v}")';
    assert.deepEqual(await runNotebook(t.call, read), { state: "SUCCESS", result: "15:[REDACTED]" });
    await setVaultSecret(t, "storage-key", { value: "rotated" });
    assert.deepEqual(await runNotebook(t.call, read), { state: "SUCCESS", result: "7:[REDACTED]" });
    assert.deepEqual(await runNotebook(t.call, 'dbutils.secrets.get("vault", "missing")'), {
      state: "FAILED",
      result: "",
      error: "IllegalArgumentException: Secret does not exist with scope: vault and key: missing",
    });

    // What a command prints is its output: the value shows as [REDACTED] there too.
    const context = await startContext(t.call);
    assert.deepEqual(await executeCommand(t.call, context, 'print(dbutils.secrets.get("vault", "storage-key"))'), { resultType: "text", data: "[REDACTED]" });
  });
});
