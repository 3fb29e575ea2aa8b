import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { b64, SMALL_CLUSTER } from "../../support/databricksWire";
import { expectError, withEmulator } from "../../support/emulator";

/** Names an ordinary object answers by itself: an inherited property, or its prototype. */
const NAMES = ["__proto__", "constructor", "toString"] as const;

const KV = "api-version=7.5";

describe("emulator state: any name is a key like any other", function () {
  this.timeout(60_000);
  let stateDir: string;
  beforeEach(() => {
    stateDir = fs.mkdtempSync(path.join(os.tmpdir(), "emu-any-key-"));
  });
  afterEach(() => fs.rmSync(stateDir, { recursive: true, force: true }));

  it("keeps Databricks scopes, secret keys and ACL principals named like Object's properties, across a restart", async () => {
    await withEmulator({ stateDir }, async ({ call }) => {
      for (const name of NAMES) {
        await expectError(call("GET", `/api/2.0/secrets/list?scope=${name}`), 404, { error_code: "RESOURCE_DOES_NOT_EXIST", message: `Scope ${name} does not exist!` });
        assert.equal((await call("POST", "/api/2.0/secrets/scopes/create", { scope: name, initial_manage_principal: name })).status, 200);
        for (const key of NAMES) assert.equal((await call("POST", "/api/2.0/secrets/put", { scope: name, key, string_value: `${name}/${key}` })).status, 200);
      }
      await expectError(call("GET", "/api/2.0/secrets/get?scope=__proto__&key=valueOf"), 404, { error_code: "RESOURCE_DOES_NOT_EXIST", message: "Secret valueOf does not exist in scope __proto__!" });
    });
    await withEmulator({ stateDir }, async ({ call }) => {
      assert.deepEqual((await call("GET", "/api/2.0/secrets/scopes/list")).body, { scopes: [...NAMES].sort().map((name) => ({ name, backend_type: "DATABRICKS" })) });
      for (const name of NAMES) {
        assert.deepEqual((await call("GET", `/api/2.0/secrets/list?scope=${name}`)).body.secrets.map((s: { key: string }) => s.key), [...NAMES].sort());
        for (const key of NAMES) assert.deepEqual((await call("GET", `/api/2.0/secrets/get?scope=${name}&key=${key}`)).body, { key, value: b64(`${name}/${key}`) });
        assert.deepEqual((await call("GET", `/api/2.0/secrets/acls/get?scope=${name}&principal=${name}`)).body, { principal: name, permission: "MANAGE" });
      }
      assert.equal((await call("POST", "/api/2.0/secrets/delete", { scope: "constructor", key: "__proto__" })).status, 200);
      await expectError(call("GET", "/api/2.0/secrets/get?scope=constructor&key=__proto__"), 404, {
        error_code: "RESOURCE_DOES_NOT_EXIST",
        message: "Secret __proto__ does not exist in scope constructor!",
      });
    });
  });

  it("looks up clusters by any id and honours any idempotency token and tag, across a restart", async () => {
    const ids = new Map<string, string>();
    await withEmulator({ stateDir }, async ({ call }) => {
      for (const name of NAMES) {
        await expectError(call("GET", `/api/2.0/clusters/get?cluster_id=${name}`), 400, { error_code: "INVALID_PARAMETER_VALUE", message: `Cluster ${name} does not exist` });
        const tags = JSON.parse(`{"${name}": "tag-${name}"}`) as Record<string, string>;
        const first = await call("POST", "/api/2.1/clusters/create", { ...SMALL_CLUSTER, cluster_name: name, idempotency_token: name, custom_tags: tags });
        const again = await call("POST", "/api/2.1/clusters/create", { ...SMALL_CLUSTER, cluster_name: name, idempotency_token: name, custom_tags: tags });
        assert.equal(first.status, 200, first.text);
        assert.equal(again.body.cluster_id, first.body.cluster_id, `the token ${name} returns the cluster it created`);
        ids.set(name, first.body.cluster_id);
      }
    });
    await withEmulator({ stateDir }, async ({ call }) => {
      for (const name of NAMES) {
        const got = await call("GET", `/api/2.0/clusters/get?cluster_id=${ids.get(name)}`);
        assert.equal(got.text.includes(`"custom_tags":{"${name}":"tag-${name}"}`), true, got.text);
        const again = await call("POST", "/api/2.1/clusters/create", { ...SMALL_CLUSTER, cluster_name: name, idempotency_token: name });
        assert.equal(again.body.cluster_id, ids.get(name));
      }
      assert.equal((await call("GET", "/api/2.0/clusters/list")).body.clusters.length, NAMES.length);
    });
  });

  it("honours any run idempotency token and keeps job tags and notebook parameters of any name, across a restart", async () => {
    const runs = new Map<string, number>();
    const task = { task_key: "t", notebook_task: { notebook_path: "/Shared/missing" }, new_cluster: SMALL_CLUSTER };
    let jobId = 0;
    await withEmulator({ stateDir }, async ({ call }) => {
      for (const name of NAMES) {
        const first = await call("POST", "/api/2.1/jobs/runs/submit", { run_name: name, idempotency_token: name, tasks: [task] });
        assert.equal(first.status, 200, first.text);
        const again = await call("POST", "/api/2.1/jobs/runs/submit", { run_name: name, idempotency_token: name, tasks: [task] });
        assert.deepEqual(again.body, first.body, `the token ${name} returns the run it launched`);
        runs.set(name, first.body.run_id);
      }
      const tags = JSON.parse('{"__proto__": "p", "constructor": "c", "toString": "s"}') as Record<string, string>;
      jobId = (await call("POST", "/api/2.1/jobs/create", { name: "tagged", tags, tasks: [task] })).body.job_id;
      const started = await call("POST", "/api/2.1/jobs/run-now", { job_id: jobId, notebook_params: JSON.parse('{"__proto__": "x", "constructor": "y"}') });
      assert.equal(started.status, 200, started.text);
      runs.set("job", started.body.run_id);
    });
    await withEmulator({ stateDir }, async ({ call }) => {
      for (const name of NAMES) {
        const again = await call("POST", "/api/2.1/jobs/runs/submit", { run_name: name, idempotency_token: name, tasks: [task] });
        assert.deepEqual(again.body, { run_id: runs.get(name) });
      }
      const job = await call("GET", `/api/2.1/jobs/get?job_id=${jobId}`);
      assert.equal(job.text.includes('"tags":{"__proto__":"p","constructor":"c","toString":"s"}'), true, job.text);
      const run = await call("GET", `/api/2.1/jobs/runs/get?run_id=${runs.get("job")}`);
      assert.equal(run.text.includes('"notebook_params":{"__proto__":"x","constructor":"y"}'), true, run.text);
    });
  });

  it("keeps Key Vault tags of any name, across a restart", async () => {
    const tags = '{"__proto__":"p","constructor":"c","toString":"s"}';
    await withEmulator({ stateDir }, async ({ call }) => {
      const set = await call("PUT", `/secrets/constructor?${KV}`, { value: "v", tags: JSON.parse(tags) });
      assert.equal(set.status, 200, set.text);
      assert.equal(set.text.includes(`"tags":${tags}`), true, set.text);
    });
    await withEmulator({ stateDir }, async ({ call }) => {
      const got = await call("GET", `/secrets/constructor?${KV}`);
      assert.equal(got.text.includes(`"tags":${tags}`), true, got.text);
      await expectError(call("GET", `/secrets/toString?${KV}`), 404, { error: { code: "SecretNotFound", message: "A secret with (name/id) toString was not found in this key vault. If you recently deleted this secret you may be able to recover it using the correct recovery command. For help resolving this issue, please see https://go.microsoft.com/fwlink/?linkid=2125182" } });
    });
  });
});

