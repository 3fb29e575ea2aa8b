import * as assert from "node:assert/strict";
import { expectError } from "../../support/emulator";
import { local, lroHeaders, OPERATION_MS, OPERATIONS, systemData, useAzureMlEmulator, V, WS } from "./fixture";

const JOB = { jobType: "Pipeline", jobs: {}, settings: { default_compute: `${WS}/computes/cpu-cluster` } };
const SCHEDULE = { displayName: "nightly pipeline", properties: {}, tags: {}, trigger: { triggerType: "Cron", expression: "0 2 * * *", timeZone: "UTC" }, action: { actionType: "CreateJob", jobDefinition: JOB } };

describe("Azure ML emulator: schedules and batch endpoints", function () {
  this.timeout(30_000);
  const t = useAzureMlEmulator();

  it("creates a schedule as an LRO (201 Creating, the operation, then Succeeded), enabled unless told; disables it with a PUT (200 Updating)", async () => {
    const start = t.clock.now();
    const put = await t.call("PUT", `${WS}/schedules/nightly?api-version=2023-06-01-preview`, { properties: SCHEDULE });
    const h = lroHeaders(put);
    assert.deepEqual([put.status, h.location, h.retryAfter], [201, null, "1"]);
    const status = local(t, h.asyncOperation);
    assert.match(status, new RegExp(`^${OPERATIONS}/mfeOperationsStatus/[0-9a-f-]{36}\\?api-version=2023-06-01-preview$`));
    const expected = (state: string, isEnabled: boolean, modified: number) => ({
      id: `${WS}/schedules/nightly`,
      name: "nightly",
      type: "Microsoft.MachineLearningServices/workspaces/schedules",
      properties: { ...SCHEDULE, description: null, isEnabled, provisioningState: state },
      systemData: systemData(start, modified),
    });
    assert.deepEqual(put.body, expected("Creating", true, start));
    assert.equal((await t.call("GET", status)).body.status, "InProgress");
    t.clock.advance(OPERATION_MS);
    assert.equal((await t.call("GET", status)).body.status, "Succeeded");
    assert.deepEqual((await t.call("GET", `${WS}/schedules/nightly?${V}`)).body, expected("Succeeded", true, start + OPERATION_MS));
    const disable = await t.call("PUT", `${WS}/schedules/nightly?${V}`, { properties: { ...SCHEDULE, isEnabled: false } });
    assert.deepEqual([disable.status, disable.body.properties.provisioningState, disable.body.properties.isEnabled], [200, "Updating", false]);
    assert.deepEqual((await t.call("GET", `${WS}/schedules?${V}`)).body, { value: [] }, "EnabledOnly by default");
    assert.deepEqual((await t.call("GET", `${WS}/schedules?${V}&listViewType=DisabledOnly`)).body.value.map((s: { name: string }) => s.name), ["nightly"]);
    assert.deepEqual((await t.call("GET", `${WS}/schedules?${V}&listViewType=All`)).body.value.map((s: { name: string }) => s.name), ["nightly"]);
  });

  it("checks a schedule's trigger and action, naming the property", async () => {
    const bad = (properties: unknown, message: string) => expectError(t.call("PUT", `${WS}/schedules/s?${V}`, { properties }), 400, { error: { code: "UserError", message } });
    await bad({ ...SCHEDULE, trigger: undefined }, "Invalid request: properties.trigger is required and must be an object.");
    await bad({ ...SCHEDULE, trigger: { triggerType: "Daily" } }, "Invalid request: properties.trigger.triggerType must be one of Cron, Recurrence.");
    await bad({ ...SCHEDULE, trigger: { triggerType: "Cron", expression: "0 2 * *" } }, "Invalid request: properties.trigger.expression must be a cron expression of five fields (minute hour day month weekday).");
    await bad({ ...SCHEDULE, trigger: { triggerType: "Recurrence", frequency: "Day", interval: 0 } }, "Invalid request: properties.trigger.interval must be a positive integer.");
    await bad({ ...SCHEDULE, trigger: { triggerType: "Recurrence", frequency: "Fortnight", interval: 1 } }, "Invalid request: properties.trigger.frequency must be one of Minute, Hour, Day, Week, Month.");
    await bad({ ...SCHEDULE, trigger: { ...SCHEDULE.trigger, startTime: "tomorrow" } }, "Invalid request: properties.trigger.startTime must be an ISO 8601 date and time.");
    await bad({ ...SCHEDULE, action: { actionType: "CreateJob" } }, "Invalid request: properties.action.jobDefinition is required and must be a job's properties with its jobType.");
    await bad({ ...SCHEDULE, isEnabled: "yes" }, "Invalid request: properties.isEnabled must be true or false.");
    const recurrence = await t.call("PUT", `${WS}/schedules/weekly?${V}`, { properties: { ...SCHEDULE, trigger: { triggerType: "Recurrence", frequency: "Week", interval: 1, schedule: { hours: [2], minutes: [0], weekDays: ["Monday"] }, startTime: "2026-02-01T02:00:00", timeZone: "W. Europe Standard Time" } } });
    assert.equal(recurrence.status, 201);
  });

  it("deletes a schedule as an LRO (202, both headers, Deleting, then gone); 204 when there is none", async () => {
    await t.call("PUT", `${WS}/schedules/nightly?${V}`, { properties: SCHEDULE });
    t.clock.advance(OPERATION_MS);
    const del = await t.call("DELETE", `${WS}/schedules/nightly?${V}`);
    const h = lroHeaders(del);
    assert.equal(del.status, 202);
    assert.equal(local(t, h.asyncOperation).includes("/mfeOperationsStatus/"), true);
    assert.equal((await t.call("GET", `${WS}/schedules/nightly?${V}`)).body.properties.provisioningState, "Deleting");
    t.clock.advance(OPERATION_MS);
    assert.equal((await t.call("GET", local(t, h.location))).status, 200);
    await expectError(t.call("GET", `${WS}/schedules/nightly?${V}`), 404, { error: { code: "UserError", message: "Not found schedule nightly." } });
    assert.equal((await t.call("DELETE", `${WS}/schedules/nightly?${V}`)).status, 204);
  });

  it("publishes a pipeline as a batch endpoint with a pipeline-component deployment (LROs); the endpoint shows its invocation URI", async () => {
    const start = t.clock.now();
    await t.call("PUT", `${WS}/components/pipe/versions/1?${V}`, { properties: { componentSpec: { type: "pipeline", jobs: {} } } });
    const ep = await t.call("PUT", `${WS}/batchEndpoints/publish?${V}`, { location: "westeurope", properties: { authMode: "AADToken", defaults: { deploymentName: "default" } } });
    assert.deepEqual([ep.status, lroHeaders(ep).asyncOperation !== null], [201, true]);
    assert.deepEqual(ep.body, {
      id: `${WS}/batchEndpoints/publish`,
      name: "publish",
      type: "Microsoft.MachineLearningServices/workspaces/batchEndpoints",
      location: "westeurope",
      tags: {},
      properties: {
        authMode: "AADToken",
        defaults: { deploymentName: "default" },
        description: null,
        properties: {},
        scoringUri: `${t.emulator.url}/inference/local-aml/batchEndpoints/publish/jobs`,
        swaggerUri: null,
        provisioningState: "Creating",
      },
      systemData: systemData(start),
    });
    const configuration = { deploymentConfigurationType: "PipelineComponent", componentId: { referenceType: "Id", assetId: `${WS}/components/pipe/versions/1` }, settings: { default_compute: `${WS}/computes/cpu-cluster` } };
    const dep = await t.call("PUT", `${WS}/batchEndpoints/publish/deployments/default?${V}`, { location: "westeurope", properties: { deploymentConfiguration: configuration } });
    assert.deepEqual([dep.status, dep.body.id, dep.body.type, dep.body.properties], [
      201,
      `${WS}/batchEndpoints/publish/deployments/default`,
      "Microsoft.MachineLearningServices/workspaces/batchEndpoints/deployments",
      { deploymentConfiguration: configuration, description: null, properties: {}, provisioningState: "Creating" },
    ]);
    t.clock.advance(OPERATION_MS);
    assert.deepEqual((await t.call("GET", `${WS}/batchEndpoints/publish/deployments?${V}`)).body.value.map((d: { name: string; properties: { provisioningState: string } }) => [d.name, d.properties.provisioningState]), [["default", "Succeeded"]]);
    await expectError(t.call("PUT", `${WS}/batchEndpoints/publish/deployments/other?${V}`, { properties: { deploymentConfiguration: { ...configuration, componentId: { referenceType: "Id", assetId: `${WS}/components/pipe/versions/9` } } } }), 400, {
      error: { code: "UserError", message: `Invalid request: properties.deploymentConfiguration.componentId.assetId names '${WS}/components/pipe/versions/9', which does not exist in the workspace.` },
    });
    await expectError(t.call("PUT", `${WS}/batchEndpoints/publish/deployments/other?${V}`, { properties: { deploymentConfiguration: { deploymentConfigurationType: "Script" } } }), 400, {
      error: { code: "UserError", message: "Invalid request: properties.deploymentConfiguration.deploymentConfigurationType must be one of PipelineComponent, Model." },
    });
    await expectError(t.call("PUT", `${WS}/batchEndpoints/missing/deployments/d?${V}`, { properties: {} }), 404, { error: { code: "UserError", message: "Not found batch endpoint missing." } });
    await expectError(t.call("PUT", `${WS}/batchEndpoints/e2?${V}`, { properties: { authMode: "Password" } }), 400, { error: { code: "UserError", message: "Invalid request: properties.authMode must be one of AADToken, AMLToken, Key." } });
    const del = await t.call("DELETE", `${WS}/batchEndpoints/publish?${V}`);
    assert.equal(del.status, 202);
    t.clock.advance(OPERATION_MS);
    assert.equal((await t.call("GET", `${WS}/batchEndpoints/publish?${V}`)).status, 404);
    await expectError(t.call("GET", `${WS}/batchEndpoints/publish/deployments/default?${V}`), 404, { error: { code: "UserError", message: "Not found batch endpoint publish." } });
  });
});
