import * as assert from "node:assert/strict";
import * as pulumi from "@pulumi/pulumi";
import { UNKNOWN } from "../../../src/core/check";
import * as secret from "../../../src/databricks/secret/lifecycle";

const host = "https://adb-1.2.azuredatabricks.net";

describe("DatabricksSecret check", () => {
  const saved = { ...process.env };
  before(() => Object.assign(process.env, { AMLDB_TARGET: "azure", DATABRICKS_HOST: host, DATABRICKS_TOKEN: "dapi-test" }));
  after(() => (process.env = saved));

  it("accepts a text or a base64 value and fills the host", async () => {
    assert.deepEqual(await secret.check({}, { scope: "etl", key: "db.token_1", stringValue: "s3cr3t" }), {
      inputs: { scope: "etl", key: "db.token_1", stringValue: "s3cr3t", host },
      failures: [],
    });
    assert.deepEqual((await secret.check({}, { scope: "etl", key: "k", bytesValue: Buffer.from([0, 1, 2, 255]).toString("base64") })).failures, []);
  });

  it("reports every failure at once, naming its property, never the value", async () => {
    const { failures } = await secret.check({}, { scope: "bad scope!", key: "bad/key", bytesValue: "not base64!!" });
    assert.deepEqual(failures, [
      { property: "scope", reason: 'scope "bad scope!" is not a valid scope name: use 1-128 letters, digits and _ . @ / -.' },
      { property: "key", reason: 'key "bad/key" is not valid: use 1-128 letters, digits and _ . -.' },
      { property: "bytesValue", reason: 'bytesValue must be base64 (A-Z, a-z, 0-9, +, / and = padding), e.g. Buffer.from(bytes).toString("base64").' },
    ]);
    assert.ok(!JSON.stringify(failures).includes("not base64!!"));
  });

  it("requires scope, key and exactly one value", async () => {
    assert.deepEqual((await secret.check({}, {})).failures, [
      { property: "scope", reason: "scope is required: the name of a secret scope (e.g. a DatabricksSecretScope's name)." },
      { property: "key", reason: "key is required: 1-128 letters, digits and _ . -." },
      { property: "stringValue", reason: "give exactly one of stringValue and bytesValue (base64)." },
    ]);
    assert.deepEqual((await secret.check({}, { scope: "s", key: "k", stringValue: "a", bytesValue: "YQ==" })).failures, [
      { property: "bytesValue", reason: "stringValue and bytesValue are mutually exclusive: give the value as text (stringValue) or as base64 bytes (bytesValue), not both." },
    ]);
  });

  it("accepts 128 KB values and refuses one byte more, as text or bytes", async () => {
    const max = 128 * 1024;
    assert.deepEqual((await secret.check({}, { scope: "s", key: "k", stringValue: "x".repeat(max) })).failures, []);
    assert.deepEqual((await secret.check({}, { scope: "s", key: "k", stringValue: "x".repeat(max + 1) })).failures, [
      { property: "stringValue", reason: "stringValue is larger than the 128 KB Databricks accepts per secret." },
    ]);
    assert.deepEqual((await secret.check({}, { scope: "s", key: "k", bytesValue: Buffer.alloc(max + 1).toString("base64") })).failures, [
      { property: "bytesValue", reason: "bytesValue is larger than the 128 KB Databricks accepts per secret." },
    ]);
  });

  it("lets unknown preview values through", async () => {
    assert.deepEqual((await secret.check({}, { scope: UNKNOWN, key: UNKNOWN, stringValue: UNKNOWN })).failures, []);
  });
});

describe("DatabricksSecret diff", () => {
  const lines: string[] = [];
  const realLog = console.log;
  before(() => (console.log = (l: string) => lines.push(l)));
  after(() => (console.log = realLog));
  beforeEach(() => (lines.length = 0));
  const olds = { host, scope: "etl", key: "token", stringValue: "one", lastUpdatedTimestamp: 1700000000000 };

  it("reports no change for the same inputs, and prints nothing", async () => {
    assert.deepEqual(await secret.diff("etl/token", olds, { host, scope: "etl", key: "token", stringValue: "one" }), { changes: false, replaces: [], deleteBeforeReplace: true });
    assert.deepEqual(lines, []);
  });

  it("overwrites in place when the value changes, without printing it", async () => {
    assert.deepEqual(await secret.diff("etl/token", olds, { host, scope: "etl", key: "token", stringValue: "two" }), { changes: true, replaces: [], deleteBeforeReplace: true });
    assert.deepEqual(await secret.diff("etl/token", olds, { host, scope: "etl", key: "token", bytesValue: "dHdv" }), { changes: true, replaces: [], deleteBeforeReplace: true });
    assert.deepEqual(lines, [
      'Databricks secret "etl/token": stringValue changed; will overwrite the value.',
      'Databricks secret "etl/token": stringValue, bytesValue changed; will overwrite the value.',
    ]);
    assert.ok(!lines.join("\n").includes("two") && !lines.join("\n").includes("dHdv"));
  });

  it("replaces the secret, deleting it first, when the workspace, scope or key changes", async () => {
    assert.deepEqual(await secret.diff("etl/token", olds, { host, scope: "etl", key: "token2", stringValue: "one" }), { changes: true, replaces: ["key"], deleteBeforeReplace: true });
    assert.deepEqual(secret.diffSecret(olds, { host: "https://adb-2.azuredatabricks.net", scope: "ops", key: "token", stringValue: "one" }).replaces, ["host", "scope"]);
    assert.deepEqual(lines, ['Databricks secret "etl/token2": key changed; will replace it (delete, then put).']);
  });

  it("replaces when the scope is unknown (its scope is being replaced) and overwrites when the value is", () => {
    assert.deepEqual(secret.diffSecret(olds, { host, scope: UNKNOWN, key: "token", stringValue: "one" }), { changes: true, replaces: ["scope"], deleteBeforeReplace: true, changedKeys: ["scope"] });
    assert.deepEqual(secret.diffSecret(olds, { host, scope: "etl", key: "token", stringValue: UNKNOWN }), { changes: true, replaces: [], deleteBeforeReplace: true, changedKeys: ["stringValue"] });
  });
});

describe("DatabricksSecret resource (mocked engine)", () => {
  const created: pulumi.runtime.MockResourceArgs[] = [];
  before(() => {
    pulumi.runtime.setMocks({ newResource: (args) => (created.push(args), { id: `${args.inputs.scope}/${args.inputs.key}`, state: args.inputs }), call: () => ({}) }, "project", "stack", false);
  });

  it("makes the values secret outputs, from named arguments or from the spec", async () => {
    const { DatabricksSecret } = await import("../../../src");
    const named = new DatabricksSecret("s-text", { host, scope: "etl", key: "a", stringValue: "v" });
    const bytes = new DatabricksSecret("s-bytes", { host, scope: "etl", key: "b", bytesValue: "dg==" });
    const fromSpec = new DatabricksSecret("s-spec", { host, spec: { scope: "etl", key: "c", bytes_value: "dg==" } });
    assert.equal(await pulumi.isSecret(named.stringValue), true);
    assert.equal(await pulumi.isSecret(bytes.bytesValue), true);
    assert.equal(await pulumi.isSecret(fromSpec.bytesValue), true);
    assert.equal(await pulumi.isSecret(fromSpec.key), false);
    assert.equal(await new Promise((resolve) => fromSpec.key.apply(resolve)), "c");
    const specArgs = created.find((c) => c.name === "s-spec")!;
    assert.deepEqual(Object.keys(specArgs.inputs).filter((k) => k !== "__provider").sort(), ["bytesValue", "host", "key", "scope", "stringValue"]);
    // The spec's absent kind of value arrives as a secret null, which check drops.
    const { inputs, failures } = secret.checkSecret({ scope: "etl", key: "c", stringValue: null, bytesValue: "dg==" });
    assert.deepEqual([inputs, failures], [{ scope: "etl", key: "c", bytesValue: "dg==" }, []]);
  });

  it("takes the spec's value when the named one resolves to undefined, and leaves both values to check", async () => {
    const { DatabricksSecret } = await import("../../../src");
    const r = new DatabricksSecret("s-maybe", { host, scope: "etl", stringValue: pulumi.output(undefined) as unknown as pulumi.Output<string>, spec: { key: "d", string_value: "from-spec" } });
    const both = new DatabricksSecret("s-both", { host, scope: "etl", key: "k", stringValue: "a", bytesValue: "YQ==" });
    await Promise.all([r, both].map((x) => new Promise((resolve) => x.urn.apply(resolve))));
    const inputs = created.find((c) => c.name === "s-maybe")!.inputs;
    assert.deepEqual([inputs.scope, inputs.key, inputs.stringValue?.value], ["etl", "d", "from-spec"], "the value arrives as a secret");
    // The engine hands the provider plain values; the mocks keep secrets wrapped.
    const plain = (o: Record<string, unknown>) => Object.fromEntries(Object.entries(o).map(([k, v]) => [k, (v as { value?: unknown })?.value ?? v]));
    assert.deepEqual(secret.checkSecret(plain(created.find((c) => c.name === "s-both")!.inputs)).failures, [
      { property: "bytesValue", reason: "stringValue and bytesValue are mutually exclusive: give the value as text (stringValue) or as base64 bytes (bytesValue), not both." },
    ]);
  });
});
