/**
 * Run latency overhead: the time from the service reporting a run terminal (the run's `end_time`)
 * to the DatabricksRun resource being created (the provider's `create` returning its outputs),
 * for notebooks that run about 5, 30, 60 and 120 s on the emulator (`realistic` lifecycle: 1.5 s
 * pending, 0.5 s terminating). Each duration runs first (nothing known), then BENCH_LATENCY_REPEATS
 * times (default 2) as the engine replaces it (`diff` with changed triggers, then `create`): the
 * repeats poll by the previous run's duration. The durations run side by side, each on its own
 * emulator, so the `runs/get` requests of each run are counted from that emulator's request log.
 * Run: `npm run bench -- latency` (BENCH_LATENCY_SECONDS, default "5,30,60,120").
 */
import { randomBytes } from "node:crypto";
import { createDatabricksApi } from "../src/databricks/client";
import * as run from "../src/databricks/run/lifecycle";
import type { RunInputs } from "../src/databricks/run/inputs";
import { LOCAL_TOKEN_ENV, TARGET_ENV } from "../src/core/target";
import { startEmulator, type RunningEmulator } from "../src/emulator";
import { median } from "./figures";

const SECONDS = (process.env.BENCH_LATENCY_SECONDS ?? "5,30,60,120").split(",").map(Number);
const REPEATS = Number(process.env.BENCH_LATENCY_REPEATS ?? 2);
const GOAL_MS = 500;

interface Sample {
  seconds: number;
  repeat: boolean;
  latencyMs: number;
  runMs: number;
  reads: number;
}

export async function runLatency(): Promise<void> {
  const token = randomBytes(16).toString("hex");
  const emulators: RunningEmulator[] = [];
  const quiet = console.log;
  try {
    for (const _ of SECONDS) emulators.push(await startEmulator({ token, http: true }));
    Object.assign(process.env, emulators[0].clientEnv, { [TARGET_ENV]: "local", [LOCAL_TOKEN_ENV]: token });
    // The provider's progress lines (states, run page) would drown the figures.
    console.log = () => undefined;
    const samples = (await Promise.all(SECONDS.map((s, i) => durationSamples(emulators[i], s)))).flat();
    console.log = quiet;
    const row = (list: Sample[]) => `median ${ms(median(list.map((x) => x.latencyMs)))} (${list.map((x) => ms(x.latencyMs)).join(", ")}), runs/get ${list.map((x) => x.reads).join(", ")}`;
    for (const s of SECONDS) {
      const of = samples.filter((x) => x.seconds === s);
      console.log(`~${s} s runs (took ${of.map((x) => (x.runMs / 1000).toFixed(1)).join(", ")} s): first ${row(of.filter((x) => !x.repeat))}; repeated ${row(of.filter((x) => x.repeat))}`);
    }
    const repeated = median(samples.filter((x) => x.repeat).map((x) => x.latencyMs));
    const first = median(samples.filter((x) => !x.repeat).map((x) => x.latencyMs));
    console.log(`latency, service end -> resource created: repeated runs median ${ms(repeated)} (goal <= ${ms(GOAL_MS)}: ${repeated <= GOAL_MS ? "met" : "NOT met"}), first runs median ${ms(first)}`);
  } finally {
    console.log = quiet;
    await Promise.all(emulators.map((e) => e.close()));
  }
}

async function durationSamples(emulator: RunningEmulator, seconds: number): Promise<Sample[]> {
  const api = createDatabricksApi({ host: emulator.url });
  const path = `/Shared/bench/sleep-${seconds}`;
  await api.workspace.mkdirs("/Shared/bench");
  const content = `# Databricks notebook source\nimport time\ntime.sleep(${seconds})\ndbutils.notebook.exit("slept")\n`;
  await api.workspace.import({ path, format: "SOURCE", language: "PYTHON", overwrite: true, content });
  const inputs = (attempt: number): RunInputs => ({
    host: emulator.url,
    identity: `bench/latency/sleep-${seconds}`,
    notebookTask: { notebookPath: path },
    newCluster: { sparkVersion: "15.4.x-scala2.12", nodeTypeId: "Standard_DS3_v2", numWorkers: 1 },
    triggers: { attempt: `${Date.now()}-${attempt}` },
  });
  const samples: Sample[] = [];
  let previous: { id: string; outs: run.RunOutputs } | undefined;
  for (let attempt = 0; attempt <= REPEATS; attempt++) {
    const news = inputs(attempt);
    // As the engine replaces a run: diff with the old state, then create with the new inputs only.
    if (previous) await run.diff(previous.id, previous.outs, news);
    const before = runsGets(emulator);
    const created = await run.create(news);
    const createdAt = Date.now();
    const reads = runsGets(emulator) - before;
    const record = await api.jobs.runsGet(created.outs.runId);
    samples.push({ seconds, repeat: previous !== undefined, latencyMs: createdAt - (record.end_time ?? createdAt), runMs: (record.end_time ?? 0) - (record.start_time ?? 0), reads });
    previous = created;
  }
  return samples;
}

function runsGets(emulator: RunningEmulator): number {
  return emulator.requests().filter((r) => r.method === "GET" && r.path === "/api/2.1/jobs/runs/get").length;
}

function ms(value: number): string {
  return `${(value / 1000).toFixed(2)} s`;
}
