/**
 * `npm start`: runs the root project's `local` stack against the emulator the way a user does,
 * `pulumi up` in the repository root (the CLI and the Node.js language host run Pulumi.yaml's
 * `main`), with the emulator started in the background for the duration.
 *   node dist/scripts/demo.js up|preview|refresh|destroy
 * State lives in .local/ (file backend, emulator state, per-clone passphrase), so a later
 * `npm run destroy` works after the emulator has stopped; the stack's configuration in
 * Pulumi.local.yaml (not committed).
 */
import { randomBytes } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import { LOCAL_TOKEN_ENV, TARGET_ENV } from "../src/core/target";
import { WELL_KNOWN_ACCOUNT_KEY } from "../src/emulator/storage/accounts";
import { CliStack } from "./cliStack";
import { startEmulatorProcess } from "./localEmulator";
import { ensureEngine, offlineEnv, REPO_ROOT } from "./localEngine";

const LOCAL_DIR = path.join(REPO_ROOT, ".local");
const DEFAULT_PORT = 45845;
/** Each command and the CLI arguments it runs. */
const COMMANDS: Readonly<Record<string, string[]>> = {
  up: ["up", "--yes"],
  preview: ["preview", "--diff"],
  refresh: ["refresh", "--yes"],
  destroy: ["destroy", "--yes"],
};

async function main(command: string): Promise<void> {
  const cliArgs = COMMANDS[command];
  if (!cliArgs) throw new Error(`unknown command "${command}": use ${Object.keys(COMMANDS).join(", ")}`);
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
    const stack = await CliStack.select({ projectDir: REPO_ROOT, stackName: "local", env });
    await stack.setConfig("keyVaultUrl", emulator.keyVaultUrl);
    const existing = await stack.config();
    // Stand-in secrets for the local demo, made once per stack and kept encrypted in its config.
    const demoSecrets: Record<string, () => string> = {
      databricksToken: () => `dapi${randomBytes(16).toString("hex")}`,
      apiToken: () => randomBytes(16).toString("hex"),
    };
    for (const [key, make] of Object.entries(demoSecrets)) {
      if (!existing[`azureml-databricks:${key}`]) await stack.setConfig(key, make(), { secret: true });
    }
    // The blob mount's account is Azurite's well-known one unless configured: its key is the public one.
    if (!existing["azureml-databricks:storageAccountName"]) await stack.setConfig("storageAccountKey", WELL_KNOWN_ACCOUNT_KEY, { secret: true });
    console.log(`$ pulumi ${cliArgs.join(" ")} --stack local`);
    await stack.run(cliArgs, { inherit: true });
    if (command === "up") console.log("State is in .local/; `npm run destroy` removes everything again.");
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
  console.error(`\n${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
