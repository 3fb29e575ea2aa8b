import * as assert from "node:assert/strict";
import * as path from "node:path";
import { checkEndpoint, diffEndpoint } from "../../../src/azureml/pipelineEndpoint/inputs";
import { readYamlFile } from "../../../src/azureml/shared/yamlFile";

const ws = { subscriptionId: "00000000-0000-0000-0000-000000000000", resourceGroupName: "rg", workspaceName: "ws1" };
const WS_ID = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg/providers/Microsoft.MachineLearningServices/workspaces/ws1";

describe("AmlPipelineEndpoint inputs", () => {
  it("resolves a registered component and azureml: settings to ARM ids, deployment 'default'", () => {
    const { inputs, failures } = checkEndpoint({ ...ws, endpointName: "nightly-ep", component: "azureml:nightly:1", settings: { default_compute: "azureml:cpu-cluster", continue_on_step_failure: "false" } }, "azure", {});
    assert.deepEqual(failures, []);
    assert.equal(inputs.componentId, `${WS_ID}/components/nightly/versions/1`);
    assert.equal(inputs.deploymentName, "default");
    assert.deepEqual(inputs.restSettings, { default_compute: `${WS_ID}/computes/cpu-cluster`, continue_on_step_failure: "false" });
  });

  it("registers a pipeline file as a pipeline component whose version follows its content", () => {
    const pipeline = readYamlFile(path.join(__dirname, "../../fixtures/azureml/examples/pipeline.yml"), "Pipeline file");
    const { inputs, failures } = checkEndpoint({ ...ws, endpointName: "nightly-ep", pipelineFile: pipeline.file, pipelineYaml: pipeline.doc }, "azure", {});
    assert.deepEqual(failures, []);
    const c = inputs.pipelineComponent as { name: string; version: string; spec: Record<string, unknown> };
    assert.equal(c.name, "nightly_ep_pipeline");
    assert.match(c.version, /^[0-9a-f]{16}$/);
    assert.equal(inputs.componentId, `${WS_ID}/components/nightly_ep_pipeline/versions/${c.version}`);
    assert.deepEqual(Object.keys(c.spec).sort(), ["_source", "display_name", "inputs", "jobs", "name", "outputs", "type", "version"]);
    assert.equal((c.spec.jobs as Record<string, { componentId: string }>).adb.componentId, `${WS_ID}/components/execute_databricks_notebook/versions/1`);
  });

  it("needs exactly one way to give the pipeline, and valid names", () => {
    assert.deepEqual(checkEndpoint({ ...ws, endpointName: "9x" }, "azure", {}).failures, [
      { property: "endpointName", reason: `endpointName "9x" is not valid: 3-32 letters, digits and '-', starting with a letter and not ending with '-'.` },
      { property: "component", reason: "give the pipeline: component (a registered pipeline component, azureml:<name>:<version>) or pipelineFile (a CLI v2 pipeline YAML)." },
    ]);
    assert.deepEqual(checkEndpoint({ ...ws, endpointName: "ep1", component: "azureml:a:1", pipelineFile: "/p.yml" }, "azure", {}).failures, [
      { property: "pipelineFile", reason: "component and pipelineFile are mutually exclusive: deploy a registered pipeline component or register one from a pipeline file, not both." },
    ]);
  });

  it("names invalid deployment names, settings and component references with what to give", () => {
    assert.deepEqual(checkEndpoint({ ...ws, endpointName: "ep1", component: "prep:1", deploymentName: "-x", settings: { a: 1 } }, "azure", {}).failures, [
      { property: "deploymentName", reason: `deploymentName "-x" is not valid: 1-32 letters, digits and '-', starting with a letter or digit.` },
      { property: "settings", reason: 'settings must map names to string values, e.g. { "default_compute": "azureml:cpu-cluster" }.' },
      { property: "component", reason: 'component "prep:1" is not a registered component: azureml:<name>:<version> or a component version\'s ARM id.' },
    ]);
  });

  it("a new pipeline or deployment updates; another endpoint name replaces", () => {
    const olds = checkEndpoint({ ...ws, endpointName: "ep1", component: "azureml:a:1" }, "azure", {}).inputs;
    const next = checkEndpoint({ ...ws, endpointName: "ep1", component: "azureml:a:2" }, "azure", {}).inputs;
    assert.deepEqual(diffEndpoint(olds, next), { changes: true, replaces: [], deleteBeforeReplace: false, changedKeys: ["componentId"] });
    assert.deepEqual(diffEndpoint(olds, { ...olds, endpointName: "ep2" }), { changes: true, replaces: ["endpointName"], deleteBeforeReplace: false, changedKeys: ["endpointName"] });
  });
});
