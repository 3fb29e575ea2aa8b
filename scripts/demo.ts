/**
 * `npm start`: runs the root project's `local` stack against the emulator the way a user does,
 * `pulumi up` in the repository root (the CLI and the Node.js language host run Pulumi.yaml's
 * `main`), then prints what happened (demoReport.ts).
 *   node dist/scripts/demo.js up|preview|refresh|destroy|recover
 * (`recover [--destroy | --up]`: after an interrupted `npm start` (or `npm run destroy`), the
 * package's recovery command on the `local` stack.)
 * The emulator runs in the background with persistent state and stays up for its pages
 * (`npm run emulator -- stop` stops it). Everything local lives in `.local/` (`AMLDB_LOCAL_DIR`):
 * the file backend, the emulator's state, token and log, a per-clone passphrase and the stack's
 * configuration (`.local/Pulumi.local.yaml`, encrypted with that passphrase).
 */
import { spawn } from "node:child_process";
import * as path from "node:path";
import { clearKillLeftovers, recover } from "../src/recovery/cli";
import { CliStack } from "./cliStack";
import type { DemoReportInput } from "./demoReport";
import { DEFAULT_PORT, ensureEmulator, localTargetEnv, shownPath, emulatorToken, localDir, persistentSecret } from "./emulatorDaemon";
import { ensureEngine, offlineEnv, REPO_ROOT } from "./localEngine";

/** Each command and the CLI arguments it runs. */
const COMMANDS: Readonly<Record<string, string[]>> = {
  up: ["up", "--yes"],
  preview: ["preview", "--diff"],
  refresh: ["refresh", "--yes"],
  destroy: ["destroy", "--yes"],
  recover: [],
};
const STACK = "local";

async function main(command: string): Promise<void> {
  const cliArgs = COMMANDS[command];
  if (!cliArgs) throw new Error(`unknown command "${command}": use ${Object.keys(COMMANDS).join(", ")}`);
  const dir = localDir();
  const shown = shownPath(dir);
  const engineBin = ensureEngine();
  const { info: emulator, started } = await ensureEmulator(dir, Number(process.env.AMLDB_EMULATOR_PORT ?? DEFAULT_PORT));
  console.log(`Emulator ${started ? "started" : "already running"} at ${emulator.url} (pid ${emulator.pid}; state in ${shown}/emulator; \`npm run emulator -- stop\` stops it)`);
  const token = emulatorToken(dir);
  const env = offlineEnv({
    engineBin,
    backendDir: path.join(dir, "state"),
    // Encrypts the stack's secrets; made once per clone.
    passphrase: persistentSecret(dir, "passphrase", 32),
    // The engine and its providers trust the emulator's CA (NODE_EXTRA_CA_CERTS).
    extra: localTargetEnv(emulator, token),
  });
  const project = "azureml-databricks";
  // A kill's leftovers fail every pulumi command, selecting the stack included: a state sidecar
  // it cut short goes first, unless a live process holds the stack (recover then says so).
  if (command === "recover") clearKillLeftovers(env.PULUMI_BACKEND_URL, project, STACK, (line) => console.log(line));
  // The configuration beside the passphrase that encrypts its secrets.
  const stack = await CliStack.select({ projectDir: REPO_ROOT, stackName: STACK, env, configFile: path.join(dir, `Pulumi.${STACK}.yaml`) });
  const existing = await stack.config();
  for (const [key, value] of Object.entries({ keyVaultUrl: emulator.keyVaultUrl, databricksUrl: emulator.url })) {
    if (existing[`${project}:${key}`] && (existing[`${project}:${key}`] as { value?: string }).value === value) continue;
    await stack.setConfig(key, value);
  }
  // Locally the emulator's token is the Databricks personal access token the pipeline stores in Key Vault.
  if (!existing[`${project}:databricksToken`]) await stack.setConfig("databricksToken", token, { secret: true });
  if (command === "recover") {
    // The recovery runs the CLI itself, with this process's environment: the engine's.
    Object.assign(process.env, env);
    const flags = { destroy: process.argv.includes("--destroy"), up: process.argv.includes("--up") };
    process.exitCode = await recover({ stack: STACK, configFile: path.join(dir, `Pulumi.${STACK}.yaml`), cwd: REPO_ROOT, ...flags });
    return;
  }
  console.log(`$ pulumi ${cliArgs.join(" ")} --stack ${STACK}`);
  await stack.run(cliArgs, { inherit: true });
  if (command !== "up") return;
  const [last] = await stack.history();
  const config = await stack.config();
  const setting = (key: string) => String((config[`${project}:${key}`] as { value?: string } | undefined)?.value ?? "");
  const input: DemoReportInput = {
    outputs: (await stack.outputs()) as unknown as DemoReportInput["outputs"],
    changes: last.resourceChanges ?? {},
    subscriptionId: setting("subscriptionId"),
    resourceGroupName: setting("resourceGroupName"),
    workspaceName: setting("workspaceName"),
    emulatorUrl: emulator.url,
    tokenFile: path.join(shown, "emulator-token"),
  };
  await report(input, { ...process.env, ...env });
  console.log(`State is in ${shown}/; a second \`npm start\` re-runs nothing unless a notebook or component changed; \`npm run destroy\` removes everything again.`);
}

/** Runs demoReport.js with the engine's environment (the emulator's CA and token). */
function report(input: DemoReportInput, env: NodeJS.ProcessEnv): Promise<void> {
  const child = spawn(process.execPath, [path.join(__dirname, "demoReport.js")], { env, stdio: ["pipe", "inherit", "inherit"] });
  child.stdin.end(JSON.stringify(input));
  return new Promise((resolve, reject) => child.once("exit", (code) => (code === 0 ? resolve() : reject(new Error(`the report exited with code ${code}`)))));
}

main(process.argv[2] ?? "up").catch((err: unknown) => {
  console.error(`\n${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
