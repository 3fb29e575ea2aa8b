import * as assert from "node:assert/strict";
import { expectError } from "../../support/emulator";
import { local, lroHeaders, OPERATION_MS, OPERATIONS, systemData, useAzureMlEmulator, V, WS } from "./fixture";

const PIPELINE = {
  jobType: "Pipeline",
  displayName: "emu-pipeline",
  experimentName: "emu-exp",
  tags: {},
  properties: {},
  isArchived: false,
  inputs: { n_param: { jobInputType: "literal", value: "5" } },
  outputs: { final: { jobOutputType: "uri_folder", mode: "ReadWriteMount" } },
  settings: { default_compute: `${WS}/computes/cpu-cluster`, default_datastore: `${WS}/datastores/workspaceblobstore`, _source: "YAML.JOB" },
  jobs: { step1: { name: "step1", type: "command", componentId: `${WS}/components/prep_data/versions/1`, inputs: { n: { job_input_type: "literal", value: "${{parent.inputs.n_param}}" } } } },
};

describe("Azure ML emulator: jobs", function () {
  this.timeout(30_000);
  // The control plane alone: jobs stay as submitted (execution.test.ts runs them).
  const t = useAzureMlEmulator({ azureml: { runJobs: false } });
  beforeEach(async () => {
    assert.equal((await t.call("PUT", `${WS}/components/prep_data/versions/1?${V}`, { properties: { componentSpec: { type: "command", command: "python main.py" } } })).status, 201);
  });

  it("submits a pipeline job: 201, the body echoed with NotStarted and its services; GET and list show it", async () => {
    const start = t.clock.now();
    const put = await t.call("PUT", `${WS}/jobs/red_dog_q9?api-version=2024-01-01-preview`, { properties: PIPELINE });
    const expected = {
      id: `${WS}/jobs/red_dog_q9`,
      name: "red_dog_q9",
      type: "Microsoft.MachineLearningServices/workspaces/jobs",
      properties: {
        ...PIPELINE,
        description: null,
        status: "NotStarted",
        services: {
          Studio: { jobServiceType: "Studio", endpoint: `${t.emulator.url}/runs/red_dog_q9?wsid=/subscriptions/00000000-0000-0000-0000-0000000000a1/resourcegroups/rg-local/workspaces/local-aml`, status: null },
          Tracking: { jobServiceType: "Tracking", endpoint: `azureml://westeurope.api.azureml.ms/mlflow/v1.0${WS}?`, status: null },
        },
      },
      systemData: systemData(start),
    };
    assert.deepEqual([put.status, put.body], [201, expected]);
    assert.deepEqual((await t.call("GET", `${WS}/jobs/red_dog_q9?${V}`)).body, expected);
    assert.deepEqual((await t.call("GET", `${WS}/jobs?${V}`)).body, { value: [expected] });
    assert.deepEqual((await t.call("GET", `${WS}/jobs?${V}&jobType=Command`)).body, { value: [] });
    assert.deepEqual((await t.call("GET", `${WS}/jobs?${V}&listViewType=ArchivedOnly`)).body, { value: [] });
  });

  it("takes a re-PUT that changes only mutable fields (200) and refuses any other change (409)", async () => {
    await t.call("PUT", `${WS}/jobs/j1?${V}`, { properties: PIPELINE });
    const same = await t.call("PUT", `${WS}/jobs/j1?${V}`, { properties: { ...PIPELINE, displayName: "renamed", tags: { team: "a" } } });
    assert.deepEqual([same.status, same.body.properties.displayName, same.body.properties.tags, same.body.properties.status], [200, "renamed", { team: "a" }, "NotStarted"]);
    await expectError(t.call("PUT", `${WS}/jobs/j1?${V}`, { properties: { ...PIPELINE, experimentName: "other" } }), 409, {
      error: { code: "UserError", message: "Job j1 already exists; only its displayName, description, tags, properties and isArchived can change." },
    });
  });

  it("refuses a job it cannot take, in the service's words", async () => {
    const bad = (properties: unknown, message: string) => expectError(t.call("PUT", `${WS}/jobs/bad?${V}`, { properties }), 400, { error: { code: "UserError", message } });
    await bad({ jobType: "Batch" }, "Invalid request: properties.jobType must be one of AutoML, Command, Sweep, Pipeline, Spark.");
    await bad({ jobType: "Command", environmentId: "e" }, "Invalid request: properties.command is required and must be a non-empty string.");
    await bad({ jobType: "Command", command: "python x.py" }, "Invalid request: properties.environmentId is required and must be a non-empty string.");
    await bad({ jobType: "Pipeline", jobs: [] }, "Invalid request: properties.jobs must be an object.");
    await bad({ jobType: "Pipeline", settings: { default_compute: `${WS}/computes/missing` } }, `Invalid request: properties.settings.default_compute names '${WS}/computes/missing', which does not exist in the workspace.`);
    await bad({ jobType: "Command", command: "x", environmentId: "e", computeId: `azureml:${WS}/computes/missing` }, `Invalid request: properties.computeId names 'azureml:${WS}/computes/missing', which does not exist in the workspace.`);
    await bad({ jobType: "Pipeline", jobs: { s1: { componentId: `${WS}/components/prep_data/versions/2` } } }, `Invalid request: properties.jobs.s1.componentId names '${WS}/components/prep_data/versions/2', which does not exist in the workspace.`);
    await bad({ jobType: "Pipeline", jobs: { s1: "step" } }, "Invalid request: properties.jobs.s1 must be an object.");
    await expectError(t.call("GET", `${WS}/jobs/nope?${V}`), 404, { error: { code: "UserError", message: "Not found job nope." } });
    await expectError(t.call("POST", `${WS}/jobs/nope/cancel?${V}`), 404, { error: { code: "UserError", message: "Not found job nope." } });
  });

  it("cancels as 202 + Location: CancelRequested, the result 202 until the operation ends, then Canceled; a second cancel is a plain 200", async () => {
    await t.call("PUT", `${WS}/jobs/j2?${V}`, { properties: PIPELINE });
    const cancel = await t.call("POST", `${WS}/jobs/j2/cancel?api-version=2023-04-01-preview`);
    const h = lroHeaders(cancel);
    assert.deepEqual([cancel.status, cancel.text, h.asyncOperation, h.retryAfter], [202, "", null, "1"]);
    const result = local(t, h.location);
    assert.match(result, new RegExp(`^${OPERATIONS}/mfeOperationResults/[0-9a-f-]{36}\\?api-version=2023-04-01-preview$`));
    assert.equal((await t.call("GET", `${WS}/jobs/j2?${V}`)).body.properties.status, "CancelRequested");
    assert.equal((await t.call("GET", result)).status, 202);
    t.clock.advance(OPERATION_MS);
    assert.deepEqual((await t.call("GET", result)).status, 200);
    assert.equal((await t.call("GET", `${WS}/jobs/j2?${V}`)).body.properties.status, "Canceled");
    const again = await t.call("POST", `${WS}/jobs/j2/cancel?${V}`);
    assert.deepEqual([again.status, again.headers.get("location")], [200, null]);
  });

  it("deletes as 202 + Location, gone once the operation ends; 204 for a job that is not there", async () => {
    await t.call("PUT", `${WS}/jobs/j3?${V}`, { properties: PIPELINE });
    const del = await t.call("DELETE", `${WS}/jobs/j3?${V}`);
    assert.deepEqual([del.status, lroHeaders(del).asyncOperation], [202, null]);
    const result = local(t, del.headers.get("location"));
    assert.equal((await t.call("GET", result)).status, 202);
    t.clock.advance(OPERATION_MS);
    assert.equal((await t.call("GET", result)).status, 200);
    assert.equal((await t.call("GET", `${WS}/jobs/j3?${V}`)).status, 404);
    assert.equal((await t.call("DELETE", `${WS}/jobs/j3?${V}`)).status, 204);
  });
});
