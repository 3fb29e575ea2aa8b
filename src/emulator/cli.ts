#!/usr/bin/env node
/**
 * Runs the emulator as a process:
 *
 *     AMLDB_LOCAL_TOKEN=<token> node dist/src/emulator/cli.js [--host 127.0.0.1] [--port 0] [--state-dir DIR] [--loose]
 *                                   [--databricks-lifecycle immediate|realistic] [--python PATH] [--max-running-tasks N] [--manual-clock]
 *                                   [--http | --tls-dir DIR] [--blob-port 0]
 *                                   [--azureml-subscription GUID] [--azureml-resource-group RG] [--azureml-workspace WS] [--azureml-location REGION]
 *
 * It serves https with a certificate of its own local CA, made on the first start in
 * `<state-dir>/tls` (or `--tls-dir`) and reused after; `--http` serves plain http instead.
 * With `--manual-clock` the emulator's time stands still until `POST /_emulator/clock
 * {"advanceMs": n}` moves it (for tests that drive it from another process).
 * When ready it prints exactly one JSON line to stdout, `{"event":"listening","url":...,
 * "keyVaultUrl":...,"blobUrl":...,"tokenUrl":...,"stateDir":...|null,"caPath":...|null,"clientEnv":{...}}` (never
 * the token; `clientEnv` is what a child process needs to trust the CA), and one line to stderr
 * saying where it listens and which CA to trust; then one line per request to stderr (`PUT
 * /secrets/x 200`). SIGINT or SIGTERM stop it cleanly.
 *
 * The token (of the services and the control plane) comes from the AMLDB_LOCAL_TOKEN environment
 * variable, else it is the public LOCAL_EMULATOR_TOKEN, which only a loopback `--host` accepts.
 * `--token T` still works but warns: a command line is visible to every user of the machine
 * (`ps`, `/proc/<pid>/cmdline`). Storage accounts besides Azurite's `devstoreaccount1` come from
 * `AZURITE_ACCOUNTS` (`name:key[;name:key...]`, keys base64), as for Azurite itself.
 */
import * as path from "node:path";
import { parseArgs } from "node:util";
import { LOCAL_HTTP_ENV, LOCAL_TOKEN_ENV } from "../core/target";
import { ManualClock } from "./core/clock";
import { MAX_RUNNING_TASKS_LIMIT, type DatabricksEmulatorOptions, type DatabricksLifecycle } from "./databricks/config";
import { startEmulator, type EmulatorOptions } from "./core/server";
import { AZURITE_ACCOUNTS_ENV, parseAzuriteAccounts } from "./storage/accounts";

const USAGE =
  "usage: AMLDB_LOCAL_TOKEN=<token> cli.js [--host 127.0.0.1] [--port 0] [--state-dir DIR] [--loose] [--databricks-lifecycle immediate|realistic] [--python PATH] [--max-running-tasks N] [--manual-clock] [--http | --tls-dir DIR] [--blob-port 0] [--azureml-subscription GUID] [--azureml-resource-group RG] [--azureml-workspace WS] [--azureml-location REGION]";

/** Printed to stderr when the token is given on the command line. */
export const TOKEN_FLAG_WARNING = `warning: --token puts the token on the command line, where every user of this machine can read it; set ${LOCAL_TOKEN_ENV} instead.`;

/**
 * Parses command-line arguments into emulator options; throws with a message naming the flag.
 * `warn` receives {@link TOKEN_FLAG_WARNING} when `--token` is used.
 */
export function parseCliArgs(argv: string[], env: NodeJS.ProcessEnv = process.env, warn: (line: string) => void = () => undefined): EmulatorOptions {
  const { values } = parseArgs({
    args: argv,
    options: {
      host: { type: "string" },
      port: { type: "string" },
      "state-dir": { type: "string" },
      token: { type: "string" },
      loose: { type: "boolean" },
      "databricks-lifecycle": { type: "string" },
      python: { type: "string" },
      "max-running-tasks": { type: "string" },
      "manual-clock": { type: "boolean" },
      http: { type: "boolean" },
      "tls-dir": { type: "string" },
      "blob-port": { type: "string" },
      "azureml-subscription": { type: "string" },
      "azureml-resource-group": { type: "string" },
      "azureml-workspace": { type: "string" },
      "azureml-location": { type: "string" },
    },
    strict: true,
    allowPositionals: false,
  });
  const port = portFlag("--port", values.port);
  const blobPort = portFlag("--blob-port", values["blob-port"]);
  const accounts = env[AZURITE_ACCOUNTS_ENV] ? parseAzuriteAccounts(env[AZURITE_ACCOUNTS_ENV]) : undefined;
  if (values.token !== undefined) warn(TOKEN_FLAG_WARNING);
  if (values.http && values["tls-dir"] !== undefined) throw new Error("--http serves plain http, so it takes no --tls-dir.");
  const token = values.token ?? (env[LOCAL_TOKEN_ENV] || undefined);
  const lifecycle = values["databricks-lifecycle"];
  if (lifecycle !== undefined && lifecycle !== "immediate" && lifecycle !== "realistic") {
    throw new Error(`--databricks-lifecycle must be "immediate" or "realistic", not "${lifecycle}".`);
  }
  const maxRunningTasks = values["max-running-tasks"];
  if (maxRunningTasks !== undefined && !(/^\d+$/.test(maxRunningTasks) && Number(maxRunningTasks) >= 1 && Number(maxRunningTasks) <= MAX_RUNNING_TASKS_LIMIT)) {
    throw new Error(`--max-running-tasks must be an integer from 1 to ${MAX_RUNNING_TASKS_LIMIT}, not "${maxRunningTasks}".`);
  }
  const databricks: DatabricksEmulatorOptions = {
    ...(lifecycle !== undefined ? { lifecycle: lifecycle as DatabricksLifecycle } : {}),
    ...(values.python !== undefined ? { python: values.python } : {}),
    ...(maxRunningTasks !== undefined ? { maxRunningTasks: Number(maxRunningTasks) } : {}),
  };
  return {
    host: values.host,
    port,
    stateDir: values["state-dir"] !== undefined ? path.resolve(values["state-dir"]) : undefined,
    token,
    loose: values.loose ?? false,
    ...(Object.keys(databricks).length > 0 ? { databricks } : {}),
    ...(values["manual-clock"] ? { clock: new ManualClock() } : {}),
    ...(values.http ? { http: true } : {}),
    ...(values["tls-dir"] !== undefined ? { tlsDir: path.resolve(values["tls-dir"]) } : {}),
    ...(blobPort !== undefined || accounts ? { blobStorage: { port: blobPort, accounts } } : {}),
    ...azureMlFlags(values),
  };
}

/** The Azure ML workspace flags, when any is given (checked when the emulator starts). */
function azureMlFlags(values: Record<string, string | boolean | undefined>): Pick<EmulatorOptions, "azureml"> {
  const azureml = Object.fromEntries(
    (
      [
        ["subscriptionId", "azureml-subscription"],
        ["resourceGroup", "azureml-resource-group"],
        ["workspace", "azureml-workspace"],
        ["location", "azureml-location"],
      ] as const
    )
      .filter(([, flag]) => typeof values[flag] === "string")
      .map(([option, flag]) => [option, values[flag] as string]),
  );
  return Object.keys(azureml).length > 0 ? { azureml } : {};
}

/** The human line the emulator prints when it listens: where, and which CA to trust. */
export function listeningLine(url: string, caPath: string | undefined): string {
  if (caPath === undefined) return `emulator listening on ${url} (plain http: clients of the local target need ${LOCAL_HTTP_ENV}=1)`;
  return `emulator listening on ${url}; its CA is ${caPath} (trust it with NODE_EXTRA_CA_CERTS=${caPath} for Node.js, REQUESTS_CA_BUNDLE for Python, or your system's store)`;
}

/** A port flag's value; throws naming the flag when it is not a port. */
function portFlag(flag: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const port = Number(value);
  if (!/^\d+$/.test(value) || port > 65535) throw new Error(`${flag} must be an integer from 0 to 65535, not "${value}".`);
  return port;
}

async function main(): Promise<void> {
  let options: EmulatorOptions;
  try {
    options = parseCliArgs(process.argv.slice(2), process.env, (line) => process.stderr.write(`${line}\n`));
  } catch (err) {
    process.stderr.write(`${(err as Error).message}\n${USAGE}\n`);
    process.exitCode = 2;
    return;
  }
  const emulator = await startEmulator({ ...options, log: (line) => process.stderr.write(`${line}\n`) });
  process.stdout.write(
    JSON.stringify({
      event: "listening",
      url: emulator.url,
      keyVaultUrl: emulator.keyVaultUrl,
      blobUrl: emulator.blobUrl,
      tokenUrl: emulator.tokenUrl,
      stateDir: options.stateDir ?? null,
      caPath: emulator.caPath ?? null,
      clientEnv: emulator.clientEnv,
    }) + "\n",
  );
  process.stderr.write(`${listeningLine(emulator.url, emulator.caPath)}\n`);
  let stopping = false;
  const stop = (signal: NodeJS.Signals): void => {
    if (stopping) return;
    stopping = true;
    process.stderr.write(`${signal}: stopping\n`);
    emulator.close().then(
      () => process.exit(0),
      (err: Error) => {
        process.stderr.write(`error while stopping: ${err.message}\n`);
        process.exit(1);
      },
    );
  };
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
}

if (require.main === module) {
  main().catch((err: Error) => {
    process.stderr.write(`emulator failed to start: ${err.message}\n`);
    process.exit(1);
  });
}
