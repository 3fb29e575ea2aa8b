/**
 * The official clients against the emulator's Azure ML surface, unchanged: `@azure/arm-machinelearning`
 * 2.1.1 (api-version 2022-10-01) with an `@azure/identity` ClientSecretCredential of the emulator's
 * tenant, and `@azure/storage-blob` uploading through `startPendingUpload`'s SAS. They are only
 * pointed at the emulator: the client's `endpoint`, the credential's `authorityHost` (with
 * `disableInstanceDiscovery`, as for any authority that is not Microsoft's: instance discovery asks
 * login.microsoftonline.com), and the CA trusted as `NODE_EXTRA_CA_CERTS` trusts it
 * (`test/support/trust.ts`).
 */
import * as assert from "node:assert/strict";
import { AzureMachineLearningWorkspaces, type JobBase } from "@azure/arm-machinelearning";
import { createPipelineRequest } from "@azure/core-rest-pipeline";
import { ClientSecretCredential } from "@azure/identity";
import { BlockBlobClient, ContainerClient } from "@azure/storage-blob";
import { LOCAL_EMULATOR_CLIENT_ID } from "../../../src/emulator";
import { useEmulator } from "../../support/emulator";

/** The error an operation rejected with, or a failure when it did not reject. */
async function rejection(promise: Promise<unknown>): Promise<{ statusCode?: number; code?: string; message: string }> {
  try {
    await promise;
  } catch (err) {
    return err as { statusCode?: number; code?: string; message: string };
  }
  return assert.fail("the operation succeeded");
}

describe("Azure ML emulator: the official JS clients, unchanged", function () {
  this.timeout(60_000);
  // The control plane alone: submitted jobs stay NotStarted (test/emulator/azureml/execution.test.ts runs them).
  const t = useEmulator({ azureml: { runJobs: false } });
  const DATABRICKS_ID = "/subscriptions/00000000-0000-0000-0000-0000000000a1/resourceGroups/rg-local/providers/Microsoft.Databricks/workspaces/adb-local";
  let client: AzureMachineLearningWorkspaces;
  let rg: string;
  let ws: string;
  let wsId: string;

  before(() => {
    const e = t.emulator;
    const credential = new ClientSecretCredential(e.tenantId, LOCAL_EMULATOR_CLIENT_ID, e.token, { authorityHost: e.url, disableInstanceDiscovery: true });
    client = new AzureMachineLearningWorkspaces(credential, e.azureml.subscriptionId, { endpoint: e.url });
    ({ resourceGroup: rg, workspace: ws } = e.azureml);
    wsId = `/subscriptions/${e.azureml.subscriptionId}/resourceGroups/${rg}/providers/Microsoft.MachineLearningServices/workspaces/${ws}`;
  });

  it("workspaces.get and listByResourceGroup read the seeded workspace", async () => {
    const workspace = await client.workspaces.get(rg, ws);
    assert.deepEqual([workspace.id, workspace.name, workspace.location, workspace.provisioningState], [wsId, ws, "westeurope", "Succeeded"]);
    const listed = [];
    for await (const w of client.workspaces.listByResourceGroup(rg)) listed.push(w.name);
    assert.deepEqual(listed, [ws]);
  });

  it("computeOperations: attach Databricks (LRO), get without the token, listKeys, list, rotate the token, detach (LRO)", async () => {
    const attach = (token: string) =>
      client.computeOperations.beginCreateOrUpdateAndWait(rg, ws, "adb-compute", {
        location: "westeurope",
        properties: { computeType: "Databricks", description: "adb", resourceId: DATABRICKS_ID, properties: { databricksAccessToken: token, workspaceUrl: "https://adb-123.4.azuredatabricks.net" } },
      });
    const attached = await attach("dapi-first");
    assert.equal(attached.id, `${wsId}/computes/adb-compute`);
    assert.deepEqual(attached.properties, {
      computeType: "Databricks",
      description: "adb",
      resourceId: DATABRICKS_ID,
      properties: { workspaceUrl: "https://adb-123.4.azuredatabricks.net" },
      provisioningState: "Succeeded",
      provisioningErrors: null,
      isAttachedCompute: true,
      createdOn: new Date(t.clock.now()),
      modifiedOn: new Date(t.clock.now()),
    });
    const computePath = `${wsId}/computes/adb-compute`;
    const polled = t.emulator.requests().filter((r) => r.path === computePath || r.path.includes("/computeOperationsStatus/"));
    assert.deepEqual(
      polled.map((r) => [r.method, r.path.includes("/computeOperationsStatus/") ? "status" : "compute", r.status]),
      [
        ["PUT", "compute", 201],
        ["GET", "status", 200],
        ["GET", "compute", 200],
      ],
      "the client followed Azure-AsyncOperation, then read the compute",
    );
    const got = await client.computeOperations.get(rg, ws, "adb-compute");
    assert.equal(JSON.stringify(got).includes("dapi-first"), false, "GET never returns the token");
    assert.deepEqual(await client.computeOperations.listKeys(rg, ws, "adb-compute"), { computeType: "Databricks", databricksAccessToken: "dapi-first" });
    const names = [];
    for await (const c of client.computeOperations.list(rg, ws)) names.push(c.name);
    assert.deepEqual(names, ["cpu-cluster", "adb-compute"]);
    await attach("dapi-rotated");
    assert.deepEqual(await client.computeOperations.listKeys(rg, ws, "adb-compute"), { computeType: "Databricks", databricksAccessToken: "dapi-rotated" });
    await client.computeOperations.beginDeleteAndWait(rg, ws, "adb-compute", "Detach");
    const gone = await rejection(client.computeOperations.get(rg, ws, "adb-compute"));
    assert.deepEqual([gone.statusCode, gone.code, gone.message], [404, "UserError", "Not found compute adb-compute."]);
  });

  it("datastores: list the default, get without the key, listSecrets", async () => {
    const defaults = [];
    for await (const d of client.datastores.list(rg, ws, { isDefault: true })) defaults.push(d.name);
    assert.deepEqual(defaults, ["workspaceblobstore"]);
    const datastore = await client.datastores.get(rg, ws, "workspaceblobstore");
    assert.equal(datastore.properties.credentials.credentialsType, "AccountKey");
    assert.equal(JSON.stringify(datastore).includes("key\""), false);
    const secrets = await client.datastores.listSecrets(rg, ws, "workspaceblobstore");
    assert.equal(secrets.secretsType, "AccountKey");
  });

  it("codes: startPendingUpload's SAS takes @azure/storage-blob's upload; the version records it", async () => {
    const pending = await client.sendRequest(
      createPipelineRequest({ url: `${t.emulator.url}${wsId}/codes/c0de/versions/1/startPendingUpload?api-version=2023-04-01`, method: "POST", body: JSON.stringify({ pendingUploadType: "TemporaryBlobReference" }), headers: undefined }),
    );
    assert.equal(pending.status, 200);
    const { blobReferenceForConsumption: ref } = JSON.parse(pending.bodyAsText ?? "{}");
    const [base, sas] = ref.credential.sasUri.split("?");
    assert.equal(base, ref.blobUri);
    await new BlockBlobClient(`${ref.blobUri}/src/main.py?${sas}`).upload("print('hi')\n", 12);
    const container = new ContainerClient(`${ref.blobUri.slice(0, ref.blobUri.indexOf("/LocalUpload/"))}?${sas}`);
    const uploaded = [];
    for await (const b of container.listBlobsFlat({ prefix: "LocalUpload/" })) uploaded.push(b.name.split("/").slice(2).join("/"));
    assert.deepEqual(uploaded, ["src/main.py"]);
    const version = await client.codeVersions.createOrUpdate(rg, ws, "c0de", "1", { properties: { codeUri: `${ref.blobUri}/src`, isAnonymous: true, properties: { hash_sha256: "ab12", hash_version: "202208" } } });
    assert.deepEqual([version.id, version.properties.codeUri], [`${wsId}/codes/c0de/versions/1`, `${ref.blobUri}/src`]);
    assert.equal((await client.codeVersions.get(rg, ws, "c0de", "1")).properties.codeUri, `${ref.blobUri}/src`);
    assert.equal((await client.codeContainers.get(rg, ws, "c0de")).properties.latestVersion, "1");
    const versions = [];
    for await (const v of client.codeVersions.list(rg, ws, "c0de")) versions.push(v.id);
    assert.deepEqual(versions, [`${wsId}/codes/c0de/versions/1`]);
    const changed = await rejection(client.codeVersions.createOrUpdate(rg, ws, "c0de", "1", { properties: { codeUri: `${ref.blobUri}/other` } }));
    assert.deepEqual([changed.statusCode, changed.code, changed.message], [409, "UserError", "Asset paths cannot be updated."]);
  });

  it("environments and components: versions, an identical re-PUT accepted, a changed one refused", async () => {
    const env = { properties: { image: "mcr.microsoft.com/azureml/openmpi4.1.0-ubuntu20.04:latest", condaFile: "name: dbx\n", description: "env" } };
    const created = await client.environmentVersions.createOrUpdate(rg, ws, "databricks", "1", env);
    assert.deepEqual([created.id, created.properties.environmentType, created.properties.image], [`${wsId}/environments/databricks/versions/1`, "UserCreated", env.properties.image]);
    await client.environmentVersions.createOrUpdate(rg, ws, "databricks", "1", env);
    const envChanged = await rejection(client.environmentVersions.createOrUpdate(rg, ws, "databricks", "1", { properties: { ...env.properties, image: "python:3.11" } }));
    assert.deepEqual([envChanged.statusCode, envChanged.code, envChanged.message], [409, "UserError", "Environment databricks with version 1 is already registered and cannot be changed."]);
    assert.equal((await client.environmentVersions.get(rg, ws, "databricks", "1")).properties.image, env.properties.image);
    assert.equal((await client.environmentContainers.get(rg, ws, "databricks")).properties.latestVersion, "1");

    const spec = { name: "prep_data", version: "1", type: "command", command: "python main.py", environment: `azureml:${wsId}/environments/databricks/versions/1` };
    const component = await client.componentVersions.createOrUpdate(rg, ws, "prep_data", "1", { properties: { componentSpec: spec } });
    assert.deepEqual(component.properties.componentSpec, spec);
    assert.deepEqual((await client.componentVersions.get(rg, ws, "prep_data", "1")).properties.componentSpec, spec);
    await client.componentVersions.createOrUpdate(rg, ws, "prep_data", "1", { properties: { componentSpec: spec } });
    const compChanged = await rejection(client.componentVersions.createOrUpdate(rg, ws, "prep_data", "1", { properties: { componentSpec: { ...spec, command: "python other.py" } } }));
    assert.deepEqual([compChanged.statusCode, compChanged.code, compChanged.message], [409, "UserError", "Component prep_data with version 1 is already registered and cannot be changed."]);
    const versions = [];
    for await (const v of client.componentVersions.list(rg, ws, "prep_data")) versions.push(v.name);
    assert.deepEqual(versions, ["1"]);
    assert.equal((await client.componentContainers.get(rg, ws, "prep_data")).properties.latestVersion, "1");
  });

  it("jobs: submit a pipeline job (NotStarted), get, list, cancel (LRO), delete (LRO)", async () => {
    await client.componentVersions.createOrUpdate(rg, ws, "prep_data", "1", { properties: { componentSpec: { type: "command", command: "python main.py" } } });
    const job: JobBase = {
      properties: {
        jobType: "Pipeline",
        displayName: "emu-pipeline",
        experimentName: "emu-exp",
        settings: { default_compute: `${wsId}/computes/cpu-cluster` },
        jobs: { step1: { type: "command", componentId: `${wsId}/components/prep_data/versions/1` } },
      },
    };
    const submitted = await client.jobs.createOrUpdate(rg, ws, "red_dog_1", job);
    assert.deepEqual([submitted.properties.status, submitted.properties.experimentName, submitted.properties.jobType], ["NotStarted", "emu-exp", "Pipeline"]);
    assert.equal(submitted.properties.services?.Studio?.endpoint?.startsWith(`${t.emulator.url}/runs/red_dog_1?wsid=`), true);
    assert.equal((await client.jobs.get(rg, ws, "red_dog_1")).properties.status, "NotStarted");
    const listed = [];
    for await (const j of client.jobs.list(rg, ws)) listed.push(j.name);
    assert.deepEqual(listed, ["red_dog_1"]);
    await client.jobs.beginCancelAndWait(rg, ws, "red_dog_1");
    assert.equal((await client.jobs.get(rg, ws, "red_dog_1")).properties.status, "Canceled");
    await client.jobs.beginDeleteAndWait(rg, ws, "red_dog_1");
    const gone = await rejection(client.jobs.get(rg, ws, "red_dog_1"));
    assert.deepEqual([gone.statusCode, gone.code], [404, "UserError"]);
  });

  it("schedules: create (LRO), disable through an update, list, delete (LRO)", async () => {
    const schedule = (isEnabled: boolean) => ({
      properties: {
        displayName: "nightly",
        isEnabled,
        trigger: { triggerType: "Cron" as const, expression: "0 2 * * *", timeZone: "UTC" },
        action: { actionType: "CreateJob" as const, jobDefinition: { jobType: "Pipeline" as const, jobs: {}, settings: { default_compute: `${wsId}/computes/cpu-cluster` } } },
      },
    });
    const created = await client.schedules.beginCreateOrUpdateAndWait(rg, ws, "nightly", schedule(true));
    assert.deepEqual([created.id, created.properties.provisioningState, created.properties.isEnabled], [`${wsId}/schedules/nightly`, "Succeeded", true]);
    const disabled = await client.schedules.beginCreateOrUpdateAndWait(rg, ws, "nightly", schedule(false));
    assert.equal(disabled.properties.isEnabled, false);
    const all = [];
    for await (const s of client.schedules.list(rg, ws, { listViewType: "All" })) all.push(s.name);
    assert.deepEqual(all, ["nightly"]);
    await client.schedules.beginDeleteAndWait(rg, ws, "nightly");
    assert.equal((await rejection(client.schedules.get(rg, ws, "nightly"))).statusCode, 404);
  });

  it("batch endpoints and deployments: create (LRO) with the invocation URI, get, delete (LRO)", async () => {
    const endpoint = await client.batchEndpoints.beginCreateOrUpdateAndWait(rg, ws, "publish-ep", { location: "westeurope", properties: { authMode: "AADToken", description: "published pipeline" } });
    assert.deepEqual([endpoint.properties.provisioningState, endpoint.properties.scoringUri], ["Succeeded", `${t.emulator.url}/inference/${ws}/batchEndpoints/publish-ep/jobs`]);
    const deployment = await client.batchDeployments.beginCreateOrUpdateAndWait(rg, ws, "publish-ep", "default", { location: "westeurope", properties: { compute: `${wsId}/computes/cpu-cluster`, description: "d" } });
    assert.deepEqual([deployment.id, deployment.properties.provisioningState], [`${wsId}/batchEndpoints/publish-ep/deployments/default`, "Succeeded"]);
    assert.equal((await client.batchDeployments.get(rg, ws, "publish-ep", "default")).properties.compute, `${wsId}/computes/cpu-cluster`);
    await client.batchEndpoints.beginDeleteAndWait(rg, ws, "publish-ep");
    assert.equal((await rejection(client.batchDeployments.get(rg, ws, "publish-ep", "default"))).statusCode, 404);
  });
});
