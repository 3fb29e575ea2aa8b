/**
 * examples/azure under the mocked engine: no cloud, no plugins. Every resource the program
 * declares, the inputs each gets from the others, the dependencies the engine is told about, and
 * the token and storage key secret wherever they go.
 */
import * as assert from "node:assert/strict";
import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";

const EXAMPLE = path.join(__dirname, "../../../examples/azure");
const PROJECT = "azure-databricks-flow";
const SUB = "00000000-0000-0000-0000-0000000000a1";
const TENANT = "00000000-0000-0000-0000-0000000000b2";
const DEPLOYER = "00000000-0000-0000-0000-0000000000c3";
const CLUSTER_PRINCIPAL = "00000000-0000-0000-0000-0000000000d4";
const RG_ID = `/subscriptions/${SUB}/resourceGroups/mlflow42-rg`;
const VAULT_ID = `${RG_ID}/providers/Microsoft.KeyVault/vaults/mlflow42-kv`;
const DBW_ID = `${RG_ID}/providers/Microsoft.Databricks/workspaces/mlflow42-dbw`;
const DBW_HOST = "adb-1234567890123456.7.azuredatabricks.net";
const CONTAINER = "azureml-blobstore-5b1c7e2a-0000-4000-8000-000000000001";
const TOKEN = "dapi-mocked-0123456789abcdef";
const STORAGE_KEY = "bW9ja2VkLXN0b3JhZ2Uta2V5LTE=";
const OTHER_KEY = "bW9ja2VkLXN0b3JhZ2Uta2V5LTI=";
/** The marker the engine protocol wraps a secret value in. */
const SECRET_SIG = "4dabf18193072939515e22adb298388d";
const secret = (value: unknown) => ({ [SECRET_SIG]: "1b47061264138c4ac30d75fd1eb44270", value });
const CONFIG = { prefix: "mlflow42", location: "westeurope", computeVmSize: "Standard_DS3_v2", computeMaxNodes: 2, databricksSku: "premium", numWorkers: 1, rows: 7, tokenLifetimeDays: 30, deployerPrincipalType: "ServicePrincipal" };

/** The state the mocked engine returns for a resource: its inputs plus the outputs the program reads. */
function mockState(args: pulumi.runtime.MockResourceArgs): { id: string; state: Record<string, unknown> } {
  const i = args.inputs as Record<string, unknown>;
  const arm = (provider: string, name: unknown) => `${RG_ID}/providers/${provider}/${name}`;
  switch (args.type) {
    case "azure-native:resources:ResourceGroup":
      return { id: RG_ID, state: { ...i, name: i.resourceGroupName } };
    case "azure-native:operationalinsights:Workspace":
      return { id: arm("Microsoft.OperationalInsights/workspaces", i.workspaceName), state: { ...i, name: i.workspaceName } };
    case "azure-native:applicationinsights:Component":
      return { id: arm("Microsoft.Insights/components", i.resourceName), state: { ...i, name: i.resourceName } };
    case "azure-native:storage:StorageAccount":
      return { id: arm("Microsoft.Storage/storageAccounts", i.accountName), state: { ...i, name: i.accountName } };
    case "azure-native:keyvault:Vault":
      return { id: VAULT_ID, state: { ...i, name: i.vaultName, properties: { ...(i.properties as object), vaultUri: "https://mlflow42-kv.vault.azure.net/" } } };
    case "azure-native:authorization:RoleAssignment":
      return { id: `${VAULT_ID}/providers/Microsoft.Authorization/roleAssignments/${args.name}`, state: i };
    case "azure-native:machinelearningservices:Workspace":
      return { id: arm("Microsoft.MachineLearningServices/workspaces", i.workspaceName), state: { ...i, name: i.workspaceName } };
    case "azure-native:machinelearningservices:Compute":
      return { id: arm("Microsoft.MachineLearningServices/workspaces/mlflow42-aml/computes", i.computeName), state: { ...i, name: i.computeName, identity: { type: "SystemAssigned", principalId: CLUSTER_PRINCIPAL } } };
    case "azure-native:databricks:Workspace":
      return { id: DBW_ID, state: { ...i, name: i.workspaceName, workspaceUrl: DBW_HOST } };
    case "pulumi:providers:databricks":
      return { id: "databricks-provider-id", state: i };
    case "databricks:index/token:Token":
      return { id: "token-id", state: { ...i, tokenValue: TOKEN } };
  }
  switch (args.type.split(":").pop()) {
    case "AmlComponent":
      return { id: `${args.name}-id`, state: { ...i, reference: `azureml:${path.basename(String(i.file), ".yml")}:${i.version ?? "v-hash"}` } };
    case "AmlEnvironment":
      return { id: `${args.name}-id`, state: { ...i, reference: `azureml:summarize:${i.version}` } };
    case "DatabricksBlobMount":
      return { id: `${args.name}-id`, state: { ...i, mountPoint: `/mnt/${i.mountName}` } };
    case "AmlPipelineRun":
      return {
        id: `${args.name}-id`,
        state: {
          ...i,
          jobName: "pipeline_1",
          status: "Completed",
          studioUrl: "https://ml.azure.com/runs/pipeline_1",
          steps: {
            databricks: { jobName: "a", status: "Completed", outputs: { output_path: { uri: "azureml://datastores/workspaceblobstore/paths/azureml/a/output_path/" } } },
            summarize: { jobName: "b", status: "Completed", outputs: { result: { uri: "azureml://datastores/workspaceblobstore/paths/azureml/b/result/" } } },
          },
        },
      };
  }
  return { id: `${args.name}-id`, state: i };
}

/** What the mocked invokes return, by token. */
function mockCall(args: pulumi.runtime.MockCallArgs): Record<string, unknown> {
  switch (args.token) {
    case "azure-native:authorization:getClientConfig":
      return { clientId: "client", objectId: DEPLOYER, subscriptionId: SUB, tenantId: TENANT };
    case "azure-native:machinelearningservices:getDatastore":
      return { id: "ds", name: args.inputs.name, properties: { datastoreType: "AzureBlob", accountName: "mlflow42mlstore", containerName: CONTAINER } };
    case "azure-native:storage:listStorageAccountKeys":
      return { keys: [{ keyName: "key1", value: STORAGE_KEY, permissions: "FULL" }, { keyName: "key2", value: OTHER_KEY, permissions: "FULL" }] };
    case "databricks:index/getSparkVersion:getSparkVersion":
      return { id: "16.4.x-scala2.12" };
    case "databricks:index/getNodeType:getNodeType":
      return { id: "Standard_D4ds_v5" };
  }
  throw new Error(`unexpected invoke ${args.token}`);
}

/** One mocked deployment of the program: what was registered, invoked and depended on. */
interface Recorded {
  resources: pulumi.runtime.MockResourceArgs[];
  calls: pulumi.runtime.MockCallArgs[];
  /** Each resource's dependencies (by name), as the registration request gives them to the engine. */
  deps: Map<string, string[]>;
  /** Each resource's `additionalSecretOutputs`, by name, as the engine receives them. */
  secretOutputs: Map<string, string[]>;
}

async function deploy(config: typeof CONFIG & { sparkVersion?: string; nodeTypeId?: string }) {
  const rec: Recorded = { resources: [], calls: [], deps: new Map(), secretOutputs: new Map() };
  await pulumi.runtime.setMocks(
    {
      newResource: (args) => (rec.resources.push(args), mockState(args)),
      call: (args) => (rec.calls.push(args), mockCall(args)),
    },
    PROJECT,
    "dev",
    false,
  );
  const monitor = pulumi.runtime.getMonitor() as unknown as { registerResource(req: RegisterRequest, cb: unknown): unknown };
  const register = monitor.registerResource.bind(monitor);
  monitor.registerResource = (req, cb) => {
    rec.deps.set(req.getName(), req.getDependenciesList().map((urn) => urn.split("::").pop()!).sort());
    rec.secretOutputs.set(req.getName(), req.getAdditionalsecretoutputsList());
    return register(req, cb);
  };
  const { azureFlow } = await import("../../../examples/azure/program");
  const flow = azureFlow(config);
  await value(pulumi.all([flow.pipeline.run.urn, flow.outputs.status, flow.outputs.summaryOutput]));
  return { flow, rec };
}

interface RegisterRequest {
  getName(): string;
  getDependenciesList(): string[];
  getAdditionalsecretoutputsList(): string[];
}

const value = <T>(o: pulumi.Output<T>) => new Promise<T>((resolve) => o.apply(resolve));

/** A resource's inputs without the dynamic provider's serialized code. */
function inputsOf(rec: Recorded, name: string): Record<string, unknown> {
  const found = rec.resources.filter((r) => r.name === name);
  assert.equal(found.length, 1, `one resource named ${name}`);
  return Object.fromEntries(Object.entries(found[0].inputs).filter(([k]) => k !== "__provider"));
}

/** Every path in `v` where a string contains `needle`, and whether a secret wrapper encloses it. */
function occurrences(v: unknown, needle: string, at = "", inSecret = false): { at: string; inSecret: boolean }[] {
  if (typeof v === "string") return v.includes(needle) ? [{ at, inSecret }] : [];
  if (Array.isArray(v)) return v.flatMap((x, i) => occurrences(x, needle, `${at}[${i}]`, inSecret));
  if (v && typeof v === "object") {
    const secretHere = inSecret || SECRET_SIG in v;
    return Object.entries(v).flatMap(([k, x]) => occurrences(x, needle, `${at}.${k}`, secretHere));
  }
  return [];
}

describe("examples/azure (mocked engine)", function () {
  // Loading @pulumi/azure-native's modules and the package takes a while on a busy machine.
  this.timeout(120_000);
  let flow: Awaited<ReturnType<typeof deploy>>["flow"];
  let rec: Recorded;

  before(async () => {
    ({ flow, rec } = await deploy(CONFIG));
  });

  it("declares exactly the Azure resources, the Databricks provider and token, and the pipeline's children", () => {
    const declared = rec.resources.map((r) => `${r.type.replace("pulumi-nodejs:dynamic/azureml-databricks:", "ours:")} ${r.name}`).sort();
    assert.deepEqual(declared, [
      "azure-native:applicationinsights:Component appinsights",
      "azure-native:authorization:RoleAssignment cluster-secrets-user",
      "azure-native:authorization:RoleAssignment deployer-secrets-officer",
      "azure-native:databricks:Workspace databricks-workspace",
      "azure-native:keyvault:Vault vault",
      "azure-native:machinelearningservices:Compute cpu-cluster",
      "azure-native:machinelearningservices:Workspace aml",
      "azure-native:operationalinsights:Workspace logs",
      "azure-native:resources:ResourceGroup rg",
      "azure-native:storage:StorageAccount storage",
      "azureml-databricks:index:DatabricksPipeline flow",
      "databricks:index/token:Token aml-token",
      "ours:AmlComponent flow-databricks-component",
      "ours:AmlComponent flow-summarize",
      "ours:AmlEnvironment flow-summarize-env",
      "ours:AmlPipelineRun flow-run",
      "ours:DatabricksBlobMount flow-mount",
      "ours:DatabricksComputeAttachment flow-compute",
      "ours:DatabricksSecret flow-storage-key",
      "ours:DatabricksSecretScope flow-scope",
      "ours:DatabricksWorkspaceItem flow-notebook",
      "ours:KeyVaultSecret flow-token",
      "pulumi:providers:databricks databricks",
    ]);
  });

  it("provisions the Azure side with azure-native: names from the prefix, the AML workspace on the storage account, vault and Application Insights", () => {
    const rg = { resourceGroupName: "mlflow42-rg", location: "westeurope" };
    assert.deepEqual(inputsOf(rec, "rg"), rg);
    assert.deepEqual(inputsOf(rec, "logs"), { ...rg, workspaceName: "mlflow42-logs", sku: { name: "PerGB2018" }, retentionInDays: 30 });
    assert.deepEqual(inputsOf(rec, "appinsights"), {
      ...rg,
      resourceName: "mlflow42-appi",
      kind: "web",
      applicationType: "web",
      ingestionMode: "LogAnalytics",
      workspaceResourceId: `${RG_ID}/providers/Microsoft.OperationalInsights/workspaces/mlflow42-logs`,
      // The SDK's own defaults.
      flowType: "Bluefield",
      publicNetworkAccessForIngestion: "Enabled",
      publicNetworkAccessForQuery: "Enabled",
      requestSource: "rest",
    });
    assert.deepEqual(inputsOf(rec, "storage"), { ...rg, accountName: "mlflow42mlstore", kind: "StorageV2", sku: { name: "Standard_LRS" }, minimumTlsVersion: "TLS1_2", allowBlobPublicAccess: false, allowSharedKeyAccess: true, enableHttpsTrafficOnly: true });
    assert.deepEqual(inputsOf(rec, "vault"), {
      ...rg,
      vaultName: "mlflow42-kv",
      properties: {
        tenantId: TENANT,
        sku: { family: "A", name: "standard" },
        enableRbacAuthorization: true,
        softDeleteRetentionInDays: 7,
        // The SDK's own defaults.
        enableSoftDelete: true,
        enabledForDeployment: false,
        enabledForDiskEncryption: false,
        enabledForTemplateDeployment: false,
        publicNetworkAccess: "enabled",
      },
    });
    assert.deepEqual(inputsOf(rec, "aml"), {
      ...rg,
      workspaceName: "mlflow42-aml",
      friendlyName: "mlflow42 Databricks flow",
      identity: { type: "SystemAssigned" },
      sku: { name: "Basic", tier: "Basic" },
      storageAccount: `${RG_ID}/providers/Microsoft.Storage/storageAccounts/mlflow42mlstore`,
      keyVault: VAULT_ID,
      applicationInsights: `${RG_ID}/providers/Microsoft.Insights/components/mlflow42-appi`,
    });
    assert.deepEqual(inputsOf(rec, "cpu-cluster"), {
      ...rg,
      workspaceName: "mlflow42-aml",
      computeName: "cpu-cluster",
      identity: { type: "SystemAssigned" },
      properties: { computeType: "AmlCompute", properties: { vmSize: "Standard_DS3_v2", vmPriority: "Dedicated", scaleSettings: { minNodeCount: 0, maxNodeCount: 2, nodeIdleTimeBeforeScaleDown: "PT10M" } } },
    });
    assert.deepEqual(inputsOf(rec, "databricks-workspace"), { ...rg, workspaceName: "mlflow42-dbw", sku: { name: "premium" }, computeMode: "Hybrid", managedResourceGroupId: `/subscriptions/${SUB}/resourceGroups/mlflow42-dbw-managed` });
  });

  it("grants the deployer Key Vault Secrets Officer and the compute cluster's identity Key Vault Secrets User on the vault", () => {
    const role = (id: string) => `/subscriptions/${SUB}/providers/Microsoft.Authorization/roleDefinitions/${id}`;
    assert.deepEqual(inputsOf(rec, "deployer-secrets-officer"), { scope: VAULT_ID, principalId: DEPLOYER, principalType: "ServicePrincipal", roleDefinitionId: role("b86a8fe4-44ce-4948-aee5-eccb2c155cd7") });
    assert.deepEqual(inputsOf(rec, "cluster-secrets-user"), { scope: VAULT_ID, principalId: CLUSTER_PRINCIPAL, principalType: "ServicePrincipal", roleDefinitionId: role("4633458b-17de-408a-b874-0445c86b69e6") });
  });

  it("points the Databricks provider at the new workspace, creates the token with it, and asks it for the runtime and node type", () => {
    assert.deepEqual(inputsOf(rec, "databricks"), { host: `https://${DBW_HOST}`, azureWorkspaceResourceId: DBW_ID });
    const token = rec.resources.find((r) => r.name === "aml-token")!;
    assert.deepEqual(token.inputs, { comment: "Azure ML workspace mlflow42-aml: Databricks steps", lifetimeSeconds: 30 * 86_400 });
    assert.match(String(token.provider), /::pulumi:providers:databricks::databricks::databricks-provider-id$/);
    const invoked = rec.calls.map((c) => ({ token: c.token, inputs: c.inputs, provider: c.provider?.replace(/^.*::/, "") })).sort((a, b) => a.token.localeCompare(b.token));
    assert.deepEqual(invoked, [
      { token: "azure-native:authorization:getClientConfig", inputs: {}, provider: "" },
      { token: "azure-native:machinelearningservices:getDatastore", inputs: { resourceGroupName: "mlflow42-rg", workspaceName: "mlflow42-aml", name: "workspaceblobstore" }, provider: "" },
      { token: "azure-native:storage:listStorageAccountKeys", inputs: { resourceGroupName: "mlflow42-rg", accountName: "mlflow42mlstore" }, provider: "" },
      { token: "databricks:index/getNodeType:getNodeType", inputs: { localDisk: true, minCores: 4 }, provider: "databricks-provider-id" },
      { token: "databricks:index/getSparkVersion:getSparkVersion", inputs: { longTermSupport: true }, provider: "databricks-provider-id" },
    ]);
  });

  it("gives the pipeline the AML workspace, the vault, the Databricks workspace, the token, the blob store and the compute cluster", () => {
    const ws = { subscriptionId: SUB, resourceGroupName: "mlflow42-rg", workspaceName: "mlflow42-aml" };
    const host = `https://${DBW_HOST}`;
    assert.deepEqual(inputsOf(rec, "flow-token"), { vaultUrl: "https://mlflow42-kv.vault.azure.net", name: "databricks-token", value: secret(TOKEN), contentType: "text/plain", purgeOnDelete: true });
    assert.deepEqual(inputsOf(rec, "flow-compute"), { ...ws, computeName: "databricks", databricksResourceId: DBW_ID, workspaceUrl: host, accessToken: secret(TOKEN) });
    assert.deepEqual(inputsOf(rec, "flow-scope"), { host, name: "flow" });
    assert.deepEqual(inputsOf(rec, "flow-storage-key"), { host, scope: "flow", key: "storage-key", stringValue: secret(STORAGE_KEY) });
    const mount = inputsOf(rec, "flow-mount");
    assert.deepEqual(mount, { ...mount, host, mountName: "azuremlblobstore", storageAccountName: "mlflow42mlstore", containerName: CONTAINER, accountKeyScope: "flow", accountKeyName: "storage-key" });
    const notebook = inputsOf(rec, "flow-notebook");
    assert.deepEqual([notebook.host, notebook.path, notebook.source], [host, "/Shared/flow/to_parquet", path.join(EXAMPLE, "notebooks", "to_parquet.py")]);
    for (const name of ["flow-databricks-component", "flow-summarize", "flow-summarize-env"]) {
      const i = inputsOf(rec, name);
      assert.deepEqual([i.subscriptionId, i.resourceGroupName, i.workspaceName], [ws.subscriptionId, ws.resourceGroupName, ws.workspaceName], name);
    }
    assert.equal(inputsOf(rec, "flow-summarize").file, path.join(EXAMPLE, "summarize", "component.yml"));
    const run = inputsOf(rec, "flow-run");
    assert.deepEqual([run.subscriptionId, run.resourceGroupName, run.workspaceName], [ws.subscriptionId, ws.resourceGroupName, ws.workspaceName]);
    assert.deepEqual(run.settings, { defaultCompute: "azureml:cpu-cluster" });
    const notebookFile = path.join(EXAMPLE, "notebooks", "to_parquet.py");
    assert.equal(run.triggers, undefined);
    assert.deepEqual(run.codeFiles, { [path.relative(process.cwd(), notebookFile)]: createHash("sha256").update(fs.readFileSync(notebookFile)).digest("hex") });
    assert.deepEqual(run.jobs, {
      databricks: {
        component: "azureml:execute-databricks-notebook:v-hash",
        inputs: {
          databricks_host: host,
          notebook_path: "/Shared/flow/to_parquet",
          kv_url: "https://mlflow42-kv.vault.azure.net",
          kv_secret_name: "databricks-token",
          num_workers: 1,
          node_type_id: "Standard_D4ds_v5",
          spark_version: "16.4.x-scala2.12",
          mount_point: "/mnt/azuremlblobstore",
          parameters: '{"rows":"7"}',
        },
      },
      summarize: { component: "azureml:component:v-hash", inputs: { data: "${{parent.jobs.databricks.outputs.output_path}}" } },
    });
  });

  it("tells the engine each dependency: the token secret after both role assignments, the Databricks objects after the token, the run after the cluster", () => {
    assert.deepEqual(rec.deps.get("aml"), ["appinsights", "rg", "storage", "vault"]);
    assert.deepEqual(rec.deps.get("cpu-cluster"), ["aml", "rg"]);
    assert.deepEqual(rec.deps.get("cluster-secrets-user"), ["cpu-cluster", "vault"]);
    assert.deepEqual(rec.deps.get("deployer-secrets-officer"), ["vault"]);
    assert.deepEqual(rec.deps.get("databricks-workspace"), ["rg"]);
    assert.deepEqual(rec.deps.get("databricks"), ["databricks-workspace"]);
    assert.deepEqual(rec.deps.get("aml-token"), []);
    assert.deepEqual(rec.deps.get("flow-token"), ["aml-token", "cluster-secrets-user", "deployer-secrets-officer", "vault"]);
    assert.deepEqual(rec.deps.get("flow-scope"), ["aml-token", "databricks-workspace"]);
    assert.deepEqual(rec.deps.get("flow-compute"), ["aml", "aml-token", "databricks-workspace", "flow-token", "rg"]);
    assert.deepEqual(rec.deps.get("flow-storage-key"), ["aml-token", "databricks-workspace", "flow-scope", "rg", "storage"]);
    assert.deepEqual(rec.deps.get("flow-mount"), ["aml", "aml-token", "databricks-workspace", "flow-storage-key", "rg"]);
    assert.deepEqual(rec.deps.get("flow-run"), ["aml", "aml-token", "cpu-cluster", "databricks-workspace", "flow-compute", "flow-databricks-component", "flow-mount", "flow-notebook", "flow-summarize", "flow-token", "rg"]);
  });

  it("keeps the Databricks token and the storage key secret: every input holding them is a secret, and the outputs that carry them are", async () => {
    const all = rec.resources.map((r) => ({ name: r.name, inputs: r.inputs }));
    for (const [plain, expected] of [
      [TOKEN, [".flow-token.inputs.value.value", ".flow-compute.inputs.accessToken.value"]],
      [STORAGE_KEY, [".flow-storage-key.inputs.stringValue.value"]],
    ] as const) {
      const found = all.flatMap((r) => occurrences(r.inputs, plain, `.${r.name}.inputs`));
      assert.deepEqual(found.map((f) => f.at).sort(), [...expected].sort(), `where ${plain} is`);
      assert.deepEqual(found.filter((f) => !f.inSecret), [], `${plain} in plaintext`);
    }
    assert.deepEqual(all.flatMap((r) => occurrences(r.inputs, OTHER_KEY)), [], "the second account key goes nowhere");
    // The engine stores the token resource's own output encrypted (the mocks do not apply this option).
    assert.deepEqual(rec.secretOutputs.get("aml-token"), ["tokenValue"]);
    assert.deepEqual(
      await Promise.all([flow.pipeline.tokenSecret.value, flow.pipeline.computeAttachment.accessToken, flow.pipeline.storageKey.stringValue as pulumi.Output<string>].map((o) => pulumi.isSecret(o))),
      [true, true, true],
    );
    const exported = Object.entries(flow.outputs);
    assert.equal(exported.length, 14);
    for (const [key, out] of exported) {
      const v = JSON.stringify(await value(out as pulumi.Output<unknown>)) ?? "";
      assert.ok(!v.includes(TOKEN) && !v.includes(STORAGE_KEY), `output ${key}`);
    }
  });

  it("exports the workspaces, the runtime chosen, the statuses and where each step wrote", async () => {
    const resolved = await Promise.all(Object.entries(flow.outputs).map(async ([k, o]) => [k, await value(o as pulumi.Output<unknown>)] as const));
    assert.deepEqual(Object.fromEntries(resolved), {
      resourceGroup: "mlflow42-rg",
      amlWorkspace: "mlflow42-aml",
      keyVaultUrl: "https://mlflow42-kv.vault.azure.net",
      databricksUrl: `https://${DBW_HOST}`,
      sparkVersion: "16.4.x-scala2.12",
      nodeTypeId: "Standard_D4ds_v5",
      status: "Completed",
      databricksStatus: "Completed",
      stepStatuses: { summarize: "Completed" },
      jobName: "pipeline_1",
      studioUrl: "https://ml.azure.com/runs/pipeline_1",
      parquetOutput: { uri: "azureml://datastores/workspaceblobstore/paths/azureml/a/output_path/" },
      summaryOutput: { uri: "azureml://datastores/workspaceblobstore/paths/azureml/b/result/" },
      notebookPath: "/Shared/flow/to_parquet",
    });
  });
});

describe("examples/azure with a pinned runtime and node type (mocked engine)", function () {
  this.timeout(120_000);

  it("asks Databricks for neither and runs the notebook on the pinned ones", async () => {
    const { rec } = await deploy({ ...CONFIG, sparkVersion: "15.4.x-scala2.12", nodeTypeId: "Standard_DS3_v2" });
    assert.deepEqual(rec.calls.map((c) => c.token).filter((t) => t.startsWith("databricks:")), []);
    const inputs = (inputsOf(rec, "flow-run").jobs as Record<string, { inputs: Record<string, unknown> }>).databricks.inputs;
    assert.deepEqual([inputs.spark_version, inputs.node_type_id], ["15.4.x-scala2.12", "Standard_DS3_v2"]);
  });
});

describe("examples/azure configuration", () => {
  const read = async (values: Record<string, string>) => {
    pulumi.runtime.setAllConfig(Object.fromEntries(Object.entries(values).map(([k, v]) => [`${PROJECT}:${k}`, v])));
    const { readAzureFlowConfig } = await import("../../../examples/azure/config");
    return readAzureFlowConfig(new pulumi.Config(PROJECT));
  };
  let saved: Record<string, string>;
  before(() => (saved = pulumi.runtime.allConfig()));
  after(() => pulumi.runtime.setAllConfig(saved));

  it("fills in every default from the prefix alone", async () => {
    assert.deepEqual(await read({ prefix: "mlflow42" }), {
      prefix: "mlflow42",
      location: "westeurope",
      computeVmSize: "Standard_DS3_v2",
      computeMaxNodes: 1,
      databricksSku: "premium",
      numWorkers: 1,
      sparkVersion: undefined,
      nodeTypeId: undefined,
      rows: 10,
      tokenLifetimeDays: 90,
      deployerPrincipalType: "User",
    });
  });

  it("refuses a missing or invalid prefix and out-of-range values, naming the key and the command that fixes it", async () => {
    await assert.rejects(read({}), { message: 'Config "prefix" is required (the start of every Azure name): set it with `pulumi config set prefix mlflow42`.' });
    await assert.rejects(read({ prefix: "ML-flow" }), {
      message: 'Config "prefix" "ML-flow" is not valid: 3-11 lowercase letters and digits, starting with a letter (storage account names allow nothing else); set it with `pulumi config set prefix mlflow42`.',
    });
    await assert.rejects(read({ prefix: "mlflow42", rows: "0" }), { message: 'Config "rows" "0" is not valid: a whole number from 1 to 1000000; set it with `pulumi config set rows 10`.' });
    await assert.rejects(read({ prefix: "mlflow42", databricksSku: "gold" }), { message: 'Config "databricksSku" "gold" is not valid: one of premium, standard, trial; set it with `pulumi config set databricksSku premium`.' });
  });
});
