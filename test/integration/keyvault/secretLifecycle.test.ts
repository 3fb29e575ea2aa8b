import * as assert from "node:assert/strict";
import { SecretClient } from "@azure/keyvault-secrets";
import * as lifecycle from "../../../src/keyvault/secret/lifecycle";
import { SecretOutputs } from "../../../src/keyvault/secret/inputs";
import { ServiceError } from "../../../src/core/errors";
import { TakeoverRefused } from "../../../src/core/takeover";
import { RunningEmulator, systemClock } from "../../../src/emulator";
import { startTestEmulator } from "../../support/emulator";

/** The provider's operations, called as the engine would, against the emulator. */
describe("KeyVaultSecret provider operations against the emulator", () => {
  const token = "integration-token";
  let emulator: RunningEmulator;
  let vault: SecretClient;
  const saved = { target: process.env.AMLDB_TARGET, token: process.env.AMLDB_LOCAL_TOKEN };

  before(async () => {
    emulator = (await startTestEmulator({ token, clock: systemClock })).emulator;
    process.env.AMLDB_TARGET = "local";
    process.env.AMLDB_LOCAL_TOKEN = token;
    vault = new SecretClient(emulator.keyVaultUrl, { getToken: async () => ({ token, expiresOnTimestamp: Date.now() + 3_600_000 }) }, {
      disableChallengeResourceVerification: true,
      retryOptions: { maxRetries: 0 },
    });
  });
  beforeEach(() => emulator.reset());
  after(async () => {
    await emulator.close();
    process.env.AMLDB_TARGET = saved.target;
    process.env.AMLDB_LOCAL_TOKEN = saved.token;
    if (saved.target === undefined) delete process.env.AMLDB_TARGET;
    if (saved.token === undefined) delete process.env.AMLDB_LOCAL_TOKEN;
  });

  const inputs = () => ({ vaultUrl: emulator.keyVaultUrl, name: "db-token", value: "v1", tags: { team: "ml" }, purgeOnDelete: true });

  it("creates a secret and returns its versioned id", async () => {
    const { id, outs } = await lifecycle.create(inputs());
    const stored = await vault.getSecret("db-token");
    assert.equal(id, `${emulator.keyVaultUrl}/secrets/db-token`);
    assert.deepEqual(outs, {
      vaultUrl: emulator.keyVaultUrl,
      name: "db-token",
      value: "v1",
      tags: { team: "ml" },
      purgeOnDelete: true,
      secretId: `${emulator.keyVaultUrl}/secrets/db-token/${stored.properties.version}`,
      versionlessId: `${emulator.keyVaultUrl}/secrets/db-token`,
      version: stored.properties.version,
    });
  });

  it("writes a new version on update", async () => {
    const { id, outs } = await lifecycle.create(inputs());
    const { outs: next } = await lifecycle.update(id, outs, { ...inputs(), value: "v2", expires: "2031-01-01T00:00:00Z" });
    assert.notEqual(next.version, outs.version);
    const stored = await vault.getSecret("db-token");
    assert.equal(stored.value, "v2");
    assert.equal(stored.properties.expiresOn?.toISOString(), "2031-01-01T00:00:00.000Z");
    assert.equal(next.expires, "2031-01-01T00:00:00Z");
  });

  it("reads drift back: a value and tags changed out of band", async () => {
    const { id, outs } = await lifecycle.create(inputs());
    await vault.setSecret("db-token", "changed-elsewhere", { tags: { team: "ops" } });
    const result = await lifecycle.read(id, outs);
    assert.equal(result.id, id);
    assert.equal(result.props.value, "changed-elsewhere");
    assert.deepEqual(result.props.tags, { team: "ops" });
    assert.deepEqual(result.inputs, { vaultUrl: emulator.keyVaultUrl, name: "db-token", value: "changed-elsewhere", tags: { team: "ops" }, purgeOnDelete: true });
  });

  it("reads a secret disabled out of band as enabled: false", async () => {
    const { id, outs } = await lifecycle.create(inputs());
    await vault.updateSecretProperties("db-token", outs.version, { enabled: false });
    const result = await lifecycle.read(id, outs);
    assert.equal(result.props.enabled, false);
    assert.equal(result.props.value, "v1");
  });

  it("reports a secret deleted out of band as gone", async () => {
    const { id, outs } = await lifecycle.create(inputs());
    await (await vault.beginDeleteSecret("db-token", { intervalInMs: 10 })).pollUntilDone();
    assert.deepEqual(await lifecycle.read(id, outs), { id: "", props: {} });
  });

  it("refuses a name held by a soft-deleted secret, saying how to recover or purge it", async () => {
    await vault.setSecret("db-token", "old");
    await (await vault.beginDeleteSecret("db-token", { intervalInMs: 10 })).pollUntilDone();
    const err = await lifecycle.create(inputs()).then(
      () => assert.fail("create should fail"),
      (e: unknown) => e,
    );
    assert.ok(err instanceof ServiceError);
    assert.equal(err.status, 409);
    assert.equal(err.code, "ObjectIsDeletedButRecoverable");
    const url = emulator.keyVaultUrl;
    assert.equal(
      err.message,
      `create Key Vault secret "db-token" in ${url} failed: 409 ObjectIsDeletedButRecoverable: ` +
        "Secret db-token is currently in a deleted but recoverable state, and its name cannot be reused; in this state, the secret can only be recovered or purged.\n" +
        `The name "db-token" belongs to a soft-deleted secret. Either recover it (az keyvault secret recover --id ${url}/deletedsecrets/db-token) and run pulumi up again, ` +
        `or purge it if its old versions are not needed (az keyvault secret purge --id ${url}/deletedsecrets/db-token), or choose another name.\n` +
        "See https://learn.microsoft.com/azure/key-vault/general/key-vault-recovery",
    );
  });

  it("refuses a secret that already exists, naming it, the opt-in and what destroy would do, and leaves it as it was", async () => {
    await vault.setSecret("db-token", "theirs");
    const url = emulator.keyVaultUrl;
    const refused = (e: unknown) => e;
    const purging = await lifecycle.create(inputs()).then(() => assert.fail("create should fail"), refused);
    assert.ok(purging instanceof TakeoverRefused);
    assert.equal(
      purging.message,
      `Key Vault secret "db-token" in ${url} already exists. pulumi up does not take over an existing object unless told to: ` +
        "set adopt: true on this resource to manage it from now on (up writes a new version of it, and destroy then deletes and purges it, with all its versions), or choose another name.",
    );
    const softDeleting = await lifecycle.create({ ...inputs(), purgeOnDelete: false }).then(() => assert.fail("create should fail"), refused);
    assert.match((softDeleting as Error).message, /\(up writes a new version of it, and destroy then soft-deletes it, with all its versions\)/);
    const stored = await vault.getSecret("db-token");
    assert.equal(stored.value, "theirs");
    const versions: string[] = [];
    for await (const p of vault.listPropertiesOfSecretVersions("db-token")) versions.push(p.version!);
    assert.equal(versions.length, 1);
  });

  it("adopts a secret that already exists with adopt: true, and destroy then deletes it", async () => {
    await vault.setSecret("db-token", "theirs");
    const lines: string[] = [];
    const log = console.log;
    console.log = (line: string) => lines.push(line);
    const { id, outs } = await lifecycle.create({ ...inputs(), adopt: true }).finally(() => (console.log = log));
    assert.deepEqual(lines, [`Key Vault secret "db-token" already exists in ${emulator.keyVaultUrl}; adopting it (adopt: true): setting a new version and managing it from now on.`]);
    assert.equal((await vault.getSecret("db-token")).value, "v1");
    assert.equal(outs.adopt, true);
    await lifecycle.remove(id, outs);
    await assert.rejects(vault.getSecret("db-token"), { statusCode: 404 });
    assert.deepEqual(await listDeleted(vault), []);
  });

  it("deletes and purges when purgeOnDelete is set", async () => {
    const { id, outs } = await lifecycle.create(inputs());
    await lifecycle.remove(id, outs);
    assert.deepEqual(await listDeleted(vault), []);
    await assert.rejects(vault.getSecret("db-token"), { statusCode: 404 });
  });

  it("only soft-deletes when purgeOnDelete is not set", async () => {
    const { id, outs } = await lifecycle.create({ ...inputs(), purgeOnDelete: false });
    await lifecycle.remove(id, outs);
    assert.deepEqual(await listDeleted(vault), ["db-token"]);
  });

  it("treats a secret already deleted out of band as deleted", async () => {
    const { id, outs } = await lifecycle.create(inputs());
    await (await vault.beginDeleteSecret("db-token", { intervalInMs: 10 })).pollUntilDone();
    await lifecycle.remove(id, outs as SecretOutputs);
    assert.deepEqual(await listDeleted(vault), []);
  });

  it("fails with the service's code and message, and no token, when the token is wrong", async () => {
    process.env.AMLDB_LOCAL_TOKEN = "wrong-token";
    try {
      const err = await lifecycle.create(inputs()).then(() => assert.fail("create should fail"), (e: unknown) => e);
      assert.ok(err instanceof ServiceError);
      assert.deepEqual([err.status, err.code], [0, "AUTHENTICATION_FAILED"]);
      assert.equal(
        err.message,
        `look up Key Vault secret "db-token" in ${emulator.keyVaultUrl} failed: AUTHENTICATION_FAILED: could not get local emulator credentials: get a token for https://vault.azure.net/.default ` +
          `from the emulator's token endpoint ${emulator.tokenUrl} failed: 401 invalid_client: AADSTS7000215: Invalid client secret provided. ` +
          "Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app '00000000-0000-0000-0000-000000000001'. " +
          "Set AMLDB_LOCAL_TOKEN to the token the emulator was started with.",
      );
      assert.ok(!JSON.stringify(err).includes("wrong-token"));
    } finally {
      process.env.AMLDB_LOCAL_TOKEN = token;
    }
  });
});

async function listDeleted(vault: SecretClient): Promise<string[]> {
  const out: string[] = [];
  for await (const d of vault.listDeletedSecrets()) out.push(d.name);
  return out;
}
