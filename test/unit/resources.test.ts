import * as assert from "node:assert/strict";
import * as pulumi from "@pulumi/pulumi";

/** Every resource under Pulumi's mocks: secret inputs come back as secret outputs. */
describe("resources (mocked engine)", () => {
  const created: pulumi.runtime.MockResourceArgs[] = [];
  before(() => {
    pulumi.runtime.setMocks(
      { newResource: (args) => (created.push(args), { id: `${args.name}-id`, state: args.inputs }), call: () => ({}) },
      "project",
      "stack",
      false,
    );
  });

  it("keeps secret values and secure inputs secret", async () => {
    const m = await import("../../src");
    const kv = new m.KeyVaultSecret("t", { vaultUrl: "https://v.vault.azure.net", name: "m", value: "plain" });
    assert.equal(await pulumi.isSecret(kv.value), true);
    const secret = new m.DatabricksSecret("s2", { host: "https://h", scope: "s", key: "k", stringValue: "v" }) as unknown as { stringValue: pulumi.Output<string> };
    assert.equal(await pulumi.isSecret(secret.stringValue), true);
    const fromSpec = new m.DatabricksSecret("s3", { host: "https://h", spec: { scope: "s", key: "k", string_value: "spec-value" } }) as unknown as { stringValue: pulumi.Output<string>; key: pulumi.Output<string> };
    assert.equal(await pulumi.isSecret(fromSpec.stringValue), true);
    assert.equal(await new Promise((resolve) => fromSpec.key.apply(resolve)), "k");
    const run = new m.DatabricksRun("r2", { host: "https://h", notebookTask: { notebookPath: "/a" }, existingClusterId: "c", secureInput: { k: "v" }, secureOutput: true }) as unknown as { secureInput: pulumi.Output<unknown> };
    assert.equal(await pulumi.isSecret(run.secureInput), true);
    const attachment = new m.DatabricksComputeAttachment("a2", {
      subscriptionId: "00000000-0000-0000-0000-000000000000",
      resourceGroupName: "rg",
      workspaceName: "ws1",
      computeName: "adb",
      databricksResourceId: "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg/providers/Microsoft.Databricks/workspaces/adb",
      workspaceUrl: "https://adb-1.2.azuredatabricks.net",
      accessToken: "plain-token",
    });
    assert.equal(await pulumi.isSecret(attachment.accessToken), true);
    assert.ok(created.find((c) => c.name === "a2")?.inputs.accessToken !== undefined);
  });
});
