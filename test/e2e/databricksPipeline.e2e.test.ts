import * as assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { BlobServiceClient, StorageSharedKeyCredential } from "@azure/storage-blob";
import { DatabricksBlobMount, DatabricksRun, DatabricksSecret, DatabricksSecretScope, DatabricksWorkspaceItem } from "../../src";
import { REPO_ROOT } from "../../scripts/localEngine";
import { filesUnder, useInlineStack } from "./support/inlineFixture";

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
  let notebookFile: string;
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
      storageAccountName: "amlstore",
      containerName: "azureml-blobstore",
      accountKeyScope: keySecret.scope,
      accountKeyName: keySecret.key,
    });
    const run = new DatabricksRun("prepare", {
      notebookTask: {
        notebookPath: notebook.workspacePath,
        baseParameters: { rows: "5", mount_point: mount.mountPoint, token_scope: apiSecret.scope, token_key: apiSecret.key },
      },
      newCluster: { sparkVersion: "15.4.x-scala2.12", nodeTypeId: "Standard_DS3_v2", numWorkers: 1 },
      codeHashes: [notebook.localContentHash],
      secureInput: { reviewer_key: config.requireSecret("reviewerKey") },
    });
    return { result: run.notebookOutput, runPageUrl: run.runPageUrl, mountPoint: mount.mountPoint };
  };

  // The storage account is one of the emulator's own, with a key nobody else knows.
  const e2e = useInlineStack("e2e-databricks", program, { blobStorage: { accounts: { amlstore: storageKey } } });

  before(async () => {
    notebookFile = path.join(e2e.workDir, "prepare_data.py");
    fs.copyFileSync(path.join(REPO_ROOT, "examples", "notebooks", "prepare_data.py"), notebookFile);
    await e2e.stack.setConfig("apiToken", { value: apiToken, secret: true });
    await e2e.stack.setConfig("storageKey", { value: storageKey, secret: true });
    await e2e.stack.setConfig("reviewerKey", { value: reviewerKey, secret: true });
  });

  /** Runs the workspace still keeps (the control plane also lists deleted ones, marked so). */
  async function runs(): Promise<{ run_id: number; deleted?: boolean }[]> {
    const res = await fetch(`${e2e.emulator.url}/_emulator/databricks/runs`, { headers: { Authorization: `Bearer ${e2e.emulator.token}` } });
    const body = (await res.json()) as { runs?: { run_id: number; deleted?: boolean }[] } | { run_id: number; deleted?: boolean }[];
    return (Array.isArray(body) ? body : body.runs ?? []).filter((r) => !r.deleted);
  }

  it("executes the notebook on up and exports its result", async () => {
    const up = await e2e.stack.up({ onOutput });
    assert.deepEqual(up.summary.resourceChanges, { create: 7 });
    assert.deepEqual(JSON.parse(up.outputs.result.value), { rows: 5, output: "/mnt/aml-data/prepared/rows.json", tokenLength: apiToken.length });
    assert.match(up.outputs.runPageUrl.value, /#job\/\d+\/run\/\d+$/);
    assert.match(cliOutput.join(""), /Databricks run "prepare": run \d+ TERMINATED SUCCESS/);
    const read = await fetch(`${e2e.emulator.url}/api/2.0/dbfs/read?path=/mnt/aml-data/prepared/rows.json`, { headers: { Authorization: `Bearer ${e2e.token}` } });
    const rows = JSON.parse(Buffer.from(((await read.json()) as { data: string }).data, "base64").toString("utf8"));
    assert.deepEqual(rows, [0, 1, 2, 3, 4].map((i) => ({ id: i, square: i * i })));
    // ... because the notebook wrote it into the mounted container, where a storage client finds it.
    const container = new BlobServiceClient(`${e2e.emulator.blobUrl}/amlstore`, new StorageSharedKeyCredential("amlstore", storageKey)).getContainerClient("azureml-blobstore");
    assert.deepEqual(JSON.parse((await container.getBlobClient("prepared/rows.json").downloadToBuffer()).toString("utf8")), rows);
  });

  it("re-runs nothing on an unchanged up", async () => {
    const before = (await runs()).length;
    const up = await e2e.stack.up({ onOutput });
    assert.deepEqual(up.summary.resourceChanges, { same: 7 });
    assert.equal((await runs()).length, before);
  });

  it("shows in preview --diff that editing the notebook updates the item and re-runs exactly the run", async () => {
    fs.appendFileSync(notebookFile, "\n# COMMAND ----------\n\nprint('edited')\n");
    const lines: string[] = [];
    const preview = await e2e.stack.preview({ diff: true, onOutput: (o) => (lines.push(o), onOutput(o)) });
    assert.deepEqual(preview.changeSummary, { same: 5, update: 1, replace: 1 });
    const text = lines.join("");
    assert.match(text, /~ pulumi-nodejs:dynamic\/azureml-databricks:DatabricksWorkspaceItem: \(update\)/);
    assert.match(text, /\+-pulumi-nodejs:dynamic\/azureml-databricks:DatabricksRun: \(replace\)/);
    // Each names the property behind it: the item its file, the run the code hash it was given
    // (codeHashes: the item's content hash); none of the outputs a new run recomputes.
    assert.match(text, /DatabricksWorkspaceItem: \(update\)\n(?: {8}\[.*\]\n)+ {6}~ codeFiles: \{\n {10}~ [^\n]*prepare_data\.py: "[0-9a-f]{64}" => "[0-9a-f]{64}"\n {8}\}\n/);
    assert.match(text, /DatabricksRun: \(replace\)\n(?: {8}\[.*\]\n)+ {6}~ codeHash: "[0-9a-f]{64}" => (?:"[0-9a-f]{64}"|\[unknown\])\n/);
    assert.doesNotMatch(text, /runPageUrl|notebookOutput|lifeCycleState|objectId/);
    const up = await e2e.stack.up({ onOutput });
    assert.deepEqual(up.summary.resourceChanges, { same: 5, update: 1, replace: 1 });
  });

  it("fails up with the notebook's exception text", async () => {
    const text = fs.readFileSync(notebookFile, "utf8");
    fs.writeFileSync(notebookFile, text.replace("dbutils.notebook.exit(", "raise RuntimeError('the input table is empty')\ndbutils.notebook.exit("));
    const failure = await e2e.stack.up({ onOutput }).then(() => assert.fail("up should fail"), (e: Error) => e);
    assert.match(failure.message, /RuntimeError: the input table is empty/);
    assert.match(failure.message, /Run page: https:\/\/127\.0\.0\.1:\d+\//);
  });

  it("keeps secret values out of the state, the CLI output and the request log", async () => {
    const state = filesUnder(e2e.backendDir).map((f) => fs.readFileSync(f, "utf8")).join("\n");
    const requestLog = e2e.requestLog();
    const output = cliOutput.join("");
    for (const [label, value] of Object.entries({ apiToken, storageKey, reviewerKey, token: e2e.token })) {
      assert.ok(!state.includes(value), `state leaks ${label}`);
      assert.ok(!output.includes(value), `CLI output leaks ${label}`);
      assert.ok(!requestLog.includes(value), `request log leaks ${label}`);
    }
  });

  it("destroy leaves the workspace empty", async () => {
    const destroy = await e2e.stack.destroy({ onOutput });
    assert.equal(destroy.summary.resourceChanges?.delete, 7);
    const headers = { Authorization: `Bearer ${e2e.token}` };
    const scopes = await (await fetch(`${e2e.emulator.url}/api/2.0/secrets/scopes/list`, { headers })).json();
    assert.deepEqual(scopes, {});
    assert.equal((await fetch(`${e2e.emulator.url}/api/2.0/workspace/get-status?path=/Shared/pipeline/prepare_data`, { headers })).status, 404);
    assert.deepEqual(await runs(), []);
  });
});
