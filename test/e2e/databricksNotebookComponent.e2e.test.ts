import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as pulumi from "@pulumi/pulumi";
import { parse } from "yaml";
import { DATABRICKS_NOTEBOOK_COMPONENT_FILE, DatabricksNotebookComponent } from "../../src";
import { httpCaller, until } from "../support/emulator";
import { databricksRuns, importStepNotebook, stepInputs, storeDatabricksToken, submitDatabricksStep, type StepEmulator } from "../emulator/azureml/databricksStepFixture";
import { V, WS } from "../emulator/azureml/fixture";
import { useInlineStack } from "./support/inlineFixture";

/**
 * The shipped component through the real engine against the emulator: `DatabricksNotebookComponent`
 * registers the package's YAML and script (its version from the content), a pipeline job runs a
 * notebook with it, an unchanged `up` changes nothing, and destroy deletes the version.
 */
describe("DatabricksNotebookComponent through the Pulumi engine", function () {
  this.timeout(10 * 60 * 1000);

  const program = async () => {
    const config = new pulumi.Config();
    const ws = { subscriptionId: config.require("subscriptionId"), resourceGroupName: config.require("resourceGroupName"), workspaceName: config.require("workspaceName"), armEndpoint: config.require("armEndpoint") };
    const component = new DatabricksNotebookComponent("adb-component", ws);
    return { componentId: component.componentId, reference: component.reference, version: component.version };
  };

  const e2e = useInlineStack("e2e-adb-component", program);
  let t: StepEmulator;

  before(async () => {
    const aml = e2e.emulator.azureml;
    for (const [key, value] of Object.entries({ subscriptionId: aml.subscriptionId, resourceGroupName: aml.resourceGroup, workspaceName: aml.workspace, armEndpoint: e2e.emulator.url })) await e2e.stack.setConfig(key, { value });
    const call = httpCaller(e2e.emulator.url, e2e.token);
    t = { emulator: e2e.emulator, call, control: (method, route, body) => call(method, route, body) };
  });

  it("registers the shipped YAML unchanged, and a pipeline step of it runs the notebook; an unchanged up changes nothing; destroy deletes it", async () => {
    const up = await e2e.stack.up();
    assert.deepEqual(up.summary.resourceChanges, { create: 2 }, "the stack and the component");
    const version = String(up.outputs.version.value);
    assert.match(version, /^[0-9a-f]{16}$/);
    assert.equal(up.outputs.reference.value, `azureml:execute_databricks_notebook:${version}`);
    const componentId = String(up.outputs.componentId.value);
    assert.equal(componentId, `${WS}/components/execute_databricks_notebook/versions/${version}`);
    const spec = (await t.call("GET", `${componentId}?${V}`)).body.properties.componentSpec;
    const yaml = parse(fs.readFileSync(DATABRICKS_NOTEBOOK_COMPONENT_FILE, "utf8")) as Record<string, unknown>;
    assert.equal(spec.command, yaml.command);
    assert.equal(spec.environment, yaml.environment);
    assert.deepEqual(Object.keys(spec.inputs), Object.keys(yaml.inputs as object));

    await storeDatabricksToken(t);
    const notebookPath = await importStepNotebook(t, "e2e", 'dbutils.fs.put(dbutils.widgets.get("output_path") + "/from-e2e.txt", dbutils.widgets.get("output_folder"), True)');
    await submitDatabricksStep(t, "adb_e2e", componentId, stepInputs(t, notebookPath));
    let status = "";
    await until(
      () => `the pipeline is Completed (it is ${status})`,
      async () => {
        const job = (await t.call("GET", `${WS}/jobs/adb_e2e?${V}`)).body.properties;
        status = `${job.status} ${JSON.stringify(job.properties)}`;
        if (["Failed", "Canceled"].includes(job.status)) assert.fail(`the pipeline ended ${status}`);
        return job.status === "Completed";
      },
      120_000,
    );
    const runs = await databricksRuns(t);
    assert.deepEqual(runs.map((r) => r.state.result_state), ["SUCCESS"]);

    const again = await e2e.stack.up();
    assert.deepEqual(again.summary.resourceChanges, { same: 2 });

    await e2e.stack.destroy();
    assert.equal((await t.call("GET", `${componentId}?${V}`)).status, 404);
  });
});
