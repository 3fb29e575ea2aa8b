import * as assert from "node:assert/strict";
import * as pulumi from "@pulumi/pulumi";
import { UNKNOWN } from "../../../src/core/check";
import * as scope from "../../../src/databricks/secretScope/lifecycle";

const host = "https://adb-1.2.azuredatabricks.net";
const vaultId = "/subscriptions/0000/resourceGroups/rg/providers/Microsoft.KeyVault/vaults/kv1";

describe("DatabricksSecretScope check", () => {
  const saved = { ...process.env };
  before(() => Object.assign(process.env, { AMLDB_TARGET: "azure", DATABRICKS_HOST: host, DATABRICKS_TOKEN: "dapi-test" }));
  after(() => (process.env = saved));

  it("accepts a name and fills the host from the environment, leaving the principal to its default at create", async () => {
    assert.deepEqual(await scope.check({}, { name: "etl.secrets@team/x-1" }), { inputs: { name: "etl.secrets@team/x-1", host }, failures: [] });
  });

  it("reports every failure at once, each naming its property and the fix", async () => {
    const { failures } = await scope.check({}, { name: "bad name!", initialManagePrincipal: "", keyVault: { resourceId: "kv1", dnsName: "http://kv1" } });
    assert.deepEqual(failures, [
      { property: "name", reason: 'name "bad name!" is not a valid scope name: use 1-128 letters, digits and _ . @ / -.' },
      { property: "initialManagePrincipal", reason: 'initialManagePrincipal must name a user, group or service principal, e.g. "users" (every workspace user); omit it for the default "users".' },
      { property: "keyVault.resourceId", reason: "keyVault.resourceId must be the vault's ARM id: /subscriptions/<id>/resourceGroups/<group>/providers/Microsoft.KeyVault/vaults/<vault>." },
      { property: "keyVault.dnsName", reason: "keyVault.dnsName must be the vault's URI, e.g. https://my-vault.vault.azure.net/." },
    ]);
  });

  it("requires a name and accepts 128 characters but not 129", async () => {
    assert.deepEqual((await scope.check({}, {})).failures, [{ property: "name", reason: "name is required: 1-128 letters, digits and _ . @ / -." }]);
    assert.deepEqual((await scope.check({}, { name: "a".repeat(128) })).failures, []);
    assert.deepEqual((await scope.check({}, { name: "a".repeat(129) })).failures.map((f) => f.property), ["name"]);
  });

  it("names a missing host with the way to configure it", async () => {
    const env = { ...process.env };
    delete process.env.DATABRICKS_HOST;
    process.env.DATABRICKS_CONFIG_FILE = "/nonexistent/.databrickscfg";
    try {
      const { failures } = await scope.check({}, { name: "s" });
      assert.equal(failures.length, 1);
      assert.equal(failures[0].property, "host");
      assert.match(failures[0].reason, /^No Databricks host is configured\. Set DATABRICKS_HOST/);
    } finally {
      process.env = env;
    }
  });

  it("lets unknown preview values through", async () => {
    assert.deepEqual((await scope.check({}, { host: UNKNOWN, name: UNKNOWN, keyVault: UNKNOWN, initialManagePrincipal: UNKNOWN })).failures, []);
    assert.deepEqual(await scope.check({}, { spec: UNKNOWN }), { inputs: { spec: UNKNOWN, host }, failures: [] });
  });

  it("absorbs the complete secrets/scopes/create JSON, named parameters winning", async () => {
    const spec = { scope: "from-spec", initial_manage_principal: "admins", scope_backend_type: "AZURE_KEYVAULT", backend_azure_keyvault: { resource_id: vaultId, dns_name: "https://kv1.vault.azure.net/" } };
    assert.deepEqual(await scope.check({}, { spec }), {
      inputs: { name: "from-spec", initialManagePrincipal: "admins", keyVault: { resourceId: vaultId, dnsName: "https://kv1.vault.azure.net/" }, host },
      failures: [],
    });
    assert.deepEqual((await scope.check({}, { spec, name: "named", initialManagePrincipal: "users" })).inputs, {
      name: "named",
      initialManagePrincipal: "users",
      keyVault: { resourceId: vaultId, dnsName: "https://kv1.vault.azure.net/" },
      host,
    });
  });

  it("names unknown and inconsistent spec fields", async () => {
    const { failures } = await scope.check({}, { spec: { scope: "s", scope_backend_type: "AZURE_KEYVAULT", acls: [] } });
    assert.deepEqual(failures, [
      { property: "spec.backend_azure_keyvault", reason: "spec.backend_azure_keyvault ({ resource_id, dns_name }) is required with scope_backend_type AZURE_KEYVAULT." },
      { property: "spec.acls", reason: "spec.acls is not a field of secrets/scopes/create: use scope, initial_manage_principal, scope_backend_type and backend_azure_keyvault." },
    ]);
    assert.deepEqual((await scope.check({}, { spec: "scope" })).failures, [
      { property: "spec", reason: 'spec must be the secrets/scopes/create request as an object, e.g. { scope: "etl", initial_manage_principal: "users" }.' },
      { property: "name", reason: "name is required: 1-128 letters, digits and _ . @ / -." },
    ]);
  });
});

describe("DatabricksSecretScope diff", () => {
  const lines: string[] = [];
  const realLog = console.log;
  before(() => (console.log = (l: string) => lines.push(l)));
  after(() => (console.log = realLog));
  beforeEach(() => (lines.length = 0));
  const olds = { host, name: "etl", backendType: "DATABRICKS" };

  it("reports no change, and prints nothing, for the same inputs", async () => {
    assert.deepEqual(await scope.diff("etl", olds, { host, name: "etl" }), { changes: false, replaces: [], deleteBeforeReplace: true });
    assert.deepEqual(lines, []);
  });

  it("replaces the scope, deleting it first, on any change, and says its secrets go with it", async () => {
    const kv = { resourceId: vaultId, dnsName: "https://kv1.vault.azure.net/" };
    assert.deepEqual(await scope.diff("etl", olds, { host, name: "etl", keyVault: kv, initialManagePrincipal: "admins" }), {
      changes: true,
      replaces: ["initialManagePrincipal", "keyVault"],
      deleteBeforeReplace: true,
    });
    assert.deepEqual(await scope.diff("etl", olds, { host: "https://adb-2.3.azuredatabricks.net", name: "etl" }), { changes: true, replaces: ["host"], deleteBeforeReplace: true });
    assert.deepEqual(lines, [
      'Secret scope "etl": initialManagePrincipal, keyVault changed; will replace the scope (its secrets go with it).',
      'Secret scope "etl": host changed; will replace the scope (its secrets go with it).',
    ]);
  });

  it("assumes a replacement when the name or the spec is unknown at preview", async () => {
    assert.deepEqual(scope.diffScope(olds, { host, name: UNKNOWN }).replaces, ["name"]);
    assert.deepEqual(scope.diffScope(olds, { host, spec: UNKNOWN } as scope.ScopeInputs).replaces, ["name", "spec"]);
  });
});

describe("DatabricksSecretScope resource (mocked engine)", () => {
  const created: pulumi.runtime.MockResourceArgs[] = [];
  before(() => {
    pulumi.runtime.setMocks({ newResource: (args) => (created.push(args), { id: `${args.inputs.name}`, state: { ...args.inputs, backendType: "DATABRICKS" } }), call: () => ({}) }, "project", "stack", false);
  });

});
