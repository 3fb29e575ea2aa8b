import * as assert from "node:assert/strict";
import { ManualClock } from "../../../src/emulator";
import type { EmulatorRequest, Route } from "../../../src/emulator";
import { resolveAzureMlConfig } from "../../../src/emulator/azureml/config";
import type { JobExecutor } from "../../../src/emulator/azureml/jobs";
import { createAzureMlProvider } from "../../../src/emulator/azureml/service";
import { TEST_CLOCK_START } from "../../support/emulator";
import { V, WS } from "./fixture";

/** A request to one of the provider's routes, as the dispatcher hands it over once routed. */
function request(method: string, route: Route, path: string, params: Record<string, string>, body?: unknown): EmulatorRequest {
  return {
    method,
    pathname: path,
    query: new URLSearchParams(V),
    headers: {},
    baseUrl: "https://127.0.0.1:1",
    params: { subscriptionId: "00000000-0000-0000-0000-0000000000a1", resourceGroupName: "rg-local", workspaceName: "local-aml", ...params },
    readJson: async () => body,
    readText: async () => JSON.stringify(body),
    bodyStream: () => assert.fail(`${route.operation} reads no stream`),
  };
}

describe("Azure ML emulator: the seam for a job executor", () => {
  it("tells the executor of each submission and cancellation; the executor moves the job on with setJobStatus", async () => {
    const told: string[] = [];
    const executor: JobExecutor = { submitted: (name) => told.push(`submitted ${name}`), cancelRequested: (name) => told.push(`cancel ${name}`) };
    const provider = createAzureMlProvider({ config: resolveAzureMlConfig(), tenantId: "t", clock: new ManualClock(TEST_CLOCK_START), executor });
    const route = (method: string, operation: string): Route => provider.routes.find((r) => r.method === method && r.operation === operation) ?? assert.fail(operation);
    const call = async (method: string, operation: string, body?: unknown) => route(method, operation).handle(request(method, route(method, operation), `${WS}/jobs/j1`, { id: "j1" }, body));
    assert.equal((await call("PUT", "create or update job", { properties: { jobType: "Pipeline" } })).status, 201);
    assert.deepEqual(told, ["submitted j1"]);
    assert.equal(provider.setJobStatus("j1", "Running"), true);
    assert.equal(((await call("GET", "get job")).body as { properties: { status: string } }).properties.status, "Running");
    assert.equal((await call("POST", "cancel job")).status, 202);
    assert.deepEqual(told, ["submitted j1", "cancel j1"]);
    assert.equal(((await call("GET", "get job")).body as { properties: { status: string } }).properties.status, "Canceled", "the cancel operation (0 ms) ends it");
    assert.equal(provider.setJobStatus("nope", "Running"), false);
    provider.close();
  });
});
