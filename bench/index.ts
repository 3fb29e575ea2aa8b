/**
 * `npm run bench [-- <name>...]`: runs the benchmarks and prints their figures (never asserted as
 * timed tests). Names: state, submits, growth.
 */
import { stateBytes } from "./stateBytes";
import { stateGrowth } from "./stateGrowth";
import { submitLatency } from "./submitLatency";

const BENCHMARKS: Record<string, () => Promise<void>> = { state: stateBytes, submits: submitLatency, growth: stateGrowth };

async function main(names: string[]): Promise<void> {
  for (const name of names.length > 0 ? names : Object.keys(BENCHMARKS)) {
    const run = BENCHMARKS[name];
    if (!run) throw new Error(`unknown benchmark "${name}": use ${Object.keys(BENCHMARKS).join(", ")}`);
    console.log(`== ${name}`);
    await run();
  }
}

main(process.argv.slice(2)).catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : String(err));
  process.exit(1);
});
