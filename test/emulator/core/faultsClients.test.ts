import * as assert from "node:assert/strict";
import { createAzureMlApi, type AzureMlApi } from "../../../src/azureml/client";
import type { Job } from "../../../src/azureml/client/types";
import { createDatabricksApi, DatabricksApiError, type DatabricksApi } from "../../../src/databricks/client";
import { systemClock, type RunningEmulator } from "../../../src/emulator";
import type { FaultRule } from "../../../src/emulator/core/faultsPlan";
import { createKeyVaultApi, versionOf, type KeyVaultApi } from "../../../src/keyvault/client";
import { setFaultPlan } from "../../support/emulatorFaults";
import { startTestEmulator } from "../../support/emulator";
import { recordingSleep } from "../../support/http";

/**
 * The package's clients against the emulator's dangerous faults: a reset connection (nothing
 * applied) and a lost response (applied, unanswered) on each mutating call the resources make. The
 * retry must finish the call and leave exactly what one call leaves.
 */
describe("clients against reset connections and lost responses: done once, never twice", () => {
  const token = "faults-client-token";
  let emulator: RunningEmulator;
  let dbx: DatabricksApi;
  let kv: KeyVaultApi;
  let aml: AzureMlApi;

  before(async () => {
    emulator = (await startTestEmulator({ token, clock: systemClock })).emulator;
  });
  beforeEach(() => {
    emulator.reset();
    dbx = createDatabricksApi({ host: emulator.url, token, env: { AMLDB_TARGET: "local" }, sleep: recordingSleep().sleep });
    kv = createKeyVaultApi({ vaultUrl: emulator.keyVaultUrl, target: "local", env: { AMLDB_LOCAL_TOKEN: token }, sleep: recordingSleep().sleep });
    const workspace = { subscriptionId: emulator.azureml.subscriptionId, resourceGroupName: emulator.azureml.resourceGroup, workspaceName: emulator.azureml.workspace };
    aml = createAzureMlApi({ workspace, endpoint: emulator.url, target: "local", env: { AMLDB_LOCAL_TOKEN: token }, sleep: recordingSleep().sleep, lroSleep: recordingSleep().sleep });
  });
  after(() => emulator.close());

  /** One fault of `kind` on the first `method path` request. */
  const once = (kind: FaultRule["kind"], method: string, path: string) => setFaultPlan(emulator, { rules: [{ kind, count: 1, method, path }] });
  /** `METHOD path status[ fault]` of the service requests (token requests and the control plane left out). */
  const log = () => emulator.requests().filter((r) => !r.path.startsWith("/_emulator/") && !r.path.includes("/oauth2/")).map((r) => `${r.method} ${r.path} ${r.status}${r.fault ? ` ${r.fault}` : ""}`);

  for (const kind of ["reset", "lost"] as const) {
    it(`runs/submit with an idempotency token, ${kind}: one run`, async () => {
      await once(kind, "POST", "/api/2.1/jobs/runs/submit");
      const { run_id } = await dbx.jobs.runsSubmit({ run_name: "once", idempotency_token: `token-${kind}`, tasks: [{ task_key: "t", existing_cluster_id: "none", notebook_task: { notebook_path: "/x" } }] });
      const runs = (await dbx.jobs.runsList()).runs ?? [];
      assert.deepEqual(runs.map((r) => r.run_id), [run_id]);
      assert.deepEqual(log().slice(0, 2), [`POST /api/2.1/jobs/runs/submit ${kind === "reset" ? 0 : 200} ${kind}`, "POST /api/2.1/jobs/runs/submit 200"]);
    });

    it(`secret scope create, ${kind}: the scope once, looked up before any repeat`, async () => {
      await once(kind, "POST", "/api/2.0/secrets/scopes/create");
      await dbx.secrets.createScope({ scope: "aml" });
      assert.deepEqual((await dbx.secrets.listScopes()).map((s) => s.name), ["aml"]);
      assert.deepEqual(
        log().slice(0, -1),
        kind === "reset"
          ? ["POST /api/2.0/secrets/scopes/create 0 reset", "GET /api/2.0/secrets/scopes/list 200", "POST /api/2.0/secrets/scopes/create 200"]
          : ["POST /api/2.0/secrets/scopes/create 200 lost", "GET /api/2.0/secrets/scopes/list 200"],
      );
    });

    it(`workspace import without overwrite, ${kind}: imported once, looked up before any repeat`, async () => {
      await dbx.workspace.mkdirs("/Shared");
      await once(kind, "POST", "/api/2.0/workspace/import");
      await dbx.workspace.import({ path: "/Shared/nb", content: "# Databricks notebook source\nprint(1)\n", format: "SOURCE", language: "PYTHON" });
      assert.equal((await dbx.workspace.getStatus("/Shared/nb")).object_type, "NOTEBOOK");
      assert.deepEqual(
        log().slice(1, -1),
        kind === "reset"
          ? ["POST /api/2.0/workspace/import 0 reset", "GET /api/2.0/workspace/get-status 404", "POST /api/2.0/workspace/import 200"]
          : ["POST /api/2.0/workspace/import 200 lost", "GET /api/2.0/workspace/get-status 200"],
      );
    });

    it(`Databricks secret put, ${kind}: an overwrite, repeated`, async () => {
      await dbx.secrets.createScope({ scope: "aml" });
      await once(kind, "POST", "/api/2.0/secrets/put");
      await dbx.secrets.putSecret({ scope: "aml", key: "k", string_value: "v" });
      assert.deepEqual((await dbx.secrets.listSecrets("aml")).map((s) => s.key), ["k"]);
      assert.deepEqual(log().slice(1, 3), [`POST /api/2.0/secrets/put ${kind === "reset" ? 0 : 200} ${kind}`, "POST /api/2.0/secrets/put 200"]);
    });

    it(`Key Vault set, ${kind}: one version, the latest read before any repeat`, async () => {
      await once(kind, "PUT", "/secrets/*");
      const set = await kv.secrets.setSecret("ADBPAT", { value: "dapi-1", contentType: "text/plain", tags: { team: "ml" } });
      const versions = await fetch(`${emulator.url}/secrets/ADBPAT/versions?api-version=7.5`, { headers: { Authorization: `Bearer ${token}` } });
      const ids = ((await versions.json()) as { value: { id: string }[] }).value.map((v) => versionOf(v.id));
      assert.deepEqual(ids, [versionOf(set.id)]);
      assert.equal(set.value, "dapi-1");
      assert.deepEqual(
        log().slice(0, -1),
        kind === "reset"
          ? ["PUT /secrets/ADBPAT 0 reset", "GET /secrets/ADBPAT 404", "PUT /secrets/ADBPAT 200"]
          : ["PUT /secrets/ADBPAT 200 lost", "GET /secrets/ADBPAT 200"],
      );
    });
  }

  for (const kind of ["reset", "lost"] as const) {
    it(`Databricks jobs/create, ${kind}: one new job, the jobs of its name listed before the create and before any repeat`, async () => {
      const settings = { name: "nightly", tasks: [{ task_key: "t", existing_cluster_id: "none", notebook_task: { notebook_path: "/x" } }] };
      // A job of the same name made earlier (names need not be unique): not the create's result.
      const { job_id: earlier } = await dbx.jobs.jobsCreate(settings);
      const before = log().length;
      await once(kind, "POST", "/api/2.1/jobs/create");
      const { job_id } = await dbx.jobs.jobsCreate(settings);
      const named = ((await dbx.jobs.jobsList({ name: "nightly" })).jobs ?? []).map((j) => j.job_id).sort((a, b) => a - b);
      assert.equal(named.length, 2);
      assert.deepEqual(named, [earlier, job_id].sort((a, b) => a - b));
      assert.notEqual(job_id, earlier);
      assert.deepEqual(
        log().slice(before, -1),
        kind === "reset"
          ? ["GET /api/2.1/jobs/list 200", "POST /api/2.1/jobs/create 0 reset", "GET /api/2.1/jobs/list 200", "POST /api/2.1/jobs/create 200"]
          : ["GET /api/2.1/jobs/list 200", "POST /api/2.1/jobs/create 200 lost", "GET /api/2.1/jobs/list 200"],
      );
    });

    it(`DBFS put without overwrite, ${kind}: the file once, read back before any repeat`, async () => {
      const data = Buffer.from("a,b\n1,2\n");
      await once(kind, "POST", "/api/2.0/dbfs/put");
      await dbx.dbfs.put("/FileStore/once.csv", data);
      assert.deepEqual(await dbx.dbfs.readAll("/FileStore/once.csv"), data);
      assert.deepEqual(
        log().slice(0, -1),
        kind === "reset"
          ? ["POST /api/2.0/dbfs/put 0 reset", "GET /api/2.0/dbfs/get-status 404", "POST /api/2.0/dbfs/put 200"]
          : ["POST /api/2.0/dbfs/put 200 lost", "GET /api/2.0/dbfs/get-status 200", "GET /api/2.0/dbfs/read 200"],
      );
    });

    it(`Azure ML job cancel, ${kind}: cancelled once, the job read before any repeat`, async () => {
      // An AutoML job is not run by the emulator: it stays NotStarted until cancelled.
      await aml.jobs.submit("to_cancel", { properties: { jobType: "AutoML" } } as Job);
      const before = log().length;
      await once(kind, "POST", "/subscriptions/**/jobs/to_cancel/cancel");
      await aml.jobs.cancel("to_cancel", { log: () => undefined });
      assert.equal((await aml.jobs.get("to_cancel")).properties?.status, "Canceled");
      const job = `/subscriptions/${emulator.azureml.subscriptionId}/resourceGroups/${emulator.azureml.resourceGroup}/providers/Microsoft.MachineLearningServices/workspaces/${emulator.azureml.workspace}/jobs/to_cancel`;
      const calls = log()
        .slice(before, -1)
        .map((l) => l.replace(job, "{job}").replace(/\/subscriptions\/\S+\/mfeOperationResults\/\S+/, "{operation}"));
      assert.deepEqual(
        calls,
        kind === "reset"
          ? ["POST {job}/cancel 0 reset", "GET {job} 200", "POST {job}/cancel 202", "GET {operation} 200"]
          : ["POST {job}/cancel 202 lost", "GET {job} 200"],
      );
    });
  }

  it("DBFS put without overwrite over another file, reset: the file read, the put sent again and refused as before", async () => {
    await dbx.dbfs.put("/FileStore/taken.csv", Buffer.from("theirs"));
    await once("reset", "POST", "/api/2.0/dbfs/put");
    await assert.rejects(dbx.dbfs.put("/FileStore/taken.csv", Buffer.from("mine!!")), (err: unknown) => err instanceof DatabricksApiError && err.errorCode === "RESOURCE_ALREADY_EXISTS");
    assert.equal((await dbx.dbfs.readAll("/FileStore/taken.csv")).toString(), "theirs");
    assert.deepEqual(log().slice(1, -1), ["POST /api/2.0/dbfs/put 0 reset", "GET /api/2.0/dbfs/get-status 200", "GET /api/2.0/dbfs/read 200", "POST /api/2.0/dbfs/put 400"]);
  });

  it("Key Vault set over an older version that differs: the latest is read, then the PUT repeated", async () => {
    await kv.secrets.setSecret("ADBPAT", { value: "old" });
    await once("reset", "PUT", "/secrets/*");
    const set = await kv.secrets.setSecret("ADBPAT", { value: "new" });
    assert.equal(set.value, "new");
    assert.deepEqual(log().slice(1), ["PUT /secrets/ADBPAT 0 reset", "GET /secrets/ADBPAT 200", "PUT /secrets/ADBPAT 200"]);
  });
});
