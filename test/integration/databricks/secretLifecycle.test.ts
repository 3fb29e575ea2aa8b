import * as assert from "node:assert/strict";
import { ServiceError } from "../../../src/core/errors";
import { TakeoverRefused } from "../../../src/core/takeover";
import * as secret from "../../../src/databricks/secret/lifecycle";
import { ManualClock } from "../../../src/emulator";
import { checkedBy, useDatabricksEmulator } from "../../support/databricksEmulator";
import { TEST_CLOCK_START } from "../../support/emulator";

/** The DatabricksSecret provider's operations, called as the engine would, against the emulator. */
describe("DatabricksSecret provider operations against the emulator", function () {
  this.timeout(30_000);
  // Write times come from the emulator's clock, which moves only when a test advances it.
  const clock = new ManualClock(TEST_CLOCK_START);
  const db = useDatabricksEmulator("secret-lifecycle-token", { clock });
  const lines: string[] = [];
  let previousLog: typeof console.log;
  beforeEach(async () => {
    db.emulator.reset();
    await db.api.secrets.createScope({ scope: "etl" });
    lines.length = 0;
    previousLog = console.log;
    console.log = (l: string) => lines.push(l);
  });
  afterEach(() => (console.log = previousLog));

  const checked = checkedBy<secret.SecretInputs>(secret.check);
  /** The stored value, as `secrets/get` returns it (base64). */
  const stored = async (key: string) =>
    Buffer.from((await db.api.client.request<{ value: string }>({ method: "GET", path: "/api/2.0/secrets/get", query: { scope: "etl", key }, operation: "get" })).value, "base64");

  it("puts a text value and records when it was written", async () => {
    const { id, outs } = await secret.create(await checked({ scope: "etl", key: "api-token", stringValue: "t0ps3cret" }));
    assert.equal(id, "etl/api-token");
    const { lastUpdatedTimestamp, ...rest } = outs;
    assert.deepEqual(rest, { host: db.emulator.url, scope: "etl", key: "api-token", stringValue: "t0ps3cret" });
    assert.equal(lastUpdatedTimestamp, clock.now());
    assert.equal((await stored("api-token")).toString(), "t0ps3cret");
  });

  it("puts bytes, then overwrites them with text on update", async () => {
    const bytes = Buffer.from([0, 1, 2, 254, 255]);
    const { id, outs } = await secret.create(await checked({ scope: "etl", key: "blob", bytesValue: bytes.toString("base64") }));
    assert.ok((await stored("blob")).equals(bytes));
    clock.advance(5);
    const next = await checked({ scope: "etl", key: "blob", stringValue: "now text" });
    const { outs: updated } = await secret.update(id, outs, next);
    assert.equal((await stored("blob")).toString(), "now text");
    assert.equal(updated.bytesValue, undefined);
    assert.equal(updated.stringValue, "now text");
    assert.equal(updated.lastUpdatedTimestamp, outs.lastUpdatedTimestamp! + 5);
  });

  it("reads the key back without its value, and notices a value written outside Pulumi", async () => {
    const { id, outs } = await secret.create(await checked({ scope: "etl", key: "api-token", stringValue: "ours" }));
    assert.deepEqual(await secret.read(id, outs), { id, props: outs });
    assert.deepEqual(lines, []);
    clock.advance(5);
    await db.api.secrets.putSecret({ scope: "etl", key: "api-token", string_value: "theirs" });
    const remote = (await db.api.secrets.listSecrets("etl"))[0].last_updated_timestamp!;
    const result = await secret.read(id, outs);
    assert.deepEqual(result, {
      id,
      props: { host: db.emulator.url, scope: "etl", key: "api-token", lastUpdatedTimestamp: remote },
      inputs: { host: db.emulator.url, scope: "etl", key: "api-token" },
    });
    assert.deepEqual(lines, [
      `Databricks secret "etl/api-token" was written outside Pulumi at ${new Date(remote).toISOString()}; its value cannot be read back, so the next pulumi up writes the program's value again.`,
    ]);
    // The next up sees a value to write and overwrites the stranger's.
    assert.deepEqual(await secret.diff(id, result.props as secret.SecretOutputs, await checked({ scope: "etl", key: "api-token", stringValue: "ours" })), { changes: true, replaces: [], deleteBeforeReplace: true });
    assert.ok(!lines.join("\n").includes("ours") && !lines.join("\n").includes("theirs"));
  });

  it("reports the secret gone when its key or its whole scope was deleted", async () => {
    const { id, outs } = await secret.create(await checked({ scope: "etl", key: "k", stringValue: "v" }));
    await db.api.secrets.deleteSecret("etl", "k");
    assert.deepEqual(await secret.read(id, outs), { id: "", props: {} });
    await secret.create(await checked({ scope: "etl", key: "k", stringValue: "v" }));
    await db.api.secrets.deleteScope("etl");
    assert.deepEqual(await secret.read(id, outs), { id: "", props: {} });
  });

  it("deletes the secret, and treats a secret or scope already gone as deleted", async () => {
    const { id, outs } = await secret.create(await checked({ scope: "etl", key: "k", stringValue: "v" }));
    await secret.remove(id, outs);
    assert.deepEqual(await db.api.secrets.listSecrets("etl"), []);
    await secret.remove(id, outs);
    await db.api.secrets.deleteScope("etl");
    await secret.remove(id, outs);
  });

  it("refuses a key that already holds a value, naming it, the opt-in and what destroy would do, and leaves the value as it was", async () => {
    await db.api.secrets.putSecret({ scope: "etl", key: "api-token", string_value: "theirs" });
    const err = await secret.create(await checked({ scope: "etl", key: "api-token", stringValue: "ours" })).then(() => assert.fail("create should fail"), (e: unknown) => e);
    assert.ok(err instanceof TakeoverRefused);
    assert.equal(
      err.message,
      `Databricks secret "etl/api-token" in ${db.emulator.url} already exists. pulumi up does not take over an existing object unless told to: ` +
        "set adopt: true on this resource to manage it from now on (up writes the program's value over it, and destroy then deletes it), or choose another key.",
    );
    assert.ok(!err.message.includes("ours") && !err.message.includes("theirs"));
    assert.equal((await stored("api-token")).toString(), "theirs");
  });

  it("writes over a key that holds a value with adopt: true, and destroy then deletes it", async () => {
    await db.api.secrets.putSecret({ scope: "etl", key: "api-token", string_value: "theirs" });
    const { id, outs } = await secret.create(await checked({ scope: "etl", key: "api-token", stringValue: "ours", adopt: true }));
    assert.equal((await stored("api-token")).toString(), "ours");
    assert.equal(outs.adopt, true);
    await secret.remove(id, outs);
    assert.deepEqual(await db.api.secrets.listSecrets("etl"), []);
  });

  it("names a missing scope and how to order the two, without the value", async () => {
    const err = await secret.create(await checked({ scope: "nope", key: "k", stringValue: "hidden-value" })).then(() => assert.fail("create should fail"), (e: unknown) => e);
    assert.ok(err instanceof ServiceError);
    assert.equal(
      err.message,
      'put secret "k" in scope "nope" failed: 404 RESOURCE_DOES_NOT_EXIST: Scope nope does not exist!\n' +
        "Create the scope first: pass a DatabricksSecretScope's name output as scope, so Pulumi creates the scope before its secrets.",
    );
    assert.ok(!JSON.stringify(err).includes("hidden-value") && !err.message.includes("hidden-value"));
  });
});

describe("DatabricksSecret in a Key Vault-backed scope", function () {
  this.timeout(30_000);
  const db = useDatabricksEmulator("eyJhbGciOiJub25lIn0.eyJzdWIiOiJzZWNyZXQifQ.");

  it("is refused by the service, with the way to write it in the vault instead", async () => {
    await db.api.secrets.createScope({ scope: "kv", scope_backend_type: "AZURE_KEYVAULT", backend_azure_keyvault: { resource_id: "/subscriptions/0/resourceGroups/r/providers/Microsoft.KeyVault/vaults/v", dns_name: `${db.emulator.keyVaultUrl}/` } });
    const { inputs } = await secret.check({}, { scope: "kv", key: "k", stringValue: "v" });
    const err = await secret.create(inputs as unknown as secret.SecretInputs).then(() => assert.fail("create should fail"), (e: unknown) => e);
    assert.ok(err instanceof ServiceError);
    assert.equal(
      err.message,
      'put secret "k" in scope "kv" failed: 400 BAD_REQUEST: Cannot write secrets to Azure KeyVault-backed scope kv\n' +
        'Scope "kv" is backed by Azure Key Vault and is read-only from Databricks: write the secret in the vault (KeyVaultSecret) and read it through the scope.',
    );
  });
});
