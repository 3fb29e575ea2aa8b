import * as assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { Stack } from "@pulumi/pulumi/automation";
import { DatabricksBlobMount, DatabricksRun, DatabricksSecret, DatabricksSecretScope, DatabricksWorkspaceItem } from "../../src";
import { RunningEmulator, startEmulator } from "../../src/emulator";
import { LOCAL_TOKEN_ENV, TARGET_ENV } from "../../src/core/target";
import { ensureEngine, inlineStack, offlineEnv, REPO_ROOT } from "../../scripts/localEngine";

/**
 * The Databricks side through the real engine against the emulator, which executes the notebook:
 * secret scope + secrets, a notebook imported from examples/, a blob mount, and a run whose
 * notebook reads a widget and the secret, writes through the mount and returns a result.
 */
describe("Databricks resources through the Pulumi engine", function () {
  this.timeout(10 * 60 * 1000);
  const apiToken = `tok-${randomBytes(12).toString("hex")}`;
  const storageKey = randomBytes(24).toString("base64");
  const reviewerKey = `rk-${randomBytes(12).toString("hex")}`;
  const token = randomBytes(16).toString("hex");
  let workDir: string;
  let notebookFile: string;
  let emulator: RunningEmulator;
  let stack: Stack;
  const cliOutput: string[] = [];
  const onOutput = (out: string) => cliOutput.push(out);

  const program = async () => {
    const config = new pulumi.Config();
    const scope = new DatabricksSecretScope("scope", { name: "pipeline" });
    const apiSecret = new DatabricksSecret("api-token", { scope: scope.name, key: "api-token", stringValue: config.requireSecret("apiToken") });
    const keySecret = new DatabricksSecret("storage-key", { scope: scope.name, key: "storage-key", stringValue: config.requireSecret("storageKey") });
    const notebook = new DatabricksWorkspaceItem("notebook", { path: "/Shared/pipeline/prepare_data", source: notebookFile });
    const mount = new DatabricksBlobMount("aml-data", {
      mountName: "aml-data",
      storageAccountName: "devstoreaccount1",
      containerName: "azureml-blobstore",
      accountKeyScope: scope.name,
      accountKeyName: "storage-key",
    }, { dependsOn: [keySecret] });
    const run = new DatabricksRun("prepare", {
      notebookTask: { notebookPath: notebook.workspacePath, baseParameters: { rows: "5", mount_point: mount.mountPoint } },
      newCluster: { sparkVersion: "15.4.x-scala2.12", nodeTypeId: "Standard_DS3_v2", numWorkers: 1 },
      codeHashes: [notebook.localContentHash],
      secureInput: { reviewer_key: config.requireSecret("reviewerKey") },
    }, { dependsOn: [apiSecret, mount, notebook] });
    return { result: run.notebookOutput, runPageUrl: run.runPageUrl, mountPoint: mount.mountPoint };
  };

  before(async function () {
    this.timeout(60 * 60 * 1000);
    const engineBin = ensureEngine();
    fs.mkdirSync(path.join(REPO_ROOT, ".local"), { recursive: true });
    workDir = fs.mkdtempSync(path.join(REPO_ROOT, ".local", "e2e-dbx-"));
    fs.writeFileSync(path.join(workDir, "Pulumi.yaml"), "name: e2e-databricks\nruntime: nodejs\n");
    notebookFile = path.join(workDir, "prepare_data.py");
    fs.copyFileSync(path.join(REPO_ROOT, "examples", "notebooks", "prepare_data.py"), notebookFile);
    emulator = await startEmulator({ port: 0, stateDir: path.join(workDir, "emulator"), token, databricks: { lifecycle: "immediate" } } as Parameters<typeof startEmulator>[0]);
    const env = offlineEnv({
      engineBin,
      backendDir: path.join(workDir, "state"),
      passphrase: randomBytes(16).toString("hex"),
      extra: { [TARGET_ENV]: "local", [LOCAL_TOKEN_ENV]: token, DATABRICKS_HOST: emulator.url },
    });
    stack = await inlineStack({ stackName: "e2e", workDir, program, env, engineBin });
    await stack.setConfig("apiToken", { value: apiToken, secret: true });
    await stack.setConfig("storageKey", { value: storageKey, secret: true });
    await stack.setConfig("reviewerKey", { value: reviewerKey, secret: true });
  });

  after(async () => {
    await emulator?.close();
    if (workDir) fs.rmSync(workDir, { recursive: true, force: true });
  });

  /** Runs the workspace still keeps (the control plane also lists deleted ones, marked so). */
  async function runs(): Promise<{ run_id: number; deleted?: boolean }[]> {
    const res = await fetch(`${emulator.url}/_emulator/databricks/runs`, { headers: { Authorization: `Bearer ${emulator.token}` } });
    const body = (await res.json()) as { runs?: { run_id: number; deleted?: boolean }[] } | { run_id: number; deleted?: boolean }[];
    return (Array.isArray(body) ? body : body.runs ?? []).filter((r) => !r.deleted);
  }

  it("executes the notebook on up and exports its result", async () => {
    const up = await stack.up({ onOutput });
    assert.deepEqual(up.summary.resourceChanges, { create: 7 });
    assert.deepEqual(JSON.parse(up.outputs.result.value), { rows: 5, output: "/mnt/aml-data/prepared/rows.json", tokenLength: apiToken.length });
    assert.match(up.outputs.runPageUrl.value, /#job\/\d+\/run\/\d+$/);
    assert.match(cliOutput.join(""), /Databricks run "prepare": run \d+ TERMINATED SUCCESS/);
    const read = await fetch(`${emulator.url}/api/2.0/dbfs/read?path=/mnt/aml-data/prepared/rows.json`, { headers: { Authorization: `Bearer ${token}` } });
    const rows = JSON.parse(Buffer.from(((await read.json()) as { data: string }).data, "base64").toString("utf8"));
    assert.deepEqual(rows, [0, 1, 2, 3, 4].map((i) => ({ id: i, square: i * i })));
  });

  it("re-runs nothing on an unchanged up", async () => {
    const before = (await runs()).length;
    const up = await stack.up({ onOutput });
    assert.deepEqual(up.summary.resourceChanges, { same: 7 });
    assert.equal((await runs()).length, before);
  });

  it("shows in preview --diff that editing the notebook updates the item and re-runs exactly the run", async () => {
    fs.appendFileSync(notebookFile, "\n# COMMAND ----------\n\nprint('edited')\n");
    const lines: string[] = [];
    const preview = await stack.preview({ diff: true, onOutput: (o) => (lines.push(o), onOutput(o)) });
    assert.deepEqual(preview.changeSummary, { same: 5, update: 1, replace: 1 });
    const text = lines.join("");
    assert.match(text, /~ pulumi-nodejs:dynamic\/azureml-databricks:DatabricksWorkspaceItem: \(update\)/);
    assert.match(text, /\+-pulumi-nodejs:dynamic\/azureml-databricks:DatabricksRun: \(replace\)/);
    const up = await stack.up({ onOutput });
    assert.deepEqual(up.summary.resourceChanges, { same: 5, update: 1, replace: 1 });
  });

  it("fails up with the notebook's exception text", async () => {
    const text = fs.readFileSync(notebookFile, "utf8");
    fs.writeFileSync(notebookFile, text.replace("dbutils.notebook.exit(", "raise RuntimeError('the input table is empty')\ndbutils.notebook.exit("));
    const failure = await stack.up({ onOutput }).then(() => assert.fail("up should fail"), (e: Error) => e);
    assert.match(failure.message, /RuntimeError: the input table is empty/);
    assert.match(failure.message, /Run page: http:\/\/127\.0\.0\.1:\d+\//);
  });

  it("keeps secret values out of the state, the CLI output and the request log", async () => {
    const state = filesUnder(path.join(workDir, "state")).map((f) => fs.readFileSync(f, "utf8")).join("\n");
    const requestLog = fs.readFileSync(path.join(workDir, "emulator", "requests.log"), "utf8");
    const output = cliOutput.join("");
    for (const [label, value] of Object.entries({ apiToken, storageKey, reviewerKey, token })) {
      assert.ok(!state.includes(value), `state leaks ${label}`);
      assert.ok(!output.includes(value), `CLI output leaks ${label}`);
      assert.ok(!requestLog.includes(value), `request log leaks ${label}`);
    }
  });

  it("destroy leaves the workspace empty", async () => {
    const destroy = await stack.destroy({ onOutput });
    assert.equal(destroy.summary.resourceChanges?.delete, 7);
    const headers = { Authorization: `Bearer ${token}` };
    const scopes = await (await fetch(`${emulator.url}/api/2.0/secrets/scopes/list`, { headers })).json();
    assert.deepEqual(scopes, {});
    assert.equal((await fetch(`${emulator.url}/api/2.0/workspace/get-status?path=/Shared/pipeline/prepare_data`, { headers })).status, 404);
    assert.deepEqual(await runs(), []);
  });
});

function filesUnder(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true, recursive: true }).filter((e) => e.isFile()).map((e) => path.join(e.parentPath, e.name));
}
