import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { parseCliArgs } from "../../../src/emulator/cli";
import { withEmulator } from "../../support/emulator";
import { OPERATION_MS, V, WS } from "./fixture";

const DBX = "/subscriptions/00000000-0000-0000-0000-0000000000a1/resourceGroups/rg-local/providers/Microsoft.Databricks/workspaces/adb1";
const ATTACH = { properties: { computeType: "Databricks", resourceId: DBX, properties: { databricksAccessToken: "dapi-kept", workspaceUrl: "https://adb-1.azuredatabricks.net" } } };

describe("Azure ML emulator: state across restarts, reset, configuration", function () {
  this.timeout(60_000);
  let stateDir: string;
  beforeEach(() => {
    stateDir = fs.mkdtempSync(path.join(os.tmpdir(), "aml-state-"));
  });
  afterEach(() => fs.rmSync(stateDir, { recursive: true, force: true }));

  it("keeps the workspace, its resources, secrets and pending operations across a restart; the operation completes afterwards", async () => {
    const options = { stateDir, azureml: { operationMs: OPERATION_MS, runJobs: false } };
    const before = await withEmulator(options, async (t) => {
      assert.equal((await t.call("PUT", `${WS}/computes/adb?${V}`, ATTACH)).status, 201);
      assert.equal((await t.call("PUT", `${WS}/environments/env/versions/1?${V}`, { properties: { image: "python:3.11" } })).status, 201);
      assert.equal((await t.call("PUT", `${WS}/jobs/j?${V}`, { properties: { jobType: "Pipeline" } })).status, 201);
      return { workspaceId: (await t.call("GET", `${WS}?${V}`)).body.properties.workspaceId, now: t.clock.now() };
    });
    const stateFile = fs.readFileSync(path.join(stateDir, "azureml", "state.journal"), "utf8") + fs.readFileSync(path.join(stateDir, "azureml", "state.json"), "utf8");
    assert.equal(stateFile.includes("dapi-kept"), true, "the token is kept in the state folder (mode 0600), as Databricks secrets are");
    assert.equal((fs.statSync(path.join(stateDir, "azureml", "state.json")).mode & 0o077) === 0, true);
    await withEmulator(options, async (t) => {
      t.clock.advance(before.now - t.clock.now());
      assert.equal((await t.call("GET", `${WS}?${V}`)).body.properties.workspaceId, before.workspaceId);
      assert.equal((await t.call("GET", `${WS}/computes/adb?${V}`)).body.properties.provisioningState, "Creating");
      t.clock.advance(OPERATION_MS);
      assert.equal((await t.call("GET", `${WS}/computes/adb?${V}`)).body.properties.provisioningState, "Succeeded");
      assert.deepEqual((await t.call("POST", `${WS}/computes/adb/listKeys?${V}`)).body, { computeType: "Databricks", databricksAccessToken: "dapi-kept" });
      assert.equal((await t.call("GET", `${WS}/environments/env/versions/1?${V}`)).body.properties.image, "python:3.11");
      assert.equal((await t.call("GET", `${WS}/jobs/j?${V}`)).body.properties.status, "NotStarted");
    });
  });

  it("a reset through the control plane makes a fresh workspace: new id, only the seeded datastore and cluster", async () => {
    await withEmulator({ stateDir }, async (t) => {
      const firstId = (await t.call("GET", `${WS}?${V}`)).body.properties.workspaceId;
      await t.call("PUT", `${WS}/computes/adb?${V}`, ATTACH);
      await t.call("DELETE", `${WS}/computes/cpu-cluster?${V}&underlyingResourceAction=Delete`);
      assert.equal((await t.control("POST", "/_emulator/reset")).status, 204);
      assert.notEqual((await t.call("GET", `${WS}?${V}`)).body.properties.workspaceId, firstId);
      assert.deepEqual((await t.call("GET", `${WS}/computes?${V}`)).body.value.map((c: { name: string }) => c.name), ["cpu-cluster"]);
      assert.deepEqual((await t.call("GET", `${WS}/datastores?${V}`)).body.value.map((c: { name: string }) => c.name), ["workspaceblobstore"]);
    });
  });

  it("serves the workspace the configuration names, and refuses a configuration that is not valid", async () => {
    const azureml = { subscriptionId: "11111111-2222-3333-4444-555555555555", resourceGroup: "rg-ml", workspace: "team-ws", location: "northeurope" };
    await withEmulator({ azureml }, async (t) => {
      assert.deepEqual(t.emulator.azureml, { ...azureml, operationMs: 0 });
      const ws = await t.call("GET", `/subscriptions/${azureml.subscriptionId}/resourceGroups/rg-ml/providers/Microsoft.MachineLearningServices/workspaces/team-ws?${V}`);
      assert.deepEqual([ws.status, ws.body.location, ws.body.id], [200, "northeurope", `/subscriptions/${azureml.subscriptionId}/resourceGroups/rg-ml/providers/Microsoft.MachineLearningServices/workspaces/team-ws`]);
      assert.equal((await t.call("GET", `${WS}?${V}`)).body.error.code, "SubscriptionNotFound");
    });
    await assert.rejects(withEmulator({ azureml: { workspace: "x" } }, async () => undefined), { message: 'azureml.workspace must be 3 to 33 letters, digits, \'-\' or \'_\', starting with a letter or digit, not "x".' });
    await assert.rejects(withEmulator({ azureml: { subscriptionId: "sub" } }, async () => undefined), { message: 'azureml.subscriptionId must be a GUID, not "sub".' });
    await assert.rejects(withEmulator({ azureml: { operationMs: -1 } }, async () => undefined), { message: "azureml.operationMs must be an integer from 0 to 600000, not -1." });
  });
});

describe("Azure ML emulator: command-line flags", () => {
  it("takes the workspace's subscription, resource group, name and region from flags", () => {
    const options = parseCliArgs(["--azureml-subscription", "11111111-2222-3333-4444-555555555555", "--azureml-resource-group", "rg-ml", "--azureml-workspace", "team-ws", "--azureml-location", "northeurope"], {});
    assert.deepEqual(options.azureml, { subscriptionId: "11111111-2222-3333-4444-555555555555", resourceGroup: "rg-ml", workspace: "team-ws", location: "northeurope" });
    assert.deepEqual(parseCliArgs(["--azureml-workspace", "w2"], {}).azureml, { workspace: "w2" });
    assert.equal(parseCliArgs([], {}).azureml, undefined);
  });
});
