import * as assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { Stack } from "@pulumi/pulumi/automation";
import { SecretClient } from "@azure/keyvault-secrets";
import { KeyVaultSecret } from "../../src";
import { RunningEmulator, startEmulator } from "../../src/emulator";
import { LOCAL_TOKEN_ENV, TARGET_ENV } from "../../src/core/target";
import { ensureEngine, inlineStack, offlineEnv, REPO_ROOT } from "../../scripts/localEngine";

/**
 * The real engine (CLI + dynamic provider process) against the emulator: preview, up, a value
 * change seen by `preview --diff`, refresh after an out-of-band delete, re-create, destroy.
 */
describe("KeyVaultSecret through the Pulumi engine", function () {
  this.timeout(10 * 60 * 1000);
  const secretValue1 = `first-${randomBytes(12).toString("hex")}`;
  const secretValue2 = `second-${randomBytes(12).toString("hex")}`;
  const keptValue = `kept-${randomBytes(12).toString("hex")}`;
  const token = randomBytes(16).toString("hex");
  let workDir: string;
  let emulator: RunningEmulator;
  let stack: Stack;
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

  before(async function () {
    this.timeout(60 * 60 * 1000); // the first run may build the engine
    const engineBin = ensureEngine();
    // Inside the repository, so the dynamic provider resolves this package from node_modules.
    fs.mkdirSync(path.join(REPO_ROOT, ".local"), { recursive: true });
    workDir = fs.mkdtempSync(path.join(REPO_ROOT, ".local", "e2e-kv-"));
    fs.writeFileSync(path.join(workDir, "Pulumi.yaml"), "name: e2e-keyvault\nruntime: nodejs\n");
    emulator = await startEmulator({ port: 0, stateDir: path.join(workDir, "emulator"), token });
    const env = offlineEnv({
      engineBin,
      backendDir: path.join(workDir, "state"),
      passphrase: randomBytes(16).toString("hex"),
      extra: { [TARGET_ENV]: "local", [LOCAL_TOKEN_ENV]: token },
    });
    stack = await inlineStack({ stackName: "e2e", workDir, program, env, engineBin });
    await stack.setConfig("vaultUrl", { value: emulator.keyVaultUrl });
    await stack.setConfig("tokenValue", { value: secretValue1, secret: true });
    vault = new SecretClient(emulator.keyVaultUrl, { getToken: async () => ({ token, expiresOnTimestamp: Date.now() + 3_600_000 }) }, {
      allowInsecureConnection: true,
      disableChallengeResourceVerification: true,
    });
  });

  after(async () => {
    await emulator?.close();
    if (workDir) fs.rmSync(workDir, { recursive: true, force: true });
  });

  it("previews three creates (the stack and two secrets) and creates nothing", async () => {
    const preview = await stack.preview({ onOutput });
    assert.deepEqual(preview.changeSummary, { create: 3 });
    assert.deepEqual(await names(vault), []);
  });

  let firstVersion: string;
  it("creates the secrets on up and exports their ids", async () => {
    const up = await stack.up({ onOutput });
    assert.deepEqual(up.summary.resourceChanges, { create: 3 });
    const stored = await vault.getSecret("databricks-token");
    assert.equal(stored.value, secretValue1);
    assert.equal(stored.properties.contentType, "text/plain");
    assert.deepEqual(stored.properties.tags, { purpose: "e2e" });
    firstVersion = stored.properties.version!;
    assert.equal(up.outputs.version.value, firstVersion);
    assert.equal(up.outputs.secretId.value, `${emulator.keyVaultUrl}/secrets/databricks-token/${firstVersion}`);
    assert.equal(up.outputs.name.value, "databricks-token");
    assert.deepEqual(await names(vault), ["databricks-token", "kept-secret"]);
  });

  it("shows a changed value as an update of exactly that secret in preview --diff", async () => {
    await stack.setConfig("tokenValue", { value: secretValue2, secret: true });
    const lines: string[] = [];
    const preview = await stack.preview({ diff: true, onOutput: (out) => (lines.push(out), onOutput(out)) });
    assert.deepEqual(preview.changeSummary, { same: 2, update: 1 });
    const text = lines.join("");
    assert.match(text, /~ pulumi-nodejs:dynamic\/azureml-databricks:KeyVaultSecret: \(update\)\n\s+\[id=http:\/\/127\.0\.0\.1:\d+\/secrets\/databricks-token\]\n\s+\[urn=urn:pulumi:e2e::e2e-keyvault::pulumi-nodejs:dynamic\/azureml-databricks:KeyVaultSecret::token\]/);
    assert.match(text, /\n {8}value +: \[secret\]\n/);
    // The CLI masks secret changes in the diff view; the provider's reason shows in a plain preview.
    const plain: string[] = [];
    await stack.preview({ onOutput: (out) => (plain.push(out), onOutput(out)) });
    assert.match(plain.join(""), /Diagnostics:\n  pulumi:pulumi:Stack \(e2e-keyvault-e2e\):\n    Key Vault secret "databricks-token": value changed; will write a new version\.\n/);
    assert.doesNotMatch(text, /::kept\]/);
  });

  it("writes a new version on up", async () => {
    const up = await stack.up({ onOutput });
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
    const refresh = await stack.refresh({ onOutput });
    assert.deepEqual(refresh.summary.resourceChanges, { same: 2, delete: 1 });
    const up = await stack.up({ onOutput });
    assert.deepEqual(up.summary.resourceChanges, { same: 2, create: 1 });
    assert.equal((await vault.getSecret("databricks-token")).value, secretValue2);
  });

  it("keeps every secret value out of the state, the CLI output and the emulator's request log", async () => {
    // Everything the file backend keeps at rest: the stack's state, its history and backups.
    const state = filesUnder(path.join(workDir, "state")).map((f) => fs.readFileSync(f, "utf8")).join("\n");
    const output = cliOutput.join("");
    const requestLog = fs.readFileSync(path.join(workDir, "emulator", "requests.log"), "utf8");
    assert.ok(state.includes("databricks-token"), "the state holds the secret's name");
    assert.ok(output.length > 0 && requestLog.length > 0);
    for (const [label, value] of Object.entries({ secretValue1, secretValue2, keptValue, token })) {
      assert.ok(!state.includes(value), `state leaks ${label}`);
      assert.ok(!output.includes(value), `CLI output leaks ${label}`);
      assert.ok(!requestLog.includes(value), `request log leaks ${label}`);
    }
  });

  it("destroy purges the secret marked purgeOnDelete and soft-deletes the other", async () => {
    const destroy = await stack.destroy({ onOutput });
    assert.deepEqual(destroy.summary.resourceChanges, { delete: 3 });
    assert.deepEqual(await names(vault), []);
    const deleted: string[] = [];
    for await (const d of vault.listDeletedSecrets()) deleted.push(d.name);
    assert.deepEqual(deleted, ["kept-secret"]);
  });
});

function filesUnder(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true, recursive: true }).filter((e) => e.isFile()).map((e) => path.join(e.parentPath, e.name));
}

async function names(vault: SecretClient): Promise<string[]> {
  const out: string[] = [];
  for await (const p of vault.listPropertiesOfSecrets()) out.push(p.name);
  return out.sort();
}
