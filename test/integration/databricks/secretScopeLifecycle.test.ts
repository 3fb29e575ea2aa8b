import * as assert from "node:assert/strict";
import { ServiceError } from "../../../src/core/errors";
import * as scope from "../../../src/databricks/secretScope/lifecycle";
import { captureEachTest, checkedBy, useDatabricksEmulator } from "../../support/databricksEmulator";

/** The emulator's own vault (a Key Vault-backed scope must name a vault the workspace can reach), by its https URL as the provider requires. */
const vaultOf = (keyVaultUrl: string) => ({ resourceId: "/subscriptions/0000/resourceGroups/rg/providers/Microsoft.KeyVault/vaults/kv1", dnsName: `${keyVaultUrl.replace(/^http:/, "https:")}/` });

/** The DatabricksSecretScope provider's operations, called as the engine would, against the emulator. */
describe("DatabricksSecretScope provider operations against the emulator (personal access token)", function () {
  this.timeout(30_000);
  const db = useDatabricksEmulator("scope-lifecycle-token");
  const lines = captureEachTest(db);

  const checked = checkedBy<scope.ScopeInputs>(scope.check);
  const acls = (name: string) =>
    db.api.client.request<{ items?: { principal: string; permission: string }[] }>({ method: "GET", path: "/api/2.0/secrets/acls/list", query: { scope: name }, operation: "list ACLs" });

  it("creates a Databricks-backed scope that every workspace user may manage by default", async () => {
    const inputs = await checked({ name: "etl" });
    assert.equal(inputs.host, db.emulator.url);
    const { id, outs } = await scope.create(inputs);
    assert.equal(id, "etl");
    assert.deepEqual(outs, { name: "etl", host: db.emulator.url, backendType: "DATABRICKS" });
    assert.deepEqual(await db.api.secrets.listScopes(), [{ name: "etl", backend_type: "DATABRICKS" }]);
    assert.deepEqual((await acls("etl")).items, [{ principal: "users", permission: "MANAGE" }]);
  });

  it("creates from the complete secrets/scopes/create JSON, with its own principal", async () => {
    const inputs = await checked({ spec: { scope: "from-spec", initial_manage_principal: "admins" } });
    await scope.create(inputs);
    assert.deepEqual((await acls("from-spec")).items, [{ principal: "admins", permission: "MANAGE" }]);
  });

  it("reads the scope back, and reports it gone once deleted out of band", async () => {
    const { id, outs } = await scope.create(await checked({ name: "etl" }));
    assert.deepEqual(await scope.read(id, outs), { id, props: outs, inputs: { name: "etl", host: db.emulator.url } });
    await db.api.secrets.deleteScope("etl");
    assert.deepEqual(await scope.read(id, outs), { id: "", props: {} });
  });

  it("deletes the scope with its secrets, and treats a scope already gone as deleted", async () => {
    const { id, outs } = await scope.create(await checked({ name: "etl" }));
    await db.api.secrets.putSecret({ scope: "etl", key: "k", string_value: "v" });
    await scope.remove(id, outs);
    assert.deepEqual(await db.api.secrets.listScopes(), []);
    await scope.remove(id, outs);
  });

  it("refuses a name already taken, naming the scope, the opt-in and what destroy would do", async () => {
    await db.api.secrets.createScope({ scope: "taken" });
    await db.api.secrets.putSecret({ scope: "taken", key: "k", string_value: "v" });
    const err = await scope.create(await checked({ name: "taken" })).then(() => assert.fail("create should fail"), (e: unknown) => e);
    assert.ok(err instanceof ServiceError);
    assert.equal(err.code, "RESOURCE_ALREADY_EXISTS");
    assert.equal(
      err.message,
      'create secret scope "taken" failed: 400 RESOURCE_ALREADY_EXISTS: Scope taken already exists!\n' +
        `Secret scope "taken" in ${db.emulator.url} already exists. pulumi up does not take over an existing object unless told to: ` +
        "set adopt: true on this resource to manage it from now on (up keeps it as it is (a scope cannot be edited), and destroy then deletes it with all its secrets), or choose another name.",
    );
    assert.deepEqual((await db.api.secrets.listSecrets("taken")).map((m) => m.key), ["k"]);
  });

  it("adopts a scope of the declared backend with adopt: true, and destroy then deletes it with its secrets", async () => {
    await db.api.secrets.createScope({ scope: "taken" });
    await db.api.secrets.putSecret({ scope: "taken", key: "k", string_value: "v" });
    const { id, outs } = await scope.create(await checked({ name: "taken", adopt: true }));
    assert.deepEqual(outs, { name: "taken", adopt: true, host: db.emulator.url, backendType: "DATABRICKS" });
    assert.deepEqual(lines, [`Secret scope "taken" already exists in ${db.emulator.url}; adopting it (adopt: true): destroy will delete it with all its secrets.`]);
    await scope.remove(id, outs);
    assert.deepEqual(await db.api.secrets.listScopes(), []);
  });

  it("surfaces the service's refusal of a Key Vault-backed scope created with a token, with a hint", async () => {
    const err = await scope.create(await checked({ name: "kv", keyVault: vaultOf(db.emulator.keyVaultUrl) })).then(() => assert.fail("create should fail"), (e: unknown) => e);
    assert.ok(err instanceof ServiceError);
    assert.equal(err.status, 400);
    assert.equal(err.code, "INVALID_PARAMETER_VALUE");
    assert.equal(
      err.message,
      'create secret scope "kv" failed: 400 INVALID_PARAMETER_VALUE: Scope with Azure KeyVault must have userAADToken defined!\n' +
        "A Key Vault-backed scope can only be created by an Azure AD identity, not with a personal access token: " +
        "if the provider signs in with a token, unset DATABRICKS_TOKEN (and the profile's token) so it signs in with Azure (az login, a managed identity or a service principal); " +
        "make sure that identity may read the vault, and that keyVault.resourceId and keyVault.dnsName name the same vault. (The local emulator counts its token as Azure AD only when it is a JWT, eyJ...)",
    );
    assert.ok(!err.message.includes("scope-lifecycle-token"));
    assert.deepEqual(await db.api.secrets.listScopes(), []);
  });
});

describe("DatabricksSecretScope provider operations against the emulator (Azure AD token)", function () {
  this.timeout(30_000);
  // The emulator treats a JWT-shaped token (eyJ...) as an Azure AD caller.
  const db = useDatabricksEmulator("eyJhbGciOiJub25lIn0.eyJzdWIiOiJ0ZXN0In0.");
  const lines = captureEachTest(db);

  it("creates a Key Vault-backed scope and reads its vault back", async () => {
    const vault = vaultOf(db.emulator.keyVaultUrl);
    const { inputs } = await scope.check({}, { name: "kv", keyVault: vault });
    const { id, outs } = await scope.create(inputs as unknown as scope.ScopeInputs);
    assert.deepEqual(outs, { name: "kv", keyVault: vault, host: db.emulator.url, backendType: "AZURE_KEYVAULT" });
    assert.deepEqual(await db.api.secrets.listScopes(), [{ name: "kv", backend_type: "AZURE_KEYVAULT", keyvault_metadata: { resource_id: vault.resourceId, dns_name: vault.dnsName } }]);
    assert.deepEqual((await scope.read(id, outs)).props, outs);
    await scope.remove(id, outs);
    assert.deepEqual(await db.api.secrets.listScopes(), []);
  });

  it("does not adopt a scope whose backend is not the one declared", async () => {
    const vault = vaultOf(db.emulator.keyVaultUrl);
    await db.api.secrets.createScope({ scope: "taken", scope_backend_type: "AZURE_KEYVAULT", backend_azure_keyvault: { resource_id: vault.resourceId, dns_name: vault.dnsName } });
    const { inputs } = await scope.check({}, { name: "taken", adopt: true });
    const err = await scope.create(inputs as unknown as scope.ScopeInputs).then(() => assert.fail("create should fail"), (e: unknown) => e);
    assert.equal(
      (err as Error).message,
      `Secret scope "taken" in ${db.emulator.url} is backed by the Key Vault ${vault.resourceId}, not Databricks as declared: ` +
        "adopt takes over a scope only as declared, since a scope cannot be edited. Declare its backend as it is, or choose another name.",
    );
    const other = { ...vault, resourceId: vault.resourceId.replace("kv1", "kv2") };
    const { inputs: kv2 } = await scope.check({}, { name: "taken", keyVault: other, adopt: true });
    await assert.rejects(scope.create(kv2 as unknown as scope.ScopeInputs), { message: new RegExp(` is backed by the Key Vault ${vault.resourceId}, not the Key Vault ${other.resourceId} as declared: `) });
    const { inputs: same } = await scope.check({}, { name: "taken", keyVault: vault, adopt: true });
    assert.equal((await scope.create(same as unknown as scope.ScopeInputs)).outs.backendType, "AZURE_KEYVAULT");
    assert.deepEqual(lines, [`Secret scope "taken" already exists in ${db.emulator.url}; adopting it (adopt: true): destroy will delete it with all its secrets.`]);
  });
});
