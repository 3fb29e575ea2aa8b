/**
 * Emulator throughput: the notebook start overhead (a run of a notebook that does nothing, submit
 * to terminal, one at a time: its Python process started and its result read back) and runs per
 * second (BENCH_THROUGHPUT_RUNS runs of that notebook submitted at once, default 20, until the last
 * is terminal), with the `immediate` lifecycle so only the emulator's own work is measured. Run:
 * `npm run bench -- throughput`.
 */
import { randomBytes } from "node:crypto";
import { startEmulator } from "../src/emulator";
import { emulatorCaller, median, percentile } from "./figures";

const RUNS = Number(process.env.BENCH_THROUGHPUT_RUNS ?? 20);
const SEQUENTIAL = 5;
const CLUSTER = { spark_version: "15.4.x-scala2.12", node_type_id: "Standard_DS3_v2", num_workers: 1 };
const TERMINAL = ["TERMINATED", "SKIPPED", "INTERNAL_ERROR"];

export async function emulatorThroughput(): Promise<void> {
  const token = randomBytes(16).toString("hex");
  const emulator = await startEmulator({ token, http: true, databricks: { lifecycle: "immediate" } });
  const call = emulatorCaller(emulator);
  try {
    await call("POST", "/api/2.0/workspace/mkdirs", { path: "/Shared/bench" });
    await call("POST", "/api/2.0/workspace/import", { path: "/Shared/bench/noop", format: "SOURCE", language: "PYTHON", overwrite: true, content: Buffer.from('# Databricks notebook source\ndbutils.notebook.exit("ok")\n').toString("base64") });
    const submit = async (i: number) => (await call("POST", "/api/2.1/jobs/runs/submit", { run_name: `noop-${i}`, tasks: [{ task_key: "t", notebook_task: { notebook_path: "/Shared/bench/noop" }, new_cluster: CLUSTER }] })).run_id as number;
    const terminal = async (runId: number) => {
      for (;;) {
        const run = await call("GET", `/api/2.1/jobs/runs/get?run_id=${runId}`);
        if (TERMINAL.includes(run.state?.life_cycle_state)) return run as { start_time: number; end_time: number; state: { result_state?: string } };
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    };
    const overheads: number[] = [];
    for (let i = 0; i < SEQUENTIAL; i++) {
      const run = await terminal(await submit(i));
      if (run.state.result_state !== "SUCCESS") throw new Error(`the no-op notebook ended ${JSON.stringify(run.state)}`);
      overheads.push(run.end_time - run.start_time);
    }
    console.log(`notebook start overhead (no-op notebook, start -> end on the service's clock): median ${(median(overheads) / 1000).toFixed(2)} s, max ${(Math.max(...overheads) / 1000).toFixed(2)} s over ${SEQUENTIAL} runs`);
    const started = Date.now();
    const runs = await Promise.all(Array.from({ length: RUNS }, async (_, i) => terminal(await submit(SEQUENTIAL + i))));
    const seconds = (Date.now() - started) / 1000;
    const failed = runs.filter((r) => r.state.result_state !== "SUCCESS").length;
    const durations = runs.map((r) => r.end_time - r.start_time);
    console.log(`${RUNS} runs submitted at once: all terminal in ${seconds.toFixed(1)} s, ${(RUNS / seconds).toFixed(2)} runs per second (${failed} not SUCCESS); each run's start -> end median ${(median(durations) / 1000).toFixed(2)} s, p90 ${(percentile(durations, 0.9) / 1000).toFixed(2)} s`);
  } finally {
    await emulator.close();
  }
}
