import * as assert from "node:assert/strict";
import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";

const FIXTURES = path.join(__dirname, "../../../examples/aml-databricks-component");
const NOTEBOOK = path.join(FIXTURES, "notebooks", "to_parquet.py");
const WS = { subscriptionId: "00000000-0000-0000-0000-0000000000a1", resourceGroupName: "rg", workspaceName: "aml-ws", armEndpoint: "https://management.azure.com" };
const DATABRICKS_URL = "https://adb-1234567890123456.7.azuredatabricks.net";
const DATABRICKS_ID = "/subscriptions/00000000-0000-0000-0000-0000000000a1/resourceGroups/rg/providers/Microsoft.Databricks/workspaces/adb";
const TOKEN = "dapi-unit-test-token";
const STORAGE_KEY = "c3RvcmFnZS1rZXk=";
/** A secret input as the mocked engine receives it. */
const secret = (value: string) => ({ "4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270", value });
const COMPONENT = "azureml-databricks:index:DatabricksPipeline";
const DYNAMIC = "pulumi-nodejs:dynamic/azureml-databricks";

/** What the mocked engine returns as a child's state: its inputs, plus the outputs the pipeline reads. */
function mockState(args: pulumi.runtime.MockResourceArgs): Record<string, unknown> {
  const i = args.inputs as Record<string, unknown>;
  switch (args.type.split(":").pop()) {
    case "AmlComponent":
      return { ...i, name: i.file === undefined ? "?" : path.basename(String(i.file), ".yml"), version: i.version ?? "v-hash", reference: `azureml:${path.basename(String(i.file), ".yml")}:${i.version ?? "v-hash"}` };
    case "AmlEnvironment":
      return { ...i, reference: `azureml:${i.name}:${i.version}` };
    case "DatabricksBlobMount":
      return { ...i, mountPoint: `/mnt/${i.mountName}` };
    case "AmlPipelineRun":
      return {
        ...i,
        jobName: "pipeline_00000000000000000001",
        status: "Completed",
        studioUrl: "https://ml.azure.com/runs/pipeline_00000000000000000001",
        steps: {
          databricks: { jobName: "a", status: "Completed", outputs: { output_path: { uri: "azureml://datastores/workspaceblobstore/paths/azureml/a/output_path/", url: "https://acct.blob.core.windows.net/c/azureml/a/output_path/" } } },
          train: { jobName: "b", status: "Completed", outputs: { result: { uri: "azureml://datastores/workspaceblobstore/paths/azureml/b/result/" } } },
        },
      };
    default:
      return i;
  }
}

describe("DatabricksPipeline (mocked engine)", () => {
  const created: pulumi.runtime.MockResourceArgs[] = [];
  let pipeline: import("../../../src").DatabricksPipeline;

  before(async () => {
    pulumi.runtime.setMocks({ newResource: (args) => (created.push(args), { id: `${args.name}-id`, state: mockState(args) }), call: () => ({}) }, "project", "stack", false);
    const m = await import("../../../src");
    pipeline = new m.DatabricksPipeline("flow", {
      workspace: WS,
      keyVaultUrl: "https://kv.vault.azure.net",
      databricksUrl: DATABRICKS_URL,
      databricksResourceId: DATABRICKS_ID,
      databricksToken: TOKEN,
      notebook: NOTEBOOK,
      cluster: { numWorkers: 2, nodeTypeId: "Standard_DS3_v2", sparkVersion: "15.4.x-scala2.12" },
      notebookParameters: { rows: "5" },
      storage: { accountName: "acct", containerName: "azureml-blobstore-1", accountKey: STORAGE_KEY },
      steps: {
        train: { file: path.join(FIXTURES, "train", "train-component.yml"), environment: { file: path.join(FIXTURES, "train", "environment.yml") }, inputs: { data: m.DATABRICKS_OUTPUT } },
      },
    });
    await new Promise<void>((resolve) => pulumi.all([pipeline.urn, pipeline.run.urn, pipeline.status]).apply(() => resolve()));
  });

  const byName = (name: string) => {
    const found = created.filter((r) => r.name === name);
    assert.equal(found.length, 1, name);
    return Object.fromEntries(Object.entries(found[0].inputs).filter(([k]) => k !== "__provider")) as Record<string, unknown>;
  };

  it("declares every child of seed 001's flow, each parented to the pipeline", async () => {
    const children = created.filter((r) => r.type !== COMPONENT).map((r) => `${r.type.split(":").pop()}::${r.name}`).sort();
    assert.deepEqual(children, [
      "AmlComponent::flow-databricks-component",
      "AmlComponent::flow-train",
      "AmlEnvironment::flow-train-env",
      "AmlPipelineRun::flow-run",
      "DatabricksBlobMount::flow-mount",
      "DatabricksComputeAttachment::flow-compute",
      "DatabricksSecret::flow-storage-key",
      "DatabricksSecretScope::flow-scope",
      "DatabricksWorkspaceItem::flow-notebook",
      "KeyVaultSecret::flow-token",
    ]);
    const urns = await Promise.all(
      [pipeline.tokenSecret, pipeline.computeAttachment, pipeline.secretScope, pipeline.storageKey, pipeline.mount, pipeline.notebook, pipeline.databricksComponent, pipeline.stepComponents.train, pipeline.stepEnvironments.train, pipeline.run].map(
        (r) => new Promise<string>((resolve) => r.urn.apply(resolve)),
      ),
    );
    assert.equal(urns.length, 10);
    for (const urn of urns) assert.match(urn, new RegExp(`::${COMPONENT.replace(/\$/g, "\\$")}\\$${DYNAMIC}:\\w+::flow-`), urn);
  });

  it("wires each child to the right inputs: the token into Key Vault and the attachment, the storage key into the scope, the mount, the notebook and both steps", () => {
    assert.deepEqual(byName("flow-token"), { vaultUrl: "https://kv.vault.azure.net", name: "databricks-token", value: secret(TOKEN), contentType: "text/plain", purgeOnDelete: true });
    assert.deepEqual(byName("flow-compute"), { ...WS, computeName: "databricks", databricksResourceId: DATABRICKS_ID, workspaceUrl: DATABRICKS_URL, accessToken: secret(TOKEN) });
    assert.deepEqual(byName("flow-scope"), { host: DATABRICKS_URL, name: "flow" });
    assert.deepEqual(byName("flow-storage-key"), { host: DATABRICKS_URL, scope: "flow", key: "storage-key", stringValue: secret(STORAGE_KEY) });
    const mount = byName("flow-mount");
    assert.deepEqual(mount, { ...mount, host: DATABRICKS_URL, mountName: "azuremlblobstore", storageAccountName: "acct", containerName: "azureml-blobstore-1", accountKeyScope: "flow", accountKeyName: "storage-key" });
    const notebook = byName("flow-notebook");
    assert.deepEqual([notebook.host, notebook.path], [DATABRICKS_URL, "/Shared/flow/to_parquet"]);
    assert.equal(byName("flow-train-env").version, "1");
    assert.deepEqual([byName("flow-train").environment, byName("flow-train").versionFromContent], ["azureml:train:1", true]);
    const run = byName("flow-run");
    // The notebook's content runs the pipeline again, under the name a reviewer knows.
    assert.equal(run.triggers, undefined);
    assert.deepEqual(run.codeFiles, { [path.relative(process.cwd(), NOTEBOOK)]: createHash("sha256").update(fs.readFileSync(NOTEBOOK)).digest("hex") });
    assert.deepEqual(run.settings, { defaultCompute: "azureml:cpu-cluster" });
    assert.deepEqual(run.jobs, {
      databricks: {
        component: "azureml:execute-databricks-notebook:v-hash",
        inputs: {
          databricks_host: DATABRICKS_URL,
          notebook_path: "/Shared/flow/to_parquet",
          kv_url: "https://kv.vault.azure.net",
          kv_secret_name: "databricks-token",
          num_workers: 2,
          node_type_id: "Standard_DS3_v2",
          spark_version: "15.4.x-scala2.12",
          mount_point: "/mnt/azuremlblobstore",
          parameters: '{"rows":"5"}',
        },
      },
      train: { component: "azureml:train-component:v-hash", inputs: { data: "${{parent.jobs.databricks.outputs.output_path}}" } },
    });
  });

  it("keeps the token and the storage key secret in every child that holds them", async () => {
    const isSecret = (o: pulumi.Output<unknown>) => pulumi.isSecret(o);
    assert.deepEqual(
      await Promise.all([isSecret(pipeline.tokenSecret.value), isSecret(pipeline.computeAttachment.accessToken), isSecret(pipeline.storageKey.stringValue as pulumi.Output<unknown>)]),
      [true, true, true],
    );
  });

  it("has typed outputs: statuses, the studio URL and where each step wrote", async () => {
    const value = <T>(o: pulumi.Output<T>) => new Promise<T>((resolve) => o.apply(resolve));
    assert.deepEqual(
      await Promise.all([value(pipeline.status), value(pipeline.databricksStatus), value(pipeline.stepStatuses), value(pipeline.studioUrl), value(pipeline.databricksOutput), value(pipeline.mountPoint)]),
      [
        "Completed",
        "Completed",
        { train: "Completed" },
        "https://ml.azure.com/runs/pipeline_00000000000000000001",
        { uri: "azureml://datastores/workspaceblobstore/paths/azureml/a/output_path/", url: "https://acct.blob.core.windows.net/c/azureml/a/output_path/" },
        "/mnt/azuremlblobstore",
      ],
    );
    assert.deepEqual(Object.keys(await value(pipeline.outputs)), ["databricks", "train"]);
  });

  it("refuses a downstream step named like the notebook's, and one with both a component and a file", async () => {
    const m = await import("../../../src");
    const base = { workspace: WS, keyVaultUrl: "https://kv.vault.azure.net", databricksUrl: DATABRICKS_URL, databricksResourceId: DATABRICKS_ID, databricksToken: TOKEN, notebook: NOTEBOOK, cluster: { numWorkers: 1, nodeTypeId: "n", sparkVersion: "s" }, storage: { accountName: "a", containerName: "c", accountKey: "k" } };
    assert.throws(() => new m.DatabricksPipeline("bad1", { ...base, steps: { databricks: { component: "azureml:x:1" } } }), { message: 'DatabricksPipeline "bad1": steps.databricks: "databricks" is the notebook\'s own step; give this step another name.' });
    assert.throws(() => new m.DatabricksPipeline("bad2", { ...base, steps: { t: { component: "azureml:x:1", file: "x.yml" } } }), { message: 'DatabricksPipeline "bad2": steps.t needs exactly one of component (a registered component, azureml:<name>:<version>) and file (a component YAML file).' });
  });
});
