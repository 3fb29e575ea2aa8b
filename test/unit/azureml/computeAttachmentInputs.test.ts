import * as assert from "node:assert/strict";
import { UNKNOWN } from "../../../src/core/check";
import { checkAttachment, diffAttachment } from "../../../src/azureml/computeAttachment/inputs";

const SUB = "00000000-0000-0000-0000-000000000000";
const ADB_ID = `/subscriptions/${SUB}/resourceGroups/rg/providers/Microsoft.Databricks/workspaces/adb`;
const valid = { subscriptionId: SUB, resourceGroupName: "rg", workspaceName: "ws1", computeName: "adb", databricksResourceId: ADB_ID, workspaceUrl: "https://adb-1.2.azuredatabricks.net/", accessToken: "dapi-secret" };

describe("DatabricksComputeAttachment inputs", () => {
  it("accepts valid inputs, filling the public cloud's endpoint and normalising the workspace URL", () => {
    const { inputs, failures } = checkAttachment(valid, "azure", {});
    assert.deepEqual(failures, []);
    assert.equal(inputs.armEndpoint, "https://management.azure.com");
    assert.equal(inputs.workspaceUrl, "https://adb-1.2.azuredatabricks.net");
  });

  it("names every invalid property at once, never echoing the token", () => {
    const { failures } = checkAttachment({ subscriptionId: "sub", resourceGroupName: "rg", workspaceName: "w", computeName: "1adb", databricksResourceId: "/subscriptions/x/adb", workspaceUrl: "https://example.com", accessToken: 42 }, "azure", {});
    assert.deepEqual(failures, [
      { property: "subscriptionId", reason: 'subscriptionId "sub" is not valid: a subscription id is a GUID such as 00000000-0000-0000-0000-000000000000.' },
      { property: "workspaceName", reason: `workspaceName "w" is not valid: 3-33 letters, digits, '_' and '-', starting with a letter or digit.` },
      { property: "computeName", reason: `computeName "1adb" is not valid: 2-24 letters, digits and '-', starting with a letter.` },
      { property: "databricksResourceId", reason: 'databricksResourceId "/subscriptions/x/adb" is not a Databricks workspace ARM id: /subscriptions/<sub>/resourceGroups/<rg>/providers/Microsoft.Databricks/workspaces/<name>.' },
      { property: "workspaceUrl", reason: 'workspaceUrl "https://example.com" is not an Azure Databricks workspace URL (https://adb-<id>.<n>.azuredatabricks.net).' },
      { property: "accessToken", reason: "accessToken must be a string, not number." },
    ]);
  });

  it("names each missing input with what to give", () => {
    assert.deepEqual(checkAttachment({}, "azure", {}).failures, [
      { property: "subscriptionId", reason: "subscriptionId is required: the id of the workspace's subscription." },
      { property: "resourceGroupName", reason: "resourceGroupName is required: the workspace's resource group." },
      { property: "workspaceName", reason: "workspaceName is required: the Azure ML workspace's name." },
      { property: "computeName", reason: "computeName is required: the compute's name in the Azure ML workspace." },
      { property: "databricksResourceId", reason: "databricksResourceId is required: the Databricks workspace's ARM id, /subscriptions/<sub>/resourceGroups/<rg>/providers/Microsoft.Databricks/workspaces/<name>." },
      { property: "workspaceUrl", reason: "workspaceUrl is required: the Databricks workspace URL, e.g. https://adb-123.4.azuredatabricks.net." },
      { property: "accessToken", reason: "accessToken is required: a Databricks access token, typically a KeyVaultSecret's value." },
    ]);
    assert.deepEqual(checkAttachment({ ...valid, workspaceUrl: "https://adb-1.2.azuredatabricks.net/path" }, "azure", {}).failures, [
      { property: "workspaceUrl", reason: 'workspaceUrl "https://adb-1.2.azuredatabricks.net/path" must be the workspace\'s root URL without a path, e.g. https://adb-1.2.azuredatabricks.net.' },
    ]);
  });

  it("in the local target needs the emulator's endpoint, on loopback", () => {
    assert.deepEqual(checkAttachment({ ...valid, workspaceUrl: "https://127.0.0.1:9000" }, "local", {}).failures, [
      { property: "armEndpoint", reason: 'No Azure Resource Manager endpoint: AMLDB_TARGET is "local", so set armEndpoint (or AMLDB_ARM_ENDPOINT) to the emulator\'s URL, e.g. https://127.0.0.1:<port>.' },
    ]);
    assert.deepEqual(checkAttachment({ ...valid, armEndpoint: "https://management.azure.com", workspaceUrl: "https://127.0.0.1:9000" }, "local", {}).failures, [
      { property: "armEndpoint", reason: "armEndpoint: The Azure Resource Manager endpoint https://management.azure.com is not on loopback; the local target sends its token only to the emulator. Give armEndpoint (or AMLDB_ARM_ENDPOINT) the emulator's URL, or set AMLDB_TARGET=azure for the real service." },
    ]);
    const { inputs, failures } = checkAttachment({ ...valid, workspaceUrl: "https://127.0.0.1:9000" }, "local", { AMLDB_ARM_ENDPOINT: "https://127.0.0.1:9000/" });
    assert.deepEqual(failures, []);
    assert.equal(inputs.armEndpoint, "https://127.0.0.1:9000");
  });

  it("passes unknown preview values", () => {
    assert.deepEqual(checkAttachment({ ...valid, accessToken: UNKNOWN, workspaceUrl: UNKNOWN }, "azure", {}).failures, []);
  });

  it("rotating the token or changing the description is an update; another workspace or compute name a replacement", () => {
    const olds = { ...valid, armEndpoint: "https://management.azure.com", workspaceUrl: "https://adb-1.2.azuredatabricks.net", computeId: "x", reference: "azureml:adb", provisioningState: "Succeeded" };
    assert.deepEqual(diffAttachment(olds, { ...olds, accessToken: "dapi-rotated" }), { changes: true, replaces: [], deleteBeforeReplace: false, changedKeys: ["accessToken"] });
    assert.deepEqual(diffAttachment(olds, { ...olds, description: "d" }), { changes: true, replaces: [], deleteBeforeReplace: false, changedKeys: ["description"] });
    assert.deepEqual(diffAttachment(olds, { ...olds, databricksResourceId: ADB_ID.replace("adb", "adb2"), workspaceUrl: "https://adb-2.2.azuredatabricks.net" }), {
      changes: true,
      replaces: ["databricksResourceId", "workspaceUrl"],
      deleteBeforeReplace: true,
      changedKeys: ["databricksResourceId", "workspaceUrl"],
    });
    assert.deepEqual(diffAttachment(olds, { ...olds, computeName: "adb2" }), { changes: true, replaces: ["computeName"], deleteBeforeReplace: false, changedKeys: ["computeName"] });
    assert.deepEqual(diffAttachment(olds, { ...olds }), { changes: false, replaces: [], deleteBeforeReplace: false, changedKeys: [] });
  });
});
