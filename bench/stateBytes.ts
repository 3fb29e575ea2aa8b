/**
 * State bytes per resource: N DatabricksSecrets against N minimal dynamic resources carrying the
 * same inputs (scope, key, a secret value), each stack created with `up` through the real engine
 * against the emulator; the stack's state file is measured on disk. Also prints the time of each
 * `up`. Run: `npm run bench -- state` (N from BENCH_RESOURCES, default 200).
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

const N = Number(process.env.BENCH_RESOURCES ?? 200);

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

const programs: Record<string, () => void> = {
  DatabricksSecret: () => {
    for (let i = 0; i < N; i++) new DatabricksSecret(`s${i}`, { scope: "bench", key: `k${i}`, stringValue: pulumi.secret(`value-${i}`) });
  },
  "minimal dynamic resource": () => {
    for (let i = 0; i < N; i++) new Minimal(`s${i}`, { scope: "bench", key: `k${i}`, stringValue: pulumi.secret(`value-${i}`) });
  },
};

export async function stateBytes(): Promise<void> {
  const engineBin = ensureEngine();
  const token = randomBytes(16).toString("hex");
  // Plain http, as the bench process cannot trust a CA made after it started (NODE_EXTRA_CA_CERTS).
  const emulator = await startEmulator({ token, http: true, databricks: { lifecycle: "immediate" } });
  const root = fs.mkdtempSync(path.join(REPO_ROOT, ".local", "bench-state-"));
  const perResource: Record<string, number> = {};
  try {
    await createDatabricksApi({ host: emulator.url, token, env: { ...process.env, ...emulator.clientEnv, [TARGET_ENV]: "local" } }).secrets.createScope({ scope: "bench" });
    for (const [name, program] of Object.entries(programs)) {
      const workDir = path.join(root, name.replace(/\W+/g, "-"));
      fs.mkdirSync(workDir, { recursive: true });
      fs.writeFileSync(path.join(workDir, "Pulumi.yaml"), "name: bench-state\nruntime: nodejs\n");
      const backend = path.join(workDir, "state");
      const env = offlineEnv({ engineBin, backendDir: backend, passphrase: "bench", extra: { ...emulator.clientEnv, [TARGET_ENV]: "local", [LOCAL_TOKEN_ENV]: token, DATABRICKS_HOST: emulator.url } });
      const stack = await inlineStack({ stackName: "bench", workDir, program: async () => program(), env, engineBin });
      const started = Date.now();
      await stack.up();
      const seconds = (Date.now() - started) / 1000;
      const file = findStateFile(backend);
      const bytes = fs.statSync(file).size;
      perResource[name] = bytes / N;
      console.log(`${name}: ${N} resources, up ${seconds.toFixed(1)} s, state ${bytes} bytes, ${(bytes / N).toFixed(0)} bytes per resource`);
    }
    const ratio = perResource.DatabricksSecret / perResource["minimal dynamic resource"];
    console.log(`ratio DatabricksSecret / minimal: ${ratio.toFixed(2)} (goal <= 1.5)`);
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
