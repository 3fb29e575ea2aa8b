/**
 * Emulator throughput under concurrent load, on the CLI as users start it (a process of its own
 * with a state folder, real time, immediate lifecycle; plain http, as this process cannot trust a
 * CA made after it started): acknowledged Databricks secrets/put and Key Vault set secret per
 * second, runs/submit per second, and runs per second from submit to terminal for a notebook that
 * only exits (each a Python process, at most `--max-running-tasks` at once). Every write is
 * acknowledged only once it is on disk. `BENCH_LOAD_REQUESTS` writes of each kind (default 500),
 * `BENCH_LOAD_RUNS` runs (default 100), `BENCH_LOAD_CONCURRENCY` in flight (default 64).
 */
import { randomBytes } from "node:crypto";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { startEmulatorCli } from "./emulatorCli";
import { emulatorCaller } from "./figures";

const REQUESTS = Number(process.env.BENCH_LOAD_REQUESTS ?? 500);
const RUNS = Number(process.env.BENCH_LOAD_RUNS ?? 100);
const CONCURRENCY = Number(process.env.BENCH_LOAD_CONCURRENCY ?? 64);
const CLUSTER = { spark_version: "15.4.x-scala2.12", node_type_id: "Standard_DS3_v2", num_workers: 1 };

/** Prints the emulator's throughput figures. */
export async function emulatorLoad(): Promise<void> {
  const stateDir = fs.mkdtempSync(path.join(os.tmpdir(), "amldb-bench-load-"));
  const token = randomBytes(16).toString("hex");
  const emulator = await startEmulatorCli(stateDir, token, ["--databricks-lifecycle", "immediate"]);
  try {
    const call = emulatorCaller(emulator);
    await call("POST", "/api/2.0/secrets/scopes/create", { scope: "bench" });
    await call("POST", "/api/2.0/workspace/import", {
      path: "/Shared/bench-load",
      format: "SOURCE",
      language: "PYTHON",
      content: Buffer.from('# Databricks notebook source\ndbutils.notebook.exit("ok")\n').toString("base64"),
      overwrite: true,
    });
    const rate = async (what: string, count: number, one: (i: number) => Promise<unknown>): Promise<void> => {
      const started = process.hrtime.bigint();
      await inPool(count, CONCURRENCY, one);
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      console.log(`${what}: ${count} at ${CONCURRENCY} in flight, ${(count / seconds).toFixed(0)}/s (${seconds.toFixed(2)} s)`);
    };
    await rate("Databricks secrets/put", REQUESTS, (i) => call("POST", "/api/2.0/secrets/put", { scope: "bench", key: `k${i}`, string_value: `v${i}` }));
    await rate("Key Vault set secret", REQUESTS, (i) => call("PUT", `/secrets/bench-${i}?api-version=7.5`, { value: `v${i}` }));
    const started = process.hrtime.bigint();
    const ids: number[] = [];
    await rate("runs/submit (acknowledged)", RUNS, async (i) => {
      const r = await call("POST", "/api/2.1/jobs/runs/submit", { run_name: `bench-${i}`, tasks: [{ task_key: "t", notebook_task: { notebook_path: "/Shared/bench-load" }, new_cluster: CLUSTER }] });
      ids.push(r.run_id as number);
    });
    for (;;) {
      const active = await call("GET", "/api/2.1/jobs/runs/list?active_only=true&limit=1");
      if ((active.runs ?? []).length === 0) break;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    const runs = await Promise.all(ids.slice(0, 20).map((id) => call("GET", `/api/2.1/jobs/runs/get?run_id=${id}`)));
    const execution = runs.map((r) => r.tasks[0].execution_duration as number).sort((a, b) => a - b);
    console.log(`runs to terminal: ${RUNS} notebook runs in ${seconds.toFixed(1)} s, ${(RUNS / seconds).toFixed(1)} runs/s; a run's Python process (median of 20): ${execution[Math.floor(execution.length / 2)]} ms`);
  } finally {
    await emulator.close();
    fs.rmSync(stateDir, { recursive: true, force: true });
  }
}

/** Calls `one(i)` for i below `count`, `limit` at once. */
async function inPool(count: number, limit: number, one: (i: number) => Promise<unknown>): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    for (let i = next++; i < count; i = next++) await one(i);
  };
  await Promise.all(Array.from({ length: Math.min(limit, count) }, worker));
}
