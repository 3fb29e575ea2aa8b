import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { AAD_TOKEN, b64 } from "../../support/databricksWire";
import { expectError, useEmulator, withEmulator } from "../../support/emulator";

describe("Databricks emulator: Secrets API", function () {
  this.timeout(30_000);
  const t = useEmulator();

  it("creates scopes, refuses duplicates and bad names, and lists them with their backend", async () => {
    assert.equal((await t.call("POST", "/api/2.0/secrets/scopes/create", { scope: "etl-scope", initial_manage_principal: "users" })).status, 200);
    await expectError(t.call("POST", "/api/2.0/secrets/scopes/create", { scope: "etl-scope" }), 400, { error_code: "RESOURCE_ALREADY_EXISTS", message: "Scope etl-scope already exists!" });
    await expectError(t.call("POST", "/api/2.0/secrets/scopes/create", { scope: "no spaces" }), 400, {
      error_code: "INVALID_PARAMETER_VALUE",
      message: "Scope name must consist of alphanumeric characters, dashes, underscores, periods, '@' and '/', and may not exceed 128 characters.",
    });
    assert.deepEqual((await t.call("GET", "/api/2.0/secrets/scopes/list")).body, { scopes: [{ name: "etl-scope", backend_type: "DATABRICKS" }] });
    assert.deepEqual((await t.call("GET", "/api/2.0/secrets/acls/list?scope=etl-scope")).body, { items: [{ principal: "users", permission: "MANAGE" }] });
    await expectError(t.call("POST", "/api/2.0/secrets/scopes/delete", { scope: "nope" }), 404, { error_code: "RESOURCE_DOES_NOT_EXIST", message: "Scope nope does not exist!" });
  });

  it("puts, overwrites and lists secrets with the clock's time, never returning values from list", async () => {
    await t.call("POST", "/api/2.0/secrets/scopes/create", { scope: "vals" });
    const created = t.clock.now();
    assert.equal((await t.call("POST", "/api/2.0/secrets/put", { scope: "vals", key: "token", string_value: "first" })).status, 200);
    assert.equal((await t.call("POST", "/api/2.0/secrets/put", { scope: "vals", key: "bin", bytes_value: b64(Buffer.from([0, 1, 2])) })).status, 200);
    await t.clock.advance(60_000);
    assert.equal((await t.call("POST", "/api/2.0/secrets/put", { scope: "vals", key: "token", string_value: "second-value" })).status, 200);
    assert.deepEqual((await t.call("GET", "/api/2.0/secrets/list?scope=vals")).body, {
      secrets: [
        { key: "bin", last_updated_timestamp: created },
        { key: "token", last_updated_timestamp: created + 60_000 },
      ],
    });
    assert.deepEqual((await t.call("GET", "/api/2.0/secrets/get?scope=vals&key=token")).body, { key: "token", value: b64("second-value") });
    await expectError(t.call("POST", "/api/2.0/secrets/put", { scope: "vals", key: "big", string_value: "x".repeat(128 * 1024 + 1) }), 400, {
      error_code: "INVALID_PARAMETER_VALUE",
      message: "Size of the secret value exceeds the maximum of 131072 bytes: 131073 bytes.",
    });
    await expectError(t.call("POST", "/api/2.0/secrets/put", { scope: "vals", key: "b", bytes_value: "not base64!" }), 400, {
      error_code: "INVALID_PARAMETER_VALUE",
      message: "Invalid value for field bytes_value: not valid base64.",
    });
    await expectError(t.call("POST", "/api/2.0/secrets/put", { scope: "ghost", key: "k", string_value: "v" }), 404, { error_code: "RESOURCE_DOES_NOT_EXIST", message: "Scope ghost does not exist!" });
    assert.equal((await t.call("POST", "/api/2.0/secrets/delete", { scope: "vals", key: "bin" })).status, 200);
    await expectError(t.call("POST", "/api/2.0/secrets/delete", { scope: "vals", key: "bin" }), 404, { error_code: "RESOURCE_DOES_NOT_EXIST", message: "Secret bin does not exist in scope vals!" });
  });

  it("refuses a Key Vault-backed scope from a PAT caller or for a vault it does not serve, and keeps it read-only", async () => {
    const resource_id = "/subscriptions/0/resourceGroups/rg/providers/Microsoft.KeyVault/vaults/kv";
    const create = (dns_name: string) => ({ scope: "kv", scope_backend_type: "AZURE_KEYVAULT", backend_azure_keyvault: { resource_id, dns_name } });
    await expectError(t.call("POST", "/api/2.0/secrets/scopes/create", create(`${t.emulator.keyVaultUrl}/`)), 400, {
      error_code: "INVALID_PARAMETER_VALUE",
      message: "Scope with Azure KeyVault must have userAADToken defined!",
    });
    await withEmulator({ token: AAD_TOKEN }, async ({ call, emulator }) => {
      await expectError(call("POST", "/api/2.0/secrets/scopes/create", create("https://kv.vault.azure.net/")), 400, {
        error_code: "INVALID_PARAMETER_VALUE",
        message: `Unable to grant read/list permission to Databricks service principal to KeyVault 'https://kv.vault.azure.net/': the local emulator serves one vault, ${emulator.keyVaultUrl}/.`,
      });
      // Any spelling of the emulator's own vault will do: either scheme, a loopback alias, with or without the slash.
      const port = new URL(emulator.keyVaultUrl).port;
      for (const other of [`https://localhost:${port}/`, `http://127.0.0.1:${port}`]) {
        assert.equal((await call("POST", "/api/2.0/secrets/scopes/create", { ...create(other), scope: `kv-${other.length}` })).status, 200);
      }
      await expectError(call("POST", "/api/2.0/secrets/scopes/create", create(`http://127.0.0.1:${Number(port) + 1}/`)), 400, {
        error_code: "INVALID_PARAMETER_VALUE",
        message: `Unable to grant read/list permission to Databricks service principal to KeyVault 'http://127.0.0.1:${Number(port) + 1}/': the local emulator serves one vault, ${emulator.keyVaultUrl}/.`,
      });
      const dns_name = `${emulator.keyVaultUrl}/`;
      assert.equal((await call("POST", "/api/2.0/secrets/scopes/create", create(dns_name))).status, 200);
      assert.deepEqual((await call("GET", "/api/2.0/secrets/scopes/list")).body.scopes.find((s: { name: string }) => s.name === "kv"), {
        name: "kv",
        backend_type: "AZURE_KEYVAULT",
        keyvault_metadata: { resource_id, dns_name },
      });
      await expectError(call("POST", "/api/2.0/secrets/put", { scope: "kv", key: "k", string_value: "v" }), 400, {
        error_code: "BAD_REQUEST",
        message: "Cannot write secrets to Azure KeyVault-backed scope kv",
      });
      await expectError(call("POST", "/api/2.0/secrets/delete", { scope: "kv", key: "k" }), 400, {
        error_code: "BAD_REQUEST",
        message: "Cannot delete secrets from Azure KeyVault-backed scope kv",
      });
    });
  });

  it("keeps secret values out of the request log and persists state with mode 0600", async () => {
    const stateDir = fs.mkdtempSync(path.join(os.tmpdir(), "dbx-state-"));
    try {
      const lines: string[] = [];
      await withEmulator({ stateDir, log: (l) => lines.push(l) }, async ({ call }) => {
        await call("POST", "/api/2.0/secrets/scopes/create", { scope: "p" });
        await call("POST", "/api/2.0/secrets/put", { scope: "p", key: "k", string_value: "super-secret-value" });
      });
      const stateFile = path.join(stateDir, "databricks", "state.json");
      assert.equal(fs.statSync(stateFile).mode & 0o777, 0o600);
      const logged = fs.readFileSync(path.join(stateDir, "requests.log"), "utf8");
      assert.deepEqual(
        logged.trim().split("\n").map((l) => JSON.parse(l).path),
        ["/api/2.0/secrets/scopes/create", "/api/2.0/secrets/put"],
      );
      assert.ok(!logged.includes("super-secret"));
      assert.deepEqual(lines, ["POST /api/2.0/secrets/scopes/create 200", "POST /api/2.0/secrets/put 200"]);
      // The state survives a restart.
      await withEmulator({ stateDir }, async ({ call }) => {
        assert.deepEqual((await call("GET", "/api/2.0/secrets/get?scope=p&key=k")).body, { key: "k", value: b64("super-secret-value") });
      });
    } finally {
      fs.rmSync(stateDir, { recursive: true, force: true });
    }
  });
});
