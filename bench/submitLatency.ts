/**
 * Acknowledgement latency of concurrent `runs/submit` against an emulator with a state folder, on
 * a fresh state and after a history of earlier runs, then the size of the state folder; in two
 * settings: as a user's emulator runs (real time, `realistic` lifecycle, so the notebooks start
 * for real 1.5 s after their submit, while later submits may still wait), and with a manual clock
 * that never moves (every run stays PENDING: only the acknowledgement path is measured). Run:
 * `npm run bench -- submits` (BENCH_SUBMITS concurrent submits, default 200; BENCH_HISTORY earlier
 * runs, default 1000).
 */
import { randomBytes } from "node:crypto";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { startEmulatorCli } from "./emulatorCli";
import { directoryBytes, emulatorCaller, median, percentile } from "./figures";

const SUBMITS = Number(process.env.BENCH_SUBMITS ?? 200);
const HISTORY = Number(process.env.BENCH_HISTORY ?? 1000);
const CLUSTER = { spark_version: "15.4.x-scala2.12", node_type_id: "Standard_DS3_v2", num_workers: 1 };
const SETTINGS = [
  { name: "runs executing", manual: false },
  { name: "acknowledgement only", manual: true },
];

export async function submitLatency(): Promise<void> {
  for (const setting of SETTINGS) {
    for (const history of [0, HISTORY]) await measure(setting.name, setting.manual, history);
  }
}

async function measure(setting: string, manual: boolean, history: number): Promise<void> {
  const stateDir = fs.mkdtempSync(path.join(os.tmpdir(), "amldb-bench-submits-"));
  const token = randomBytes(16).toString("hex");
  const emulator = await startEmulatorCli(stateDir, token, manual ? ["--manual-clock"] : []);
  try {
    const call = emulatorCaller(emulator);
    await call("POST", "/api/2.0/workspace/import", {
      path: "/Shared/bench",
      format: "SOURCE",
      language: "PYTHON",
      content: Buffer.from('# Databricks notebook source\ndbutils.notebook.exit("ok")\n').toString("base64"),
      overwrite: true,
    });
    // The history: runs of a notebook that does not exist end without a Python process.
    for (let i = 0; i < history; i++) {
      await call("POST", "/api/2.1/jobs/runs/submit", { run_name: `old-${i}`, tasks: [{ task_key: "t", notebook_task: { notebook_path: "/Shared/missing" }, new_cluster: CLUSTER }] });
    }
    const latencies = await Promise.all(
      Array.from({ length: SUBMITS }, async (_, i) => {
        const started = process.hrtime.bigint();
        await call("POST", "/api/2.1/jobs/runs/submit", { run_name: `bench-${i}`, tasks: [{ task_key: "t", notebook_task: { notebook_path: "/Shared/bench" }, new_cluster: CLUSTER }] });
        return Number(process.hrtime.bigint() - started) / 1e6;
      }),
    );
    const s = (v: number) => `${(v / 1000).toFixed(2)} s`;
    console.log(`${setting}: ${SUBMITS} concurrent runs/submit after ${history} earlier runs: median ${s(median(latencies))}, p90 ${s(percentile(latencies, 0.9))}, max ${s(Math.max(...latencies))}`);
  } finally {
    await emulator.close();
  }
  console.log(`  state folder after them: ${(directoryBytes(stateDir) / 1024).toFixed(0)} KiB`);
  fs.rmSync(stateDir, { recursive: true, force: true });
}
