import * as assert from "node:assert/strict";
import { LOCAL_EMULATOR_CLIENT_ID } from "../../../src/emulator";
import { until, useEmulator, type Reply, type TestEmulator } from "../../support/emulator";
import { tokenFor, V, WS } from "./fixture";

const COMPUTE = `${WS}/computes/cpu-cluster`;
const STEPS = { score: { componentId: "azureml:score:1", inputs: { data: { jobInputType: "literal", value: "${{parent.inputs.data}}" } } } };
const PIPELINE = { componentSpec: { type: "pipeline", inputs: { data: { type: "uri_folder" }, n: { type: "integer" } }, jobs: STEPS } };
/** The body azure-ai-ml's `batch_endpoints.invoke(endpoint_name=..., inputs={...})` posts: a BatchJobResource with the inputs in `inputData`. */
const INVOCATION = {
  properties: {
    inputData: {
      data: { jobInputType: "UriFolder", uri: "azureml://datastores/workspaceblobstore/paths/in/", mode: "ReadOnlyMount" },
      n: { jobInputType: "Literal", value: "3" },
    },
  },
};

/** Posts `body` to `uri` (absolute) with `token` (`null`: no Authorization) and `headers`. */
async function invoke(uri: string, token: string | null, body: unknown, headers: Record<string, string> = {}): Promise<Reply> {
  const res = await fetch(uri, { method: "POST", headers: { "Content-Type": "application/json", ...(token === null ? {} : { Authorization: `Bearer ${token}` }), ...headers }, body: JSON.stringify(body) });
  const text = await res.text();
  return { status: res.status, headers: res.headers, body: text ? JSON.parse(text) : undefined, text };
}

/** Publishes the pipeline component `pipe` as endpoint `publish` (default deployment `main`, on cpu-cluster) with a second deployment `other`; returns the scoring URI. */
async function publish(t: TestEmulator): Promise<string> {
  const score = { componentSpec: { name: "score", version: "1", type: "command", command: "echo ${{inputs.data}}", environment: "azureml://registries/azureml/environments/sklearn-1.5/versions/1", inputs: { data: { type: "uri_folder" } } } };
  assert.ok([200, 201].includes((await t.call("PUT", `${WS}/components/score/versions/1?${V}`, { properties: score })).status));
  assert.equal((await t.call("PUT", `${WS}/components/pipe/versions/1?${V}`, { properties: PIPELINE })).status, 201);
  const endpoint = await t.call("PUT", `${WS}/batchEndpoints/publish?${V}`, { location: "westeurope", properties: { authMode: "AADToken", defaults: { deploymentName: "main" } } });
  const deployment = (settings: Record<string, string>, tags: Record<string, string>) => ({
    location: "westeurope",
    properties: { description: "scores", compute: COMPUTE, deploymentConfiguration: { deploymentConfigurationType: "PipelineComponent", componentId: { referenceType: "Id", assetId: `${WS}/components/pipe/versions/1` }, settings, tags } },
  });
  assert.equal((await t.call("PUT", `${WS}/batchEndpoints/publish/deployments/main?${V}`, deployment({}, { stage: "main" }))).status, 201);
  assert.equal((await t.call("PUT", `${WS}/batchEndpoints/publish/deployments/other?${V}`, deployment({ continue_on_step_failure: "true" }, { stage: "other" }))).status, 201);
  return endpoint.body.properties.scoringUri as string;
}

describe("Azure ML emulator: batch endpoint invocation (data plane)", function () {
  this.timeout(30_000);
  const t = useEmulator({ azureml: { runJobs: false } });

  it("runs an invocation with an Azure ML token as an ordinary pipeline job of the default deployment's pipeline component, and answers the batch job with its name", async () => {
    const scoringUri = await publish(t);
    assert.equal(scoringUri, `${t.emulator.url}/inference/local-aml/batchEndpoints/publish/jobs`);
    const reply = await invoke(scoringUri, await tokenFor(t, "https://ml.azure.com"), INVOCATION);
    assert.equal(reply.status, 200, reply.text);
    const name = reply.body.name as string;
    assert.match(name, /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    const at = new Date(t.clock.now()).toISOString();
    assert.deepEqual(reply.body, {
      id: `${WS}/jobs/${name}`,
      name,
      type: "Microsoft.MachineLearningServices/workspaces/jobs",
      properties: { description: "scores", inputData: INVOCATION.properties.inputData, outputData: {}, tags: { stage: "main" }, properties: {}, status: "NotStarted" },
      systemData: { createdAt: at, createdBy: LOCAL_EMULATOR_CLIENT_ID, createdByType: "Application", lastModifiedAt: at, lastModifiedBy: LOCAL_EMULATOR_CLIENT_ID, lastModifiedByType: "Application" },
    });
    const job = await t.call("GET", `${WS}/jobs/${name}?${V}`);
    const { services, ...properties } = job.body.properties;
    assert.deepEqual(properties, {
      jobType: "Pipeline",
      description: "scores",
      displayName: name,
      experimentName: "publish",
      isArchived: false,
      inputs: { data: { jobInputType: "uri_folder", uri: "azureml://datastores/workspaceblobstore/paths/in/", mode: "ReadOnlyMount" }, n: { jobInputType: "literal", value: "3" } },
      outputs: {},
      // The step's short component reference resolved at submission.
      jobs: { score: { ...STEPS.score, componentId: `${WS}/components/score/versions/1` } },
      settings: { default_compute: COMPUTE },
      tags: { stage: "main" },
      properties: {},
      status: "NotStarted",
    });
    assert.equal(typeof services.Studio.endpoint, "string");
  });

  it("runs the deployment the azureml-model-deployment header names; the emulator's own token is accepted", async () => {
    const scoringUri = await publish(t);
    const reply = await invoke(scoringUri, t.emulator.token, { properties: { inputData: {}, tags: { run: "7" } } }, { "azureml-model-deployment": "other" });
    assert.equal(reply.status, 200, reply.text);
    const job = await t.call("GET", `${WS}/jobs/${reply.body.name}?${V}`);
    assert.deepEqual([job.body.properties.settings, job.body.properties.tags], [{ continue_on_step_failure: "true", default_compute: COMPUTE }, { stage: "other", run: "7" }]);
  });

  it("refuses a call without a token or with a token for another audience, in the front door's words, and creates no job", async () => {
    const scoringUri = await publish(t);
    const none = await invoke(scoringUri, null, INVOCATION);
    assert.deepEqual([none.status, none.body], [401, { error: { code: "AuthenticationFailed", message: "Authentication failed. The 'Authorization' header is missing." } }]);
    const management = await invoke(scoringUri, await tokenFor(t, "https://management.azure.com"), INVOCATION);
    assert.deepEqual(
      [management.status, management.body],
      [
        401,
        {
          error: {
            code: "InvalidAuthenticationTokenAudience",
            message: "The access token has been obtained for wrong audience or resource 'https://management.azure.com'. It should exactly match with one of the allowed audiences 'https://ml.azure.com','https://ml.azure.com/'.",
          },
        },
      ],
    );
    const garbage = await invoke(scoringUri, "not-a-token", INVOCATION);
    assert.deepEqual([garbage.status, garbage.body.error.code], [401, "InvalidAuthenticationToken"]);
    assert.deepEqual((await t.call("GET", `${WS}/jobs?${V}`)).body, { value: [] });
  });

  it("answers an unknown endpoint or deployment, a model deployment and a bad body with the service's errors", async () => {
    const scoringUri = await publish(t);
    const token = await tokenFor(t, "https://ml.azure.com");
    const expect = async (reply: Promise<Reply>, status: number, message: string): Promise<void> => {
      const r = await reply;
      assert.deepEqual([r.status, r.body], [status, { error: { code: "UserError", message } }]);
    };
    await expect(invoke(scoringUri.replace("/publish/", "/nope/"), token, INVOCATION), 404, "Not found batch endpoint nope.");
    await expect(invoke(scoringUri, token, INVOCATION, { "azureml-model-deployment": "absent" }), 404, "Not found batch deployment absent of endpoint publish.");
    await expect(invoke(scoringUri, token, { properties: { inputData: { data: { jobInputType: "Folder", uri: "x" } } } }), 400, "Invalid request: properties.inputData.data.jobInputType must be one of UriFile, UriFolder, MLTable, Literal, CustomModel, MLFlowModel, TritonModel.");
    await expect(invoke(scoringUri, token, { inputData: {} }), 400, "Invalid request: properties is required and must be an object.");
    await t.call("PUT", `${WS}/batchEndpoints/publish/deployments/model?${V}`, { location: "westeurope", properties: { deploymentConfiguration: { deploymentConfigurationType: "Model" } } });
    await expect(invoke(scoringUri, token, INVOCATION, { "azureml-model-deployment": "model" }), 400, "The batch deployment model is not a pipeline component deployment; the emulator runs only those.");
    assert.deepEqual((await t.call("GET", `${WS}/jobs?${V}`)).body, { value: [] });
  });
});

describe("Azure ML emulator: jobs of invocations and schedules run", function () {
  this.timeout(30_000);
  const t = useEmulator();

  it("runs the pipeline job an invocation submits, and the one a schedule's firing submits, to Completed", async () => {
    const empty = { componentSpec: { type: "pipeline", jobs: {} } };
    assert.equal((await t.call("PUT", `${WS}/components/empty/versions/1?${V}`, { properties: empty })).status, 201);
    const endpoint = await t.call("PUT", `${WS}/batchEndpoints/run?${V}`, { location: "westeurope", properties: { defaults: { deploymentName: "d" } } });
    const configuration = { deploymentConfigurationType: "PipelineComponent", componentId: { referenceType: "Id", assetId: `${WS}/components/empty/versions/1` } };
    assert.equal((await t.call("PUT", `${WS}/batchEndpoints/run/deployments/d?${V}`, { location: "westeurope", properties: { compute: COMPUTE, deploymentConfiguration: configuration } })).status, 201);
    const invoked = await invoke(endpoint.body.properties.scoringUri, await tokenFor(t, "https://ml.azure.com"), { properties: {} });
    const schedule = { trigger: { triggerType: "Cron", expression: "* * * * *" }, action: { actionType: "CreateJob", jobDefinition: { jobType: "Pipeline", jobs: {}, settings: { default_compute: COMPUTE } } } };
    assert.equal((await t.call("PUT", `${WS}/schedules/minutely?${V}`, { properties: schedule })).status, 201);
    await t.clock.advance(60_000);
    const names = [invoked.body.name as string, "minutely-20260115T120100Z"];
    let seen: string[] = [];
    await until(
      () => `both jobs Completed (saw ${seen.join(", ")})`,
      async () => {
        seen = await Promise.all(names.map(async (n) => (await t.call("GET", `${WS}/jobs/${n}?${V}`)).body.properties.status as string));
        return seen.every((s) => s === "Completed");
      },
    );
  });
});
