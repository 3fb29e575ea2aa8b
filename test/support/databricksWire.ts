/**
 * Databricks calls over plain HTTP for the emulator's tests: content encoding, notebooks, submitting
 * a run and waiting until it ends.
 */
import * as assert from "node:assert/strict";
import { secureParametersHeaderValue, SECURE_PARAMETERS_HEADER } from "../../src/core/secureParameters";
import { until, type Call, type TestEmulator } from "./emulator";

/** Life-cycle states after which a run or task changes no more. */
export const TERMINAL_STATES: readonly string[] = ["TERMINATED", "SKIPPED", "INTERNAL_ERROR"];

/** The message of a task whose code failed. */
export const FAILED_TASK_MESSAGE = "Workload failed, see run output for details";

/** A small cluster specification for tasks. */
export const SMALL_CLUSTER = { spark_version: "15.4.x-scala2.12", node_type_id: "Standard_DS3_v2", num_workers: 1 };

/** Base64 of text (UTF-8) or bytes. */
export function b64(content: string | Buffer): string {
  return (Buffer.isBuffer(content) ? content : Buffer.from(content, "utf8")).toString("base64");
}

/** A SOURCE-format Python notebook of the given cells. */
export function notebook(...cells: string[]): string {
  return ["# Databricks notebook source", ...cells].join("\n\n# COMMAND ----------\n\n") + "\n";
}

/** Imports a Python notebook in SOURCE format; asserts it was accepted. */
export async function importNotebook(call: Call, path: string, source: string): Promise<void> {
  const r = await call("POST", "/api/2.0/workspace/import", { path, format: "SOURCE", language: "PYTHON", content: b64(source), overwrite: true });
  assert.equal(r.status, 200, r.text);
}

/** The secret the seeded notebooks read (`dbutils.secrets.get("emu", "token")`). */
export const SEEDED_SECRET = "s3cr3t";

/**
 * Seeds the workspace the run tests use: scope `emu` with key `token`, and under `/Shared/emu`
 * the notebooks `ok` (reads widget `rows` and the secret, writes `dbfs:/emu/out.txt`, exits with
 * `<rows * 2>:<secret matched>`), `boom` (raises ValueError) and `sleepy` (sleeps 30 s).
 */
export async function seedWorkspace(call: Call): Promise<void> {
  assert.equal((await call("POST", "/api/2.0/secrets/scopes/create", { scope: "emu" })).status, 200);
  assert.equal((await call("POST", "/api/2.0/secrets/put", { scope: "emu", key: "token", string_value: SEEDED_SECRET })).status, 200);
  assert.equal((await call("POST", "/api/2.0/workspace/mkdirs", { path: "/Shared/emu" })).status, 200);
  await importNotebook(
    call,
    "/Shared/emu/ok",
    notebook(
      'rows = int(dbutils.widgets.get("rows"))\ntoken = dbutils.secrets.get(scope="emu", key="token")\ndbutils.fs.put("dbfs:/emu/out.txt", f"rows={rows}", True)',
      `dbutils.notebook.exit(f"{rows * 2}:{token == '${SEEDED_SECRET}'}")`,
    ),
  );
  await importNotebook(call, "/Shared/emu/boom", notebook('raise ValueError("boom")'));
  await importNotebook(call, "/Shared/emu/sleepy", notebook("import time\ntime.sleep(30)"));
}

/** Submits a one-time run; asserts it was accepted and returns its run id. */
export async function submitRun(call: Call, body: unknown, version = "2.1"): Promise<number> {
  const r = await call("POST", `/api/${version}/jobs/runs/submit`, body);
  assert.equal(r.status, 200, r.text);
  return r.body.run_id;
}

/**
 * Submits a one-time run as the package does in local mode, naming the notebook parameters that
 * hold secure inputs in the header the run page masks them by; returns the run id.
 */
export async function submitRunWithSecureParameters(t: TestEmulator, body: unknown, secure: readonly string[]): Promise<number> {
  const res = await fetch(`${t.emulator.url}/api/2.1/jobs/runs/submit`, {
    method: "POST",
    headers: { Authorization: `Bearer ${t.emulator.token}`, "Content-Type": "application/json", [SECURE_PARAMETERS_HEADER]: secureParametersHeaderValue(secure) },
    body: JSON.stringify(body),
  });
  const text = await res.text();
  assert.equal(res.status, 200, text);
  return (JSON.parse(text) as { run_id: number }).run_id;
}

/** `runs/get` of a run. */
export async function getRun(call: Call, runId: number, version = "2.1"): Promise<any> {
  const r = await call("GET", `/api/${version}/jobs/runs/get?run_id=${runId}`);
  assert.equal(r.status, 200, r.text);
  return r.body;
}

/** Waits until `runs/get` shows the run in a state `accept` takes, and returns the run. */
export function runWhen(call: Call, runId: number, what: string, accept: (run: any) => boolean, version = "2.1"): Promise<any> {
  let last: any;
  return until(
    () => `run ${runId} ${what} (last state: ${JSON.stringify(last?.state)}, tasks: ${JSON.stringify(last?.tasks?.map((t: any) => t.state))})`,
    async () => {
      last = await getRun(call, runId, version);
      return accept(last) ? last : undefined;
    },
  );
}

/** Waits until the run is in a terminal state and returns it (`runs/get`). */
export function finishedRun(call: Call, runId: number, version = "2.1"): Promise<any> {
  return runWhen(call, runId, "has finished", (run) => TERMINAL_STATES.includes(run.state.life_cycle_state), version);
}

/** `runs/get-output` of a task run. */
export async function runOutput(call: Call, taskRunId: number, version = "2.1"): Promise<any> {
  const r = await call("GET", `/api/${version}/jobs/runs/get-output?run_id=${taskRunId}`);
  assert.equal(r.status, 200, r.text);
  return r.body;
}

/** The state of a cluster (`clusters/get`). */
export async function clusterState(call: Call, clusterId: string): Promise<string> {
  const r = await call("GET", `/api/2.0/clusters/get?cluster_id=${clusterId}`);
  assert.equal(r.status, 200, r.text);
  return r.body.state;
}

/** The pattern of a cluster id created at `at` (ms): `MMDD-HHMMSS-` in UTC, then 8 letters or digits. */
export function clusterIdPattern(at: number): RegExp {
  const stamp = new Date(at).toISOString().replace(/^\d{4}-(\d\d)-(\d\d)T(\d\d):(\d\d):(\d\d).*$/, "$1$2-$3$4$5");
  return new RegExp(`^${stamp}-[a-z0-9]{8}$`);
}

/** How a one-time notebook run ended: its result state, the value it exited with, and its error if any. */
export interface NotebookRunEnd {
  state: string;
  result: string;
  error?: string;
}

/** Imports the cells as `/Shared/test-notebook`, runs it as a one-time run to its end, and reports how it ended. */
export async function runNotebook(call: Call, ...cells: string[]): Promise<NotebookRunEnd> {
  await importNotebook(call, "/Shared/test-notebook", notebook(...cells));
  const runId = await submitRun(call, { run_name: "test notebook", tasks: [{ task_key: "main", notebook_task: { notebook_path: "/Shared/test-notebook" } }] });
  const run = await finishedRun(call, runId);
  const output = await runOutput(call, run.tasks[0].run_id);
  return { state: run.state.result_state, result: output.notebook_output?.result ?? "", ...(output.error ? { error: output.error } : {}) };
}

/** A RUNNING cluster (created) and an execution context on it, once the context runs. */
export async function startContext(call: Call): Promise<{ clusterId: string; contextId: string }> {
  const cluster = await call("POST", "/api/2.0/clusters/create", { cluster_name: "context", spark_version: "15.4.x-scala2.12", num_workers: 0 });
  assert.equal(cluster.status, 200, cluster.text);
  const clusterId: string = cluster.body.cluster_id;
  const contextId: string = (await call("POST", "/api/1.2/contexts/create", { clusterId, language: "python" })).body.id;
  await until("the execution context runs", async () => (await call("GET", `/api/1.2/contexts/status?clusterId=${clusterId}&contextId=${contextId}`)).body.status === "Running");
  return { clusterId, contextId };
}

/** Runs a command in an execution context to its end and returns its `results`. */
export async function executeCommand(call: Call, where: { clusterId: string; contextId: string }, command: string): Promise<any> {
  const sent = await call("POST", "/api/1.2/commands/execute", { ...where, language: "python", command });
  assert.equal(sent.status, 200, sent.text);
  const status = `/api/1.2/commands/status?clusterId=${where.clusterId}&contextId=${where.contextId}&commandId=${sent.body.id}`;
  let last: any;
  return until(
    () => `command ${sent.body.id} ends (last: ${JSON.stringify(last)})`,
    async () => {
      last = (await call("GET", status)).body;
      return ["Finished", "Error", "Cancelled"].includes(last.status) ? last.results : undefined;
    },
  );
}
