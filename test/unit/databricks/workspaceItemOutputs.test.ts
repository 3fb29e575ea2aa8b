import * as assert from "node:assert/strict";
import * as pulumi from "@pulumi/pulumi";
import { sha256 } from "../../../src/core/localFile";

/** What an Output is made of: its value, whether the engine knows it, and the resources it depends on. */
async function inspect<T>(o: pulumi.Output<T>): Promise<{ value: T | undefined; known: boolean; resources: pulumi.Resource[] }> {
  const internal = o as unknown as { isKnown: Promise<boolean>; allResources(): Promise<Set<pulumi.Resource>> };
  const value = await new Promise<T | undefined>((resolve) => {
    internal.isKnown.then((known) => (known ? o.apply((v) => resolve(v)) : resolve(undefined)));
  });
  return { value, known: await internal.isKnown, resources: [...(await internal.allResources())] };
}

/**
 * The outputs a workspace item derives from its arguments, under Pulumi's mocks in preview: known
 * (so a run's preview shows its notebook path and code hash) and outputs of the item (so the run
 * that takes them is created after the import).
 */
describe("DatabricksWorkspaceItem outputs derived from its arguments (mocked engine, preview)", () => {
  before(() => {
    pulumi.runtime.setMocks({ newResource: () => ({ id: undefined, state: {} }), call: () => ({}) }, "project", "stack", true);
  });

  it("workspacePath and localContentHash are known at preview and depend on the item", async () => {
    const { DatabricksWorkspaceItem } = await import("../../../src");
    const item = new DatabricksWorkspaceItem("nb", { host: "https://adb-1.2.azuredatabricks.net", path: "/Shared/etl/prepare", content: "print(1)\n" });
    assert.deepEqual(await inspect(item.workspacePath), { value: "/Shared/etl/prepare", known: true, resources: [item] });
    assert.deepEqual(await inspect(item.localContentHash), { value: sha256("print(1)\n"), known: true, resources: [item] });
  });

  it("takes the path of a spec, and the hash of its content, the same way", async () => {
    const { DatabricksWorkspaceItem } = await import("../../../src");
    const content = Buffer.from("print(2)\n").toString("base64");
    const item = new DatabricksWorkspaceItem("nb-spec", { host: "https://adb-1.2.azuredatabricks.net", spec: { path: "/Shared/etl/spec", content, format: "SOURCE", language: "PYTHON" } });
    assert.deepEqual(await inspect(item.workspacePath), { value: "/Shared/etl/spec", known: true, resources: [item] });
    assert.deepEqual(await inspect(item.localContentHash), { value: sha256("print(2)\n"), known: true, resources: [item] });
  });
});
