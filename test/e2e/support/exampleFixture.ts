/**
 * An example program of examples/<name>/ run as its README says: copied out of the repository,
 * `npm install` with the package as a built dependency (this checkout packed once per test process,
 * as `npm pack` makes it, in place of the example's `file:../..`; the install shared by the examples
 * that declare the same dependencies: see ./packedPackage.ts), then `pulumi up` in its folder
 * through the CLI and the Node.js language host against a test emulator.
 */
import * as assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { AzureMlApi, createAzureMlApi } from "../../../src/azureml/client";
import { REPO_ROOT } from "../../../scripts/localEngine";
import { installDependencies, packedTarball } from "./packedPackage";
import { ProjectFixture, SharedBackend, startProjectFixture, startSharedBackend } from "./projectFixture";

const PACKAGE = "pulumi-azureml-databricks";

/** A started example: its installed copy, its stack and emulator. */
export interface ExampleFixture extends ProjectFixture {
  /** The example's installed copy (the project directory the CLI runs in). */
  projectDir: string;
  workDir: string;
  /** Stops the emulator and removes the work directory, and the copy when {@link startExample} made it. */
  close(): Promise<void>;
}

/** An installed copy of an example, not yet on any emulator. */
export interface InstalledExample {
  /** The copy's directory (the project directory the CLI runs in). */
  projectDir: string;
  /** Removes the copy. */
  remove(): void;
}

/** Copies examples/`name`/ (without node_modules) and installs it with this checkout packed as the package. */
export function installExample(name: string): InstalledExample {
  const source = path.join(REPO_ROOT, "examples", name);
  const projectDir = fs.mkdtempSync(path.join(os.tmpdir(), `amldb-example-${name}-`));
  const remove = () => fs.rmSync(projectDir, { recursive: true, force: true });
  try {
    fs.cpSync(source, projectDir, { recursive: true, filter: (f) => path.basename(f) !== "node_modules" });
    const manifestFile = path.join(projectDir, "package.json");
    const manifest = JSON.parse(fs.readFileSync(manifestFile, "utf8"));
    if (manifest.dependencies?.[PACKAGE] !== "file:../..") throw new Error(`examples/${name}/package.json must depend on ${PACKAGE} as file:../..`);
    manifest.dependencies[PACKAGE] = `file:${packedTarball()}`;
    fs.writeFileSync(manifestFile, JSON.stringify(manifest, null, 2));
    installDependencies(projectDir);
  } catch (err) {
    remove();
    throw err;
  }
  return { projectDir, remove };
}

/**
 * Selects stack `stackName` of an installed example on a fresh emulator (see
 * {@link startProjectFixture}), its configuration, state and emulator state in a new work
 * directory; `close` stops the emulator and removes the work directory, not the copy.
 */
export async function startInstalledExample(installed: InstalledExample, stackName: string): Promise<ExampleFixture> {
  const { projectDir } = installed;
  const workDir = fs.mkdtempSync(path.join(os.tmpdir(), `amldb-example-run-`));
  // The language host skips ts-node's type check: `typeCheck` below runs tsc on the same files.
  const fixture = await startProjectFixture({ projectDir, stackName, workDir, env: { PULUMI_NODEJS_TRANSPILE_ONLY: "true" } }).catch((err: unknown) => {
    fs.rmSync(workDir, { recursive: true, force: true });
    throw err;
  });
  return {
    ...fixture,
    projectDir,
    workDir,
    async close() {
      await fixture.close();
      fs.rmSync(workDir, { recursive: true, force: true });
    },
  };
}

/**
 * Copies examples/`name`/ (without node_modules), installs it with this checkout packed as the
 * package, and selects stack `stackName` on a fresh emulator (see {@link startProjectFixture}).
 */
export async function startExample(name: string, stackName: string): Promise<ExampleFixture> {
  const installed = installExample(name);
  const example = await startInstalledExample(installed, stackName).catch((err: unknown) => {
    installed.remove();
    throw err;
  });
  return {
    ...example,
    async close() {
      await example.close();
      installed.remove();
    },
  };
}

/** Runs the example's own TypeScript compiler on its tsconfig.json against the installed package's declarations. */
export function typeCheck(example: ExampleFixture): void {
  execFileSync(process.execPath, [path.join(example.projectDir, "node_modules", "typescript", "bin", "tsc"), "-p", ".", "--noEmit"], { cwd: example.projectDir, stdio: "pipe" });
}

/** Sets the example's configuration: plain values, then secret ones. */
export async function configure(example: ExampleFixture, plain: Record<string, string>, secret: Record<string, string> = {}): Promise<void> {
  for (const [key, value] of Object.entries(plain)) await example.stack.setConfig(key, value);
  for (const [key, value] of Object.entries(secret)) await example.stack.setConfig(key, value, { secret: true });
}

/** The emulator's Azure ML workspace as an example's program names it, and its blob store's account. */
export interface AmlWorkspaceSetup {
  api: AzureMlApi;
  storage: { account: string; key: string };
}

/**
 * Sets the configuration the Azure ML examples share: the emulator's workspace (subscriptionId,
 * resourceGroupName, workspaceName, armEndpoint), vaultUrl, databricksHost, the workspace blob
 * store (storageAccount, container) and, secret, databricksToken (locally the emulator's token)
 * and storageKey.
 */
export async function configureAmlWorkspace(example: ExampleFixture): Promise<AmlWorkspaceSetup> {
  const { emulator, token } = example;
  const aml = emulator.azureml;
  const api = createAzureMlApi({ workspace: { subscriptionId: aml.subscriptionId, resourceGroupName: aml.resourceGroup, workspaceName: aml.workspace }, endpoint: emulator.url, target: "local", env: { AMLDB_LOCAL_TOKEN: token } });
  const store = (await api.datastores.get("workspaceblobstore")).properties as unknown as Record<string, unknown>;
  const storage = { account: String(store.accountName), key: String((await api.datastores.listSecrets("workspaceblobstore")).key) };
  await configure(
    example,
    {
      subscriptionId: aml.subscriptionId,
      resourceGroupName: aml.resourceGroup,
      workspaceName: aml.workspace,
      armEndpoint: emulator.url,
      vaultUrl: emulator.keyVaultUrl,
      databricksHost: emulator.url,
      storageAccount: storage.account,
      container: String(store.containerName),
    },
    { databricksToken: token, storageKey: storage.key },
  );
  return { api, storage };
}

/** Runs `pulumi up` and logs how long it took under `label`; resolves to the update's resource changes. */
export async function timedUp(example: ExampleFixture, label: string): Promise<Record<string, number> | undefined> {
  const started = Date.now();
  const changes = await example.update("up");
  console.log(`      ${label}: ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return changes;
}

/** GET of the emulator's REST API with the test's token; asserts 200 and resolves to the JSON body. */
export async function emulatorGet(example: ExampleFixture, route: string): Promise<Record<string, any>> {
  const res = await fetch(`${example.emulator.url}${route}`, { headers: { Authorization: `Bearer ${example.token}` } });
  assert.equal(res.status, 200, route);
  return (await res.json()) as Record<string, any>;
}

/**
 * The last line a single-task run's task printed (its logs; the emulator may first log that it
 * waits for its one Spark session).
 */
export async function lastLogLine(example: ExampleFixture, runId: number): Promise<string> {
  const run = await emulatorGet(example, `/api/2.1/jobs/runs/get?run_id=${runId}`);
  const output = await emulatorGet(example, `/api/2.1/jobs/runs/get-output?run_id=${run.tasks[0].run_id}`);
  return String(output.logs).trim().split("\n").pop()!;
}

/** An example made of several projects, examples/`name`/`<project>`/, on one emulator and one file backend. */
export interface ExampleProjectsFixture {
  /** The emulator and backend every project's stack uses. */
  backend: SharedBackend;
  /** Each project by folder name, installed and its stack selected; each one's `close` closes them all. */
  projects: Record<string, ExampleFixture>;
  /** Stops the emulator and removes the copy and the work directory (once, whichever project calls it). */
  close(): Promise<void>;
}

/**
 * Copies examples/`name`/ (without node_modules), installs each of `projects` (its sub-folders,
 * each depending on the package as `file:../../..`) with this checkout packed as the package, and
 * selects stack `stackName` of each on one fresh emulator and file backend (see
 * {@link startSharedBackend}): the way a user runs an example whose stacks reference each other.
 */
export async function startExampleProjects(name: string, projects: string[], stackName: string): Promise<ExampleProjectsFixture> {
  const copy = fs.mkdtempSync(path.join(os.tmpdir(), `amldb-example-${name}-`));
  const workDir = fs.mkdtempSync(path.join(os.tmpdir(), `amldb-example-run-`));
  const remove = () => {
    for (const dir of [copy, workDir]) fs.rmSync(dir, { recursive: true, force: true });
  };
  let backend: SharedBackend | undefined;
  try {
    fs.cpSync(path.join(REPO_ROOT, "examples", name), copy, { recursive: true, filter: (f) => path.basename(f) !== "node_modules" });
    for (const project of projects) {
      const projectDir = path.join(copy, project);
      const manifestFile = path.join(projectDir, "package.json");
      const manifest = JSON.parse(fs.readFileSync(manifestFile, "utf8"));
      if (manifest.dependencies?.[PACKAGE] !== "file:../../..") throw new Error(`examples/${name}/${project}/package.json must depend on ${PACKAGE} as file:../../..`);
      manifest.dependencies[PACKAGE] = `file:${packedTarball()}`;
      fs.writeFileSync(manifestFile, JSON.stringify(manifest, null, 2));
      installDependencies(projectDir);
    }
    // The language host skips ts-node's type check: `typeCheck` runs tsc on the same files.
    const shared = await startSharedBackend({ workDir, env: { PULUMI_NODEJS_TRANSPILE_ONLY: "true" } });
    backend = shared;
    let closed: Promise<void> | undefined;
    const close = () => (closed ??= shared.close().finally(remove));
    const fixtures: Record<string, ExampleFixture> = {};
    for (const project of projects) {
      const projectDir = path.join(copy, project);
      const stack = await shared.select({ projectDir, stackName, configFile: path.join(workDir, `${project}.Pulumi.${stackName}.yaml`) });
      fixtures[project] = { ...stack, projectDir, workDir, close };
    }
    return { backend: shared, projects: fixtures, close };
  } catch (err) {
    await backend?.close();
    remove();
    throw err;
  }
}
