import * as assert from "node:assert/strict";
import { ChildProcess, execFileSync, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import * as fs from "node:fs";
import { builtinModules, createRequire } from "node:module";
import * as os from "node:os";
import * as path from "node:path";
import * as readline from "node:readline";
import { REPO_ROOT } from "../../scripts/localEngine";
import { packedTarball } from "./support/packedPackage";
import { FROZEN_PROVIDER_ENTRY, ProjectFixture, providerRequires, resourceList, startProjectFixture } from "./support/projectFixture";
import { trustInThisProcess } from "../support/trust";

/** A @pulumi/pulumi 3.x release other than the one this repository develops with (both support Node 20). */
const CONSUMER_PULUMI = "3.230.0";
const PACKAGE = "pulumi-azureml-databricks";
const BIN = "azureml-databricks-emulator";
const STACK = "dev";
const DYNAMIC = "pulumi-nodejs:dynamic/azureml-databricks";

/** The consumer's program, as a user writes it against the installed package. */
const PROGRAM = `import * as pulumi from "@pulumi/pulumi";
import { DatabricksSecret, DatabricksSecretScope, KeyVaultSecret } from "${PACKAGE}";

const config = new pulumi.Config();
const token = new KeyVaultSecret("databricks-token", {
  vaultUrl: config.require("keyVaultUrl"),
  name: "databricks-token",
  value: config.requireSecret("databricksToken"),
});
const scope = new DatabricksSecretScope("scope", { name: "consumer" });
const secret = new DatabricksSecret("api-token", { scope: scope.name, key: "api-token", stringValue: config.requireSecret("apiToken") });

export const secretId = token.secretId;
export const scopeName = scope.name;
export const secretKey = secret.key;
`;

/** Type-checked only: the other entries' declarations, used as a consumer would. */
const ENTRIES = `import { RESOURCE_TYPES, lifecycle } from "${PACKAGE}/provider";
import { startEmulator, type RunningEmulator } from "${PACKAGE}/emulator";

export const types: readonly string[] = RESOURCE_TYPES;
export const create = lifecycle("KeyVaultSecret").create;
export const start: () => Promise<RunningEmulator> = () => startEmulator({ port: 0 });
`;

/** Pulumi's TypeScript template's compiler options (no skipLibCheck: our declarations are checked too). */
const TSCONFIG = {
  compilerOptions: {
    strict: true,
    outDir: "bin",
    target: "es2020",
    module: "commonjs",
    moduleResolution: "node",
    sourceMap: true,
    experimentalDecorators: true,
    pretty: true,
    noFallthroughCasesInSwitch: true,
    noImplicitReturns: true,
    forceConsistentCasingInFileNames: true,
  },
  files: ["index.ts", "entries.ts"],
};

/**
 * The package as another Pulumi project gets it: `npm pack`, installed outside this repository
 * beside a different @pulumi/pulumi 3.x, type-checked against its declarations, and run through
 * the engine as a project (`pulumi preview`, `up`, `destroy` with the CLI and the language host)
 * against the emulator.
 */
describe("pulumi-azureml-databricks as a dependency of another project", function () {
  this.timeout(10 * 60 * 1000);
  const databricksToken = `dapi${randomBytes(16).toString("hex")}`;
  let consumer: string;
  let installed: string;
  let installLog: string;
  let workDir: string;
  let fixture: ProjectFixture;

  before(async function () {
    this.timeout(60 * 60 * 1000); // the first run may build the engine
    consumer = fs.mkdtempSync(path.join(os.tmpdir(), "amldb-consumer-"));
    workDir = fs.mkdtempSync(path.join(os.tmpdir(), "amldb-consumer-run-"));
    // `npm pack` runs `prepare` (the build), so the tarball holds what the sources compile to now
    // (packed once per test process, shared with the examples' tests).
    const tarball = packedTarball();
    const own = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, "package.json"), "utf8"));
    fs.writeFileSync(
      path.join(consumer, "package.json"),
      JSON.stringify({
        name: "consumer",
        private: true,
        main: "index.ts",
        dependencies: { [PACKAGE]: `file:${tarball}`, "@pulumi/pulumi": CONSUMER_PULUMI },
        devDependencies: { typescript: own.devDependencies.typescript, "@types/node": own.devDependencies["@types/node"] },
      }),
    );
    fs.writeFileSync(path.join(consumer, "Pulumi.yaml"), "name: amldb-consumer\nruntime: nodejs\n");
    fs.writeFileSync(path.join(consumer, "index.ts"), PROGRAM);
    fs.writeFileSync(path.join(consumer, "entries.ts"), ENTRIES);
    fs.writeFileSync(path.join(consumer, "tsconfig.json"), JSON.stringify(TSCONFIG));
    // Warnings kept (engine mismatches show as EBADENGINE); the output is npm's, with no secret in it.
    installLog = execFileSync("npm", ["install", "--prefer-offline", "--no-audit", "--no-fund", "--loglevel=warn"], {
      cwd: consumer,
      encoding: "utf8",
      stdio: ["ignore", "pipe", "pipe"],
    });
    installed = path.join(consumer, "node_modules", PACKAGE);
    // The language host skips ts-node's type check (tsc checks the same files in a test below).
    fixture = await startProjectFixture({ projectDir: consumer, stackName: STACK, workDir, env: { PULUMI_NODEJS_TRANSPILE_ONLY: "true" } });
    await fixture.stack.setConfig("keyVaultUrl", fixture.emulator.keyVaultUrl);
    await fixture.stack.setConfig("databricksToken", databricksToken, { secret: true });
    await fixture.stack.setConfig("apiToken", randomBytes(12).toString("hex"), { secret: true });
  });

  after(async () => {
    await fixture?.close();
    for (const dir of [consumer, workDir]) if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it("installs beside the consumer's own @pulumi/pulumi (a peer, one copy) without engine warnings", () => {
    const consumerRequire = createRequire(path.join(consumer, "index.js"));
    assert.equal(consumerRequire("@pulumi/pulumi/package.json").version, CONSUMER_PULUMI);
    assert.ok(!fs.existsSync(path.join(installed, "node_modules", "@pulumi", "pulumi")), "a second @pulumi/pulumi under the package");
    assert.doesNotMatch(installLog, /EBADENGINE/);
  });

  it("ships compiled code, declarations, the emulator's Python files, the shipped component's YAML, README, LICENSE and package.json only", () => {
    const files = filesUnder(installed).filter((f) => !f.startsWith("node_modules/"));
    assert.ok(files.length > 0);
    assert.deepEqual(
      files.filter((f) => !/^dist\/(src|providers)\/.+(\.js|\.d\.ts|\.py)$/.test(f) && f !== "dist/src/azureml/databricksNotebookComponent/component/execute-databricks-notebook.yml"),
      ["LICENSE", "README.md", "package.json"],
    );
    for (const f of ["dist/src/index.d.ts", "dist/src/provider.js", "dist/src/emulator/cli.js", "dist/src/emulator/execution/runner.py", "dist/src/azureml/databricksNotebookComponent/component/execute-databricks-notebook.yml", "dist/src/azureml/databricksNotebookComponent/component/code/execute_databricks_notebook.py"]) {
      assert.ok(files.includes(f), `missing ${f}`);
    }
    assert.match(fs.readFileSync(path.join(installed, "LICENSE"), "utf8"), /Apache License\s+Version 2\.0/);
  });

  it("resolves the public entries and refuses deep paths", () => {
    const resolve = createRequire(path.join(consumer, "index.js")).resolve;
    assert.equal(resolve(PACKAGE), path.join(installed, "dist/src/index.js"));
    assert.equal(resolve(FROZEN_PROVIDER_ENTRY), path.join(installed, "dist/src/provider.js"));
    assert.equal(resolve(`${PACKAGE}/emulator`), path.join(installed, "dist/src/emulator/index.js"));
    assert.equal(resolve(`${PACKAGE}/package.json`), path.join(installed, "package.json"));
    assert.throws(() => resolve(`${PACKAGE}/dist/src/core/check`), { code: "ERR_PACKAGE_PATH_NOT_EXPORTED" });
  });

  it("declares every package its declarations import", () => {
    const manifest = JSON.parse(fs.readFileSync(path.join(installed, "package.json"), "utf8"));
    const declared = new Set([...Object.keys(manifest.dependencies ?? {}), ...Object.keys(manifest.peerDependencies ?? {})]);
    const builtins = new Set(builtinModules);
    const imported = new Set<string>();
    for (const file of filesUnder(installed).filter((f) => f.endsWith(".d.ts") && !f.startsWith("node_modules/"))) {
      const text = fs.readFileSync(path.join(installed, file), "utf8");
      for (const [, specifier] of text.matchAll(/(?:from|import\()\s*"([^"]+)"/g)) {
        if (!specifier.startsWith(".")) imported.add(specifier.startsWith("node:") || builtins.has(specifier) ? "@types/node" : packageName(specifier));
      }
    }
    assert.ok(imported.has("@pulumi/pulumi"));
    assert.deepEqual([...imported].filter((p) => !declared.has(p)), []);
  });

  it("type-checks the consumer's files with Pulumi's template settings and with node16 resolution", () => {
    const tsc = path.join(consumer, "node_modules", "typescript", "bin", "tsc");
    execFileSync(process.execPath, [tsc, "-p", ".", "--noEmit"], { cwd: consumer, stdio: "inherit" });
    // The declarations were checked whole just above; this run checks resolution through `exports`.
    execFileSync(process.execPath, [tsc, "-p", ".", "--noEmit", "--skipLibCheck", "--module", "node16", "--moduleResolution", "node16"], { cwd: consumer, stdio: "inherit" });
  });

  it("previews the stack and its three resources through the engine", async () => {
    const preview = JSON.parse(await fixture.stack.run(["preview", "--json"])) as { changeSummary: Record<string, number> };
    assert.deepEqual(preview.changeSummary, { create: 4 });
  });

  it("creates them on up, with the consumer's @pulumi/pulumi serializing the providers", async () => {
    assert.deepEqual(await fixture.update("up"), { create: 4 });
    const resources = fixture.resources();
    assert.deepEqual(resourceList(resources), [
      `${DYNAMIC}:DatabricksSecret::api-token`,
      `${DYNAMIC}:DatabricksSecretScope::scope`,
      `${DYNAMIC}:KeyVaultSecret::databricks-token`,
      "pulumi:providers:pulumi-nodejs::default",
      `pulumi:pulumi:Stack::amldb-consumer-${STACK}`,
    ]);
    const { providers, modulePaths } = providerRequires(resources);
    assert.equal(providers, 2 * 3);
    assert.deepEqual(modulePaths, [FROZEN_PROVIDER_ENTRY]);
    const outputs = await fixture.stack.outputs();
    assert.match(outputs.secretId as string, new RegExp(`^${fixture.emulator.keyVaultUrl}/secrets/databricks-token/[0-9a-f]{32}$`));
    assert.equal(outputs.scopeName, "consumer");
    assert.equal(outputs.secretKey, "api-token");
    const headers = { Authorization: `Bearer ${fixture.token}` };
    const stored = await fetch(`${fixture.emulator.keyVaultUrl}/secrets/databricks-token?api-version=7.5`, { headers });
    assert.equal(((await stored.json()) as { value: string }).value, databricksToken);
    const keys = await fetch(`${fixture.emulator.url}/api/2.0/secrets/list?scope=consumer`, { headers });
    assert.deepEqual(((await keys.json()) as { secrets: { key: string }[] }).secrets.map((s) => s.key), ["api-token"]);
  });

  it("destroys them", async () => {
    assert.deepEqual(await fixture.update("destroy"), { delete: 4 });
    const scopes = await fetch(`${fixture.emulator.url}/api/2.0/secrets/scopes/list`, { headers: { Authorization: `Bearer ${fixture.token}` } });
    assert.deepEqual(await scopes.json(), {});
  });

  it(`starts the emulator with npx ${BIN}`, async () => {
    // Its own process group, so that stopping it reaches the emulator under npx's shell.
    const token = randomBytes(16).toString("hex");
    const env = { ...process.env, AMLDB_LOCAL_TOKEN: token };
    const child = spawn("npx", ["--no", "--", BIN, "--port", "0"], { cwd: consumer, env, detached: true, stdio: ["ignore", "pipe", "pipe"] });
    try {
      const listening = await firstJsonLine(child);
      assert.equal(listening.event, "listening");
      assert.match(String(listening.url), /^https:\/\/127\.0\.0\.1:\d+$/);
      trustInThisProcess(String(listening.caPath));
      const health = await fetch(`${listening.url}/_emulator/health`, { headers: { Authorization: `Bearer ${token}` } });
      assert.deepEqual(await health.json(), { status: "ok" });
    } finally {
      await stopGroup(child);
    }
  });
});

/** Files under `dir`, relative, with `/` separators, sorted. */
function filesUnder(dir: string): string[] {
  return fs
    .readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => path.relative(dir, path.join(e.parentPath, e.name)).split(path.sep).join("/"))
    .sort();
}

/** `@scope/name` or `name` of a bare specifier. */
function packageName(specifier: string): string {
  const parts = specifier.split("/");
  return specifier.startsWith("@") ? parts.slice(0, 2).join("/") : parts[0];
}

/** The first line of the child's stdout that parses as JSON; rejects when it exits first. */
function firstJsonLine(child: ChildProcess): Promise<Record<string, unknown>> {
  let stderr = "";
  child.stderr!.on("data", (chunk: Buffer) => (stderr += chunk));
  return new Promise((resolve, reject) => {
    readline.createInterface({ input: child.stdout! }).on("line", (line) => {
      try {
        resolve(JSON.parse(line));
      } catch {
        // not the event line
      }
    });
    child.once("exit", (code) => reject(new Error(`npx ${BIN} exited with code ${code} before listening:\n${stderr}`)));
  });
}

/** SIGTERM to the child's process group; resolves when the child has exited. */
function stopGroup(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once("exit", () => resolve());
    process.kill(-child.pid!, "SIGTERM");
  });
}
