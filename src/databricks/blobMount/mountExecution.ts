/**
 * Runs a mount snippet on Databricks: through the Command Execution API on a running cluster, or,
 * without one, as a one-time notebook run on a small job cluster (no long-lived cluster needed).
 */
import { randomUUID } from "node:crypto";
import { DatabricksApi, isNotFound } from "../client";
import type { NewCluster } from "../client/types";
import { describeState, waitForRun } from "../shared/runWait";
import { durationMs } from "../../core/pollSchedule";

/** Where a snippet runs. */
export interface MountCompute {
  /** A running cluster for Command Execution; absent: a one-time run. */
  clusterId?: string;
  /** The job cluster of one-time runs. */
  jobCluster: NewCluster;
}

const MARK = "@@pulumi-azureml-databricks@@";
const NOTEBOOK_DIR = "/Shared/.pulumi-azureml-databricks";

/** What a snippet set RESULT to, and how long its one-time run took (ms; absent on a cluster). */
export interface SnippetResult {
  value: Record<string, unknown>;
  runMs?: number;
}

/**
 * Runs `code` (which sets RESULT) and returns RESULT parsed. Falls back to a run when the cluster
 * is gone. `expectedMs`: how long the previous one-time run took, to poll the run by it.
 */
export async function runSnippet(api: DatabricksApi, compute: MountCompute, code: string, label: string, expectedMs?: number): Promise<SnippetResult> {
  if (compute.clusterId) {
    try {
      return { value: await onCluster(api, compute.clusterId, code, label) };
    } catch (err) {
      // A cluster that no longer exists must not break refresh or destroy.
      if (!isNotFound(err)) throw err;
      console.log(`${label}: cluster ${compute.clusterId} no longer exists; using a one-time run instead.`);
    }
  }
  return asRun(api, compute.jobCluster, code, label, expectedMs);
}

async function onCluster(api: DatabricksApi, clusterId: string, code: string, label: string): Promise<Record<string, unknown>> {
  const results = await api.commands.runCommand(clusterId, `${code}\nprint(${JSON.stringify(MARK)} + RESULT)`, { timeoutMs: 10 * 60 * 1000 });
  if (results.resultType === "error") {
    throw new Error(`${label}: the command failed on cluster ${clusterId}: ${results.summary ?? ""} ${results.cause ?? ""}`.trim());
  }
  const line = String(results.data ?? "").split("\n").find((l) => l.startsWith(MARK));
  if (!line) throw new Error(`${label}: the command on cluster ${clusterId} returned no result: ${String(results.data ?? "").slice(0, 500)}`);
  return JSON.parse(line.slice(MARK.length));
}

async function asRun(api: DatabricksApi, jobCluster: NewCluster, code: string, label: string, expectedMs?: number): Promise<SnippetResult> {
  const path = `${NOTEBOOK_DIR}/mount-${Date.now()}-${Math.random().toString(36).slice(2, 8)}`;
  await api.workspace.mkdirs(NOTEBOOK_DIR);
  const source = `# Databricks notebook source\n${code}\ndbutils.notebook.exit(RESULT)\n`;
  await api.workspace.import({ path, format: "SOURCE", language: "PYTHON", content: source, overwrite: true });
  try {
    // The token makes a retried submit (its answer lost) find the run it started instead of starting another.
    const idempotency_token = randomUUID();
    const { run_id } = await api.jobs.runsSubmit({ run_name: label, idempotency_token, tasks: [{ task_key: "mount", new_cluster: jobCluster, notebook_task: { notebook_path: path } }] });
    const run = await waitForRun(api, run_id, { timeoutMs: 30 * 60 * 1000, log: (l) => console.log(l), label, expectedMs });
    const task = run.tasks?.[0];
    const output = task?.run_id !== undefined ? await api.jobs.runsGetOutput(task.run_id) : undefined;
    if (run.state?.result_state !== "SUCCESS") {
      throw new Error(`${label}: run ${run_id} ended ${describeState(run)}: ${output?.error ?? run.state?.state_message ?? ""}\nRun page: ${run.run_page_url ?? ""}`);
    }
    await api.jobs.runsDelete(run_id).catch(() => undefined);
    const runMs = durationMs(run.start_time, run.end_time);
    return { value: JSON.parse(output?.notebook_output?.result ?? "{}"), ...(runMs !== undefined && { runMs }) };
  } finally {
    await api.workspace.delete(path).catch(() => undefined);
  }
}
