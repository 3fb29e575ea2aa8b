import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { parse } from "yaml";
import { until } from "../../support/emulator";
import { baseEnvironment } from "../../support/pythonPackages";
import { databricksRuns, importStepNotebook, stepInputs, storeDatabricksToken, submitDatabricksStep } from "./databricksStepFixture";
import { blobText, childJobs, datastoreContainer, jobOf, registerComponent, uploadCode } from "./executionFixture";
import { useAzureMlEmulator, V, WS } from "./fixture";

const FIXTURE = path.join(__dirname, "../../fixtures/azureml/seedStyle");

/**
 * What databricks-sdk 0.162 logs when a workspace does not serve its host metadata: the emulator
 * does not serve `/.well-known/databricks-config` (yet); the SDK falls back to the given host and token.
 */
const hostMetadataWarning = (host: string) =>
  `WARNING:databricks.sdk:Failed to automatically resolve config from host metadata: Failed to fetch host metadata from ${host}/.well-known/databricks-config: 404 - File or directory not found.. Falling back to explicit user provided configuration.`;

/** How long the step may take: the first run builds its environment's venv (pip from PyPI). */
const STEP_LIMIT_MS = 600_000;

/**
 * A step written the way the seed's databricks_control.py is — DefaultAzureCredential and the
 * Key Vault client for the token, the official Databricks SDK for Python to submit and poll, all
 * from its environment's conda file — run on the emulator: the managed identity, the CA bundle
 * and the environment's venv do their job.
 */
describe("A seed-style Databricks step (azure-identity, azure-keyvault-secrets, databricks-sdk) as a pipeline step on the emulator", function () {
  this.timeout(STEP_LIMIT_MS + 60_000);
  const t = useAzureMlEmulator();

  before(async () => baseEnvironment());

  it("reads the token from Key Vault with the managed identity, runs the notebook with databricks-sdk, and the notebook writes the step's output folder through the mount", async () => {
    await storeDatabricksToken(t);
    const notebookPath = await importStepNotebook(
      t,
      "seed",
      'output_location = "/mnt/azuremlblobstore/" + dbutils.widgets.getArgument("output_folder")\ndbutils.fs.put(output_location + "/done.txt", "written by the seed-style step", True)',
    );
    const condaFile = fs.readFileSync(path.join(FIXTURE, "conda.yml"), "utf8");
    assert.equal((await t.call("PUT", `${WS}/environments/databricks-sdk/versions/1?${V}`, { properties: { image: "mcr.microsoft.com/azureml/openmpi4.1.0-ubuntu20.04:latest", condaFile } })).status, 201);
    const code = await uploadCode(t, "seed-style-code", { "databricks_control.py": fs.readFileSync(path.join(FIXTURE, "src/databricks_control.py"), "utf8") });
    const { $schema: _schema, code: _code, ...yaml } = parse(fs.readFileSync(path.join(FIXTURE, "databricks-component.yml"), "utf8")) as Record<string, unknown>;
    const componentId = await registerComponent(t, String(yaml.name), { ...yaml, code, environment: `azureml:${WS}/environments/databricks-sdk/versions/1` });

    const started = Date.now();
    await submitDatabricksStep(t, "seed_style", componentId, stepInputs(t, notebookPath));
    let status = "";
    await until(
      () => `the seed-style pipeline is Completed (it is ${status})`,
      async () => {
        const job = await jobOf(t, "seed_style");
        status = `${job.status} ${JSON.stringify(job.properties)}`;
        if (["Failed", "Canceled"].includes(job.status)) assert.fail(`the pipeline ended ${status}`);
        return job.status === "Completed";
      },
      STEP_LIMIT_MS,
    );
    console.log(`      (the seed-style step, its venv included when not cached, took ${Date.now() - started} ms)`);

    const child = (await childJobs(t, "seed_style")).adb;
    const [run] = await databricksRuns(t);
    assert.equal(run.run_name, child.name);
    assert.deepEqual(run.state, { life_cycle_state: "TERMINATED", result_state: "SUCCESS", state_message: "", user_cancelled_or_timedout: false });
    const container = await datastoreContainer(t);
    assert.equal(await blobText(container, `azureml/${child.name}/output_path/done.txt`), "written by the seed-style step");
    const log = (await blobText(container, `azureml/${child.name}/user_logs/std_log.txt`)).trimEnd().split("\n");
    assert.deepEqual(log.slice(0, 4), [
      "getting secret from key vault... done",
      `creating databricks workspace client... ${hostMetadataWarning(t.emulator.url)}`,
      "done",
      "submitting databricks run... done",
    ]);
    assert.equal(log[log.length - 1], `run ${run.run_id} ended SUCCESS`);
    assert.equal(log[log.length - 2], `state of run ${run.run_id} is TERMINATED`);
  });
});
