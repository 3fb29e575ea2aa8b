import * as assert from "node:assert/strict";
import { failureList, UNKNOWN } from "../../../../src/core/check";
import { absorbSpec, mergeSpec, SpecShape } from "../../../../src/databricks/shared/spec";

/** The one rule by which `spec` and named inputs combine, in both of its directions. */
describe("spec and named inputs", () => {
  it("replaces a spec field whole with the named one, and keeps the others as sent", () => {
    const spec = { a: { x: 1, y: 2 }, b: "kept", c: [1, 2] };
    assert.deepEqual(mergeSpec(spec, { a: { x: 9 }, c: undefined }), { a: { x: 9 }, b: "kept", c: [1, 2] });
    assert.deepEqual(spec.a, { x: 1, y: 2 }, "the spec itself is not modified");
  });

  it("removes the spec's alternatives to a named field", () => {
    const spec = { instance_pool_id: "pool", autoscale: { min_workers: 1 }, spark_version: "13" };
    assert.deepEqual(mergeSpec(spec, { node_type_id: "vm" }, [["node_type_id", "instance_pool_id"], ["num_workers", "autoscale"]]), {
      autoscale: { min_workers: 1 },
      spark_version: "13",
      node_type_id: "vm",
    });
  });

  const shape: SpecShape = {
    request: "x/create",
    example: "{ name: \"n\" }",
    fields: { name: "name", text: "content", b64: "contentBase64", flag: {}, nested: { named: "nested", fromWire: (v) => ({ value: (v as { v: unknown }).v }) } },
    alternatives: [["content", "contentBase64"]],
  };

  it("absorbs a spec into named inputs: named ones win, over their alternatives too", () => {
    const { failures, fail } = failureList();
    const inputs: Record<string, unknown> = { content: "named", spec: { name: "from-spec", b64: "c3BlYw==", flag: true, nested: { v: 1 } } };
    absorbSpec(inputs, shape, fail);
    assert.deepEqual([inputs, failures], [{ content: "named", name: "from-spec", nested: { value: 1 } }, []]);
  });

  it("names fields the request does not have and a spec that is not an object", () => {
    const { failures, fail } = failureList();
    absorbSpec({ spec: { name: "n", extra: 1 } }, shape, fail);
    absorbSpec({ spec: "n" }, shape, fail);
    assert.deepEqual(failures, [
      { property: "spec.extra", reason: "spec.extra is not a field of x/create: use name, text, b64, flag and nested." },
      { property: "spec", reason: 'spec must be the x/create request as an object, e.g. { name: "n" }.' },
    ]);
  });

  it("leaves a spec that is unknown at preview in place", () => {
    const inputs: Record<string, unknown> = { spec: UNKNOWN };
    absorbSpec(inputs, shape, failureList().fail);
    assert.deepEqual(inputs, { spec: UNKNOWN });
  });
});
