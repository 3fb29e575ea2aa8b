import * as assert from "node:assert/strict";
import * as pulumi from "@pulumi/pulumi";

/**
 * The resource under Pulumi's mocks: the engine is not involved, but closure serialization of
 * the provider runs, so this proves what every secret's state will carry as `__provider`.
 */
describe("KeyVaultSecret resource (mocked engine)", () => {
  const created: pulumi.runtime.MockResourceArgs[] = [];

  before(() => {
    pulumi.runtime.setMocks(
      {
        newResource: (args) => {
          created.push(args);
          return { id: `${args.inputs.vaultUrl}/secrets/${args.inputs.name}`, state: { ...args.inputs, version: "v1" } };
        },
        call: () => ({}),
      },
      "project",
      "stack",
      false,
    );
  });

  it("serializes a small provider that requires its logic by package path and captures no credentials", async () => {
    process.env.AMLDB_LOCAL_TOKEN = "token-that-must-not-be-captured";
    const { KeyVaultSecret } = await import("../../src");
    const secret = new KeyVaultSecret("s", { vaultUrl: "https://v.vault.azure.net", name: "n", value: "plaintext-value" });
    const version = await new Promise((resolve) => secret.version.apply(resolve));
    assert.equal(version, "v1");
    const args = created.find((r) => r.name === "s")!;
    assert.equal(args.type, "pulumi-nodejs:dynamic/azureml-databricks:KeyVaultSecret");
    const provider = String(args.inputs.__provider);
    assert.ok(provider.length < 4000, `serialized provider is ${provider.length} bytes`);
    assert.ok(provider.includes('"pulumi-azureml-databricks/lib/keyvault/secretLifecycle"'), "names the lifecycle module by package path");
    for (const method of ["check", "diff", "create", "read", "update", "remove"]) {
      assert.ok(provider.includes(`require(modulePath).${method}(`), method);
    }
    assert.ok(!provider.includes("token-that-must-not-be-captured"));
    assert.ok(!provider.includes("plaintext-value"));
    delete process.env.AMLDB_LOCAL_TOKEN;
  });

  it("marks the value as a secret output", async () => {
    const { KeyVaultSecret } = await import("../../src");
    const secret = new KeyVaultSecret("t", { vaultUrl: "https://v.vault.azure.net", name: "m", value: "plain" });
    assert.equal(await pulumi.isSecret(secret.value), true);
  });
});
