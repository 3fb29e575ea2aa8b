/**
 * `npm run bench [-- <name>...]`: runs the benchmarks and prints their figures (never asserted as
 * timed tests). Names: calls, latency, resources, throughput, main, submits, growth (all of them
 * without names; BENCH_ONLY="a,b" selects too). Each file says its own variables.
 */
import { apiCalls } from "./apiCalls";
import { emulatorThroughput } from "./emulatorThroughput";
import { mainJob } from "./mainJob";
import { resources } from "./stateBytes";
import { runLatency } from "./runLatency";
import { stateGrowth } from "./stateGrowth";
import { submitLatency } from "./submitLatency";

const BENCHMARKS: Record<string, () => Promise<void>> = {
  calls: apiCalls,
  latency: runLatency,
  resources,
  state: resources,
  throughput: emulatorThroughput,
  main: mainJob,
  submits: submitLatency,
  growth: stateGrowth,
  // load: the emulator under concurrent load (bench/emulatorLoad.ts) goes here.
};

async function main(names: string[]): Promise<void> {
  for (const name of names.length > 0 ? names : Object.keys(BENCHMARKS)) {
    const run = BENCHMARKS[name];
    if (!run) throw new Error(`unknown benchmark "${name}": use ${Object.keys(BENCHMARKS).join(", ")}`);
    console.log(`== ${name}`);
    const started = Date.now();
    await run();
    console.log(`   (${name}: ${((Date.now() - started) / 1000).toFixed(0)} s)`);
  }
}

const named = process.argv.slice(2);
main(named.length > 0 ? named : (process.env.BENCH_ONLY ?? "").split(",").filter(Boolean)).catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : String(err));
  process.exit(1);
});
