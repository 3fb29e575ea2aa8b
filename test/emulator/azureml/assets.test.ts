import * as assert from "node:assert/strict";
import { BlobServiceClient, BlockBlobClient, StorageSharedKeyCredential } from "@azure/storage-blob";
import { WELL_KNOWN_ACCOUNT_KEY } from "../../../src/emulator";
import { expectError } from "../../support/emulator";
import { systemData, useAzureMlEmulator, V, WS } from "./fixture";

const ENV = { properties: { image: "mcr.microsoft.com/azureml/openmpi4.1.0-ubuntu20.04:latest", condaFile: "channels:\n- conda-forge\nname: dbx\n", description: "env for databricks steps", isAnonymous: false, isArchived: false } };
const SPEC = {
  $schema: "https://azuremlschemas.azureedge.net/latest/commandComponent.schema.json",
  name: "prep_data",
  version: "1",
  type: "command",
  inputs: { raw: { type: "uri_folder" }, n: { type: "integer", default: "3" } },
  command: "python main.py --raw ${{inputs.raw}} --n ${{inputs.n}}",
  environment: `azureml:${WS}/environments/databricks/versions/1`,
  _source: "YAML.COMPONENT",
};

describe("Azure ML emulator: datastores, codes, environments and components", function () {
  this.timeout(60_000);
  const t = useAzureMlEmulator();

  it("lists and gets the default datastore without its key; listSecrets gives the key and makes the container in Azurite", async () => {
    const start = t.clock.now();
    const workspaceId = (await t.call("GET", `${WS}?${V}`)).body.properties.workspaceId as string;
    const blob = new URL(t.emulator.blobUrl);
    const expected = {
      id: `${WS}/datastores/workspaceblobstore`,
      name: "workspaceblobstore",
      type: "Microsoft.MachineLearningServices/workspaces/datastores",
      properties: {
        datastoreType: "AzureBlob",
        isDefault: true,
        accountName: "devstoreaccount1",
        containerName: `azureml-blobstore-${workspaceId}`,
        endpoint: blob.host,
        protocol: "http",
        serviceDataAccessAuthIdentity: "None",
        credentials: { credentialsType: "AccountKey", secrets: { secretsType: "AccountKey" } },
        description: null,
        tags: {},
        properties: { "emulator.blobServiceUrl": `${t.emulator.blobUrl}/devstoreaccount1` },
      },
      systemData: systemData(start),
    };
    assert.deepEqual((await t.call("GET", `${WS}/datastores/workspaceblobstore?${V}`)).body, expected);
    assert.deepEqual((await t.call("GET", `${WS}/datastores?${V}&count=30&isDefault=true&orderByAsc=false`)).body, { value: [expected] });
    assert.deepEqual((await t.call("GET", `${WS}/datastores?${V}&isDefault=false`)).body, { value: [] });
    assert.deepEqual((await t.call("GET", `${WS}/datastores?${V}&names=other`)).body, { value: [] });
    const container = new BlobServiceClient(`${t.emulator.blobUrl}/devstoreaccount1`, new StorageSharedKeyCredential("devstoreaccount1", WELL_KNOWN_ACCOUNT_KEY)).getContainerClient(`azureml-blobstore-${workspaceId}`);
    assert.equal(await container.exists(), false, "no container before a client asks for the datastore's secrets");
    const secrets = await t.call("POST", `${WS}/datastores/workspaceblobstore/listSecrets?${V}`, { expirableSecret: false });
    assert.deepEqual(secrets.body, { secretsType: "AccountKey", key: WELL_KNOWN_ACCOUNT_KEY });
    assert.equal(await container.exists(), true);
    await expectError(t.call("GET", `${WS}/datastores/nope?${V}`), 404, { error: { code: "UserError", message: "Not found datastore nope." } });
    await expectError(t.call("POST", `${WS}/datastores/nope/listSecrets?${V}`), 404, { error: { code: "UserError", message: "Not found datastore nope." } });
  });

  it("startPendingUpload answers a SAS into the datastore's container that takes an upload", async () => {
    const r = await t.call("POST", `${WS}/codes/5f3a/versions/1/startPendingUpload?api-version=2023-04-01`, { pendingUploadType: "TemporaryBlobReference" });
    assert.equal(r.status, 200);
    const ref = r.body.blobReferenceForConsumption;
    const container = (await t.call("GET", `${WS}/datastores/workspaceblobstore?${V}`)).body.properties.containerName;
    assert.match(ref.blobUri, new RegExp(`^${t.emulator.blobUrl}/devstoreaccount1/${container}/LocalUpload/[0-9a-f-]{36}$`));
    assert.deepEqual(r.body, {
      blobReferenceForConsumption: {
        blobUri: ref.blobUri,
        storageAccountArmId: "/subscriptions/00000000-0000-0000-0000-0000000000a1/resourceGroups/rg-local/providers/Microsoft.Storage/storageAccounts/devstoreaccount1",
        credential: { credentialType: "SAS", sasUri: ref.credential.sasUri },
      },
      pendingUploadId: ref.blobUri.split("/").pop(),
      pendingUploadType: "TemporaryBlobReference",
    });
    const [base, sas] = ref.credential.sasUri.split("?");
    assert.equal(base, ref.blobUri);
    assert.match(sas, /(^|&)sr=c(&|$)/);
    const blob = new BlockBlobClient(`${ref.blobUri}/src/main.py?${sas}`);
    await blob.upload("print(1)\n", 9);
    assert.equal((await blob.downloadToBuffer()).toString(), "print(1)\n");
    await expectError(t.call("POST", `${WS}/codes/5f3a/versions/1/startPendingUpload?${V}`, { pendingUploadType: "Other" }), 400, {
      error: { code: "UserError", message: "Invalid request: pendingUploadType must be one of None, TemporaryBlobReference." },
    });
  });

  it("code versions: 201 then 200, found by hash across the workspace, a changed codeUri refused with the service's words", async () => {
    const start = t.clock.now();
    const body = (uri: string) => ({ properties: { codeUri: uri, isAnonymous: true, properties: { hash_sha256: "4856b5", hash_version: 202208 } } });
    const created = await t.call("PUT", `${WS}/codes/guid-1/versions/1?api-version=2023-04-01`, body("http://blob/LocalUpload/a/src"));
    assert.equal(created.status, 201);
    assert.deepEqual(created.body, {
      id: `${WS}/codes/guid-1/versions/1`,
      name: "1",
      type: "Microsoft.MachineLearningServices/workspaces/codes/versions",
      properties: { codeUri: "http://blob/LocalUpload/a/src", isAnonymous: true, properties: { hash_sha256: "4856b5", hash_version: 202208 }, description: null, tags: {}, isArchived: false, provisioningState: "Succeeded" },
      systemData: systemData(start),
    });
    assert.equal((await t.call("PUT", `${WS}/codes/guid-1/versions/1?${V}`, body("http://blob/LocalUpload/a/src"))).status, 200);
    const found = await t.call("GET", `${WS}/codes/another-guid/versions?${V}&hash=4856b5&hashVersion=202208`);
    assert.deepEqual(found.body.value.map((v: { id: string }) => v.id), [`${WS}/codes/guid-1/versions/1`]);
    assert.deepEqual((await t.call("GET", `${WS}/codes/another-guid/versions?${V}&hash=ffff&hashVersion=202208`)).body, { value: [] });
    assert.deepEqual((await t.call("GET", `${WS}/codes/another-guid/versions?${V}`)).body, { value: [] });
    await expectError(t.call("PUT", `${WS}/codes/guid-1/versions/1?${V}`, body("http://blob/LocalUpload/b/src")), 409, { error: { code: "UserError", message: "Asset paths cannot be updated." } });
    await expectError(t.call("PUT", `${WS}/codes/guid-2/versions/1?${V}`, { properties: {} }), 400, { error: { code: "UserError", message: "Invalid request: properties.codeUri is required and must be a non-empty string." } });
    const container = await t.call("GET", `${WS}/codes/guid-1?${V}`);
    assert.deepEqual(container.body.properties, { description: null, tags: {}, properties: {}, isAnonymous: false, isArchived: false, provisioningState: "Succeeded", latestVersion: "1", nextVersion: "2" });
  });

  it("environment versions: registered, an identical re-PUT 200, a change refused; get, list, containers, delete", async () => {
    const start = t.clock.now();
    const created = await t.call("PUT", `${WS}/environments/databricks/versions/1?api-version=2023-04-01-preview`, ENV);
    assert.equal(created.status, 201);
    assert.deepEqual(created.body, {
      id: `${WS}/environments/databricks/versions/1`,
      name: "1",
      type: "Microsoft.MachineLearningServices/workspaces/environments/versions",
      properties: { ...ENV.properties, tags: {}, properties: {}, environmentType: "UserCreated", provisioningState: "Succeeded" },
      systemData: systemData(start),
    });
    const again = await t.call("PUT", `${WS}/environments/databricks/versions/1?${V}`, ENV);
    assert.deepEqual([again.status, again.body], [200, created.body]);
    const retagged = await t.call("PUT", `${WS}/environments/databricks/versions/1?${V}`, { properties: { ...ENV.properties, description: "new", tags: { a: "1" } } });
    assert.deepEqual([retagged.status, retagged.body.properties.description, retagged.body.properties.tags], [200, "new", { a: "1" }]);
    await expectError(t.call("PUT", `${WS}/environments/databricks/versions/1?${V}`, { properties: { ...ENV.properties, condaFile: "name: other\n" } }), 409, {
      error: { code: "UserError", message: "Environment databricks with version 1 is already registered and cannot be changed." },
    });
    await expectError(t.call("PUT", `${WS}/environments/e/versions/1?${V}`, { properties: { description: "x" } }), 400, {
      error: { code: "UserError", message: "Invalid request: properties.image or properties.build is required." },
    });
    await expectError(t.call("PUT", `${WS}/environments/e/versions/bad%20v?${V}`, ENV), 400, {
      error: { code: "UserError", message: "The version 'bad v' is not valid: use up to 50 letters, digits, '-', '_' and '.', starting with a letter or digit." },
    });
    await t.call("PUT", `${WS}/environments/databricks/versions/2?${V}`, ENV);
    assert.deepEqual((await t.call("GET", `${WS}/environments/databricks/versions?${V}`)).body.value.map((v: { name: string }) => v.name), ["1", "2"]);
    assert.deepEqual((await t.call("GET", `${WS}/environments/databricks/versions?${V}&$orderBy=createdtime%20desc&$top=1`)).body.value.map((v: { name: string }) => v.name), ["2"]);
    assert.deepEqual((await t.call("GET", `${WS}/environments?${V}`)).body.value.map((c: { name: string; properties: { latestVersion: string } }) => [c.name, c.properties.latestVersion]), [["databricks", "2"]]);
    assert.equal((await t.call("DELETE", `${WS}/environments/databricks/versions/2?${V}`)).status, 200);
    assert.equal((await t.call("DELETE", `${WS}/environments/databricks/versions/2?${V}`)).status, 204);
    await expectError(t.call("GET", `${WS}/environments/databricks/versions/2?${V}`), 404, { error: { code: "UserError", message: "Not found environment databricks version 2." } });
    assert.equal((await t.call("DELETE", `${WS}/environments/databricks?${V}`)).status, 200);
    await expectError(t.call("GET", `${WS}/environments/databricks/versions/1?${V}`), 404, { error: { code: "UserError", message: "Not found environment databricks version 1." } });
    await expectError(t.call("GET", `${WS}/environments/databricks?${V}`), 404, { error: { code: "UserError", message: "Not found environment databricks." } });
  });

  it("refuses a component whose code or environment names an asset the workspace does not have", async () => {
    await expectError(t.call("PUT", `${WS}/components/c/versions/1?${V}`, { properties: { componentSpec: { ...SPEC, code: `azureml:${WS}/codes/missing/versions/1` } } }), 400, {
      error: { code: "UserError", message: `Invalid request: properties.componentSpec.code names 'azureml:${WS}/codes/missing/versions/1', which does not exist in the workspace.` },
    });
    await expectError(t.call("PUT", `${WS}/components/c/versions/1?${V}`, { properties: { componentSpec: SPEC } }), 400, {
      error: { code: "UserError", message: `Invalid request: properties.componentSpec.environment names '${SPEC.environment}', which does not exist in the workspace.` },
    });
    const registry = await t.call("PUT", `${WS}/components/c/versions/1?${V}`, { properties: { componentSpec: { ...SPEC, environment: "azureml://registries/azureml/environments/sklearn-1.5/versions/1" } } });
    assert.equal(registry.status, 201, "references outside the workspace are not checked");
  });

  it("component versions: componentSpec stored verbatim, an identical re-PUT 200, a changed spec refused; containers created and updated", async () => {
    assert.equal((await t.call("PUT", `${WS}/environments/databricks/versions/1?${V}`, ENV)).status, 201);
    const body = { properties: { componentSpec: SPEC, isAnonymous: false, isArchived: false, properties: { client_component_hash: "b004" }, tags: {} } };
    const created = await t.call("PUT", `${WS}/components/prep_data/versions/1?api-version=2024-01-01-preview`, body);
    assert.equal(created.status, 201);
    assert.deepEqual(created.body.properties, { componentSpec: SPEC, isAnonymous: false, isArchived: false, properties: { client_component_hash: "b004" }, tags: {}, description: null, provisioningState: "Succeeded" });
    assert.deepEqual((await t.call("PUT", `${WS}/components/prep_data/versions/1?${V}`, body)).body, created.body);
    await expectError(t.call("PUT", `${WS}/components/prep_data/versions/1?${V}`, { properties: { componentSpec: { ...SPEC, command: "python other.py" } } }), 409, {
      error: { code: "UserError", message: "Component prep_data with version 1 is already registered and cannot be changed." },
    });
    await expectError(t.call("PUT", `${WS}/components/prep_data/versions/2?${V}`, { properties: {} }), 400, {
      error: { code: "UserError", message: "Invalid request: properties.componentSpec is required and must be an object." },
    });
    assert.deepEqual((await t.call("GET", `${WS}/components/prep_data/versions/1?${V}`)).body, created.body);
    const container = await t.call("PUT", `${WS}/components/prep_data?${V}`, { properties: { description: "prep" } });
    assert.deepEqual([container.status, container.body.properties], [200, { description: "prep", tags: {}, properties: {}, isAnonymous: false, isArchived: false, latestVersion: "1", nextVersion: "2", provisioningState: "Succeeded" }]);
    const fresh = await t.call("PUT", `${WS}/components/empty?${V}`, {});
    assert.deepEqual([fresh.status, fresh.body.properties.latestVersion], [201, null]);
    assert.deepEqual((await t.call("GET", `${WS}/components?${V}`)).body.value.map((c: { name: string }) => c.name), ["prep_data", "empty"]);
  });
});
