import * as assert from "node:assert/strict";
import * as scope from "../../../src/databricks/secretScope/lifecycle";
import * as secret from "../../../src/databricks/secret/lifecycle";
import * as item from "../../../src/databricks/workspaceItem/lifecycle";
import * as mount from "../../../src/databricks/blobMount/lifecycle";

/** check and diff of the Databricks resources: no network, exact failures and effects. */
describe("Databricks resources: check and diff", () => {
  const saved = { ...process.env };
  const host = "https://adb-1.2.azuredatabricks.net";
  const lines: string[] = [];
  const realLog = console.log;
  before(() => {
    Object.assign(process.env, { AMLDB_TARGET: "azure", DATABRICKS_HOST: host, DATABRICKS_TOKEN: "dapi-test" });
    console.log = (l: string) => lines.push(l);
  });
  after(() => {
    console.log = realLog;
    process.env = saved;
  });
  beforeEach(() => (lines.length = 0));

  it("fills the host from the environment and checks scope names", async () => {
    assert.deepEqual(await scope.check({}, { name: "pipeline" }), { inputs: { name: "pipeline", host }, failures: [] });
    assert.deepEqual((await scope.check({}, { name: "bad name!" })).failures, [
      { property: "name", reason: 'name "bad name!" is not a valid scope name: use 1-128 letters, digits and _ . @ / -.' },
    ]);
  });

  it("replaces a scope on any change, saying so", async () => {
    assert.deepEqual(await scope.diff("s", { host, name: "a" }, { host, name: "b" }), { changes: true, replaces: ["name"], deleteBeforeReplace: true });
    assert.deepEqual(lines, ['Secret scope "b": name changed; will replace the scope (its secrets go with it).']);
  });

  it("requires exactly one secret value and overwrites it in place on change", async () => {
    assert.deepEqual((await secret.check({}, { scope: "s", key: "k" })).failures, [{ property: "stringValue", reason: "give exactly one of stringValue and bytesValue (base64)." }]);
    assert.deepEqual((await secret.check({}, { scope: "s", key: "bad key", stringValue: "x".repeat(128 * 1024 + 1) })).failures, [
      { property: "key", reason: 'key "bad key" is not valid: use 1-128 letters, digits and _ . -.' },
      { property: "stringValue", reason: "stringValue is larger than the 128 KB Databricks accepts per secret." },
    ]);
    const olds = { host, scope: "s", key: "k", stringValue: "one" };
    assert.deepEqual(await secret.diff("s/k", olds, { ...olds, stringValue: "two" }), { changes: true, replaces: [], deleteBeforeReplace: true });
    assert.deepEqual(lines, ['Databricks secret "s/k": stringValue changed; will overwrite the value.']);
    assert.ok(!lines.join("").includes("two"));
  });

  it("re-imports a workspace item when its content changes and replaces it when its path does", async () => {
    const olds = { host, path: "/Shared/a", contentBase64: "YQ==", contentHash: "h1", format: "SOURCE" as const, language: "PYTHON" as const };
    assert.deepEqual(await item.diff("/Shared/a", olds, { ...olds, contentHash: "h2" }), { changes: true, replaces: [], deleteBeforeReplace: true });
    assert.deepEqual(await item.diff("/Shared/a", olds, { ...olds, path: "/Shared/b" }), { changes: true, replaces: ["path"], deleteBeforeReplace: true });
    assert.deepEqual(lines, ["Workspace item /Shared/a: content changed; will import it again.", "Workspace item /Shared/b: path changed; will replace it."]);
    assert.deepEqual((await item.check({}, { path: "Shared/a/" })).failures, [
      { property: "path", reason: 'path "Shared/a/" must be absolute (start with /) and name the item, not a folder.' },
    ]);
  });

  it("remounts when the source changes and only records a new cluster", async () => {
    const olds = { host, mountName: "m", storageAccountName: "acct", containerName: "c1", accountKeyScope: "s", accountKeyName: "k", mountPoint: "/mnt/m", source: "wasbs://c1@acct.blob.core.windows.net" };
    assert.deepEqual(await mount.diff("/mnt/m", olds, { ...olds, containerName: "c2" }), { changes: true, replaces: ["containerName"], deleteBeforeReplace: true });
    assert.deepEqual(await mount.diff("/mnt/m", olds, { ...olds, clusterId: "0101-x" }), { changes: true, replaces: [], deleteBeforeReplace: true });
  });
});
