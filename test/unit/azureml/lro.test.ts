import * as assert from "node:assert/strict";
import { createAzureMlApi } from "../../../src/azureml/client";
import type { PipelineRequest, PipelineResponse } from "../../../src/core/http";

const ENDPOINT = "https://management.example.test";
const ws = { subscriptionId: "00000000-0000-0000-0000-000000000000", resourceGroupName: "rg", workspaceName: "ws1" };
const WS = `/subscriptions/${ws.subscriptionId}/resourceGroups/rg/providers/Microsoft.MachineLearningServices/workspaces/ws1`;

/** A client whose transport answers from `answers` in order, recording requests and waits. */
function scripted(answers: PipelineResponse[]) {
  const requests: string[] = [];
  const delays: number[] = [];
  const api = createAzureMlApi({
    workspace: ws,
    endpoint: ENDPOINT,
    target: "azure",
    env: {},
    credential: { getToken: async () => ({ token: "arm-token", expiresOnTimestamp: Date.now() + 3_600_000 }) },
    transport: async (r: PipelineRequest) => {
      requests.push(`${r.method} ${r.url.replace(ENDPOINT, "")}`);
      const next = answers.shift();
      if (!next) throw new Error(`unexpected ${r.method} ${r.url}`);
      return next;
    },
    lroSleep: async (ms) => void delays.push(ms),
    log: () => undefined,
  });
  return { api, requests, delays };
}

const json = (status: number, body: unknown, headers: Record<string, string> = {}): PipelineResponse => ({ status, headers: { "content-type": "application/json", ...headers }, body: JSON.stringify(body) });

describe("Azure ML long-running operations", () => {
  it("follows Azure-AsyncOperation, honours Retry-After, then reads the resource", async () => {
    const op = `${ENDPOINT}/subscriptions/s/providers/Microsoft.MachineLearningServices/locations/westeurope/computeOperationsStatus/op1?api-version=2025-12-01`;
    const { api, requests, delays } = scripted([
      json(201, { properties: { computeType: "Databricks", provisioningState: "Creating" } }, { "azure-asyncoperation": op, "retry-after": "3" }),
      json(200, { status: "InProgress" }, { "retry-after": "2" }),
      json(200, { status: "Succeeded" }),
      json(200, { id: `${WS}/computes/adb`, properties: { computeType: "Databricks", provisioningState: "Succeeded" } }),
    ]);
    const lines: string[] = [];
    const compute = await api.computes.createOrUpdate("adb", { properties: { computeType: "Databricks" } }, { log: (l) => lines.push(l) });
    assert.equal(compute.id, `${WS}/computes/adb`);
    assert.deepEqual(requests, [
      `PUT ${WS}/computes/adb?api-version=2025-12-01`,
      "GET /subscriptions/s/providers/Microsoft.MachineLearningServices/locations/westeurope/computeOperationsStatus/op1?api-version=2025-12-01",
      "GET /subscriptions/s/providers/Microsoft.MachineLearningServices/locations/westeurope/computeOperationsStatus/op1?api-version=2025-12-01",
      `GET ${WS}/computes/adb?api-version=2025-12-01`,
    ]);
    assert.deepEqual(delays, [2000]);
    assert.deepEqual(lines.map((l) => l.replace(/\(\d+\.\ds\)/, "(t)")), ['Azure ML compute "adb": InProgress (t)', 'Azure ML compute "adb": Succeeded (t)']);
  });

  it("reports a failed operation with the service's code and message, naming the operation", async () => {
    const { api } = scripted([
      json(201, {}, { "azure-asyncoperation": `${ENDPOINT}/ops/1`, "retry-after": "0" }),
      json(200, { status: "Failed", error: { code: "BadArgument", message: "The workspace URL does not answer." } }),
    ]);
    await assert.rejects(api.computes.createOrUpdate("adb", { properties: { computeType: "Databricks" } }, { log: () => undefined }), {
      name: "ArmError",
      code: "BadArgument",
      message: 'attach compute "adb" in Azure ML workspace "ws1" (resource group "rg") failed: BadArgument: The workspace URL does not answer.',
    });
  });

  it("polls Location after a 202 until it stops answering 202 (a detach)", async () => {
    const { api, requests } = scripted([json(202, {}, { location: `${ENDPOINT}/ops/2?x=1`, "retry-after": "1" }), json(202, {}, { "retry-after": "1" }), { status: 200, headers: {}, body: "" }]);
    assert.equal(await api.computes.delete("adb", "Detach", { log: () => undefined }), true);
    assert.deepEqual(requests, [`DELETE ${WS}/computes/adb?api-version=2025-12-01&underlyingResourceAction=Detach`, "GET /ops/2?x=1", "GET /ops/2?x=1"]);
  });

  it("refuses to poll (and send the token to) another host", async () => {
    const { api, requests } = scripted([json(201, {}, { "azure-asyncoperation": "https://elsewhere.example/ops/1" })]);
    await assert.rejects(api.schedules.createOrUpdate("s", { properties: { trigger: { triggerType: "Cron" }, action: { actionType: "CreateJob", jobDefinition: {} } } }, { log: () => undefined }), {
      code: "UNTRUSTED_HOST",
      message: 'put schedule "s" in Azure ML workspace "ws1" (resource group "rg") failed: UNTRUSTED_HOST: the service asked to poll https://elsewhere.example, not https://management.example.test; refusing to send the token there',
    });
    assert.equal(requests.length, 1);
  });

  it("reads ARM error bodies: code, message and details", async () => {
    const { api } = scripted([json(404, { error: { code: "UserError", message: "Not found.", details: [{ code: "NotFound", message: "Compute adb was not found." }] } })]);
    await assert.rejects(api.computes.get("adb"), {
      status: 404,
      code: "UserError",
      message: 'get compute "adb" in Azure ML workspace "ws1" (resource group "rg") failed: 404 UserError: Not found. (NotFound: Compute adb was not found.)',
    });
  });
});
