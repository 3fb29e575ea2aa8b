/**
 * N of our resources against N minimal dynamic resources: N DatabricksSecrets and N resources of a
 * provider whose create returns its inputs, carrying the same inputs (scope, key, a secret value),
 * through the real engine against the emulator: `preview`, `up`, an unchanged `up`, and the state
 * file's bytes per resource. Each repeat uses fresh stacks and alternates which kind goes first;
 * the medians and their ratios are printed. Run: `npm run bench -- resources` (N from
 * BENCH_RESOURCES, default 200; BENCH_RESOURCES_REPEATS, default 3).
 */
import { randomBytes } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { DatabricksSecret } from "../src";
import { LOCAL_TOKEN_ENV, TARGET_ENV } from "../src/core/target";
import { createDatabricksApi } from "../src/databricks/client";
import { startEmulator } from "../src/emulator";
import { ensureEngine, inlineStack, offlineEnv, REPO_ROOT } from "../scripts/localEngine";
import { median } from "./figures";

const N = Number(process.env.BENCH_RESOURCES ?? 200);
const REPEATS = Number(process.env.BENCH_RESOURCES_REPEATS ?? 3);
const OURS = "DatabricksSecret";
const MINIMAL = "minimal dynamic resource";

/** The smallest dynamic provider there is: create returns its inputs. */
const minimalProvider: pulumi.dynamic.ResourceProvider = {
  async create(inputs) {
    return { id: `${inputs.scope}/${inputs.key}`, outs: inputs };
  },
};

class Minimal extends pulumi.dynamic.Resource {
  constructor(name: string, props: pulumi.Inputs) {
    super(minimalProvider, name, props);
  }
}

const programs: Record<string, (scope: string) => void> = {
  [OURS]: (scope) => {
    for (let i = 0; i < N; i++) new DatabricksSecret(`s${i}`, { scope, key: `k${i}`, stringValue: pulumi.secret(`value-${i}`) });
  },
  [MINIMAL]: (scope) => {
    for (let i = 0; i < N; i++) new Minimal(`s${i}`, { scope, key: `k${i}`, stringValue: pulumi.secret(`value-${i}`) });
  },
};

interface Figures {
  preview: number;
  up: number;
  unchanged: number;
  bytesPerResource: number;
}

export async function resources(): Promise<void> {
  const engineBin = ensureEngine();
  const token = randomBytes(16).toString("hex");
  // Plain http, as the bench process cannot trust a CA made after it started (NODE_EXTRA_CA_CERTS).
  const emulator = await startEmulator({ token, http: true, databricks: { lifecycle: "immediate" } });
  const root = fs.mkdtempSync(path.join(REPO_ROOT, ".local", "bench-state-"));
  const figures: Record<string, Figures[]> = { [OURS]: [], [MINIMAL]: [] };
  try {
    const api = createDatabricksApi({ host: emulator.url, token, env: { ...process.env, ...emulator.clientEnv, [TARGET_ENV]: "local" } });
    for (let repeat = 0; repeat < REPEATS; repeat++) {
      // A scope per repeat: the secrets of the last one still exist.
      const scope = `bench-${repeat}`;
      await api.secrets.createScope({ scope });
      const order = repeat % 2 === 0 ? [OURS, MINIMAL] : [MINIMAL, OURS];
      for (const name of order) {
        const workDir = path.join(root, `${name.replace(/\W+/g, "-")}-${repeat}`);
        fs.mkdirSync(workDir, { recursive: true });
        fs.writeFileSync(path.join(workDir, "Pulumi.yaml"), "name: bench-state\nruntime: nodejs\n");
        const backend = path.join(workDir, "state");
        const env = offlineEnv({ engineBin, backendDir: backend, passphrase: "bench", extra: { ...emulator.clientEnv, [TARGET_ENV]: "local", [LOCAL_TOKEN_ENV]: token, DATABRICKS_HOST: emulator.url } });
        const stack = await inlineStack({ stackName: "bench", workDir, program: async () => programs[name](scope), env, engineBin });
        const timed = async (step: () => Promise<unknown>) => {
          const started = Date.now();
          await step();
          return (Date.now() - started) / 1000;
        };
        const f: Figures = { preview: await timed(() => stack.preview()), up: await timed(() => stack.up()), unchanged: await timed(() => stack.up()), bytesPerResource: fs.statSync(findStateFile(backend)).size / N };
        figures[name].push(f);
        console.log(`  repeat ${repeat + 1}, ${name}: preview ${f.preview.toFixed(1)} s, up ${f.up.toFixed(1)} s, unchanged up ${f.unchanged.toFixed(1)} s, ${f.bytesPerResource.toFixed(0)} state bytes per resource`);
      }
    }
    const m = (name: string, key: keyof Figures) => median(figures[name].map((f) => f[key]));
    for (const [key, label, unit] of [["preview", "preview", "s"], ["up", "up", "s"], ["unchanged", "unchanged up", "s"], ["bytesPerResource", "state bytes per resource", ""]] as const) {
      const ours = m(OURS, key);
      const minimal = m(MINIMAL, key);
      const show = (v: number) => (unit ? `${v.toFixed(1)} s` : v.toFixed(0));
      console.log(`${N} resources, ${label} (median of ${REPEATS}): ${OURS} ${show(ours)}, ${MINIMAL} ${show(minimal)}, ratio ${(ours / minimal).toFixed(2)}`);
    }
  } finally {
    await emulator.close();
    fs.rmSync(root, { recursive: true, force: true });
  }
}

function findStateFile(backend: string): string {
  const dir = path.join(backend, ".pulumi", "stacks", "bench-state");
  const file = fs.readdirSync(dir).find((f) => f.startsWith("bench.json"));
  if (!file) throw new Error(`no state file in ${dir}`);
  return path.join(dir, file);
}
