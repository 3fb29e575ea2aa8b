import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { startEmulator, type RunningEmulator } from "../../../src/emulator";

/** One HTTP exchange with the emulator. */
interface Reply {
  status: number;
  headers: Headers;
  body: any; // eslint-disable-line @typescript-eslint/no-explicit-any
  text: string;
}

const b64 = (text: string | Buffer): string => (Buffer.isBuffer(text) ? text : Buffer.from(text, "utf8")).toString("base64");
const notebook = (...cells: string[]): string => ["# Databricks notebook source", ...cells].join("\n\n# COMMAND ----------\n\n") + "\n";
const TERMINAL = ["TERMINATED", "SKIPPED", "INTERNAL_ERROR"];

/** Calls the emulator with plain fetch; `token: null` sends no Authorization header. */
function client(emulator: () => RunningEmulator) {
  return async function call(method: string, route: string, body?: unknown, opts: { token?: string | null } = {}): Promise<Reply> {
    const token = opts.token === undefined ? emulator().token : opts.token;
    const headers: Record<string, string> = {};
    if (token !== null) headers.Authorization = `Bearer ${token}`;
    if (body !== undefined) headers["Content-Type"] = "application/json";
    const res = await fetch(`${emulator().url}${route}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    const text = await res.text();
    let parsed: unknown;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      parsed = undefined;
    }
    return { status: res.status, headers: res.headers, body: parsed, text };
  };
}

describe("Databricks emulator over plain HTTP", function () {
  this.timeout(30_000);
  let emulator: RunningEmulator;
  const call = client(() => emulator);

  /** Asserts an exact error reply. */
  async function expectError(reply: Promise<Reply> | Reply, status: number, body: Record<string, string>): Promise<void> {
    const r = await reply;
    assert.equal(r.status, status, r.text);
    assert.deepEqual(r.body, body);
  }

  before(async () => {
    emulator = await startEmulator({ port: 0, databricks: { lifecycle: "immediate" } });
  });
  after(async () => emulator?.close());

  describe("authentication, routing and faults", () => {
    it("answers 401 UNAUTHENTICATED without a bearer token and 403 for another token", async () => {
      await expectError(call("GET", "/api/2.0/clusters/list", undefined, { token: null }), 401, {
        error_code: "UNAUTHENTICATED",
        message: "Credential was not sent or was of an unsupported type for this API.",
      });
      await expectError(call("GET", "/api/2.0/clusters/list", undefined, { token: "dapi-not-the-token" }), 403, {
        error_code: "PERMISSION_DENIED",
        message: "Invalid access token.",
      });
    });

    it("answers unknown API paths, and known paths with another method, with ENDPOINT_NOT_FOUND", async () => {
      await expectError(call("GET", "/api/2.1/jobs/runs/nope"), 404, { error_code: "ENDPOINT_NOT_FOUND", message: "No API found for 'GET /api/2.1/jobs/runs/nope'" });
      await expectError(call("GET", "/api/2.1/jobs/runs/submit"), 404, { error_code: "ENDPOINT_NOT_FOUND", message: "No API found for 'GET /api/2.1/jobs/runs/submit'" });
      await expectError(call("POST", "/api/2.1/jobs/runs/submit", "not an object"), 400, {
        error_code: "MALFORMED_REQUEST",
        message: "Invalid JSON given in the body of the request - expected a map",
      });
    });

    it("applies injected 429 faults in its own format with an integer Retry-After", async () => {
      const set = await fetch(`${emulator.url}/_emulator/faults`, { method: "POST", body: JSON.stringify([{ status: 429, count: 1, retryAfterSeconds: 3 }]) });
      assert.equal(set.status, 200);
      const throttled = await call("GET", "/api/2.0/clusters/list");
      assert.equal(throttled.status, 429);
      assert.equal(throttled.headers.get("retry-after"), "3");
      assert.deepEqual(throttled.body, { error_code: "REQUEST_LIMIT_EXCEEDED", message: "Too many requests. Please wait a moment and try again. (Injected by the emulator.)" });
      assert.equal((await call("GET", "/api/2.0/clusters/list")).status, 200);
    });
  });

  describe("clusters", () => {
    it("requires spark_version and reports a missing cluster as 400 INVALID_PARAMETER_VALUE", async () => {
      await expectError(call("POST", "/api/2.1/clusters/create", { cluster_name: "x", num_workers: 1 }), 400, {
        error_code: "INVALID_PARAMETER_VALUE",
        message: "Missing required field: spark_version",
      });
      await expectError(call("GET", "/api/2.0/clusters/get?cluster_id=0101-000000-missing0"), 400, {
        error_code: "INVALID_PARAMETER_VALUE",
        message: "Cluster 0101-000000-missing0 does not exist",
      });
    });

    it("creates a cluster that runs, terminates, starts again and is permanently deleted", async () => {
      const created = await call("POST", "/api/2.1/clusters/create", {
        cluster_name: "etl",
        spark_version: "15.4.x-scala2.12",
        node_type_id: "Standard_DS3_v2",
        num_workers: "2",
        spark_conf: { "spark.speculation": "true" },
        custom_tags: { team: "ml" },
      });
      assert.equal(created.status, 200);
      const id: string = created.body.cluster_id;
      assert.match(id, /^\d{4}-\d{6}-[a-z0-9]{8}$/);
      const got = (await call("GET", `/api/2.1/clusters/get?cluster_id=${id}`)).body;
      assert.deepEqual(
        { state: got.state, name: got.cluster_name, workers: got.num_workers, conf: got.spark_conf, tags: got.custom_tags, version: got.spark_version, executors: got.executors.length },
        { state: "RUNNING", name: "etl", workers: 2, conf: { "spark.speculation": "true" }, tags: { team: "ml" }, version: "15.4.x-scala2.12", executors: 2 },
      );
      assert.ok((await call("GET", "/api/2.0/clusters/list")).body.clusters.some((c: { cluster_id: string }) => c.cluster_id === id));
      await expectError(call("POST", "/api/2.0/clusters/start", { cluster_id: id }), 400, { error_code: "INVALID_STATE", message: `Cluster ${id} is in unexpected state Running.` });

      assert.equal((await call("POST", "/api/2.0/clusters/delete", { cluster_id: id })).status, 200);
      const terminated = (await call("GET", `/api/2.0/clusters/get?cluster_id=${id}`)).body;
      assert.equal(terminated.state, "TERMINATED");
      assert.deepEqual(terminated.termination_reason, { code: "USER_REQUEST", type: "SUCCESS", parameters: { username: "emulator@localhost" } });
      assert.equal((await call("POST", "/api/2.0/clusters/start", { cluster_id: id })).status, 200);
      assert.equal((await call("GET", `/api/2.0/clusters/get?cluster_id=${id}`)).body.state, "RUNNING");

      assert.equal((await call("POST", "/api/2.0/clusters/permanent-delete", { cluster_id: id })).status, 200);
      await expectError(call("GET", `/api/2.0/clusters/get?cluster_id=${id}`), 400, { error_code: "INVALID_PARAMETER_VALUE", message: `Cluster ${id} does not exist` });
    });

    it("moves through PENDING and TERMINATING with the realistic lifecycle", async () => {
      const slow = await startEmulator({ port: 0, databricks: { lifecycle: "realistic", pendingMs: 300, terminatingMs: 300 } });
      try {
        const call2 = client(() => slow);
        const id: string = (await call2("POST", "/api/2.0/clusters/create", { spark_version: "15.4.x-scala2.12", num_workers: 0 })).body.cluster_id;
        const states = [(await call2("GET", `/api/2.0/clusters/get?cluster_id=${id}`)).body.state];
        await new Promise((r) => setTimeout(r, 400));
        states.push((await call2("GET", `/api/2.0/clusters/get?cluster_id=${id}`)).body.state);
        await call2("POST", "/api/2.0/clusters/delete", { cluster_id: id });
        states.push((await call2("GET", `/api/2.0/clusters/get?cluster_id=${id}`)).body.state);
        await new Promise((r) => setTimeout(r, 400));
        states.push((await call2("GET", `/api/2.0/clusters/get?cluster_id=${id}`)).body.state);
        assert.deepEqual(states, ["PENDING", "RUNNING", "TERMINATING", "TERMINATED"]);
      } finally {
        await slow.close();
      }
    });
  });

  describe("secrets", () => {
    it("creates scopes, refuses duplicates and bad names, and lists them with their backend", async () => {
      assert.equal((await call("POST", "/api/2.0/secrets/scopes/create", { scope: "etl-scope", initial_manage_principal: "users" })).status, 200);
      await expectError(call("POST", "/api/2.0/secrets/scopes/create", { scope: "etl-scope" }), 400, { error_code: "RESOURCE_ALREADY_EXISTS", message: "Scope etl-scope already exists!" });
      const bad = await call("POST", "/api/2.0/secrets/scopes/create", { scope: "no spaces" });
      assert.equal(bad.status, 400);
      assert.equal(bad.body.error_code, "INVALID_PARAMETER_VALUE");
      const listed = (await call("GET", "/api/2.0/secrets/scopes/list")).body.scopes;
      assert.deepEqual(listed.find((s: { name: string }) => s.name === "etl-scope"), { name: "etl-scope", backend_type: "DATABRICKS" });
      await expectError(call("POST", "/api/2.0/secrets/scopes/delete", { scope: "nope" }), 404, { error_code: "RESOURCE_DOES_NOT_EXIST", message: "Scope nope does not exist!" });
    });

    it("puts, overwrites and lists secrets without ever returning values from list", async () => {
      await call("POST", "/api/2.0/secrets/scopes/create", { scope: "vals" });
      assert.equal((await call("POST", "/api/2.0/secrets/put", { scope: "vals", key: "token", string_value: "first" })).status, 200);
      assert.equal((await call("POST", "/api/2.0/secrets/put", { scope: "vals", key: "token", string_value: "second-value" })).status, 200);
      assert.equal((await call("POST", "/api/2.0/secrets/put", { scope: "vals", key: "bin", bytes_value: b64(Buffer.from([0, 1, 2])) })).status, 200);
      const list = await call("GET", "/api/2.0/secrets/list?scope=vals");
      assert.deepEqual(list.body.secrets.map((s: { key: string }) => s.key), ["bin", "token"]);
      assert.ok(list.body.secrets.every((s: { last_updated_timestamp: number }) => Number.isInteger(s.last_updated_timestamp)));
      assert.ok(!list.text.includes("second-value") && !list.text.includes("value\""));
      const got = await call("GET", "/api/2.0/secrets/get?scope=vals&key=token");
      assert.deepEqual(got.body, { key: "token", value: b64("second-value") });
      const big = await call("POST", "/api/2.0/secrets/put", { scope: "vals", key: "big", string_value: "x".repeat(128 * 1024 + 1) });
      assert.equal(big.status, 400);
      assert.equal(big.body.error_code, "INVALID_PARAMETER_VALUE");
      await expectError(call("POST", "/api/2.0/secrets/put", { scope: "ghost", key: "k", string_value: "v" }), 404, { error_code: "RESOURCE_DOES_NOT_EXIST", message: "Scope ghost does not exist!" });
    });

    it("refuses a Key Vault-backed scope from a PAT caller, accepts it from an Azure AD caller, and keeps it read-only", async () => {
      const keyvault = { resource_id: "/subscriptions/0/resourceGroups/rg/providers/Microsoft.KeyVault/vaults/kv", dns_name: "https://kv.vault.azure.net/" };
      await expectError(call("POST", "/api/2.0/secrets/scopes/create", { scope: "kv", scope_backend_type: "AZURE_KEYVAULT", backend_azure_keyvault: keyvault }), 400, {
        error_code: "INVALID_PARAMETER_VALUE",
        message: "Scope with Azure KeyVault must have userAADToken defined!",
      });
      const aad = await startEmulator({ port: 0, token: "eyJ0eXAiOiJKV1QifQ.local.aad", databricks: { lifecycle: "immediate" } });
      try {
        const callAad = client(() => aad);
        assert.equal((await callAad("POST", "/api/2.0/secrets/scopes/create", { scope: "kv", scope_backend_type: "AZURE_KEYVAULT", backend_azure_keyvault: keyvault })).status, 200);
        assert.deepEqual((await callAad("GET", "/api/2.0/secrets/scopes/list")).body, { scopes: [{ name: "kv", backend_type: "AZURE_KEYVAULT", keyvault_metadata: keyvault }] });
        await expectError(callAad("POST", "/api/2.0/secrets/put", { scope: "kv", key: "k", string_value: "v" }), 400, {
          error_code: "BAD_REQUEST",
          message: "Cannot write secrets to Azure KeyVault-backed scope kv",
        });
      } finally {
        await aad.close();
      }
    });

    it("keeps secret values out of the request log and persists state with mode 0600", async () => {
      const stateDir = fs.mkdtempSync(path.join(os.tmpdir(), "dbx-state-"));
      const lines: string[] = [];
      const persistent = await startEmulator({ port: 0, stateDir, databricks: { lifecycle: "immediate" }, log: (l) => lines.push(l) });
      try {
        const callP = client(() => persistent);
        await callP("POST", "/api/2.0/secrets/scopes/create", { scope: "p" });
        await callP("POST", "/api/2.0/secrets/put", { scope: "p", key: "k", string_value: "super-secret-value" });
        const stateFile = path.join(stateDir, "databricks", "state.json");
        assert.equal(fs.statSync(stateFile).mode & 0o777, 0o600);
        assert.ok(!fs.readFileSync(path.join(stateDir, "requests.log"), "utf8").includes("super-secret"));
        assert.ok(!lines.join("\n").includes("super-secret"));
      } finally {
        await persistent.close();
      }
      // The state survives a restart.
      const again = await startEmulator({ port: 0, stateDir, databricks: { lifecycle: "immediate" } });
      try {
        assert.deepEqual((await client(() => again)("GET", "/api/2.0/secrets/list?scope=p")).body.secrets.map((s: { key: string }) => s.key), ["k"]);
      } finally {
        await again.close();
        fs.rmSync(stateDir, { recursive: true, force: true });
      }
    });
  });

  describe("workspace", () => {
    it("imports into existing folders only, refuses to overwrite without overwrite, and exports what it imported", async () => {
      const source = notebook('print("hello")');
      await expectError(call("POST", "/api/2.0/workspace/import", { path: "/Shared/ws/nb", format: "SOURCE", language: "PYTHON", content: b64(source) }), 404, {
        error_code: "RESOURCE_DOES_NOT_EXIST",
        message: "The parent folder (/Shared/ws) does not exist.",
      });
      assert.equal((await call("POST", "/api/2.0/workspace/mkdirs", { path: "/Shared/ws/sub" })).status, 200);
      assert.equal((await call("POST", "/api/2.0/workspace/import", { path: "/Shared/ws/nb", format: "SOURCE", language: "PYTHON", content: b64(source) })).status, 200);
      await expectError(call("POST", "/api/2.0/workspace/import", { path: "/Shared/ws/nb", format: "SOURCE", language: "PYTHON", content: b64(source) }), 400, {
        error_code: "RESOURCE_ALREADY_EXISTS",
        message: "Node named 'nb' already exists",
      });
      assert.equal((await call("POST", "/api/2.0/workspace/import", { path: "/Workspace/Shared/ws/nb", format: "SOURCE", language: "PYTHON", content: b64(source), overwrite: true })).status, 200);

      const status = (await call("GET", "/api/2.0/workspace/get-status?path=/Shared/ws/nb")).body;
      assert.deepEqual({ type: status.object_type, path: status.path, language: status.language }, { type: "NOTEBOOK", path: "/Shared/ws/nb", language: "PYTHON" });
      assert.ok(Number.isInteger(status.object_id));
      const exported = (await call("GET", "/api/2.0/workspace/export?path=/Shared/ws/nb&format=SOURCE")).body;
      assert.deepEqual(exported, { content: b64(source), file_type: "py" });
      const jupyter = JSON.parse(Buffer.from((await call("GET", "/api/2.0/workspace/export?path=/Shared/ws/nb&format=JUPYTER")).body.content, "base64").toString("utf8"));
      assert.deepEqual(jupyter.cells.map((c: { source: string[] }) => c.source.join("")), ['print("hello")']);
      const raw = await fetch(`${emulator.url}/api/2.0/workspace/export?path=/Shared/ws/nb&direct_download=true`, { headers: { Authorization: `Bearer ${emulator.token}` } });
      assert.equal(await raw.text(), source);

      const listed = (await call("GET", "/api/2.0/workspace/list?path=/Shared/ws")).body.objects.map((o: { path: string; object_type: string }) => [o.path, o.object_type]);
      assert.deepEqual(listed, [["/Shared/ws/nb", "NOTEBOOK"], ["/Shared/ws/sub", "DIRECTORY"]]);
    });

    it("imports AUTO source files as notebooks without their extension and other files as FILE", async () => {
      await call("POST", "/api/2.0/workspace/mkdirs", { path: "/Shared/auto" });
      await call("POST", "/api/2.0/workspace/import", { path: "/Shared/auto/job.py", format: "AUTO", content: b64(notebook("x = 1")) });
      await call("POST", "/api/2.0/workspace/import", { path: "/Shared/auto/util.py", format: "AUTO", content: b64("def f():\n    return 1\n") });
      const types = (await call("GET", "/api/2.0/workspace/list?path=/Shared/auto")).body.objects.map((o: { path: string; object_type: string }) => [o.path, o.object_type]);
      assert.deepEqual(types, [["/Shared/auto/job", "NOTEBOOK"], ["/Shared/auto/util.py", "FILE"]]);
    });

    it("deletes a non-empty folder only when recursive, and reports missing paths", async () => {
      await call("POST", "/api/2.0/workspace/mkdirs", { path: "/Shared/del/inner" });
      await expectError(call("POST", "/api/2.0/workspace/delete", { path: "/Shared/del" }), 400, { error_code: "DIRECTORY_NOT_EMPTY", message: "Folder (/Shared/del) is not empty" });
      assert.equal((await call("POST", "/api/2.0/workspace/delete", { path: "/Shared/del", recursive: true })).status, 200);
      await expectError(call("GET", "/api/2.0/workspace/get-status?path=/Shared/del"), 404, { error_code: "RESOURCE_DOES_NOT_EXIST", message: "Path (/Shared/del) doesn't exist." });
    });
  });

  describe("jobs and runs, executed for real", () => {
    const cluster = { spark_version: "15.4.x-scala2.12", node_type_id: "Standard_DS3_v2", num_workers: 1 };
    const FAILED_TASK = "Workload failed, see run output for details";

    before(async () => {
      await call("POST", "/api/2.0/secrets/scopes/create", { scope: "emu" });
      await call("POST", "/api/2.0/secrets/put", { scope: "emu", key: "token", string_value: "s3cr3t" });
      await call("POST", "/api/2.0/workspace/mkdirs", { path: "/Shared/emu" });
      const notebooks: Record<string, string> = {
        ok: notebook(
          'rows = int(dbutils.widgets.get("rows"))\ntoken = dbutils.secrets.get(scope="emu", key="token")\ndbutils.fs.put("dbfs:/emu/out.txt", f"rows={rows}", True)',
          'dbutils.notebook.exit(f"{rows * 2}:{token == \'s3cr3t\'}")',
        ),
        boom: notebook('raise ValueError("boom")'),
        sleepy: notebook("import time\ntime.sleep(30)"),
      };
      for (const [name, source] of Object.entries(notebooks)) {
        const r = await call("POST", "/api/2.0/workspace/import", { path: `/Shared/emu/${name}`, format: "SOURCE", language: "PYTHON", content: b64(source) });
        assert.equal(r.status, 200, r.text);
      }
    });

    /** Polls runs/get until the run is terminal. */
    async function finished(runId: number, version = "2.1"): Promise<any> {
      const deadline = Date.now() + 20_000;
      for (;;) {
        const run = (await call("GET", `/api/${version}/jobs/runs/get?run_id=${runId}`)).body;
        if (TERMINAL.includes(run.state.life_cycle_state)) return run;
        if (Date.now() > deadline) assert.fail(`run ${runId} did not finish: ${JSON.stringify(run.state)}`);
        await new Promise((r) => setTimeout(r, 50));
      }
    }

    async function submit(body: unknown, version = "2.1"): Promise<number> {
      const r = await call("POST", `/api/${version}/jobs/runs/submit`, body);
      assert.equal(r.status, 200, r.text);
      return r.body.run_id;
    }

    async function runCount(): Promise<number> {
      return ((await (await fetch(`${emulator.url}/_emulator/databricks/runs`)).json()) as { runs: unknown[] }).runs.length;
    }

    it("runs a workspace notebook that reads a widget and a secret, writes to DBFS and exits with a value", async () => {
      const runId = await submit({ run_name: "double", tasks: [{ task_key: "main", new_cluster: cluster, notebook_task: { notebook_path: "/Shared/emu/ok", base_parameters: { rows: "21" } } }] });
      const run = await finished(runId);
      assert.deepEqual(run.state, { life_cycle_state: "TERMINATED", result_state: "SUCCESS", state_message: "", user_cancelled_or_timedout: false });
      assert.deepEqual([run.run_type, run.run_name, run.format, run.tasks.length], ["SUBMIT_RUN", "double", "MULTI_TASK", 1]);
      assert.equal(run.run_page_url, `${emulator.url}/?o=1234567890123456#job/${run.job_id}/run/${runId}`);
      assert.equal(run.run_duration, run.end_time - run.start_time);
      const task = run.tasks[0];
      assert.deepEqual(task.state, { life_cycle_state: "TERMINATED", result_state: "SUCCESS", state_message: "", user_cancelled_or_timedout: false });
      assert.notEqual(task.run_id, runId);
      assert.equal(task.attempt_number, 0);
      assert.match(task.cluster_instance.cluster_id, /^\d{4}-\d{6}-[a-z0-9]{8}$/);

      const output = (await call("GET", `/api/2.1/jobs/runs/get-output?run_id=${task.run_id}`)).body;
      assert.deepEqual(output.notebook_output, { result: "42:True", truncated: false });
      assert.equal(output.logs, undefined, "notebook tasks return no logs");
      assert.deepEqual([output.metadata.run_id, output.metadata.task_key, output.metadata.state.result_state], [task.run_id, "main", "SUCCESS"]);
      assert.deepEqual((await call("GET", "/api/2.0/dbfs/read?path=/emu/out.txt")).body, { bytes_read: 7, data: b64("rows=21") });
      await expectError(call("GET", `/api/2.1/jobs/runs/get-output?run_id=${runId}`), 400, {
        error_code: "INVALID_PARAMETER_VALUE",
        message: "Retrieving the output of runs with multiple tasks is not supported. Please retrieve the output of each individual task run instead.",
      });
    });

    it("accepts the legacy single-task form with numbers as strings, and 2.0 answers get-output on its parent", async () => {
      const runId = await submit(
        {
          run_name: "legacy run",
          new_cluster: { spark_version: "15.4.x-scala2.12", node_type_id: "Standard_DS3_v2", num_workers: "2" },
          notebook_task: { notebook_path: "/Shared/emu/ok", base_parameters: { rows: 5 } },
          timeout_seconds: "600",
          libraries: [{ pypi: { package: "requests" } }],
        },
        "2.0",
      );
      const run = await finished(runId, "2.1");
      assert.deepEqual([run.state.result_state, run.format, run.tasks[0].task_key], ["SUCCESS", "SINGLE_TASK", "legacy_run"]);
      assert.deepEqual(run.cluster_spec, { new_cluster: { spark_version: "15.4.x-scala2.12", node_type_id: "Standard_DS3_v2", num_workers: 2 }, libraries: [{ pypi: { package: "requests" } }] });
      assert.ok(run.execution_duration >= 0 && run.setup_duration >= 0);
      assert.deepEqual((await call("GET", `/api/2.0/jobs/runs/get-output?run_id=${runId}`)).body.notebook_output, { result: "10:True", truncated: false });
      assert.equal((await call("GET", `/api/2.1/jobs/runs/get-output?run_id=${runId}`)).status, 400);
    });

    it("returns the existing run for a known idempotency token and launches nothing, and refuses the token once the run is deleted", async () => {
      const body = { run_name: "once", idempotency_token: "token-abc-1", tasks: [{ task_key: "main", notebook_task: { notebook_path: "/Shared/emu/ok", base_parameters: { rows: "1" } } }] };
      const first = await submit(body);
      const before = await runCount();
      assert.equal(await submit(body), first);
      assert.equal(await runCount(), before);
      await finished(first);
      assert.equal((await call("POST", "/api/2.1/jobs/runs/delete", { run_id: first })).status, 200);
      await expectError(call("GET", `/api/2.1/jobs/runs/get?run_id=${first}`), 400, { error_code: "INVALID_PARAMETER_VALUE", message: `Run ${first} does not exist` });
      await expectError(call("POST", "/api/2.1/jobs/runs/submit", body), 400, { error_code: "INVALID_PARAMETER_VALUE", message: "Run with idempotency token token-abc-1 was deleted" });
      const tooLong = await call("POST", "/api/2.1/jobs/runs/submit", { ...body, idempotency_token: "x".repeat(65) });
      assert.equal(tooLong.status, 400);
    });

    it("fails a run whose notebook raises, with the exception in the task's output", async () => {
      const run = await finished(await submit({ run_name: "boom", tasks: [{ task_key: "main", notebook_task: { notebook_path: "/Shared/emu/boom" } }] }));
      assert.deepEqual(run.state, { life_cycle_state: "TERMINATED", result_state: "FAILED", state_message: `Task main failed with message: ${FAILED_TASK}.`, user_cancelled_or_timedout: false });
      assert.deepEqual(run.tasks[0].state, { life_cycle_state: "TERMINATED", result_state: "FAILED", state_message: FAILED_TASK, user_cancelled_or_timedout: false });
      const output = (await call("GET", `/api/2.1/jobs/runs/get-output?run_id=${run.tasks[0].run_id}`)).body;
      assert.match(output.error, /ValueError: boom/);
      assert.match(output.error_trace, /boom/);
    });

    it("times a task out after its timeout_seconds", async () => {
      const run = await finished(await submit({ run_name: "slow", tasks: [{ task_key: "main", timeout_seconds: 1, notebook_task: { notebook_path: "/Shared/emu/sleepy" } }] }));
      assert.deepEqual(run.tasks[0].state, { life_cycle_state: "TERMINATED", result_state: "TIMEDOUT", state_message: "Task timed out after 1 seconds.", user_cancelled_or_timedout: true });
      assert.deepEqual([run.state.life_cycle_state, run.state.result_state], ["TERMINATED", "TIMEDOUT"]);
    });

    it("cancels a running run asynchronously: TERMINATING, then TERMINATED CANCELED", async () => {
      // A terminating delay makes the TERMINATING state observable.
      const slow = await startEmulator({ port: 0, databricks: { lifecycle: "immediate", terminatingMs: 600 } });
      try {
        const callS = client(() => slow);
        await callS("POST", "/api/2.0/workspace/import", { path: "/Shared/sleepy", format: "SOURCE", language: "PYTHON", content: b64(notebook("import time\ntime.sleep(30)")) });
        const runId: number = (await callS("POST", "/api/2.1/jobs/runs/submit", { run_name: "cancel me", tasks: [{ task_key: "main", notebook_task: { notebook_path: "/Shared/sleepy" } }] })).body.run_id;
        for (let i = 0; (await callS("GET", `/api/2.1/jobs/runs/get?run_id=${runId}`)).body.tasks[0].state.life_cycle_state !== "RUNNING"; i++) {
          assert.ok(i < 200, "the task did not start");
          await new Promise((r) => setTimeout(r, 25));
        }
        await expectError(callS("POST", "/api/2.1/jobs/runs/delete", { run_id: runId }), 400, {
          error_code: "INVALID_PARAMETER_VALUE",
          message: `Run ${runId} is still active (RUNNING): cancel it and wait until it terminates before deleting it.`,
        });
        assert.equal((await callS("POST", "/api/2.1/jobs/runs/cancel", { run_id: runId })).status, 200);
        assert.deepEqual((await callS("GET", `/api/2.1/jobs/runs/get?run_id=${runId}`)).body.state, { life_cycle_state: "TERMINATING", state_message: "", user_cancelled_or_timedout: true });
        let run: any;
        for (let i = 0; !TERMINAL.includes((run = (await callS("GET", `/api/2.1/jobs/runs/get?run_id=${runId}`)).body).state.life_cycle_state); i++) {
          assert.ok(i < 200, "the run did not terminate");
          await new Promise((r) => setTimeout(r, 25));
        }
        assert.deepEqual(run.state, { life_cycle_state: "TERMINATED", result_state: "CANCELED", state_message: "Run cancelled.", user_cancelled_or_timedout: true });
        assert.equal(run.tasks[0].state.result_state, "CANCELED");
        assert.ok(run.end_time - run.start_time < 10_000, "the task's process was stopped");
        assert.equal((await callS("POST", "/api/2.1/jobs/runs/delete", { run_id: runId })).status, 200);
      } finally {
        await slow.close();
      }
    });

    it("runs tasks in dependency order and skips dependants of a failed task as UPSTREAM_FAILED", async () => {
      const run = await finished(
        await submit({
          run_name: "graph",
          tasks: [
            { task_key: "extract", notebook_task: { notebook_path: "/Shared/emu/boom" }, new_cluster: cluster },
            { task_key: "load", depends_on: [{ task_key: "extract" }], notebook_task: { notebook_path: "/Shared/emu/ok", base_parameters: { rows: "1" } }, new_cluster: cluster },
            { task_key: "report", notebook_task: { notebook_path: "/Shared/emu/ok", base_parameters: { rows: "3" } }, new_cluster: cluster },
          ],
        }),
      );
      const states = Object.fromEntries(run.tasks.map((t: any) => [t.task_key, [t.state.life_cycle_state, t.state.result_state, t.state.state_message]]));
      assert.deepEqual(states, {
        extract: ["TERMINATED", "FAILED", FAILED_TASK],
        load: ["SKIPPED", "UPSTREAM_FAILED", "Upstream task(s) failed."],
        report: ["TERMINATED", "SUCCESS", ""],
      });
      assert.deepEqual(run.state, { life_cycle_state: "TERMINATED", result_state: "FAILED", state_message: `Task extract failed with message: ${FAILED_TASK}.`, user_cancelled_or_timedout: false });
      const cyclic = await call("POST", "/api/2.1/jobs/runs/submit", {
        tasks: [
          { task_key: "a", depends_on: [{ task_key: "b" }], notebook_task: { notebook_path: "/x" } },
          { task_key: "b", depends_on: [{ task_key: "a" }], notebook_task: { notebook_path: "/x" } },
        ],
      });
      assert.deepEqual(cyclic.body, { error_code: "INVALID_PARAMETER_VALUE", message: "The task dependencies form a cycle: a -> b -> a." });
    });

    it("retries a failed task as a new attempt with its own run id", async () => {
      const run = await finished(await submit({ run_name: "retry", tasks: [{ task_key: "main", max_retries: "1", min_retry_interval_millis: "0", notebook_task: { notebook_path: "/Shared/emu/boom" } }] }));
      assert.equal(run.tasks[0].attempt_number, 1);
      assert.equal(run.state.result_state, "FAILED");
      const control = ((await (await fetch(`${emulator.url}/_emulator/databricks/runs`)).json()) as { runs: any[] }).runs.find((r) => r.run_id === run.run_id);
      assert.equal(control.tasks[0].attempt_number, 1);
      const first = (await call("GET", `/api/2.1/jobs/runs/get-output?run_id=${run.tasks[0].run_id - 1}`)).body;
      assert.deepEqual([first.metadata.attempt_number, first.metadata.state.result_state], [0, "FAILED"]);
    });

    it("fails a JAR task with a message saying the local emulator cannot run it", async () => {
      const run = await finished(await submit({ run_name: "jar", tasks: [{ task_key: "jar", spark_jar_task: { main_class_name: "com.example.Main" }, new_cluster: cluster }] }));
      const message = "This task cannot run in the local emulator: spark_jar_task needs a JVM Spark cluster.";
      assert.deepEqual(run.tasks[0].state, { life_cycle_state: "TERMINATED", result_state: "FAILED", state_message: message, user_cancelled_or_timedout: false });
      assert.equal(run.state.state_message, `Task jar failed with message: ${message}`);
      assert.equal((await call("GET", `/api/2.1/jobs/runs/get-output?run_id=${run.tasks[0].run_id}`)).body.error, message);
    });

    it("runs a Python file from DBFS with its parameters and returns its logs", async () => {
      await call("POST", "/api/2.0/dbfs/put", { path: "dbfs:/emu/job.py", contents: b64('import sys\nprint("args", sys.argv[1:])\n'), overwrite: true });
      const run = await finished(await submit({ run_name: "py", tasks: [{ task_key: "py", spark_python_task: { python_file: "dbfs:/emu/job.py", parameters: [1, "b"] } }] }));
      assert.equal(run.state.result_state, "SUCCESS");
      const output = (await call("GET", `/api/2.1/jobs/runs/get-output?run_id=${run.tasks[0].run_id}`)).body;
      assert.match(output.logs, /args \['1', 'b'\]/);
      assert.equal(output.logs_truncated, false);
      assert.equal(output.notebook_output, undefined);
    });

    it("reports missing runs, jobs and clusters in runs and jobs as 400", async () => {
      for (const [method, route, body] of [
        ["GET", "/api/2.2/jobs/runs/get?run_id=424242", undefined],
        ["GET", "/api/2.1/jobs/runs/get-output?run_id=424242", undefined],
        ["POST", "/api/2.1/jobs/runs/cancel", { run_id: 424242 }],
        ["POST", "/api/2.1/jobs/runs/delete", { run_id: "424242" }],
      ] as const) {
        await expectError(call(method, route, body), 400, { error_code: "INVALID_PARAMETER_VALUE", message: "Run 424242 does not exist" });
      }
      await expectError(call("POST", "/api/2.1/jobs/run-now", { job_id: 5151 }), 400, { error_code: "INVALID_PARAMETER_VALUE", message: "Job 5151 does not exist" });
      const run = await finished(await submit({ run_name: "gone", tasks: [{ task_key: "main", existing_cluster_id: "0101-000000-nothere1", notebook_task: { notebook_path: "/Shared/emu/ok" } }] }));
      assert.deepEqual(run.state, {
        life_cycle_state: "INTERNAL_ERROR",
        result_state: "FAILED",
        state_message: "Run executed on existing cluster ID 0101-000000-nothere1 failed since the cluster does not exist.",
        user_cancelled_or_timedout: false,
      });
      const missing = await finished(await submit({ run_name: "no notebook", tasks: [{ task_key: "main", notebook_task: { notebook_path: "/Shared/emu/none" } }] }));
      assert.equal(
        missing.state.state_message,
        'Unable to access the notebook "/Shared/emu/none". Either it does not exist, or the identity used to run this job, emulator@localhost, lacks the required permissions.',
      );
    });

    it("pages a job's tasks over 100 in API 2.2 and queues run-now of jobs created through 2.2", async () => {
      const tasks = Array.from({ length: 101 }, (_, i) => ({ task_key: `t${String(i).padStart(3, "0")}`, notebook_task: { notebook_path: "/Shared/emu/sleepy" } }));
      const jobId: number = (await call("POST", "/api/2.2/jobs/create", { name: "wide", tasks })).body.job_id;
      const first = (await call("GET", `/api/2.2/jobs/get?job_id=${jobId}`)).body;
      assert.deepEqual([first.settings.tasks.length, first.has_more, first.settings.queue], [100, true, { enabled: true }]);
      const second = (await call("GET", `/api/2.2/jobs/get?job_id=${jobId}&page_token=${first.next_page_token}`)).body;
      assert.deepEqual([second.settings.tasks.map((t: { task_key: string }) => t.task_key), second.has_more], [["t100"], undefined]);
      assert.equal((await call("GET", `/api/2.1/jobs/get?job_id=${jobId}`)).body.settings.tasks.length, 101);

      await call("POST", "/api/2.2/jobs/reset", { job_id: jobId, new_settings: { name: "one", tasks: [tasks[0]] } });
      const running: number = (await call("POST", "/api/2.2/jobs/run-now", { job_id: jobId })).body.run_id;
      const queued: number = (await call("POST", "/api/2.2/jobs/run-now", { job_id: jobId })).body.run_id;
      assert.deepEqual((await call("GET", `/api/2.2/jobs/runs/get?run_id=${queued}`)).body.state, {
        life_cycle_state: "QUEUED",
        state_message: "Queued due to reaching maximum concurrent runs of 1.",
        user_cancelled_or_timedout: false,
      });
      assert.deepEqual((await call("GET", `/api/2.2/jobs/runs/list?job_id=${jobId}&active_only=true`)).body.runs.map((r: { run_id: number }) => r.run_id), [queued, running]);
      assert.equal((await call("POST", "/api/2.2/jobs/runs/cancel-all", { job_id: jobId })).status, 200);
      assert.deepEqual([(await finished(running, "2.2")).state.result_state, (await finished(queued, "2.2")).state.result_state], ["CANCELED", "CANCELED"]);
    });

    it("makes a mount through Command Execution 1.2 that later runs and the DBFS API see", async () => {
      const clusterId: string = (await call("POST", "/api/2.0/clusters/create", { cluster_name: "mounts", spark_version: "15.4.x-scala2.12", num_workers: 0 })).body.cluster_id;
      const contextId: string = (await call("POST", "/api/1.2/contexts/create", { clusterId, language: "python" })).body.id;
      assert.match(contextId, /^\d+$/);
      const ctx = `clusterId=${clusterId}&contextId=${contextId}`;
      for (let i = 0; (await call("GET", `/api/1.2/contexts/status?${ctx}`)).body.status !== "Running"; i++) {
        assert.ok(i < 200, "the context did not start");
        await new Promise((r) => setTimeout(r, 25));
      }
      async function command(code: string): Promise<any> {
        const id: string = (await call("POST", "/api/1.2/commands/execute", { clusterId, contextId, language: "python", command: code })).body.id;
        for (let i = 0; ; i++) {
          const status = (await call("GET", `/api/1.2/commands/status?${ctx}&commandId=${id}`)).body;
          if (["Finished", "Error", "Cancelled"].includes(status.status)) return status;
          assert.ok(i < 400, "the command did not finish");
          await new Promise((r) => setTimeout(r, 25));
        }
      }
      const mounted = await command(
        [
          'key = dbutils.secrets.get(scope="emu", key="token")',
          'dbutils.fs.mount(source="wasbs://data@account1.blob.core.windows.net/", mount_point="/mnt/data", extra_configs={"fs.azure.account.key.account1.blob.core.windows.net": key})',
          'dbutils.fs.put("/mnt/data/hello.txt", "hello from a mount", True)',
          "print(key)",
          "[m.mountPoint for m in dbutils.fs.mounts()][0]",
        ].join("\n"),
      );
      assert.deepEqual(mounted.status, "Finished");
      assert.deepEqual(mounted.results, { resultType: "text", data: "Wrote 18 bytes.\n[REDACTED]\n'/mnt/data'" });
      const failed = await command("1/0");
      assert.deepEqual([failed.status, failed.results.resultType, failed.results.summary], ["Finished", "error", "ZeroDivisionError: division by zero"]);
      assert.equal((await call("POST", "/api/1.2/contexts/destroy", { clusterId, contextId })).status, 200);
      assert.deepEqual((await call("GET", `/api/1.2/contexts/status?${ctx}`)).body, { error: `ContextNotFound: Context ${contextId} does not exist on cluster ${clusterId}.` });

      await call("POST", "/api/2.0/workspace/import", {
        path: "/Shared/emu/mounts",
        format: "SOURCE",
        language: "PYTHON",
        content: b64(notebook('points = [m.mountPoint for m in dbutils.fs.mounts()]\ndbutils.notebook.exit(f"{points[0]}|{dbutils.fs.head(\'/mnt/data/hello.txt\')}")')),
      });
      const run = await finished(await submit({ run_name: "sees mounts", tasks: [{ task_key: "main", notebook_task: { notebook_path: "/Shared/emu/mounts" } }] }));
      assert.deepEqual((await call("GET", `/api/2.1/jobs/runs/get-output?run_id=${run.tasks[0].run_id}`)).body.notebook_output, { result: "/mnt/data|hello from a mount", truncated: false });
      assert.deepEqual((await call("GET", "/api/2.0/dbfs/read?path=dbfs:/mnt/data/hello.txt")).body, { bytes_read: 18, data: b64("hello from a mount") });
      assert.deepEqual((await call("GET", "/api/2.0/dbfs/list?path=/mnt")).body.files.map((f: { path: string; is_dir: boolean }) => [f.path, f.is_dir]), [["/mnt/data", true]]);

      await call("POST", "/api/2.0/clusters/delete", { cluster_id: clusterId });
      assert.deepEqual((await call("POST", "/api/1.2/contexts/create", { clusterId, language: "python" })).body, { error: `Cluster ${clusterId} is not running; its state is Terminated.` });
      await expectError(call("POST", "/api/1.2/contexts/create", { clusterId: "0101-000000-nothere1", language: "python" }), 400, {
        error_code: "INVALID_PARAMETER_VALUE",
        message: "Cluster 0101-000000-nothere1 does not exist",
      });
    });

    it("runs a job with run-now parameters, skips runs over max_concurrent_runs and lists runs by job", async () => {
      const created = await call("POST", "/api/2.1/jobs/create", {
        name: "nightly",
        max_concurrent_runs: 1,
        schedule: { quartz_cron_expression: "0 0 2 * * ?", timezone_id: "UTC" },
        tasks: [{ task_key: "main", notebook_task: { notebook_path: "/Shared/emu/ok", base_parameters: { rows: "1" } } }],
      });
      const jobId: number = created.body.job_id;
      const job = (await call("GET", `/api/2.1/jobs/get?job_id=${jobId}`)).body;
      assert.deepEqual([job.settings.name, job.settings.schedule.quartz_cron_expression, job.settings.tasks[0].task_key], ["nightly", "0 0 2 * * ?", "main"]);
      const runId: number = (await call("POST", "/api/2.1/jobs/run-now", { job_id: jobId, notebook_params: { rows: "4" } })).body.run_id;
      const second: number = (await call("POST", "/api/2.1/jobs/run-now", { job_id: jobId })).body.run_id;
      assert.deepEqual((await call("GET", `/api/2.1/jobs/runs/get?run_id=${second}`)).body.state, {
        life_cycle_state: "SKIPPED",
        result_state: "MAXIMUM_CONCURRENT_RUNS_REACHED",
        state_message: "Skipping this run because the limit of 1 maximum concurrent runs has been reached.",
        user_cancelled_or_timedout: false,
      });
      const run = await finished(runId);
      assert.deepEqual([run.run_type, run.job_id, run.overriding_parameters], ["JOB_RUN", jobId, { notebook_params: { rows: "4" } }]);
      assert.deepEqual((await call("GET", `/api/2.1/jobs/runs/get-output?run_id=${run.tasks[0].run_id}`)).body.notebook_output, { result: "8:True", truncated: false });
      const listed = (await call("GET", `/api/2.1/jobs/runs/list?job_id=${jobId}&completed_only=true`)).body;
      assert.deepEqual([listed.runs.map((r: { run_id: number }) => r.run_id), listed.has_more], [[second, runId], false]);
      assert.equal(listed.runs[0].tasks, undefined);
      assert.equal((await call("POST", "/api/2.1/jobs/delete", { job_id: jobId })).status, 200);
      await expectError(call("GET", `/api/2.1/jobs/get?job_id=${jobId}`), 400, { error_code: "INVALID_PARAMETER_VALUE", message: `Job ${jobId} does not exist` });
    });
  });

  describe("DBFS", () => {
    it("refuses a put over 1 MB with MAX_BLOCK_SIZE_EXCEEDED", async () => {
      await expectError(call("POST", "/api/2.0/dbfs/put", { path: "/tmp/big.bin", contents: b64(Buffer.alloc(1024 * 1024 + 1)) }), 400, {
        error_code: "MAX_BLOCK_SIZE_EXCEEDED",
        message: "The 'contents' data cannot exceed 1048576 bytes. Found: 1048577 bytes. You might want to use streaming upload instead.",
      });
    });

    it("puts, reads, lists, moves and deletes files", async () => {
      assert.equal((await call("POST", "/api/2.0/dbfs/put", { path: "dbfs:/data/in/a.txt", contents: b64("hello dbfs") })).status, 200);
      await expectError(call("POST", "/api/2.0/dbfs/put", { path: "/data/in/a.txt", contents: b64("again") }), 400, {
        error_code: "RESOURCE_ALREADY_EXISTS",
        message: "A file or directory already exists at the input path dbfs:/data/in/a.txt.",
      });
      assert.deepEqual((await call("GET", "/api/2.0/dbfs/read?path=/data/in/a.txt&offset=6&length=4")).body, { bytes_read: 4, data: b64("dbfs") });
      const status = (await call("GET", "/api/2.0/dbfs/get-status?path=dbfs:/data/in/a.txt")).body;
      assert.deepEqual({ path: status.path, is_dir: status.is_dir, file_size: status.file_size }, { path: "/data/in/a.txt", is_dir: false, file_size: 10 });
      assert.deepEqual((await call("GET", "/api/2.0/dbfs/list?path=/data")).body.files.map((f: { path: string; is_dir: boolean }) => [f.path, f.is_dir]), [["/data/in", true]]);
      assert.equal((await call("POST", "/api/2.0/dbfs/move", { source_path: "/data/in/a.txt", destination_path: "/data/out/b.txt" })).status, 200);
      await expectError(call("GET", "/api/2.0/dbfs/get-status?path=/data/in/a.txt"), 404, {
        error_code: "RESOURCE_DOES_NOT_EXIST",
        message: "No file or directory exists on path /data/in/a.txt.",
      });
      await expectError(call("POST", "/api/2.0/dbfs/delete", { path: "/data/out" }), 400, {
        error_code: "IO_ERROR",
        message: "Directory dbfs:/data/out is not empty; use recursive to delete it with its content.",
      });
      assert.equal((await call("POST", "/api/2.0/dbfs/delete", { path: "/data", recursive: true })).status, 200);
      assert.equal((await call("GET", "/api/2.0/dbfs/get-status?path=/data")).status, 404);
    });

    it("uploads a large file as a stream of 1 MB blocks and reads it back", async () => {
      const data = Buffer.alloc(2.5 * 1024 * 1024);
      for (let i = 0; i < data.length; i++) data[i] = (i * 7) % 251;
      const handle: number = (await call("POST", "/api/2.0/dbfs/create", { path: "/stream/big.bin" })).body.handle;
      assert.ok(Number.isInteger(handle));
      for (let offset = 0; offset < data.length; offset += 1024 * 1024) {
        assert.equal((await call("POST", "/api/2.0/dbfs/add-block", { handle, data: b64(data.subarray(offset, offset + 1024 * 1024)) })).status, 200);
      }
      assert.equal((await call("POST", "/api/2.0/dbfs/close", { handle })).status, 200);
      await expectError(call("POST", "/api/2.0/dbfs/close", { handle }), 404, { error_code: "RESOURCE_DOES_NOT_EXIST", message: `The handle ${handle} does not exist.` });
      const parts: Buffer[] = [];
      for (let offset = 0; ; offset += 1024 * 1024) {
        const r = (await call("GET", `/api/2.0/dbfs/read?path=/stream/big.bin&offset=${offset}&length=1048576`)).body;
        if (r.bytes_read === 0) break;
        parts.push(Buffer.from(r.data, "base64"));
      }
      assert.ok(Buffer.concat(parts).equals(data));
      const tooLong = await call("GET", "/api/2.0/dbfs/read?path=/stream/big.bin&length=1048577");
      assert.equal(tooLong.body.error_code, "MAX_READ_SIZE_EXCEEDED");
    });
  });

  describe("control plane", () => {
    it("lists runs for tests and forgets every run, scope, notebook and file on reset", async () => {
      const listed = ((await (await fetch(`${emulator.url}/_emulator/databricks/runs`)).json()) as { runs: { run_id: number; state: { life_cycle_state: string } }[] }).runs;
      assert.ok(listed.length > 0 && listed.every((r) => Number.isInteger(r.run_id) && typeof r.state.life_cycle_state === "string"));
      assert.equal((await fetch(`${emulator.url}/_emulator/reset`, { method: "POST" })).status, 204);
      assert.deepEqual(((await (await fetch(`${emulator.url}/_emulator/databricks/runs`)).json()) as { runs: unknown[] }).runs, []);
      assert.deepEqual((await call("GET", "/api/2.0/secrets/scopes/list")).body, {});
      assert.deepEqual((await call("GET", "/api/2.0/workspace/list?path=/")).body.objects.map((o: { path: string }) => o.path), ["/Shared", "/Users"]);
      assert.equal((await call("GET", "/api/2.0/dbfs/get-status?path=/emu/out.txt")).status, 404);
      assert.equal((await call("GET", "/api/2.1/jobs/runs/list")).body.runs, undefined);
    });
  });
});
