import * as assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import * as fs from "node:fs";
import * as pulumi from "@pulumi/pulumi";
import { SecretClient } from "@azure/keyvault-secrets";
import { KeyVaultSecret } from "../../src";
import { filesUnder, useInlineStack } from "./support/inlineFixture";

/**
 * The real engine (CLI + dynamic provider process) against the emulator: preview, up, a value
 * change seen by `preview --diff`, refresh after an out-of-band delete, re-create, destroy.
 */
describe("KeyVaultSecret through the Pulumi engine", function () {
  this.timeout(10 * 60 * 1000);
  const secretValue1 = `first-${randomBytes(12).toString("hex")}`;
  const secretValue2 = `second-${randomBytes(12).toString("hex")}`;
  const keptValue = `kept-${randomBytes(12).toString("hex")}`;
  let vault: SecretClient;
  const cliOutput: string[] = [];
  const onOutput = (out: string) => cliOutput.push(out);

  const program = async () => {
    const config = new pulumi.Config();
    const token = new KeyVaultSecret("token", {
      vaultUrl: config.require("vaultUrl"),
      name: "databricks-token",
      value: config.requireSecret("tokenValue"),
      contentType: "text/plain",
      tags: { purpose: "e2e" },
      purgeOnDelete: true,
    });
    const kept = new KeyVaultSecret("kept", {
      vaultUrl: config.require("vaultUrl"),
      name: "kept-secret",
      value: pulumi.secret(keptValue),
    });
    return { secretId: token.secretId, version: token.version, name: token.name, keptId: kept.secretId };
  };

  const e2e = useInlineStack("e2e-keyvault", program);

  before(async () => {
    await e2e.stack.setConfig("vaultUrl", { value: e2e.emulator.keyVaultUrl });
    await e2e.stack.setConfig("tokenValue", { value: secretValue1, secret: true });
    vault = new SecretClient(e2e.emulator.keyVaultUrl, { getToken: async () => ({ token: e2e.token, expiresOnTimestamp: Date.now() + 3_600_000 }) }, {
      disableChallengeResourceVerification: true,
    });
  });

  it("previews three creates (the stack and two secrets) and creates nothing", async () => {
    const preview = await e2e.stack.preview({ onOutput });
    assert.deepEqual(preview.changeSummary, { create: 3 });
    assert.deepEqual(await names(vault), []);
  });

  let firstVersion: string;
  it("creates the secrets on up and exports their ids", async () => {
    const up = await e2e.stack.up({ onOutput });
    assert.deepEqual(up.summary.resourceChanges, { create: 3 });
    const stored = await vault.getSecret("databricks-token");
    assert.equal(stored.value, secretValue1);
    assert.equal(stored.properties.contentType, "text/plain");
    assert.deepEqual(stored.properties.tags, { purpose: "e2e" });
    firstVersion = stored.properties.version!;
    assert.equal(up.outputs.version.value, firstVersion);
    assert.equal(up.outputs.secretId.value, `${e2e.emulator.keyVaultUrl}/secrets/databricks-token/${firstVersion}`);
    assert.equal(up.outputs.name.value, "databricks-token");
    assert.deepEqual(await names(vault), ["databricks-token", "kept-secret"]);
  });

  it("shows a changed value as an update of exactly that secret in preview --diff", async () => {
    await e2e.stack.setConfig("tokenValue", { value: secretValue2, secret: true });
    const lines: string[] = [];
    const preview = await e2e.stack.preview({ diff: true, onOutput: (out) => (lines.push(out), onOutput(out)) });
    assert.deepEqual(preview.changeSummary, { same: 2, update: 1 });
    const text = lines.join("");
    assert.match(text, /~ pulumi-nodejs:dynamic\/azureml-databricks:KeyVaultSecret: \(update\)\n\s+\[id=https:\/\/127\.0\.0\.1:\d+\/secrets\/databricks-token\]\n\s+\[urn=urn:pulumi:e2e::e2e-keyvault::pulumi-nodejs:dynamic\/azureml-databricks:KeyVaultSecret::token\]/);
    assert.match(text, /\n {8}value +: \[secret\]\n/);
    // The CLI masks secret changes in the diff view; the provider's reason shows in a plain preview.
    const plain: string[] = [];
    await e2e.stack.preview({ onOutput: (out) => (plain.push(out), onOutput(out)) });
    assert.match(plain.join(""), /Diagnostics:\n  pulumi:pulumi:Stack \(e2e-keyvault-e2e\):\n    Key Vault secret "databricks-token": value changed; will write a new version\.\n/);
    assert.doesNotMatch(text, /::kept\]/);
  });

  it("writes a new version on up", async () => {
    const up = await e2e.stack.up({ onOutput });
    assert.deepEqual(up.summary.resourceChanges, { same: 2, update: 1 });
    const stored = await vault.getSecret("databricks-token");
    assert.equal(stored.value, secretValue2);
    assert.notEqual(stored.properties.version, firstVersion);
    assert.equal(up.outputs.version.value, stored.properties.version);
    const versions: string[] = [];
    for await (const p of vault.listPropertiesOfSecretVersions("databricks-token")) versions.push(p.version!);
    assert.equal(versions.length, 2);
  });

  it("finds an out-of-band delete on refresh and re-creates the secret on up", async () => {
    await (await vault.beginDeleteSecret("databricks-token", { intervalInMs: 20 })).pollUntilDone();
    await vault.purgeDeletedSecret("databricks-token");
    const refresh = await e2e.stack.refresh({ onOutput });
    assert.deepEqual(refresh.summary.resourceChanges, { same: 2, delete: 1 });
    const up = await e2e.stack.up({ onOutput });
    assert.deepEqual(up.summary.resourceChanges, { same: 2, create: 1 });
    assert.equal((await vault.getSecret("databricks-token")).value, secretValue2);
  });

  it("keeps every secret value out of the state, the CLI output and the emulator's request log", async () => {
    // Everything the file backend keeps at rest: the stack's state, its history and backups.
    const state = filesUnder(e2e.backendDir).map((f) => fs.readFileSync(f, "utf8")).join("\n");
    const output = cliOutput.join("");
    const requestLog = e2e.requestLog();
    assert.ok(state.includes("databricks-token"), "the state holds the secret's name");
    assert.ok(output.length > 0 && requestLog.length > 0);
    for (const [label, value] of Object.entries({ secretValue1, secretValue2, keptValue, token: e2e.token })) {
      assert.ok(!state.includes(value), `state leaks ${label}`);
      assert.ok(!output.includes(value), `CLI output leaks ${label}`);
      assert.ok(!requestLog.includes(value), `request log leaks ${label}`);
    }
  });

  it("destroy purges the secret marked purgeOnDelete and soft-deletes the other", async () => {
    const destroy = await e2e.stack.destroy({ onOutput });
    assert.deepEqual(destroy.summary.resourceChanges, { delete: 3 });
    assert.deepEqual(await names(vault), []);
    const deleted: string[] = [];
    for await (const d of vault.listDeletedSecrets()) deleted.push(d.name);
    assert.deepEqual(deleted, ["kept-secret"]);
  });
});

async function names(vault: SecretClient): Promise<string[]> {
  const out: string[] = [];
  for await (const p of vault.listPropertiesOfSecrets()) out.push(p.name);
  return out.sort();
}
