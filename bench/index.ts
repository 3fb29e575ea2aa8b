/**
 * `npm run bench [-- <name>...]`: runs the benchmarks and prints their figures (never asserted as
 * timed tests). Names: calls, latency, resources (alias state), throughput, main, submits, growth,
 * load (all of them, each once, without names; BENCH_ONLY="a,b" selects too). Each file says its own variables.
 */
import { apiCalls } from "./apiCalls";
import { emulatorLoad } from "./emulatorLoad";
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
  load: emulatorLoad,
};

async function main(names: string[]): Promise<void> {
  // Without names, each benchmark once (`state` is another name of `resources`).
  const all = Object.keys(BENCHMARKS).filter((n, i, keys) => keys.findIndex((k) => BENCHMARKS[k] === BENCHMARKS[n]) === i);
  for (const name of names.length > 0 ? names : all) {
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
