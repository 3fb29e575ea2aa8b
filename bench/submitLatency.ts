/**
 * Acknowledgement latency of concurrent `runs/submit` against an emulator with a state folder, as
 * a user's emulator runs (real time, `realistic` lifecycle, notebooks executed for real), on a
 * fresh state and after a history of earlier runs; then the size of the state folder. Run:
 * `npm run bench -- submits` (BENCH_SUBMITS concurrent submits, default 200; BENCH_HISTORY earlier
 * runs, default 1000).
 */
import { randomBytes } from "node:crypto";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { startEmulator, type RunningEmulator } from "../src/emulator";
import { directoryBytes, median, percentile } from "./figures";

const SUBMITS = Number(process.env.BENCH_SUBMITS ?? 200);
const HISTORY = Number(process.env.BENCH_HISTORY ?? 1000);
const CLUSTER = { spark_version: "15.4.x-scala2.12", node_type_id: "Standard_DS3_v2", num_workers: 1 };

export async function submitLatency(): Promise<void> {
  for (const history of [0, HISTORY]) {
    const stateDir = fs.mkdtempSync(path.join(os.tmpdir(), "amldb-bench-submits-"));
    const token = randomBytes(16).toString("hex");
    const emulator = await startEmulator({ stateDir, token });
    try {
      const call = caller(emulator);
      await call("/api/2.0/workspace/import", {
        path: "/Shared/bench",
        format: "SOURCE",
        language: "PYTHON",
        content: Buffer.from('# Databricks notebook source\ndbutils.notebook.exit("ok")\n').toString("base64"),
        overwrite: true,
      });
      // The history: runs of a notebook that does not exist end without a Python process.
      for (let i = 0; i < history; i++) {
        await call("/api/2.1/jobs/runs/submit", { run_name: `old-${i}`, tasks: [{ task_key: "t", notebook_task: { notebook_path: "/Shared/missing" }, new_cluster: CLUSTER }] });
      }
      const latencies = await Promise.all(
        Array.from({ length: SUBMITS }, async (_, i) => {
          const started = process.hrtime.bigint();
          await call("/api/2.1/jobs/runs/submit", { run_name: `bench-${i}`, tasks: [{ task_key: "t", notebook_task: { notebook_path: "/Shared/bench" }, new_cluster: CLUSTER }] });
          return Number(process.hrtime.bigint() - started) / 1e6;
        }),
      );
      const ms = (v: number) => `${(v / 1000).toFixed(2)} s`;
      console.log(
        `${SUBMITS} concurrent runs/submit after ${history} earlier runs: median ${ms(median(latencies))}, p90 ${ms(percentile(latencies, 0.9))}, max ${ms(Math.max(...latencies))}`,
      );
    } finally {
      await emulator.close();
    }
    console.log(`  state folder after them: ${(directoryBytes(stateDir) / 1024).toFixed(0)} KiB`);
    fs.rmSync(stateDir, { recursive: true, force: true });
  }
}

function caller(emulator: RunningEmulator): (route: string, body: unknown) => Promise<unknown> {
  return async (route, body) => {
    const res = await fetch(`${emulator.url}${route}`, {
      method: "POST",
      headers: { Authorization: `Bearer ${emulator.token}`, "Content-Type": "application/json" },
      body: JSON.stringify(body),
    });
    const text = await res.text();
    if (res.status !== 200) throw new Error(`POST ${route} answered ${res.status}: ${text}`);
    return JSON.parse(text);
  };
}
