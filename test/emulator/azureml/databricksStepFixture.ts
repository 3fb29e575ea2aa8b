/**
 * What the tests of Databricks steps in Azure ML pipelines share: the Databricks token in the
 * emulator's vault, notebooks that mount the workspace blob store (the seed's set-up) before their
 * own cells, a pipeline of one Databricks step submitted through the ARM API, and the Databricks
 * runs the emulator holds.
 */
import * as assert from "node:assert/strict";
import { importNotebook, notebook } from "../../support/databricksWire";
import type { TestEmulator } from "../../support/emulator";
import { V, WS } from "./fixture";

/** The Key Vault secret holding the Databricks token. */
export const TOKEN_SECRET = "databricks-token";
/** Where the notebooks mount the workspace blob store, as the seed does. */
export const MOUNT_POINT = "/mnt/azuremlblobstore";
/** The cluster every step asks for. */
export const CLUSTER = { num_workers: "1", node_type_id: "Standard_DS3_v2", spark_version: "15.4.x-scala2.12" };

/** What these helpers need of an emulator: its calls and what it reports (a test's, or an e2e test's). */
export type StepEmulator = Pick<TestEmulator, "call" | "control" | "emulator">;

/** A Databricks run as the emulator's control plane lists it. */
export interface ListedRun {
  run_id: number;
  run_name: string;
  idempotency_token?: string;
  state: { life_cycle_state: string; result_state?: string; state_message?: string; user_cancelled_or_timedout?: boolean };
}

/** Stores the emulator's own token (which Databricks accepts as a personal access token) as the vault's secret {@link TOKEN_SECRET}. */
export async function storeDatabricksToken(t: StepEmulator): Promise<void> {
  assert.equal((await t.call("PUT", `/secrets/${TOKEN_SECRET}?api-version=7.4`, { value: t.emulator.token })).status, 200);
}

/** The cell that mounts the default datastore's container at {@link MOUNT_POINT} with its key, unless mounted. */
async function mountCell(t: StepEmulator): Promise<string> {
  const ds = (await t.call("GET", `${WS}/datastores/workspaceblobstore?${V}`)).body.properties;
  const key = (await t.call("POST", `${WS}/datastores/workspaceblobstore/listSecrets?${V}`)).body.key;
  const host = `${ds.accountName}.blob.core.windows.net`;
  return (
    `if not any(m.mountPoint == "${MOUNT_POINT}" for m in dbutils.fs.mounts()):\n` +
    `    dbutils.fs.mount(source="wasbs://${ds.containerName}@${host}", mount_point="${MOUNT_POINT}", extra_configs={"fs.azure.account.key.${host}": "${key}"})`
  );
}

/** Imports `/Shared/aml/<name>`: the mount cell, then `cells`. */
export async function importStepNotebook(t: StepEmulator, name: string, ...cells: string[]): Promise<string> {
  assert.equal((await t.call("POST", "/api/2.0/workspace/mkdirs", { path: "/Shared/aml" })).status, 200);
  const path = `/Shared/aml/${name}`;
  await importNotebook(t.call, path, notebook(await mountCell(t), ...cells));
  return path;
}

/** The inputs of a Databricks step (the seed's), as literals of a pipeline job. */
export function stepInputs(t: StepEmulator, notebookPath: string, more: Record<string, string> = {}): Record<string, { job_input_type: "literal"; value: string }> {
  const values: Record<string, string> = {
    databricks_host: t.emulator.url,
    notebook_path: notebookPath,
    kv_url: t.emulator.keyVaultUrl,
    kv_secret_name: TOKEN_SECRET,
    ...CLUSTER,
    ...more,
  };
  return Object.fromEntries(Object.entries(values).map(([k, value]) => [k, { job_input_type: "literal" as const, value }]));
}

/** Submits pipeline job `name` of one step `adb` of `componentId` with `inputs`. */
export async function submitDatabricksStep(t: StepEmulator, name: string, componentId: string, inputs: Record<string, unknown>): Promise<void> {
  const r = await t.call("PUT", `${WS}/jobs/${name}?${V}`, {
    properties: { jobType: "Pipeline", settings: { default_compute: `${WS}/computes/cpu-cluster` }, jobs: { adb: { name: "adb", type: "command", componentId, inputs } } },
  });
  assert.equal(r.status, 201, r.text);
}

/** Every Databricks run of the emulator, by run id. */
export async function databricksRuns(t: StepEmulator): Promise<ListedRun[]> {
  const r = await t.control("GET", "/_emulator/databricks/runs");
  assert.equal(r.status, 200);
  return r.body.runs;
}

/** The page of run `runId`, as runs/get gives it. */
export async function runPage(t: StepEmulator, runId: number): Promise<string> {
  const r = await t.call("GET", `/api/2.1/jobs/runs/get?run_id=${runId}`);
  assert.equal(r.status, 200);
  return r.body.run_page_url;
}
