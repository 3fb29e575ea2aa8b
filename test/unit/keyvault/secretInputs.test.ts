import * as assert from "node:assert/strict";
import { checkSecretInputs, diffSecret, UNKNOWN } from "../../../src/keyvault/secret/inputs";

const valid = { vaultUrl: "https://myvault.vault.azure.net/", name: "db-token", value: "s3cr3t" };

describe("KeyVaultSecret check", () => {
  it("accepts valid inputs and normalises the vault URL", () => {
    const { inputs, failures } = checkSecretInputs({ ...valid, vaultUrl: "https://MyVault.vault.azure.net/" }, "azure");
    assert.deepEqual(failures, []);
    assert.deepEqual(inputs, { ...valid, vaultUrl: "https://myvault.vault.azure.net" });
  });

  it("reports every failure at once, each naming its property", () => {
    const { failures } = checkSecretInputs(
      { vaultUrl: "not a url", name: "bad_name!", value: "", tags: { owner: 7 }, enabled: "yes", notBefore: "tomorrow" },
      "azure",
    );
    assert.deepEqual(failures, [
      { property: "vaultUrl", reason: 'vaultUrl "not a url" is not a URL: use the vault\'s DNS name, e.g. https://myvault.vault.azure.net.' },
      { property: "name", reason: 'name "bad_name!" is not a valid Key Vault secret name: use 1-127 characters from a-z, A-Z, 0-9 and "-" (pattern ^[0-9a-zA-Z-]{1,127}$).' },
      { property: "value", reason: "value is required and must not be empty: pass the secret as a string, ideally pulumi.secret(...)." },
      { property: "tags.owner", reason: "tag values must be strings, not number." },
      { property: "enabled", reason: 'enabled must be true or false, not "yes".' },
      { property: "notBefore", reason: 'notBefore must be an ISO 8601 date-time with a time zone, e.g. "2027-01-31T00:00:00Z"; got "tomorrow".' },
    ]);
  });

  it("requires vaultUrl, name and value", () => {
    const { failures } = checkSecretInputs({}, "azure");
    assert.deepEqual(failures.map((f) => f.property), ["vaultUrl", "name", "value"]);
  });

  it("accepts names of 127 characters and refuses 128", () => {
    assert.deepEqual(checkSecretInputs({ ...valid, name: "a".repeat(127) }, "azure").failures, []);
    assert.deepEqual(checkSecretInputs({ ...valid, name: "a".repeat(128) }, "azure").failures.map((f) => f.property), ["name"]);
  });

  it("lets unknown preview values through", () => {
    const { failures } = checkSecretInputs({ vaultUrl: UNKNOWN, name: UNKNOWN, value: UNKNOWN, expires: UNKNOWN, tags: UNKNOWN }, "azure");
    assert.deepEqual(failures, []);
  });

  it("requires expires after notBefore", () => {
    const { failures } = checkSecretInputs({ ...valid, notBefore: "2027-02-01T00:00:00Z", expires: "2027-01-01T00:00:00Z" }, "azure");
    assert.deepEqual(failures, [
      { property: "expires", reason: "expires (2027-01-01T00:00:00Z) must be later than notBefore (2027-02-01T00:00:00Z)." },
    ]);
  });

  it("refuses values over 25 KiB", () => {
    const { failures } = checkSecretInputs({ ...valid, value: "x".repeat(25 * 1024 + 1) }, "azure");
    assert.equal(failures.length, 1);
    assert.equal(failures[0].property, "value");
    assert.match(failures[0].reason, /^value is 25601 bytes; Key Vault accepts at most 25600 bytes per secret/);
  });

  it("refuses more than 15 tags", () => {
    const tags = Object.fromEntries(Array.from({ length: 16 }, (_, i) => [`t${i}`, "v"]));
    assert.deepEqual(checkSecretInputs({ ...valid, tags }, "azure").failures, [
      { property: "tags", reason: "tags has 16 entries; Key Vault allows at most 15." },
    ]);
  });

  it("keeps the local target on https on loopback and the azure target on https", () => {
    assert.deepEqual(checkSecretInputs({ ...valid, vaultUrl: "https://127.0.0.1:45845" }, "local").failures, []);
    assert.deepEqual(checkSecretInputs({ ...valid, vaultUrl: "https://myvault.vault.azure.net" }, "local").failures, [
      {
        property: "vaultUrl",
        reason: 'vaultUrl "https://myvault.vault.azure.net" is not on loopback, but AMLDB_TARGET is "local": point it at the emulator (for example https://127.0.0.1:<port>) or set AMLDB_TARGET=azure.',
      },
    ]);
    assert.deepEqual(checkSecretInputs({ ...valid, vaultUrl: "http://127.0.0.1:45845" }, "local").failures, [
      {
        property: "vaultUrl",
        reason:
          "The vault http://127.0.0.1:45845 uses plain http; the local target, like the azure one, sends tokens over https only. Use the https URL the emulator prints, or set AMLDB_LOCAL_HTTP=1 for an emulator started with --http.",
      },
    ]);
    assert.deepEqual(checkSecretInputs({ ...valid, vaultUrl: "http://127.0.0.1:45845" }, "azure").failures, [
      {
        property: "vaultUrl",
        reason: 'vaultUrl "http://127.0.0.1:45845" must use https in the azure target; plain http is only for the local emulator (AMLDB_TARGET=local).',
      },
    ]);
  });

  it("refuses, at preview, an https URL that is not a Key Vault host, since the Azure token would go there", () => {
    for (const vaultUrl of ["https://attacker.example.com", "https://myvault.vault.azure.net.example.com", "https://vault.azure.net"]) {
      const where = new URL(vaultUrl).origin;
      assert.deepEqual(checkSecretInputs({ ...valid, vaultUrl }, "azure").failures, [
        {
          property: "vaultUrl",
          reason: `${where} is not a Key Vault URL (https://<vault>.vault.azure.net, https://<vault>.vault.azure.cn, https://<vault>.vault.usgovcloudapi.net); Azure tokens are sent only to Key Vault.`,
        },
      ]);
    }
    assert.deepEqual(checkSecretInputs({ ...valid, vaultUrl: "https://kv-1.vault.usgovcloudapi.net" }, "azure").failures, []);
  });

  it("takes adopt as a boolean", () => {
    assert.deepEqual(checkSecretInputs({ ...valid, adopt: true }, "azure").failures, []);
    assert.deepEqual(checkSecretInputs({ ...valid, adopt: "yes" }, "azure").failures, [{ property: "adopt", reason: 'adopt must be true or false, not "yes".' }]);
  });

  it("refuses a vault URL with a path", () => {
    assert.deepEqual(checkSecretInputs({ ...valid, vaultUrl: "https://v.vault.azure.net/secrets/x" }, "azure").failures, [
      { property: "vaultUrl", reason: 'vaultUrl "https://v.vault.azure.net/secrets/x" must be the vault\'s root URL without a path, e.g. https://v.vault.azure.net.' },
    ]);
  });
});

describe("KeyVaultSecret diff", () => {
  const olds = { vaultUrl: "https://v.vault.azure.net", name: "db-token", value: "one", tags: { a: "1", b: "2" } };

  it("reports no change for equal inputs, whatever the tag order", () => {
    assert.deepEqual(diffSecret(olds, { ...olds, tags: { b: "2", a: "1" } }), {
      changes: false,
      replaces: [],
      deleteBeforeReplace: true,
      changedKeys: [],
    });
  });

  it("updates in place (a new version) when the value changes", () => {
    assert.deepEqual(diffSecret(olds, { ...olds, value: "two" }), {
      changes: true,
      replaces: [],
      deleteBeforeReplace: true,
      changedKeys: ["value"],
    });
  });

  it("updates for attributes and tags", () => {
    const d = diffSecret(olds, { ...olds, enabled: false, expires: "2030-01-01T00:00:00Z", tags: { a: "1" } });
    assert.deepEqual(d.replaces, []);
    assert.deepEqual(d.changedKeys, ["tags", "enabled", "expires"]);
  });

  it("replaces, deleting first, when the vault or the name changes", () => {
    assert.deepEqual(diffSecret(olds, { ...olds, name: "other" }), {
      changes: true,
      replaces: ["name"],
      deleteBeforeReplace: true,
      changedKeys: ["name"],
    });
    assert.deepEqual(diffSecret(olds, { ...olds, vaultUrl: "https://w.vault.azure.net" }).replaces, ["vaultUrl"]);
  });

  it("treats a change of letter case in the name as an update, since Key Vault names are case-insensitive", () => {
    assert.deepEqual(diffSecret(olds, { ...olds, name: "DB-Token" }), {
      changes: true,
      replaces: [],
      deleteBeforeReplace: true,
      changedKeys: ["name"],
    });
  });

  it("assumes a replacement when the new name is unknown at preview", () => {
    assert.deepEqual(diffSecret(olds, { ...olds, name: UNKNOWN }).replaces, ["name"]);
  });

  it("treats absent and empty tags alike", () => {
    assert.equal(diffSecret({ ...olds, tags: undefined }, { ...olds, tags: {} }).changes, false);
  });
});
