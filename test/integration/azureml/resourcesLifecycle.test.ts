/**
 * The package's Azure ML client and the five resources' provider operations, called as the engine
 * calls them, against the emulator's Resource Manager (local target: the emulator's token
 * endpoint, AMLDB_ARM_ENDPOINT). Operations take no emulator time here, so each long-running
 * operation ends at its first poll.
 */
import * as assert from "node:assert/strict";
import * as path from "node:path";
import { ContainerClient } from "@azure/storage-blob";
import { createAzureMlApi, uploadFolder } from "../../../src/azureml/client";
import { CODE_HASH_VERSION, codeAssetName, codeFiles, hashCode } from "../../../src/azureml/component/codeFolder";
import * as attachment from "../../../src/azureml/computeAttachment/lifecycle";
import * as component from "../../../src/azureml/component/lifecycle";
import { readComponentSource } from "../../../src/azureml/component/source";
import * as environment from "../../../src/azureml/environment/lifecycle";
import type { EnvironmentInputs } from "../../../src/azureml/environment/inputs";
import { environmentFromYaml } from "../../../src/azureml/environment/yaml";
import * as endpoint from "../../../src/azureml/pipelineEndpoint/lifecycle";
import * as schedule from "../../../src/azureml/schedule/lifecycle";
import type { ScheduleInputs } from "../../../src/azureml/schedule/inputs";
import { scheduleFromYaml } from "../../../src/azureml/schedule/yaml";
import { TakeoverRefused } from "../../../src/core/takeover";
import { useEmulator } from "../../support/emulator";

const FIXTURES = path.join(__dirname, "../../fixtures/azureml");
const DATABRICKS_ID = "/subscriptions/00000000-0000-0000-0000-0000000000a1/resourceGroups/rg-local/providers/Microsoft.Databricks/workspaces/adb-local";
const TOKEN = "dapi-integration-token";

describe("Azure ML client and resources against the emulator", function () {
  this.timeout(60_000);
  const t = useEmulator();
  const saved = { ...process.env };
  let ws: { subscriptionId: string; resourceGroupName: string; workspaceName: string; armEndpoint: string };
  let wsId: string;
  let lines: string[];
  const log = console.log;

  before(() => {
    const e = t.emulator;
    process.env.AMLDB_TARGET = "local";
    process.env.AMLDB_LOCAL_TOKEN = e.token;
    process.env.AMLDB_ARM_ENDPOINT = e.url;
    ws = { subscriptionId: e.azureml.subscriptionId, resourceGroupName: e.azureml.resourceGroup, workspaceName: e.azureml.workspace, armEndpoint: e.url };
    wsId = `/subscriptions/${ws.subscriptionId}/resourceGroups/${ws.resourceGroupName}/providers/Microsoft.MachineLearningServices/workspaces/${ws.workspaceName}`;
  });
  beforeEach(() => {
    lines = [];
    console.log = (...args: unknown[]) => void lines.push(args.join(" "));
  });
  afterEach(() => {
    console.log = log;
  });
  after(() => {
    for (const k of ["AMLDB_TARGET", "AMLDB_LOCAL_TOKEN", "AMLDB_ARM_ENDPOINT"]) if (saved[k] === undefined) delete process.env[k];
    Object.assign(process.env, saved);
  });

  const api = () => createAzureMlApi({ workspace: ws });
  /** The code calls the emulator answered, as `METHOD path-below-the-workspace status`. */
  const codeCalls = () => t.emulator.requests().filter((r) => r.path.includes("/codes/")).map((r) => `${r.method} ${r.path.slice(r.path.indexOf("/codes/") + 1)} ${r.status}`);
  const seedEnvironment = () => checked(environment.check({}, { ...ws, ...environmentFromYaml(path.join(FIXTURES, "seed001/databricks-environment.yml"), undefined), version: "1" }));
  const seedComponent = (version = "1") => checked(component.check({}, { ...ws, ...readComponentSource(path.join(FIXTURES, "seed001/databricks-component.yml")), version }));

  it("client: workspace, default datastore and its secrets, computes list", async () => {
    const a = api();
    assert.equal((await a.workspaces.get()).id, wsId);
    const store = await a.datastores.getDefault();
    assert.deepEqual([store?.name, store?.properties?.isDefault, store?.properties?.datastoreType], ["workspaceblobstore", true, "AzureBlob"]);
    assert.equal((await a.datastores.listSecrets("workspaceblobstore")).secretsType, "AccountKey");
    assert.deepEqual((await a.computes.list()).map((c) => c.name), ["cpu-cluster"]);
  });

  it("DatabricksComputeAttachment: attach, read without the token, rotate (update), detach; the token is never in outputs' non-secret fields nor the request log", async () => {
    const inputs = await checked(attachment.check({}, { ...ws, computeName: "adb", databricksResourceId: DATABRICKS_ID, workspaceUrl: "https://adb-123.4.azuredatabricks.net", accessToken: TOKEN, description: "adb" }));
    const { id, outs } = await attachment.create(inputs as never);
    assert.equal(id, `${wsId}/computes/adb`);
    assert.deepEqual({ ...outs, accessToken: "<secret>" }, { ...inputs, accessToken: "<secret>", computeId: id, reference: "azureml:adb", provisioningState: "Succeeded" });
    assert.ok(lines.some((l) => /^Azure ML compute "adb": Succeeded \(\d+\.\ds\)$/.test(l)), lines.join("\n"));
    assert.deepEqual(await api().computes.listKeys("adb"), { computeType: "Databricks", databricksAccessToken: TOKEN });
    const read = await attachment.read(id, outs);
    assert.deepEqual(read.props, outs);
    await attachment.update(id, outs, { ...outs, accessToken: "dapi-rotated" });
    assert.deepEqual(await api().computes.listKeys("adb"), { computeType: "Databricks", databricksAccessToken: "dapi-rotated" });
    await assert.rejects(attachment.create(inputs as never), (err: Error) => err instanceof TakeoverRefused && err.message.startsWith(`Compute "adb" in Azure ML workspace "${ws.workspaceName}"`));
    await attachment.remove(id, outs);
    assert.deepEqual(await attachment.read(id, outs), { id: "", props: {} });
    await attachment.remove(id, outs);
    const logged = JSON.stringify(t.emulator.requests());
    assert.ok(logged.includes("/computes/adb"));
    assert.ok(!logged.includes(TOKEN) && !logged.includes("dapi-rotated"));
    assert.ok(!lines.join("\n").includes(TOKEN));
  });

  it("AmlEnvironment: register from the seed's file, read, refuse a taken version, delete", async () => {
    const inputs = await seedEnvironment();
    const { id, outs } = await environment.create(inputs as never);
    assert.equal(id, `${wsId}/environments/databricks/versions/1`);
    assert.equal(outs.reference, "azureml:databricks:1");
    const stored = await api().environments.getVersion("databricks", "1");
    assert.equal(stored.properties?.condaFile, inputs.conda);
    assert.deepEqual((await environment.read(id, outs)).props, outs);
    // A moved file with the same content registers the same version again, quietly: it is the resource's own.
    const moved = await environment.update(id, outs, { ...(inputs as unknown as EnvironmentInputs), file: "/elsewhere/databricks-environment.yml" });
    assert.equal(moved.outs.environmentId, id);
    assert.deepEqual(lines, []);
    await assert.rejects(environment.create(inputs as never), TakeoverRefused);
    await environment.remove(id, outs);
    assert.deepEqual(await environment.read(id, outs), { id: "", props: {} });
  });

  it("AmlComponent: the seed's YAML registers unchanged: code uploaded once under its hash, environment resolved, componentSpec as the CLI sends it", async () => {
    const env = await environment.create((await seedEnvironment()) as never);
    const inputs = await seedComponent();
    const { id, outs } = await component.create(inputs as never);
    assert.equal(id, `${wsId}/components/execute_databricks_notebook/versions/1`);
    assert.equal(outs.reference, "azureml:execute_databricks_notebook:1");
    const stored = await api().components.getVersion("execute_databricks_notebook", "1");
    const spec = stored.properties?.componentSpec as Record<string, unknown>;
    assert.equal(spec.environment, `azureml:${env.id}`);
    assert.equal(spec.code, `azureml:${outs.codeId}`);
    assert.equal(spec._source, "YAML.COMPONENT");
    const code = await api().codes.getVersion(outs.codeId!.split("/codes/")[1].split("/")[0], "1");
    assert.equal(code.properties?.properties?.hash_sha256, outs.codeHash);
    const uri = new URL(String(code.properties?.codeUri));
    const [account, container, ...prefix] = uri.pathname.slice(1).split("/");
    const key = (await api().datastores.listSecrets("workspaceblobstore")).key;
    assert.ok(key && account && container);
    const blobs: string[] = [];
    const sasless = new ContainerClient(`${uri.origin}/${account}/${container}`, new (await import("@azure/storage-blob")).StorageSharedKeyCredential(account, key));
    for await (const b of sasless.listBlobsFlat({ prefix: prefix.join("/") })) blobs.push(b.name.slice(prefix.join("/").length + 1));
    assert.deepEqual(blobs.sort(), [".amlignore", "databricks_control.py"]);
    const name = codeAssetName(outs.codeHash!);
    assert.equal(outs.codeId, `${wsId}/codes/${name}/versions/1`);
    assert.deepEqual(codeCalls(), [`GET codes/${name}/versions 200`, `POST codes/${name}/versions/1/startPendingUpload 200`, `PUT codes/${name}/versions/1 201`, `GET codes/${name}/versions/1 200`]);
    assert.equal(outs.codeCreated, true);
    // A second component version of the same code finds it by its hash and uploads nothing.
    lines = [];
    const again = await component.create((await seedComponent("2")) as never);
    assert.equal(again.outs.codeId, outs.codeId);
    assert.equal(again.outs.codeCreated, undefined);
    assert.deepEqual(lines, [`Azure ML component execute_databricks_notebook:2: code ${outs.codeHash!.slice(0, 12)} already uploaded; reusing it.`]);
    assert.deepEqual(codeCalls().slice(4), [`GET codes/${name}/versions 200`]);
    // The code this resource uploaded stays while another component version uses it.
    lines = [];
    await component.remove(id, outs);
    assert.deepEqual(lines, [`Azure ML component execute_databricks_notebook:1: code ${name}:1 kept: component execute_databricks_notebook:2 still uses it.`]);
    assert.deepEqual(await component.read(id, outs), { id: "", props: {} });
    // The one that reused it never deletes it.
    lines = [];
    await component.remove(again.id, again.outs);
    assert.deepEqual(lines, []);
    assert.equal((await api().codes.getVersion(name, "1")).id, outs.codeId);
    assert.deepEqual(codeCalls().slice(5), [`GET codes/${name}/versions/1 200`]);
  });

  it("AmlComponent: two versions of one code folder created at once (one up) both register, on one code version", async () => {
    await environment.create((await seedEnvironment()) as never);
    const [a, b] = await Promise.all([seedComponent("1"), seedComponent("2")]);
    lines = [];
    // Both look the code up before either records it; the second to record it meets a 409 and reuses the first's.
    const [one, two] = await Promise.all([component.create(a as never), component.create(b as never)]);
    assert.equal(one.outs.codeId, two.outs.codeId);
    assert.deepEqual([one.outs.codeCreated, two.outs.codeCreated].map(Boolean).sort(), [false, true]);
    const second = one.outs.codeCreated ? "2" : "1";
    assert.ok(lines.includes(`Azure ML component execute_databricks_notebook:${second}: code ${one.outs.codeHash!.slice(0, 12)} was recorded by another upload meanwhile; reusing it.`), lines.join("\n"));
    await component.remove(two.id, two.outs);
    await component.remove(one.id, one.outs);
  });

  it("AmlComponent: destroy deletes the code version it uploaded, and its container once empty; state from before codeCreated never deletes", async () => {
    await environment.create((await seedEnvironment()) as never);
    const { id, outs } = await component.create((await seedComponent()) as never);
    const name = codeAssetName(outs.codeHash!);
    assert.equal(outs.codeCreated, true);
    // Older state has no codeCreated: the code stays.
    await component.remove(id, { ...outs, codeCreated: undefined });
    assert.equal((await api().codes.getVersion(name, "1")).id, outs.codeId);
    const before = codeCalls().length;
    lines = [];
    await component.remove(id, outs);
    assert.deepEqual(lines, []);
    assert.deepEqual(codeCalls().slice(before), [`DELETE codes/${name}/versions/1 200`, `GET codes/${name}/versions 200`, `DELETE codes/${name} 200`]);
    await assert.rejects(api().codes.getVersion(name, "1"), { status: 404 });
    assert.deepEqual((await api().codes.listContainers()).map((c) => c.name), []);
  });

  it("AmlComponent: code the CLI uploaded (any name, the same 202208 hash) is found by the lookup across the workspace and reused", async () => {
    await environment.create((await seedEnvironment()) as never);
    const inputs = await seedComponent();
    const cliName = "3f2b8e0c-5d1a-4c7e-9a61-0d4e2f7b9c15";
    const pending = await api().codes.startPendingUpload(cliName, "1");
    const files = codeFiles(String(inputs.codeRoot));
    const codeUri = await uploadFolder(pending.blobReferenceForConsumption!.credential!.sasUri!, "src", files);
    await api().codes.createOrUpdateVersion(cliName, "1", { properties: { codeUri, isAnonymous: true, properties: { hash_sha256: hashCode(files), hash_version: "202208" } } });
    assert.deepEqual(await api().codes.findByHash(codeAssetName(String(inputs.codeHash)), String(inputs.codeHash), CODE_HASH_VERSION).then((found) => found.map((c) => c.id)), [`${wsId}/codes/${cliName}/versions/1`]);
    assert.deepEqual(await api().codes.findByHash(cliName, String(inputs.codeHash), "1"), []);
    const before = codeCalls().length;
    const { outs } = await component.create(inputs as never);
    assert.equal(outs.codeId, `${wsId}/codes/${cliName}/versions/1`);
    assert.deepEqual(codeCalls().slice(before), [`GET codes/${codeAssetName(String(inputs.codeHash))}/versions 200`]);
    const spec = (await api().components.getVersion("execute_databricks_notebook", "1")).properties?.componentSpec as Record<string, unknown>;
    assert.equal(spec.code, `azureml:${wsId}/codes/${cliName}/versions/1`);
    assert.equal(outs.codeCreated, undefined);
    await component.remove(outs.componentId, outs);
    assert.equal((await api().codes.getVersion(cliName, "1")).id, outs.codeId);
  });

  it("AmlComponent: azureml:<name>@latest resolves to the newest registered version", async () => {
    const env = await seedEnvironment();
    await environment.create(env as never);
    await environment.create({ ...(env as unknown as EnvironmentInputs), version: "2", image: "mcr.microsoft.com/azureml/openmpi4.1.0-ubuntu22.04:latest" });
    const inputs = await seedComponent();
    assert.equal(await component.resolveEnvironment(api(), "azureml:databricks@latest", inputs as never), `azureml:${wsId}/environments/databricks/versions/2`);
    assert.equal(await component.resolveEnvironment(api(), "azureml://registries/azureml/environments/sklearn-1.5/labels/latest", inputs as never), "azureml://registries/azureml/environments/sklearn-1.5/labels/latest");
  });

  it("AmlComponent: an environment that is not registered is named, before any upload", async () => {
    await assert.rejects(component.create((await seedComponent()) as never), {
      message: `resolve environment azureml:databricks:1 of component execute_databricks_notebook:1 in Azure ML workspace "${ws.workspaceName}" (resource group "${ws.resourceGroupName}") failed: environment databricks:1 is not registered; register it first (an AmlEnvironment, and pass its reference as environment to order the two).`,
    });
    assert.deepEqual(t.emulator.requests().filter((r) => r.path.includes("/codes/")), []);
  });

  it("AmlSchedule: create from the cron YAML, disable (update), read, delete", async () => {
    const inputs = await checked(schedule.check({}, { ...ws, ...scheduleFromYaml(path.join(FIXTURES, "examples/cron-schedule.yml")) }));
    const { id, outs } = await schedule.create(inputs as never);
    assert.equal(id, `${wsId}/schedules/nightly`);
    assert.equal((await api().schedules.get("nightly")).properties?.isEnabled, true);
    const disabled = await schedule.update(id, outs, { ...outs, enabled: false });
    assert.equal(disabled.outs.enabled, false);
    assert.equal((await api().schedules.get("nightly")).properties?.isEnabled, false);
    assert.deepEqual((await api().schedules.list("DisabledOnly")).map((s) => s.name), ["nightly"]);
    assert.equal((await schedule.read(id, disabled.outs)).props.enabled, false);
    await schedule.remove(id, disabled.outs);
    assert.deepEqual(await schedule.read(id, outs), { id: "", props: {} });
  });

  it("AmlSchedule: a schedule made outside is refused, then adopted with adopt: true", async () => {
    const inputs = await checked(schedule.check({}, { ...ws, ...scheduleFromYaml(path.join(FIXTURES, "examples/cron-schedule.yml")) }));
    await api().schedules.createOrUpdate("nightly", schedule.toBody({ ...(inputs as unknown as ScheduleInputs), enabled: false }));
    await assert.rejects(schedule.create(inputs as never), {
      name: "TakeoverRefused",
      message: `Schedule "nightly" in Azure ML workspace "${ws.workspaceName}" (resource group "${ws.resourceGroupName}") already exists. pulumi up does not take over an existing object unless told to: set adopt: true on this resource to manage it from now on (up overwrites it, and destroy then deletes it), or choose another name.`,
    });
    lines = [];
    const { outs } = await schedule.create({ ...(inputs as unknown as ScheduleInputs), adopt: true });
    assert.deepEqual(lines.filter((l) => l.includes("adopting")), [`Schedule "nightly" in Azure ML workspace "${ws.workspaceName}" (resource group "${ws.resourceGroupName}") already exists; adopting it (adopt: true).`]);
    assert.equal((await api().schedules.get("nightly")).properties?.isEnabled, true);
    await schedule.remove(outs.scheduleId, outs);
  });

  it("AmlPipelineEndpoint: registers the pipeline file as a component, creates endpoint and deployment, outputs the invocation URI, deletes all", async () => {
    const pipeline = (await import("../../../src/azureml/shared/yamlFile")).readYamlFile(path.join(FIXTURES, "examples/pipeline.yml"), "Pipeline file");
    const inputs = await checked(endpoint.check({}, { ...ws, endpointName: "nightly-ep", pipelineFile: pipeline.file, pipelineYaml: pipeline.doc, settings: { default_compute: "azureml:cpu-cluster" } }));
    const { id, outs } = await endpoint.create(inputs as never);
    assert.equal(id, `${wsId}/batchEndpoints/nightly-ep`);
    assert.equal(outs.deploymentId, `${wsId}/batchEndpoints/nightly-ep/deployments/default`);
    assert.equal(outs.invocationUri, (await api().batchEndpoints.get("nightly-ep")).properties?.scoringUri);
    assert.match(outs.invocationUri, /^https:\/\//);
    assert.equal((await api().batchEndpoints.get("nightly-ep")).properties?.defaults?.deploymentName, "default");
    const deployment = await api().batchEndpoints.getDeployment("nightly-ep", "default");
    assert.deepEqual(deployment.properties?.deploymentConfiguration?.componentId, { referenceType: "Id", assetId: outs.componentId });
    const moved = await endpoint.update(id, outs, { ...outs, deploymentName: "v2" });
    assert.equal(moved.outs.deploymentId, `${wsId}/batchEndpoints/nightly-ep/deployments/v2`);
    await assert.rejects(api().batchEndpoints.getDeployment("nightly-ep", "default"), { status: 404 });
    assert.equal((await api().components.getVersion(outs.pipelineComponent!.name, outs.pipelineComponent!.version)).name, outs.pipelineComponent!.version);
    // An edited pipeline file: a new pipeline component version deployed, the one registered before removed.
    const edited = await checked(endpoint.check({}, { ...ws, endpointName: "nightly-ep", deploymentName: "v2", pipelineFile: pipeline.file, pipelineYaml: { ...pipeline.doc, display_name: "edited" }, settings: { default_compute: "azureml:cpu-cluster" } }));
    const c = outs.pipelineComponent!;
    const next = (edited.pipelineComponent as typeof c | undefined)!;
    assert.deepEqual([next.name, next.version === c.version], [c.name, false]);
    const redeployed = await endpoint.update(id, moved.outs, edited as never);
    assert.deepEqual((await api().batchEndpoints.getDeployment("nightly-ep", "v2")).properties?.deploymentConfiguration?.componentId, { referenceType: "Id", assetId: redeployed.outs.componentId });
    await assert.rejects(api().components.getVersion(c.name, c.version), { status: 404 });
    await endpoint.remove(id, redeployed.outs);
    assert.deepEqual(await endpoint.read(id, outs), { id: "", props: {} });
    await assert.rejects(api().components.getVersion(next.name, next.version), { status: 404 });
  });
});

/** The checked inputs; fails the test on any check failure. */
async function checked(result: Promise<{ inputs: Record<string, unknown>; failures: unknown[] }>): Promise<Record<string, unknown>> {
  const { inputs, failures } = await result;
  assert.deepEqual(failures, []);
  return inputs;
}
