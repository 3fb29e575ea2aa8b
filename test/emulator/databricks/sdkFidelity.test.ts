import * as assert from "node:assert/strict";
import { ApiClient, ApiError, Config, Time, TimeUnits, WorkspaceClient } from "@databricks/sdk-experimental";
import type { RunningEmulator } from "../../../src/emulator";
import { useEmulator } from "../../support/emulator";

/**
 * The official Databricks SDK for JavaScript (@databricks/sdk-experimental 0.14.2, the last release
 * for Node 20) against the emulator, unchanged: its default https agent, trusting the emulator's CA
 * as `NODE_EXTRA_CA_CERTS` would (`test/support/trust.ts`). The SDK's `Config.fixHost()` keeps only
 * the host name (`https://<hostname>`, port 443), as a workspace URL has no port, so the emulator
 * listens on port 443 of a loopback address of its own (127.0.x.y, one per run, so that parallel
 * runs do not meet); binding port 443 needs root or CAP_NET_BIND_SERVICE.
 *
 * In 0.14.2 `ApiClient.request` only writes the query string when a payload is given, and the
 * generated GET methods pass none: `jobs.getRun({run_id})` sends `GET /api/2.2/jobs/runs/get`
 * without `run_id` (to the real service as well). The first test shows exactly that; the others
 * pass an empty payload to GET calls so their query reaches the service.
 */
const LOOPBACK_443 = `127.0.${1 + (process.pid % 250)}.${2 + Math.floor(Math.random() * 250)}`;

function sdkClient(emulator: RunningEmulator, opts: { fixGetQueries: boolean; token?: string }): WorkspaceClient {
  const config = new Config({ host: emulator.url, token: opts.token ?? emulator.token, authType: "pat", loaders: [], env: {}, retryTimeoutSeconds: 20 });
  const client = new WorkspaceClient(config, { product: "fidelity-test", productVersion: "0.0.0" });
  if (opts.fixGetQueries) {
    const api: ApiClient = client.apiClient;
    const request = api.request.bind(api);
    api.request = (options, context) => request({ ...options, payload: options.payload ?? (options.method === "GET" ? {} : undefined) }, context);
  }
  return client;
}

/** Asserts the SDK's ApiError: status, error code and message as the SDK parsed them. */
async function expectApiError(call: Promise<unknown>, statusCode: number, errorCode: string, message: string): Promise<void> {
  await assert.rejects(call, (err: unknown) => {
    assert.ok(err instanceof ApiError, `expected ApiError, got ${String(err)}`);
    assert.deepEqual({ statusCode: err.statusCode, errorCode: err.errorCode, message: err.message }, { statusCode, errorCode, message });
    return true;
  });
}

const NOTEBOOK = [
  "# Databricks notebook source",
  'rows = int(dbutils.widgets.get("rows"))',
  "# COMMAND ----------",
  'dbutils.fs.put("dbfs:/sdk/out.txt", str(rows * 2), True)',
  "dbutils.notebook.exit(str(rows * 2))",
].join("\n");

describe("Databricks emulator driven by the official @databricks/sdk-experimental client", function () {
  this.timeout(30_000);
  const t = useEmulator({ token: "dapi0123456789abcdef0123456789abcdef", host: LOOPBACK_443, port: 443 });
  let ws: WorkspaceClient;

  before(() => {
    ws = sdkClient(t.emulator, { fixGetQueries: true });
  });

  it("sends GET requests without their query in 0.14.2, which the service refuses like the real one", async () => {
    const raw = sdkClient(t.emulator, { fixGetQueries: false });
    await expectApiError(raw.jobs.getRun({ run_id: 1 }), 400, "INVALID_PARAMETER_VALUE", "Missing required field: run_id");
    assert.deepEqual(
      t.emulator.requests().map(({ method, path, status }) => ({ method, path, status })),
      [{ method: "GET", path: "/api/2.2/jobs/runs/get", status: 400 }],
    );
  });

  it("authenticates with a PAT and reports the service's errors as ApiError", async () => {
    const me = await ws.currentUser.me();
    assert.equal(me.userName, "emulator@localhost");
    await expectApiError(ws.jobs.getRun({ run_id: 987654 }), 400, "INVALID_PARAMETER_VALUE", "Run 987654 does not exist");
    const wrong = sdkClient(t.emulator, { fixGetQueries: true, token: "dapi-wrong" });
    await expectApiError(wrong.clusters.list({})[Symbol.asyncIterator]().next(), 403, "PERMISSION_DENIED", "Invalid access token.");
  });

  it("creates a cluster and waits for it to run", async () => {
    const waiter = await ws.clusters.create({ cluster_name: "sdk", spark_version: "15.4.x-scala2.12", node_type_id: "Standard_DS3_v2", num_workers: 1 });
    const running = await waiter.wait({ timeout: new Time(20, TimeUnits.seconds) });
    assert.equal(running.state, "RUNNING");
    const got = await ws.clusters.get({ cluster_id: waiter.cluster_id! });
    assert.deepEqual({ id: got.cluster_id, name: got.cluster_name, state: got.state, workers: got.num_workers }, { id: waiter.cluster_id, name: "sdk", state: "RUNNING", workers: 1 });
    await expectApiError(ws.clusters.create({ cluster_name: "no-version" } as never), 400, "INVALID_PARAMETER_VALUE", "Missing required field: spark_version");
  });

  it("creates a scope, puts secrets and lists them without values", async () => {
    await ws.secrets.createScope({ scope: "sdk-scope" });
    await ws.secrets.putSecret({ scope: "sdk-scope", key: "token", string_value: "s3cr3t" });
    await ws.secrets.putSecret({ scope: "sdk-scope", key: "blob", bytes_value: Buffer.from("bytes").toString("base64") });
    const keys: string[] = [];
    for await (const secret of ws.secrets.listSecrets({ scope: "sdk-scope" })) {
      assert.ok(!("value" in secret));
      keys.push(secret.key!);
    }
    assert.deepEqual(keys, ["blob", "token"]);
    await expectApiError(ws.secrets.createScope({ scope: "sdk-scope" }), 400, "RESOURCE_ALREADY_EXISTS", "Scope sdk-scope already exists!");
  });

  /** Imports the notebook the run test runs. */
  async function importNotebook(): Promise<void> {
    await ws.workspace.mkdirs({ path: "/Shared/sdk" });
    await ws.workspace.import({ path: "/Shared/sdk/double", format: "SOURCE", language: "PYTHON", content: Buffer.from(NOTEBOOK).toString("base64") });
  }

  it("imports a notebook and reads its status", async () => {
    await importNotebook();
    const status = await ws.workspace.getStatus({ path: "/Shared/sdk/double" });
    assert.deepEqual({ type: status.object_type, path: status.path, language: status.language }, { type: "NOTEBOOK", path: "/Shared/sdk/double", language: "PYTHON" });
    await expectApiError(ws.workspace.getStatus({ path: "/Shared/sdk/missing" }), 404, "RESOURCE_DOES_NOT_EXIST", "Path (/Shared/sdk/missing) doesn't exist.");
  });

  it("puts and reads a DBFS file", async () => {
    await ws.dbfs.put({ path: "/sdk/in.txt", contents: Buffer.from("from the sdk").toString("base64"), overwrite: true });
    const read = await ws.dbfs.read({ path: "/sdk/in.txt" });
    assert.deepEqual({ bytes: read.bytes_read, data: Buffer.from(read.data!, "base64").toString() }, { bytes: 12, data: "from the sdk" });
    await expectApiError(ws.dbfs.getStatus({ path: "/sdk/none" }), 404, "RESOURCE_DOES_NOT_EXIST", "No file or directory exists on path /sdk/none.");
  });

  it("submits a notebook run, waits for it and reads the task's output", async () => {
    await importNotebook();
    const waiter = await ws.jobs.submit({
      run_name: "sdk-run",
      tasks: [{ task_key: "double", notebook_task: { notebook_path: "/Shared/sdk/double", base_parameters: { rows: "21" } }, new_cluster: { spark_version: "15.4.x-scala2.12", num_workers: 1 } }],
    });
    const run = await waiter.wait({ timeout: new Time(25, TimeUnits.seconds) });
    assert.deepEqual({ life: run.state?.life_cycle_state, result: run.state?.result_state, type: run.run_type }, { life: "TERMINATED", result: "SUCCESS", type: "SUBMIT_RUN" });
    assert.match(run.run_page_url!, new RegExp(`^${new URL(t.emulator.url).origin}/\\?o=\\d+#job/${run.job_id}/run/${run.run_id}$`));
    const output = await ws.jobs.getRunOutput({ run_id: run.tasks![0].run_id! });
    assert.deepEqual(output.notebook_output, { result: "42", truncated: false });
    await expectApiError(
      ws.jobs.getRunOutput({ run_id: run.run_id! }),
      400,
      "INVALID_PARAMETER_VALUE",
      "Retrieving the output of runs with multiple tasks is not supported. Please retrieve the output of each individual task run instead.",
    );
    const read = await ws.dbfs.read({ path: "/sdk/out.txt" });
    assert.equal(Buffer.from(read.data!, "base64").toString(), "42");
  });
});
