import * as assert from "node:assert/strict";
import { expectError } from "../../support/emulator";
import { local, lroHeaders, OPERATION_MS, OPERATIONS, systemData, useAzureMlEmulator, V, WS } from "./fixture";

const DBX = "/subscriptions/00000000-0000-0000-0000-0000000000a1/resourceGroups/rg-local/providers/Microsoft.Databricks/workspaces/adb1";
const attach = (token?: string, resourceId = DBX) => ({
  location: "westeurope",
  properties: { computeType: "Databricks", description: "adb", resourceId, properties: { ...(token ? { databricksAccessToken: token } : {}), workspaceUrl: "https://adb-123.4.azuredatabricks.net" } },
});
const iso = (ms: number): string => new Date(ms).toISOString();

describe("Azure ML emulator: workspace and computes", function () {
  this.timeout(30_000);
  const t = useAzureMlEmulator();

  it("shows the seeded workspace and its compute cluster", async () => {
    const start = t.clock.now();
    const ws = await t.call("GET", `${WS}?${V}`);
    const workspaceId = ws.body.properties.workspaceId as string;
    assert.match(workspaceId, /^[0-9a-f-]{36}$/);
    const group = "/subscriptions/00000000-0000-0000-0000-0000000000a1/resourceGroups/rg-local/providers";
    assert.deepEqual(ws.body, {
      id: WS,
      name: "local-aml",
      type: "Microsoft.MachineLearningServices/workspaces",
      location: "westeurope",
      identity: { type: "SystemAssigned", principalId: workspaceId, tenantId: t.emulator.tenantId },
      sku: { name: "Basic", tier: "Basic" },
      kind: "Default",
      tags: {},
      properties: {
        friendlyName: "local-aml",
        provisioningState: "Succeeded",
        workspaceId,
        discoveryUrl: `${t.emulator.url}/discovery`,
        mlFlowTrackingUri: `azureml://westeurope.api.azureml.ms/mlflow/v1.0${WS}`,
        storageAccount: `${group}/Microsoft.Storage/storageAccounts/devstoreaccount1`,
        keyVault: `${group}/Microsoft.KeyVault/vaults/local-aml-kv`,
        applicationInsights: `${group}/Microsoft.Insights/components/local-aml-ai`,
        containerRegistry: `${group}/Microsoft.ContainerRegistry/registries/localamlacr`,
        publicNetworkAccess: "Enabled",
        hbiWorkspace: false,
        v1LegacyMode: false,
        creationTime: iso(start),
      },
      systemData: { createdAt: iso(start), createdBy: t.emulator.tenantId, createdByType: "Application", lastModifiedAt: iso(start), lastModifiedBy: t.emulator.tenantId, lastModifiedByType: "Application" },
    });
    const list = await t.call("GET", `${WS.slice(0, WS.lastIndexOf("/"))}?${V}`);
    assert.deepEqual(list.body, { value: [ws.body] });
    const computes = await t.call("GET", `${WS}/computes?${V}`);
    assert.deepEqual(computes.body.value.map((c: { name: string; properties: { computeType: string; isAttachedCompute: boolean } }) => [c.name, c.properties.computeType, c.properties.isAttachedCompute]), [["cpu-cluster", "AmlCompute", false]]);
  });

  it("attaches a Databricks workspace as a long-running PUT: Creating, the status InProgress, then Succeeded; GET never shows the token", async () => {
    const start = t.clock.now();
    const put = await t.call("PUT", `${WS}/computes/adb-compute?${V}`, attach("dapi-secret"));
    const headers = lroHeaders(put);
    assert.deepEqual([put.status, headers.location, headers.retryAfter], [201, null, "1"]);
    const status = local(t, headers.asyncOperation);
    assert.match(status, new RegExp(`^${OPERATIONS}/computeOperationsStatus/[0-9a-f-]{36}\\?api-version=2099-01-01$`));
    const expected = (state: string, modified: number) => ({
      id: `${WS}/computes/adb-compute`,
      name: "adb-compute",
      type: "Microsoft.MachineLearningServices/workspaces/computes",
      location: "westeurope",
      properties: {
        computeType: "Databricks",
        description: "adb",
        resourceId: DBX,
        properties: { workspaceUrl: "https://adb-123.4.azuredatabricks.net" },
        provisioningState: state,
        provisioningErrors: null,
        isAttachedCompute: true,
        createdOn: iso(start),
        modifiedOn: iso(modified),
      },
      systemData: systemData(start, modified),
    });
    assert.deepEqual(put.body, expected("Creating", start));
    const id = status.split("/").pop()!.split("?")[0];
    const running = await t.call("GET", `${status}&underlyingResourceAction=Detach`);
    assert.deepEqual([running.status, running.headers.get("retry-after"), running.body], [200, "1", { id: status.split("?")[0], name: id, status: "InProgress", startTime: iso(start) }]);
    assert.equal((await t.call("GET", `${WS}/computes/adb-compute?${V}`)).body.properties.provisioningState, "Creating");
    t.clock.advance(OPERATION_MS);
    const done = await t.call("GET", status);
    assert.deepEqual([done.status, done.headers.get("retry-after"), done.body], [200, null, { id: status.split("?")[0], name: id, status: "Succeeded", startTime: iso(start), endTime: iso(start + OPERATION_MS) }]);
    const got = await t.call("GET", `${WS}/computes/adb-compute?${V}`);
    assert.deepEqual(got.body, expected("Succeeded", start + OPERATION_MS));
    assert.equal(got.text.includes("dapi-secret"), false);
    assert.deepEqual((await t.call("POST", `${WS}/computes/adb-compute/listKeys?${V}`)).body, { computeType: "Databricks", databricksAccessToken: "dapi-secret" });
    assert.deepEqual((await t.call("POST", `${WS}/computes/cpu-cluster/listKeys?${V}`)).body, { computeType: "AmlCompute" });
  });

  it("rotates the token with a PUT (200, Updating) and keeps the token when a PUT leaves it out", async () => {
    await t.call("PUT", `${WS}/computes/adb-compute?${V}`, attach("dapi-1"));
    t.clock.advance(OPERATION_MS);
    const rotated = await t.call("PUT", `${WS}/computes/adb-compute?${V}`, attach("dapi-2"));
    assert.deepEqual([rotated.status, rotated.body.properties.provisioningState, lroHeaders(rotated).asyncOperation !== null], [200, "Updating", true]);
    assert.equal((await t.call("POST", `${WS}/computes/adb-compute/listKeys?${V}`)).body.databricksAccessToken, "dapi-2");
    assert.equal((await t.call("PUT", `${WS}/computes/adb-compute?${V}`, attach())).status, 200);
    assert.equal((await t.call("POST", `${WS}/computes/adb-compute/listKeys?${V}`)).body.databricksAccessToken, "dapi-2");
  });

  it("refuses what Azure ML refuses, in its words, never naming the token", async () => {
    const bad = async (body: unknown, status: number, message: string, name = "adb") => {
      const r = await t.call("PUT", `${WS}/computes/${name}?${V}`, body);
      assert.deepEqual([r.status, r.body], [status, { error: { code: "UserError", message } }]);
      assert.equal(r.text.includes("dapi"), false);
    };
    await bad({ properties: { computeType: "Spark" } }, 400, "Invalid request: properties.computeType must be one of AKS, Kubernetes, AmlCompute, ComputeInstance, DataFactory, VirtualMachine, HDInsight, Databricks, DataLakeAnalytics, SynapseSpark.");
    await bad({ location: "westeurope" }, 400, "Invalid request: properties is required and must be an object.");
    await bad([], 400, "The request body must be a JSON object.");
    await bad(attach(undefined), 400, "Invalid request: properties.properties.databricksAccessToken is required to attach a Databricks workspace.");
    await bad(attach("dapi-x", "/subscriptions/s/resourceGroups/r/providers/Microsoft.Storage/storageAccounts/a"), 400, "Invalid request: properties.resourceId must be the Resource Manager id of an Azure Databricks workspace.");
    await bad({ ...attach("dapi-x"), properties: { ...attach("dapi-x").properties, properties: { databricksAccessToken: "dapi-x", workspaceUrl: "http://adb" } } }, 400, "Invalid request: properties.properties.workspaceUrl must be an https URL of a workspace.");
    await bad(attach("dapi-x"), 400, "The compute name 'bad name' is not valid: use letters, digits, '-', '_' and '.', starting with a letter or digit.", "bad%20name");
    await t.call("PUT", `${WS}/computes/adb?${V}`, attach("dapi-x"));
    await bad(attach("dapi-x", `${DBX}-other`), 409, "Compute adb already exists with another computeType or resourceId; delete or detach it first.");
    await expectError(t.call("GET", `${WS}/computes/nope?${V}`), 404, { error: { code: "UserError", message: "Not found compute nope." } });
    await expectError(t.call("POST", `${WS}/computes/nope/listKeys?${V}`), 404, { error: { code: "UserError", message: "Not found compute nope." } });
  });

  it("detaches with DELETE (underlyingResourceAction required): 202 with both headers, Deleting, then gone; Delete of an attached compute only removes the compute", async () => {
    await t.call("PUT", `${WS}/computes/adb?${V}`, attach("dapi-x"));
    t.clock.advance(OPERATION_MS);
    await expectError(t.call("DELETE", `${WS}/computes/adb?${V}`), 400, {
      error: { code: "UserError", message: "Invalid request: the query parameter underlyingResourceAction must be one of Delete, Detach." },
    });
    await expectError(t.call("DELETE", `${WS}/computes/cpu-cluster?${V}&underlyingResourceAction=Detach`), 400, {
      error: { code: "UserError", message: "Compute cpu-cluster was not attached, so it cannot be detached; delete it with underlyingResourceAction=Delete." },
    });
    const del = await t.call("DELETE", `${WS}/computes/adb?${V}&underlyingResourceAction=Detach`);
    const h = lroHeaders(del);
    assert.deepEqual([del.status, del.text, h.retryAfter], [202, "", "1"]);
    const result = local(t, h.location);
    assert.match(result, new RegExp(`^${OPERATIONS}/computeOperationResults/[0-9a-f-]{36}\\?api-version=2099-01-01$`));
    assert.equal(local(t, h.asyncOperation), result.replace("computeOperationResults", "computeOperationsStatus"));
    assert.equal((await t.call("GET", `${WS}/computes/adb?${V}`)).body.properties.provisioningState, "Deleting");
    await expectError(t.call("PUT", `${WS}/computes/adb?${V}`, attach("dapi-x")), 409, { error: { code: "UserError", message: "Compute adb is being deleted; wait for the deletion to finish." } });
    const pending = await t.call("GET", result);
    assert.deepEqual([pending.status, local(t, pending.headers.get("location")), pending.headers.get("retry-after")], [202, result, "1"]);
    t.clock.advance(OPERATION_MS);
    const finished = await t.call("GET", result);
    assert.deepEqual([finished.status, finished.text], [200, ""]);
    assert.equal((await t.call("GET", `${WS}/computes/adb?${V}`)).status, 404);
    assert.equal((await t.call("DELETE", `${WS}/computes/adb?${V}&underlyingResourceAction=Delete`)).status, 204);

    await t.call("PUT", `${WS}/computes/adb?${V}`, attach("dapi-x"));
    assert.equal((await t.call("DELETE", `${WS}/computes/adb?${V}&underlyingResourceAction=Delete`)).status, 202);
    t.clock.advance(OPERATION_MS);
    assert.equal((await t.call("GET", `${WS}/computes/adb?${V}`)).status, 404);
    assert.deepEqual(t.emulator.requests().filter((r) => r.path.startsWith("/api/")), [], "the Databricks workspace is never called");
  });
});
