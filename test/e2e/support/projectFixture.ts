/**
 * What the e2e tests that run a project directory through the `pulumi` CLI share: the engine, an
 * emulator in this process (the CLI runs in a child process, so this process stays free to answer
 * it), the environment users set by hand, and readers of the stack's state file.
 */
import { randomBytes } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import { RunningEmulator, startEmulator } from "../../../src/emulator";
import { LOCAL_TOKEN_ENV, TARGET_ENV } from "../../../src/core/target";
import { CliStack, stateFilePath } from "../../../scripts/cliStack";
import { ensureEngine, offlineEnv } from "../../../scripts/localEngine";

/** The one module path a serialized provider may require: the package's state contract. */
export const FROZEN_PROVIDER_ENTRY = "pulumi-azureml-databricks/provider";

/** A started emulator, a file backend and a stack of a project directory, all under `workDir`. */
export interface ProjectFixture {
  emulator: RunningEmulator;
  /** The emulator's bearer token (AMLDB_LOCAL_TOKEN of the engine). */
  token: string;
  backendDir: string;
  stack: CliStack;
  /** Runs `pulumi up` or `pulumi destroy` (no prompt, no preview); resolves to the update's resource changes. */
  update(command: "up" | "destroy"): Promise<Record<string, number> | undefined>;
  /** The resources in the stack's state file. */
  resources(): StateResource[];
  /** Stops the emulator. */
  close(): Promise<void>;
}

/**
 * Starts the emulator and a file backend under `workDir` (see {@link startSharedBackend}) and
 * selects stack `stackName` of the project in `projectDir`, its configuration in
 * `workDir/Pulumi.<stackName>.yaml`.
 */
export async function startProjectFixture(opts: { projectDir: string; stackName: string; workDir: string; env?: Record<string, string> }): Promise<ProjectFixture> {
  const backend = await startSharedBackend({ workDir: opts.workDir, env: opts.env });
  try {
    const stack = await backend.select({ projectDir: opts.projectDir, stackName: opts.stackName, configFile: path.join(opts.workDir, `Pulumi.${opts.stackName}.yaml`) });
    return { ...stack, close: () => backend.close() };
  } catch (err) {
    await backend.close();
    throw err;
  }
}

/** A resource as the state file holds it (the parts the tests read). */
export interface StateResource {
  urn: string;
  type: string;
  inputs?: Record<string, unknown>;
  outputs?: Record<string, unknown>;
}

/** The resources of the latest deployment in a stack state file written by the engine. */
export function stateResources(stateFile: string): StateResource[] {
  const state = JSON.parse(fs.readFileSync(stateFile, "utf8")) as { checkpoint: { latest?: { resources?: StateResource[] } } };
  return state.checkpoint.latest?.resources ?? [];
}

/** `<type>::<name>` of each resource, sorted (the engine writes parallel creations in any order). */
export function resourceList(resources: StateResource[]): string[] {
  return resources.map((r) => `${r.type}::${r.urn.slice(r.urn.lastIndexOf("::") + 2)}`).sort();
}

/** Every serialized provider (`__provider` of inputs and outputs) and each distinct module path they require. */
export function providerRequires(resources: StateResource[]): { providers: number; modulePaths: string[] } {
  const serialized = resources.flatMap((r) => [r.inputs?.__provider, r.outputs?.__provider]).filter((p): p is string => typeof p === "string");
  const modulePaths = new Set(serialized.flatMap((text) => [...text.matchAll(/require\(\s*["'`]([^"'`]+)["'`]\s*\)/g)].map((m) => m[1])));
  return { providers: serialized.length, modulePaths: [...modulePaths].sort() };
}

/** A project's stack on a {@link SharedBackend}: a {@link ProjectFixture} whose emulator the backend owns. */
export type SharedProjectStack = Omit<ProjectFixture, "close">;

/**
 * One emulator and one file backend with one passphrase, shared by the stacks of several projects
 * as on a user's machine: a stack of one project can read another's outputs (and decrypt its
 * secrets) through a StackReference.
 */
export interface SharedBackend {
  emulator: RunningEmulator;
  /** The emulator's bearer token (AMLDB_LOCAL_TOKEN of the engine). */
  token: string;
  backendDir: string;
  /**
   * Selects stack `stackName` of the project in `projectDir` (creating it), its configuration in
   * `configFile` rather than beside its Pulumi.yaml.
   */
  select(opts: { projectDir: string; stackName: string; configFile: string }): Promise<SharedProjectStack>;
  /** Stops the emulator. */
  close(): Promise<void>;
}

/**
 * Starts the emulator (Databricks runs end at once) and a file backend under `workDir`, for the
 * stacks of one or several projects, with the README's environment: the engine on PATH, the
 * backend, a passphrase, the emulator's CA (NODE_EXTRA_CA_CERTS, REQUESTS_CA_BUNDLE),
 * AMLDB_TARGET=local, AMLDB_LOCAL_TOKEN and DATABRICKS_HOST, and `env`.
 */
export async function startSharedBackend(opts: { workDir: string; env?: Record<string, string> }): Promise<SharedBackend> {
  const engineBin = ensureEngine();
  const token = randomBytes(16).toString("hex");
  const emulator = await startEmulator({ port: 0, stateDir: path.join(opts.workDir, "emulator"), token, databricks: { lifecycle: "immediate" } });
  const backendDir = path.join(opts.workDir, "state");
  let env: Record<string, string>;
  try {
    env = offlineEnv({
      engineBin,
      backendDir,
      passphrase: randomBytes(16).toString("hex"),
      extra: { ...emulator.clientEnv, [TARGET_ENV]: "local", [LOCAL_TOKEN_ENV]: token, DATABRICKS_HOST: emulator.url, ...opts.env },
    });
  } catch (err) {
    await emulator.close();
    throw err;
  }
  return {
    emulator,
    token,
    backendDir,
    async select({ projectDir, stackName, configFile }) {
      const stack = await CliStack.select({ projectDir, stackName, env, configFile });
      return {
        emulator,
        token,
        backendDir,
        stack,
        async update(command) {
          await stack.run([command, "--yes", "--skip-preview"]);
          return (await stack.history())[0].resourceChanges;
        },
        resources: () => stateResources(stateFilePath(backendDir, projectDir, stackName)),
      };
    },
    close: () => emulator.close(),
  };
}
