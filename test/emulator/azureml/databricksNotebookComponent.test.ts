import * as assert from "node:assert/strict";
import { execFile } from "node:child_process";
import * as fs from "node:fs";
import * as http from "node:http";
import type { AddressInfo } from "node:net";
import * as os from "node:os";
import * as path from "node:path";
import { promisify } from "node:util";
import { DATABRICKS_NOTEBOOK_COMPONENT_DIR, DATABRICKS_NOTEBOOK_COMPONENT_FILE } from "../../../src/azureml";
import { checkComponent, type ComponentInputs } from "../../../src/azureml/component/inputs";
import * as component from "../../../src/azureml/component/lifecycle";
import { readComponentSource } from "../../../src/azureml/component/source";
import { runtimePython } from "../../../src/emulator/execution/pythonEnvs";
import { FAILED_TASK_MESSAGE } from "../../support/databricksWire";
import { until, type TestEmulator } from "../../support/emulator";
import { baseEnvironment, writeWheel } from "../../support/pythonPackages";
import { databricksRuns, importStepNotebook, MOUNT_POINT, runPage, stepInputs, storeDatabricksToken, submitDatabricksStep, TOKEN_SECRET, CLUSTER } from "./databricksStepFixture";
import { blobText, childJobs, datastoreContainer, jobOf, untilStatus } from "./executionFixture";
import { useAzureMlEmulator, V, WS } from "./fixture";

/** The state message of a run whose notebook task failed. */
const FAILED = `Task notebook failed with message: ${FAILED_TASK_MESSAGE}.`;

const SCRIPT = path.join(DATABRICKS_NOTEBOOK_COMPONENT_DIR, "code", "execute_databricks_notebook.py");

/** Writes the rows of widget `label` as parquet, and the parameters it got as text, into its output_path under the mount. */
const WRITE_PARQUET =
  'import os, pandas as pd\nout = "/dbfs" + dbutils.widgets.get("output_path")\nos.makedirs(out, exist_ok=True)\n' +
  'pd.DataFrame({"n": [1, 2, 3], "label": dbutils.widgets.get("label")}).to_parquet(out + "/part-0.parquet")\n' +
  'open(out + "/parameters.txt", "w").write(dbutils.widgets.get("output_path") + "|" + dbutils.widgets.get("output_folder") + "|" + dbutils.widgets.get("label"))';

/** The registered component's ARM id, registered by AmlComponent's provider from the shipped YAML, unchanged. */
async function registerShippedComponent(t: TestEmulator): Promise<string> {
  const e = t.emulator;
  const ws = { subscriptionId: e.azureml.subscriptionId, resourceGroupName: e.azureml.resourceGroup, workspaceName: e.azureml.workspace, armEndpoint: e.url };
  const { inputs, failures } = checkComponent({}, { ...ws, ...readComponentSource(DATABRICKS_NOTEBOOK_COMPONENT_FILE), versionFromContent: true });
  assert.deepEqual(failures, []);
  const printed: string[] = [];
  const log = console.log;
  console.log = (...args: unknown[]) => void printed.push(args.join(" "));
  try {
    const { id, outs } = await component.create(inputs as unknown as ComponentInputs);
    assert.equal(outs.reference, `azureml:execute_databricks_notebook:${outs.version}`);
    assert.deepEqual(printed, [`Azure ML component execute_databricks_notebook:${outs.version}: uploading 1 code file(s) from ${path.dirname(SCRIPT)}.`]);
    return id;
  } finally {
    console.log = log;
  }
}

/** The step's log (uploaded when its process has ended). */
async function stepLog(t: TestEmulator, childJob: string): Promise<string> {
  return blobText(await datastoreContainer(t), `azureml/${childJob}/user_logs/std_log.txt`);
}

/** The lines a step prints before polling: where the token comes from, and the run it submitted. */
function openingLines(t: TestEmulator, runId: number, notebookPath: string, folder: string, page: string): string[] {
  return [
    `reading the Databricks token from Key Vault secret ${TOKEN_SECRET} of ${t.emulator.keyVaultUrl}`,
    `Databricks run ${runId} of notebook ${notebookPath}, writing to ${MOUNT_POINT}/${folder}: ${page}`,
  ];
}

/** Asserts that `lines` are state lines of run `runId` (each a change), ending with `last`. */
function assertStateLines(lines: string[], runId: number, last: string): void {
  assert.ok(lines.length >= 1, "the step printed at least the final state");
  assert.equal(lines[lines.length - 1], last);
  for (const line of lines.slice(0, -1)) assert.match(line, new RegExp(`^Databricks run ${runId}: (PENDING|RUNNING|TERMINATING)( \\(.*\\))?$`));
  assert.equal(new Set(lines).size, lines.length, "each state line is a change");
}

/** What a step's process gets from the emulator (trust of its CA, the managed identity), plus `more`. */
function scriptEnv(t: TestEmulator, more: Record<string, string>): NodeJS.ProcessEnv {
  return { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "", ...t.emulator.clientEnv, ...t.emulator.managedIdentityEnv("azure-ml"), ...more };
}

/** The script's required arguments for `notebookPath` on the emulator's workspace. */
function scriptArgs(t: TestEmulator, notebookPath: string): string[] {
  return [SCRIPT, "--databricks-host", t.emulator.url, "--notebook-path", notebookPath, "--num-workers", CLUSTER.num_workers, "--node-type-id", CLUSTER.node_type_id, "--spark-version", CLUSTER.spark_version];
}

/** Runs the script as a step would (no shell); resolves with its output once it exited 0. */
function runScript(args: string[], env: NodeJS.ProcessEnv): Promise<{ stdout: string; stderr: string }> {
  return promisify(execFile)(runtimePython(), args, { env });
}

describe("The shipped execute_databricks_notebook component as a pipeline step on the emulator", function () {
  this.timeout(120_000);
  const t = useAzureMlEmulator();
  const saved = { ...process.env };

  before(async () => {
    await baseEnvironment();
    process.env.AMLDB_TARGET = "local";
    process.env.AMLDB_LOCAL_TOKEN = t.emulator.token;
    process.env.AMLDB_ARM_ENDPOINT = t.emulator.url;
  });
  after(() => {
    for (const k of ["AMLDB_TARGET", "AMLDB_LOCAL_TOKEN", "AMLDB_ARM_ENDPOINT"]) if (saved[k] === undefined) delete process.env[k];
    Object.assign(process.env, saved);
  });

  it("runs the notebook with the token from Key Vault: SUCCESS, state lines and run page in the step log, parquet in the step's output folder", async () => {
    await storeDatabricksToken(t);
    const notebookPath = await importStepNotebook(t, "write", WRITE_PARQUET);
    const componentId = await registerShippedComponent(t);
    const started = Date.now();
    await submitDatabricksStep(t, "adb_ok", componentId, stepInputs(t, notebookPath, { parameters: '{"label": "from aml"}' }));
    await untilStatus(t, "adb_ok", "Completed");
    console.log(`      (the Databricks step took ${Date.now() - started} ms)`);
    const child = (await childJobs(t, "adb_ok")).adb;
    const runs = await databricksRuns(t);
    assert.equal(runs.length, 1);
    const run = runs[0];
    assert.deepEqual(run.state, { life_cycle_state: "TERMINATED", result_state: "SUCCESS", state_message: "", user_cancelled_or_timedout: false });
    assert.equal(run.run_name, child.name);
    const folder = `azureml/${child.name}/output_path`;
    const page = await runPage(t, run.run_id);
    const lines = (await stepLog(t, child.name)).trimEnd().split("\n");
    assert.deepEqual(lines.slice(0, 2), openingLines(t, run.run_id, notebookPath, folder, page));
    assert.equal(lines[lines.length - 1], `Databricks run ${run.run_id} succeeded: ${page}`);
    assertStateLines(lines.slice(2, -1), run.run_id, `Databricks run ${run.run_id}: TERMINATED SUCCESS`);
    const container = await datastoreContainer(t);
    const written: string[] = [];
    for await (const blob of container.listBlobsFlat({ prefix: `${folder}/` })) written.push(blob.name);
    assert.deepEqual(written.sort(), [`${folder}/parameters.txt`, `${folder}/part-0.parquet`]);
    assert.equal(await blobText(container, `${folder}/parameters.txt`), `${MOUNT_POINT}/${folder}|${folder}|from aml`);
    const parquet = await container.getBlockBlobClient(`${folder}/part-0.parquet`).downloadToBuffer();
    assert.equal(parquet.subarray(0, 4).toString(), "PAR1");
    assert.deepEqual(child.properties.outputs, { output_path: { jobOutputType: "uri_folder", uri: `azureml://datastores/workspaceblobstore/paths/${folder}/` } });
  });

  it("installs the step's libraries (the Jobs API's form) on the run's cluster: the notebook imports one", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "aml-adb-libraries-"));
    try {
      const wheel = writeWheel(dir, "adbgreeting", "1.0.0", "HELLO = 'hello from the cluster library'\n");
      await storeDatabricksToken(t);
      const notebookPath = await importStepNotebook(t, "library", 'import adbgreeting\ndbutils.fs.put(dbutils.widgets.get("output_path") + "/greeting.txt", adbgreeting.HELLO, True)');
      await submitDatabricksStep(t, "adb_libraries", await registerShippedComponent(t), stepInputs(t, notebookPath, { libraries: JSON.stringify([{ whl: wheel }]) }));
      await untilStatus(t, "adb_libraries", "Completed");
      const child = (await childJobs(t, "adb_libraries")).adb;
      assert.equal(await blobText(await datastoreContainer(t), `azureml/${child.name}/output_path/greeting.txt`), "hello from the cluster library");
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it("a failing notebook fails the step and the pipeline with the notebook's exception and the run page", async () => {
    await storeDatabricksToken(t);
    const notebookPath = await importStepNotebook(t, "fails", 'raise ValueError("no trips on 2026-01-15")');
    await submitDatabricksStep(t, "adb_fails", await registerShippedComponent(t), stepInputs(t, notebookPath));
    const parent = await untilStatus(t, "adb_fails", "Failed");
    const [run] = await databricksRuns(t);
    assert.deepEqual(run.state, { life_cycle_state: "TERMINATED", result_state: "FAILED", state_message: FAILED, user_cancelled_or_timedout: false });
    const page = await runPage(t, run.run_id);
    const error = String(parent.properties["azureml.error"]);
    const child = (await childJobs(t, "adb_fails")).adb;
    assert.equal(child.properties.status, "Failed");
    assert.equal(child.properties.properties["azureml.error"], error);
    const lines = error.split("\n");
    assert.deepEqual(lines.slice(0, 3), ["step adb failed with exit code 1; the end of its log:", ...openingLines(t, run.run_id, notebookPath, `azureml/${child.name}/output_path`, page)]);
    const trace = lines.indexOf("Traceback (most recent call last):");
    assertStateLines(lines.slice(3, trace), run.run_id, `Databricks run ${run.run_id}: TERMINATED FAILED (${FAILED})`);
    assert.deepEqual(lines.slice(trace), [
      "Traceback (most recent call last):",
      '  File "<notebook cell 2>", line 1, in <module>',
      '    raise ValueError("no trips on 2026-01-15")',
      "ValueError: no trips on 2026-01-15",
      "task notebook failed: ValueError: no trips on 2026-01-15",
      `Databricks run ${run.run_id} ended FAILED: ${FAILED}`,
      `Databricks run page: ${page}`,
    ]);
  });

  it("cancelling the step while the notebook runs cancels the Databricks run (SIGTERM, then runs/cancel)", async () => {
    await storeDatabricksToken(t);
    const notebookPath = await importStepNotebook(t, "endless", "import time\nwhile True:\n    time.sleep(0.05)");
    await submitDatabricksStep(t, "adb_cancel", await registerShippedComponent(t), stepInputs(t, notebookPath));
    const running = await until("the Databricks run is RUNNING", async () => (await databricksRuns(t)).find((r) => r.state.life_cycle_state === "RUNNING"));
    assert.equal((await t.call("POST", `${WS}/jobs/adb_cancel/cancel?${V}`)).status, 202);
    const ended = await until("the Databricks run has ended", async () => (await databricksRuns(t)).find((r) => r.run_id === running.run_id && r.state.life_cycle_state === "TERMINATED"));
    assert.deepEqual(ended.state, { life_cycle_state: "TERMINATED", result_state: "CANCELED", state_message: "Run cancelled.", user_cancelled_or_timedout: true });
    const child = (await childJobs(t, "adb_cancel")).adb;
    assert.equal(child.properties.status, "Canceled");
    const log = await until("the step's log is uploaded", async () => (await datastoreContainer(t)).getBlockBlobClient(`azureml/${child.name}/user_logs/std_log.txt`).exists());
    assert.equal(log, true);
    const lines = (await stepLog(t, child.name)).trimEnd().split("\n");
    assert.equal(lines[lines.length - 1], `the step was cancelled: cancelled Databricks run ${running.run_id}: ${await runPage(t, running.run_id)}`);
    assert.equal((await jobOf(t, "adb_cancel")).status, "CancelRequested");
  });

  it("a retried step (the same AZUREML_RUN_ID) adopts the Databricks run of its first attempt: one run", async () => {
    await storeDatabricksToken(t);
    const notebookPath = await importStepNotebook(t, "write", WRITE_PARQUET);
    const env = scriptEnv(t, { AZUREML_RUN_ID: "retried_step_run" });
    const args = [
      ...scriptArgs(t, notebookPath),
      "--keyvault-url",
      t.emulator.keyVaultUrl,
      "--keyvault-secret-name",
      TOKEN_SECRET,
      "--parameters",
      '{"label": "retried"}',
      "--output-path",
      "azureml://subscriptions/s/resourcegroups/rg/workspaces/w/datastores/workspaceblobstore/paths/azureml/retried_step_run/output_path/",
    ];
    const attempt = async () => (await runScript(args, env)).stdout.trimEnd().split("\n");
    const first = await attempt();
    const second = await attempt();
    const runs = await databricksRuns(t);
    assert.equal(runs.length, 1);
    const [run] = runs;
    assert.equal(run.run_name, "retried_step_run");
    assert.match(String(run.idempotency_token), /^azureml-[0-9a-f]{48}$/);
    const page = await runPage(t, run.run_id);
    const opening = openingLines(t, run.run_id, notebookPath, "azureml/retried_step_run/output_path", page);
    assert.deepEqual(first.slice(0, 2), opening);
    assert.deepEqual(second, [...opening, `Databricks run ${run.run_id}: TERMINATED SUCCESS`, `Databricks run ${run.run_id} succeeded: ${page}`]);
    assert.equal(await blobText(await datastoreContainer(t), "azureml/retried_step_run/output_path/parameters.txt"), `${MOUNT_POINT}/azureml/retried_step_run/output_path|azureml/retried_step_run/output_path|retried`);
  });

  it("without Key Vault: takes DATABRICKS_TOKEN, and retries a 429 and a 503 (Retry-After) on runs/submit", async () => {
    const notebookPath = await importStepNotebook(t, "write", WRITE_PARQUET);
    assert.equal((await t.control("POST", "/_emulator/faults", [{ status: 429, count: 1, retryAfterSeconds: 0 }, { status: 503, count: 1, retryAfterSeconds: 0 }])).status, 200);
    const { stdout, stderr } = await runScript([...scriptArgs(t, notebookPath), "--parameters", '{"label": "token"}'], scriptEnv(t, { AZUREML_RUN_ID: "token_run", DATABRICKS_TOKEN: t.emulator.token }));
    const [run] = await databricksRuns(t);
    const page = await runPage(t, run.run_id);
    const lines = stdout.trimEnd().split("\n");
    const submit = `submit a run of notebook ${notebookPath} in Databricks workspace ${t.emulator.url}`;
    assert.deepEqual(lines.slice(0, 4), [
      "using the Databricks token of DATABRICKS_TOKEN",
      `${submit}: HTTP 429; retrying in 0.0 s`,
      `${submit}: HTTP 503; retrying in 0.0 s`,
      `Databricks run ${run.run_id} of notebook ${notebookPath}, writing to ${MOUNT_POINT}/azureml/token_run/output_path: ${page}`,
    ]);
    assert.equal(lines[lines.length - 1], `Databricks run ${run.run_id} succeeded: ${page}`);
    assert.equal(stderr, "");
    assert.equal(stdout.includes(t.emulator.token), false, "the token is never printed");
  });

  it("without Key Vault nor DATABRICKS_TOKEN: an Azure AD token of the managed identity for Azure Databricks", async () => {
    const notebookPath = await importStepNotebook(t, "write", WRITE_PARQUET);
    const { stdout } = await runScript([...scriptArgs(t, notebookPath), "--parameters", '{"label": "aad"}'], scriptEnv(t, { AZUREML_RUN_ID: "aad_run" }));
    const [run] = await databricksRuns(t);
    const lines = stdout.trimEnd().split("\n");
    assert.equal(lines[0], "using an Azure AD token of the managed identity for Azure Databricks");
    assert.equal(lines[lines.length - 1], `Databricks run ${run.run_id} succeeded: ${await runPage(t, run.run_id)}`);
    assert.equal(await blobText(await datastoreContainer(t), "azureml/aad_run/output_path/parameters.txt"), `${MOUNT_POINT}/azureml/aad_run/output_path|azureml/aad_run/output_path|aad`);
  });

  it("a refused token fails the step naming the operation, the workspace and Databricks' own code and message, never the token", async () => {
    const notebookPath = await importStepNotebook(t, "write", WRITE_PARQUET);
    const refused = "dapi-not-a-token-of-this-workspace";
    const failed = await runScript(scriptArgs(t, notebookPath), scriptEnv(t, { AZUREML_RUN_ID: "refused_run", DATABRICKS_TOKEN: refused })).then(
      () => assert.fail("the script succeeded"),
      (err: { code: number; stdout: string; stderr: string }) => err,
    );
    assert.equal(failed.code, 1);
    assert.equal(failed.stdout, "using the Databricks token of DATABRICKS_TOKEN\n");
    assert.equal(failed.stderr, `submit a run of notebook ${notebookPath} in Databricks workspace ${t.emulator.url} failed: HTTP 403 PERMISSION_DENIED: Invalid access token.\n`);
    assert.deepEqual(await databricksRuns(t), []);
  });

  it("never follows a redirect with the token: a 302 fails the call, and its target gets no request", async () => {
    const reached: string[] = [];
    const target = http.createServer((req, res) => {
      reached.push(`${req.method} ${req.url} ${req.headers.authorization ?? "no token"}`);
      res.end("{}");
    });
    const redirecting = http.createServer((req, res) => {
      res.writeHead(302, { Location: `http://127.0.0.1:${(target.address() as AddressInfo).port}${req.url}` });
      res.end();
    });
    await Promise.all([target, redirecting].map((server) => new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve))));
    try {
      const host = `http://127.0.0.1:${(redirecting.address() as AddressInfo).port}`;
      const failed = await runScript(scriptArgs(t, "/Shared/aml/any").map((a) => (a === t.emulator.url ? host : a)), scriptEnv(t, { AZUREML_RUN_ID: "redirected_run", DATABRICKS_TOKEN: "dapi-redirected" })).then(
        () => assert.fail("the script succeeded"),
        (err: { code: number; stderr: string }) => err,
      );
      assert.equal(failed.code, 1);
      assert.equal(failed.stderr, `submit a run of notebook /Shared/aml/any in Databricks workspace ${host} failed: HTTP 302 Found: a redirect to http://127.0.0.1:${(target.address() as AddressInfo).port}/api/2.1/jobs/runs/submit, not followed\n`);
      assert.deepEqual(reached, []);
    } finally {
      target.close();
      redirecting.close();
    }
  });
});
