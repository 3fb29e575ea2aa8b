/**
 * `npm start`: runs the root program's `local` stack against the emulator with the real engine.
 *   node dist/scripts/demo.js up|preview|refresh|destroy
 * State lives in .local/ (file backend, emulator state, per-clone passphrase), so a later
 * `npm run destroy` works after the emulator has stopped.
 */
import { randomBytes } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import { localDemo } from "../examples/local/program";
import { LOCAL_TOKEN_ENV, TARGET_ENV } from "../src/core/target";
import { startEmulatorProcess } from "./localEmulator";
import { ensureEngine, inlineStack, offlineEnv, REPO_ROOT } from "./localEngine";

const LOCAL_DIR = path.join(REPO_ROOT, ".local");
const DEFAULT_PORT = 45845;

async function main(command: string): Promise<void> {
  if (!["up", "preview", "refresh", "destroy"].includes(command)) {
    throw new Error(`unknown command "${command}": use up, preview, refresh or destroy`);
  }
  const engineBin = ensureEngine();
  const token = randomBytes(24).toString("hex");
  const port = Number(process.env.AMLDB_EMULATOR_PORT ?? DEFAULT_PORT);
  const emulator = await startEmulatorProcess({ repoRoot: REPO_ROOT, port, stateDir: path.join(LOCAL_DIR, "emulator"), token });
  console.log(`Emulator listening on ${emulator.url} (state in .local/emulator)`);
  try {
    const env = offlineEnv({
      engineBin,
      backendDir: path.join(LOCAL_DIR, "state"),
      passphrase: localPassphrase(),
      extra: { [TARGET_ENV]: "local", [LOCAL_TOKEN_ENV]: token, DATABRICKS_HOST: emulator.url },
    });
    const stack = await inlineStack({ stackName: "local", workDir: REPO_ROOT, program: async () => localDemo(), env, engineBin });
    await stack.setConfig("keyVaultUrl", { value: emulator.keyVaultUrl });
    const existing = await stack.getAllConfig();
    // Stand-in secrets for the local demo, made once per stack and kept encrypted in its config.
    const demoSecrets: Record<string, () => string> = {
      databricksToken: () => `dapi${randomBytes(16).toString("hex")}`,
      apiToken: () => randomBytes(16).toString("hex"),
      storageAccountKey: () => randomBytes(32).toString("base64"),
    };
    for (const [key, make] of Object.entries(demoSecrets)) {
      if (!existing[`azureml-databricks:${key}`]) await stack.setConfig(key, { value: make(), secret: true });
    }
    const onOutput = (out: string) => process.stdout.write(out);
    if (command === "up") {
      await stack.up({ onOutput, color: "auto" });
      console.log("State is in .local/; `npm run destroy` removes everything again.");
    } else if (command === "preview") {
      await stack.preview({ onOutput, diff: true, color: "auto" });
    } else if (command === "refresh") {
      await stack.refresh({ onOutput, color: "auto" });
    } else {
      await stack.destroy({ onOutput, color: "auto" });
    }
  } finally {
    await emulator.stop();
  }
}

/** A random passphrase made once per clone; it encrypts the local stack's secrets. */
function localPassphrase(): string {
  const file = path.join(LOCAL_DIR, "passphrase");
  if (!fs.existsSync(file)) {
    fs.mkdirSync(LOCAL_DIR, { recursive: true });
    fs.writeFileSync(file, randomBytes(32).toString("base64"), { mode: 0o600 });
  }
  return fs.readFileSync(file, "utf8").trim();
}

main(process.argv[2] ?? "up").catch((err: unknown) => {
  // The Automation API's CommandError repeats the engine's whole output, already printed above.
  const message = err instanceof Error ? err.message : String(err);
  console.error(`\n${message.split("\n").slice(-20).join("\n")}`);
  process.exit(1);
});
