import * as assert from "node:assert/strict";
import { isPendingCreate, pendingCreateKey, RECOVER_PENDING_ENV } from "../../../src/core/pendingCreates";
import { parseExport, pendingCreateKeys } from "../../../src/recovery/stackPending";

const SIG = "4dabf18193072939515e22adb298388d";
const URN = "urn:pulumi:s::p::pulumi-nodejs:dynamic/azureml-databricks:DatabricksSecret::storage-key";

/** An export as `pulumi stack export --show-secrets` prints it, with one pending create of each kind given. */
const exported = (ops: { urn: string; type: string; op: string; inputs: Record<string, unknown> }[]) =>
  JSON.stringify({
    version: 3,
    deployment: {
      resources: [{ urn: "urn:pulumi:s::p::pulumi:pulumi:Stack::p-s", type: "pulumi:pulumi:Stack" }],
      pending_operations: ops.map((o) => ({ resource: { urn: o.urn, type: o.type, inputs: o.inputs }, type: o.op })),
    },
  });

describe("the pending creates of an interrupted up", () => {
  it("reads each pending operation with its secrets revealed, and the URNs the stack records", () => {
    const json = exported([
      { urn: URN, type: "pulumi-nodejs:dynamic/azureml-databricks:DatabricksSecret", op: "creating", inputs: { __provider: "p", scope: "aml", key: "k", stringValue: { [SIG]: "1b47061264138c4ac30d75fd1eb44270", plaintext: '"s3cr3t"' } } },
      { urn: "urn:x::aws:s3/bucket:Bucket::b", type: "aws:s3/bucket:Bucket", op: "creating", inputs: { bucket: "b" } },
      { urn: "urn:y", type: "pulumi-nodejs:dynamic/azureml-databricks:DatabricksRun", op: "updating", inputs: { runName: "r" } },
    ]);
    const { pending, recorded } = parseExport(json);
    assert.deepEqual(
      pending.map((p) => [p.operation, p.type.slice(p.type.lastIndexOf(":") + 1), p.inputs]),
      [
        ["creating", "DatabricksSecret", { __provider: "p", scope: "aml", key: "k", stringValue: "s3cr3t" }],
        ["creating", "Bucket", { bucket: "b" }],
        ["updating", "DatabricksRun", { runName: "r" }],
      ],
    );
    assert.deepEqual([...recorded], ["urn:pulumi:s::p::pulumi:pulumi:Stack::p-s"]);
    // Only this package's creates get a key; the key is the one the provider computes from the inputs it receives.
    assert.deepEqual(pendingCreateKeys(pending), [pendingCreateKey("DatabricksSecret", { scope: "aml", key: "k", stringValue: "s3cr3t" })]);
  });

  it("refuses an export whose secrets are still encrypted", () => {
    const json = exported([{ urn: URN, type: "pulumi-nodejs:dynamic/azureml-databricks:DatabricksSecret", op: "creating", inputs: { stringValue: { [SIG]: "1b47061264138c4ac30d75fd1eb44270", ciphertext: "v1:abc" } } }]);
    assert.throws(() => parseExport(json), { message: "the export holds a secret without its plaintext: export the stack with --show-secrets" });
  });

  it("a key is a hash: no input value in it, the engine's own keys and empty values left out, order irrelevant", () => {
    const key = pendingCreateKey("KeyVaultSecret", { name: "ADBPAT", value: "s3cr3t", tags: {} });
    assert.match(key, /^[0-9a-f]{64}$/);
    assert.equal(pendingCreateKey("KeyVaultSecret", { __provider: "x", value: "s3cr3t", name: "ADBPAT" }), key);
    assert.notEqual(pendingCreateKey("KeyVaultSecret", { name: "ADBPAT", value: "other" }), key);
    assert.notEqual(pendingCreateKey("DatabricksSecret", { name: "ADBPAT", value: "s3cr3t" }), key);
    assert.equal(isPendingCreate("KeyVaultSecret", { name: "ADBPAT", value: "s3cr3t" }, { [RECOVER_PENDING_ENV]: `${"0".repeat(64)},${key}` }), true);
    assert.equal(isPendingCreate("KeyVaultSecret", { name: "ADBPAT", value: "s3cr3t" }, {}), false);
  });
});
