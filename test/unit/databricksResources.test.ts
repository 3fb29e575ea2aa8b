import * as assert from "node:assert/strict";
import * as pulumi from "@pulumi/pulumi";

/**
 * Every Databricks resource under Pulumi's mocks: its provider serializes small and requires its
 * lifecycle by package path, and secret inputs come back as secret outputs.
 */
describe("Databricks resources (mocked engine)", () => {
  const created: pulumi.runtime.MockResourceArgs[] = [];
  before(() => {
    pulumi.runtime.setMocks(
      { newResource: (args) => (created.push(args), { id: `${args.name}-id`, state: args.inputs }), call: () => ({}) },
      "project",
      "stack",
      false,
    );
  });

  it("serializes each provider small, naming its lifecycle module", async () => {
    const m = await import("../../src");
    const host = "https://adb-1.2.azuredatabricks.net";
    const resources: [pulumi.Resource, string][] = [
      [new m.DatabricksSecretScope("scope", { host, name: "s" }), "databricksSecretScope"],
      [new m.DatabricksSecret("secret", { host, scope: "s", key: "k", stringValue: "plain-secret" }), "databricksSecret"],
      [new m.DatabricksWorkspaceItem("item", { host, path: "/Shared/x", content: "print(1)" }), "databricksWorkspaceItem"],
      [new m.DatabricksDbfsFile("file", { host, path: "dbfs:/x", contentBase64: "eA==" }), "databricksDbfsFile"],
      [new m.DatabricksCluster("cluster", { host, sparkVersion: "15.4.x-scala2.12", nodeTypeId: "n", numWorkers: 1 }), "databricksCluster"],
      [new m.DatabricksJob("job", { host, name: "j", tasks: [{ taskKey: "a", notebookTask: { notebookPath: "/a" }, existingClusterId: "c" }] }), "databricksJob"],
      [new m.DatabricksRun("run", { host, notebookTask: { notebookPath: "/a" }, existingClusterId: "c", secureInput: { k: "secure-input-value" } }), "databricksRun"],
      [new m.DatabricksBlobMount("mount", { host, mountName: "m", storageAccountName: "acct", containerName: "c", accountKeyScope: "s", accountKeyName: "k" }), "blobMount"],
    ];
    await Promise.all(resources.map(([r]) => new Promise((resolve) => r.urn.apply(resolve))));
    for (const [, module] of resources) {
      const args = created.find((c) => String(c.inputs.__provider).includes(`"pulumi-azureml-databricks/lib/lifecycle/${module}"`));
      assert.ok(args, `a resource whose provider requires lib/lifecycle/${module}`);
      const provider = String(args.inputs.__provider);
      assert.ok(provider.length < 4000, `${module}: serialized provider is ${provider.length} bytes`);
      assert.ok(!provider.includes("plain-secret") && !provider.includes("secure-input-value"));
    }
    assert.deepEqual(created.map((c) => c.type).sort(), [
      "pulumi-nodejs:dynamic/azureml-databricks:DatabricksBlobMount",
      "pulumi-nodejs:dynamic/azureml-databricks:DatabricksCluster",
      "pulumi-nodejs:dynamic/azureml-databricks:DatabricksDbfsFile",
      "pulumi-nodejs:dynamic/azureml-databricks:DatabricksJob",
      "pulumi-nodejs:dynamic/azureml-databricks:DatabricksRun",
      "pulumi-nodejs:dynamic/azureml-databricks:DatabricksSecret",
      "pulumi-nodejs:dynamic/azureml-databricks:DatabricksSecretScope",
      "pulumi-nodejs:dynamic/azureml-databricks:DatabricksWorkspaceItem",
    ]);
  });

  it("keeps secret values and secure inputs secret", async () => {
    const m = await import("../../src");
    const secret = new m.DatabricksSecret("s2", { host: "https://h", scope: "s", key: "k", stringValue: "v" }) as unknown as { stringValue: pulumi.Output<string> };
    assert.equal(await pulumi.isSecret(secret.stringValue), true);
    const fromSpec = new m.DatabricksSecret("s3", { host: "https://h", spec: { scope: "s", key: "k", string_value: "spec-value" } }) as unknown as { stringValue: pulumi.Output<string>; key: pulumi.Output<string> };
    assert.equal(await pulumi.isSecret(fromSpec.stringValue), true);
    assert.equal(await new Promise((resolve) => fromSpec.key.apply(resolve)), "k");
    const run = new m.DatabricksRun("r2", { host: "https://h", notebookTask: { notebookPath: "/a" }, existingClusterId: "c", secureInput: { k: "v" }, secureOutput: true }) as unknown as { secureInput: pulumi.Output<unknown> };
    assert.equal(await pulumi.isSecret(run.secureInput), true);
  });
});
