import * as assert from "node:assert/strict";
import * as pulumi from "@pulumi/pulumi";
import * as entry from "../../src/provider";

const host = "https://adb-1.2.azuredatabricks.net";
const TOKEN_PREFIX = "pulumi-nodejs:dynamic/azureml-databricks:";
const FIXTURES = `${__dirname}/../fixtures/azureml`;
const ws = { subscriptionId: "00000000-0000-0000-0000-000000000000", resourceGroupName: "rg", workspaceName: "ws1" };
const ADB_ID = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg/providers/Microsoft.Databricks/workspaces/adb";

/** One resource of every exported type, with a secret input where the type has one. */
async function oneOfEach(m: typeof import("../../src")): Promise<pulumi.CustomResource[]> {
  return [
    new m.KeyVaultSecret("kv", { vaultUrl: "https://v.vault.azure.net", name: "n", value: "plain-secret" }),
    new m.DatabricksSecretScope("scope", { host, name: "s" }),
    new m.DatabricksSecret("secret", { host, scope: "s", key: "k", stringValue: "plain-secret" }),
    new m.DatabricksWorkspaceItem("item", { host, path: "/Shared/x", content: "print(1)" }),
    new m.DatabricksDbfsFile("file", { host, path: "dbfs:/x", contentBase64: "eA==" }),
    new m.DatabricksCluster("cluster", { host, sparkVersion: "15.4.x-scala2.12", nodeTypeId: "n", numWorkers: 1 }),
    new m.DatabricksJob("job", { host, name: "j", tasks: [{ taskKey: "a", notebookTask: { notebookPath: "/a" }, existingClusterId: "c" }] }),
    new m.DatabricksRun("run", { host, notebookTask: { notebookPath: "/a" }, existingClusterId: "c", secureInput: { k: "secure-input-value" } }),
    new m.DatabricksBlobMount("mount", { host, mountName: "m", storageAccountName: "acct", containerName: "c", accountKeyScope: "s", accountKeyName: "k" }),
    new m.DatabricksComputeAttachment("attach", { ...ws, computeName: "adb", databricksResourceId: ADB_ID, workspaceUrl: host, accessToken: "plain-secret" }),
    new m.AmlEnvironment("env", { ...ws, file: `${FIXTURES}/seed001/databricks-environment.yml`, version: "1" }),
    new m.AmlComponent("component", { ...ws, file: `${FIXTURES}/seed001/databricks-component.yml`, version: "1" }),
    new m.AmlSchedule("schedule", { ...ws, file: `${FIXTURES}/examples/cron-schedule.yml` }),
    new m.AmlPipelineEndpoint("endpoint", { ...ws, endpointName: "nightly", component: "azureml:nightly:1" }),
    new m.AmlPipelineRun("pipeline-run", { ...ws, jobs: { step: { component: "azureml:nightly:1" } } }),
  ];
}

/**
 * The frozen provider entry: every resource's serialized provider names the one module path
 * `pulumi-azureml-databricks/provider` and its type, and the entry dispatches each engine call
 * to that type's lifecycle. (The path in a real state file is checked by the e2e tier.)
 */
describe("the frozen provider entry", () => {
  const created: pulumi.runtime.MockResourceArgs[] = [];
  before(() => {
    pulumi.runtime.setMocks({ newResource: (args) => (created.push(args), { id: `${args.name}-id`, state: args.inputs }), call: () => ({}) }, "project", "stack", false);
  });

  it("knows every exported resource type, and each serialized provider names only the entry and its type", async () => {
    process.env.AMLDB_LOCAL_TOKEN = "token-that-must-not-be-captured";
    try {
      const resources = await oneOfEach(await import("../../src"));
      await Promise.all(resources.map((r) => new Promise((resolve) => r.urn.apply(resolve))));
    } finally {
      delete process.env.AMLDB_LOCAL_TOKEN;
    }
    const types = created.map((c) => c.type.slice(TOKEN_PREFIX.length)).sort();
    assert.deepEqual(types, [...entry.RESOURCE_TYPES].sort());
    for (const c of created) {
      const provider = String(c.inputs.__provider);
      const paths = [...provider.matchAll(/require\("([^"]+)"\)/g)].map((m) => m[1]);
      assert.deepEqual([...new Set(paths)], ["pulumi-azureml-databricks/provider"], c.type);
      assert.ok(provider.includes(`type: "${c.type.slice(TOKEN_PREFIX.length)}"`), c.type);
      assert.ok(provider.length < 1000, `${c.type}: serialized provider is ${provider.length} bytes`);
      for (const secret of ["plain-secret", "secure-input-value", "token-that-must-not-be-captured"]) assert.ok(!provider.includes(secret), `${c.type} captured ${secret}`);
    }
  });

  it("dispatches check, diff, create and read by their arguments, and update and delete", async () => {
    const lifecycle = entry.lifecycle("DatabricksSecretScope") as unknown as Record<string, unknown>;
    const calls: string[] = [];
    const saved = { ...lifecycle };
    for (const op of ["check", "diff", "create", "read", "update", "remove"]) lifecycle[op] = async (...args: unknown[]) => calls.push(`${op}(${args.length})`);
    try {
      await entry.forward("DatabricksSecretScope", [{ name: "old" }, { name: "new" }]);
      await entry.forward("DatabricksSecretScope", ["id", { name: "old" }, { name: "new" }]);
      await entry.forward("DatabricksSecretScope", [{ name: "new" }]);
      await entry.forward("DatabricksSecretScope", ["id", { name: "old" }]);
      await entry.forwardChange("DatabricksSecretScope", ["id", { name: "old" }, { name: "new" }]);
      await entry.forwardChange("DatabricksSecretScope", ["id", { name: "old" }]);
    } finally {
      Object.assign(lifecycle, saved);
    }
    assert.deepEqual(calls, ["check(2)", "diff(3)", "create(1)", "read(2)", "update(3)", "remove(2)"]);
  });

  it("names the known types when state holds one this release does not know", () => {
    assert.throws(() => entry.lifecycle("AmlSomethingNew"), {
      message: `pulumi-azureml-databricks does not know the resource type "AmlSomethingNew" (this release knows ${entry.RESOURCE_TYPES.join(", ")}). Install the package version that created it.`,
    });
    assert.throws(() => entry.lifecycle("__proto__"), /does not know the resource type "__proto__"/);
  });
});
