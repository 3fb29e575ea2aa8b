/**
 * The secret audit: a random canary, new at each run, for every secret input of a graph run through
 * the pulumi CLI on the emulator (started as users start it, its command line in a child process):
 * the Databricks token kept in Key Vault, a Key Vault secret's value, the storage account key and
 * a Databricks secret's value in a secret scope (the key mounts the account), a run's secure
 * parameter (printed, returned as the run's secret output and put in a failing run's exception), the
 * compute attachment's access token, the stack's passphrase and the emulator's owner token (the
 * providers' Databricks, Key Vault and Azure ML token). The calls that carry secrets are faulted
 * (throttled, unavailable, reset, lost) so the clients retry them, and a run fails twice (the
 * second `up` retries it) before the graph succeeds.
 *
 * Every sink is read and must hold no canary in any encoding: the backend's files (the stack's
 * state, its history and backups), the stack's configuration file, the CLI's output of each
 * command (`preview --diff`, `preview --json`, `up` with the engine's and providers' logs on
 * stderr at -v=9, `up --json` with the log files the engine writes to its TMPDIR, `up`, `stack
 * export`, `stack output --json`, `stack history --json`), the failures' error messages, the
 * emulator's request log files, its stdout and stderr, its pages, and the files it writes (its
 * state directory, apart from the services' own stores named in SERVICE_STORES, and its temporary
 * directory: run work dirs, Azurite's files). Each sink is shown to be non-empty and to hold what it
 * is about, and the scan is shown to find the canaries where they must be (the services' stores,
 * `--show-secrets`). Only the engine's own -v=9 trace of the properties it marshals over gRPC is
 * set aside (see ENGINE_RPC_TRACE): it holds every value in clear, whatever the providers do.
 */
import * as assert from "node:assert/strict";
import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { StorageSharedKeyCredential, BlobServiceClient } from "@azure/storage-blob";
import { CliStack } from "../../scripts/cliStack";
import { ensureEngine, offlineEnv, REPO_ROOT } from "../../scripts/localEngine";
import type { FaultRule } from "../../src/emulator/core/faultsPlan";
import { filesUnder } from "../e2e/support/inlineFixture";
import { Canary, findCanaries, makeCanary, makeStorageKeyCanary } from "./support/canaries";
import { EmulatorChild, startEmulatorChild } from "./support/emulatorChild";

const SUBSCRIPTION = "00000000-0000-0000-0000-00000000a0d1";
const RESOURCE_GROUP = "rg-audit";
const WORKSPACE = "aml-audit";
const STORAGE_ACCOUNT = "auditstore";
const CONTAINER = "audit";
const STACK = "audit";

/**
 * A notebook that reads its secure widget and a Databricks secret, prints both, then raises an
 * exception holding both (`fail` = yes) or returns the widget in its exit value.
 */
const NOTEBOOK = [
  "# Databricks notebook source",
  'key = dbutils.widgets.get("api_key")',
  'secret = dbutils.secrets.get("audit", "app-secret")',
  'print("the key is " + key + " and the secret " + secret)',
  'if dbutils.widgets.get("fail") == "yes":',
  '    raise RuntimeError("refused key " + key + " with secret " + secret)',
  'dbutils.notebook.exit("echo " + key)',
  "",
].join("\n");

/** The program: every resource that takes a secret, from the stack's secret configuration. */
const PROGRAM = `
import * as pulumi from "@pulumi/pulumi";
import {
  DatabricksBlobMount, DatabricksComputeAttachment, DatabricksRun, DatabricksSecret, DatabricksSecretScope, DatabricksWorkspaceItem, KeyVaultSecret,
} from "pulumi-azureml-databricks";

const config = new pulumi.Config();
const ws = { subscriptionId: ${JSON.stringify(SUBSCRIPTION)}, resourceGroupName: ${JSON.stringify(RESOURCE_GROUP)}, workspaceName: ${JSON.stringify(WORKSPACE)}, armEndpoint: config.require("armEndpoint") };
const vaultUrl = config.require("vaultUrl");
const pat = new KeyVaultSecret("adbpat", { vaultUrl, name: "ADBPAT", value: config.requireSecret("databricksToken"), purgeOnDelete: true });
const apiKey = new KeyVaultSecret("api-key", { vaultUrl, name: "api-key", value: config.requireSecret("keyVaultValue"), purgeOnDelete: true });
const scope = new DatabricksSecretScope("audit", { name: "audit" });
const storageKey = new DatabricksSecret("storage-key", { scope: scope.name, key: "storage-key", stringValue: config.requireSecret("storageKey") });
const appSecret = new DatabricksSecret("app-secret", { scope: scope.name, key: "app-secret", stringValue: config.requireSecret("databricksSecret") });
const mount = new DatabricksBlobMount("blobstore", {
  mountName: "audit", storageAccountName: ${JSON.stringify(STORAGE_ACCOUNT)}, containerName: ${JSON.stringify(CONTAINER)},
  accountKeyScope: storageKey.scope, accountKeyName: storageKey.key,
});
const notebook = new DatabricksWorkspaceItem("notebook", { path: "/Shared/audit/echo", content: ${JSON.stringify(NOTEBOOK)} });
const cluster = { sparkVersion: "15.4.x-scala2.12", nodeTypeId: "Standard_DS3_v2", numWorkers: 1 };
const run = (name: string, fail: string) =>
  new DatabricksRun(name, {
    notebookTask: { notebookPath: notebook.workspacePath, baseParameters: { fail } },
    newCluster: cluster,
    secureInput: { api_key: config.requireSecret("runParameter") },
  }, { dependsOn: [mount, appSecret] });
const echo = run("echo", "no");
if (config.requireBoolean("withFailure")) run("leak", "yes");
const compute = new DatabricksComputeAttachment("adb", {
  ...ws,
  computeName: "audit-adb",
  databricksResourceId: "/subscriptions/${SUBSCRIPTION}/resourceGroups/${RESOURCE_GROUP}/providers/Microsoft.Databricks/workspaces/adb-audit",
  workspaceUrl: config.require("databricksHost"),
  accessToken: config.requireSecret("computeToken"),
});

export const result = echo.notebookOutput;
export const runPageUrl = echo.runPageUrl;
export const tokenSecretId = pat.secretId;
export const token = pat.value;
export const apiKeyValue = apiKey.value;
export const computeReference = compute.reference;
`;

/**
 * The faults put on the calls that carry secrets in their bodies (Key Vault secret sets, Databricks
 * secret puts, run submissions with their secure parameter, the compute attachment with its
 * token), each a few times, so the clients retry them: a lost answer (applied, unanswered), a
 * reset, a 429 and a 503.
 */
const SECRET_CALL_FAULTS: readonly FaultRule[] = [
  { kind: "lost", service: "keyvault", method: "PUT", path: "/secrets/*", count: 1 },
  { kind: "throttle", service: "keyvault", method: "PUT", path: "/secrets/*", count: 1 },
  { kind: "unavailable", service: "databricks", method: "POST", path: "/api/2.0/secrets/put", count: 2 },
  { kind: "lost", service: "databricks", method: "POST", path: "/api/2.0/secrets/put", count: 1 },
  { kind: "reset", service: "databricks", method: "POST", path: "/api/2.1/jobs/runs/submit", count: 1 },
  { kind: "throttle", service: "databricks", method: "POST", path: "/api/2.1/jobs/runs/submit", count: 1 },
  { kind: ["unavailable", "reset"], service: "arm", method: "PUT", path: "/subscriptions/**/computes/*", count: 2 },
];

/**
 * Files of the emulator's state directory that are a service's own store of what it was given: a
 * vault keeps its secrets' values, a secret scope its secrets, the Jobs service a run's parameters
 * and output (the notebook printed and returned its secure parameter), Azure ML an attached
 * compute's token; as the real services do. Each store must hold its canaries (the audit's proof
 * that it recognises them on disk) and no other.
 */
const SERVICE_STORES: readonly { store: string; file: RegExp; holds: readonly CanaryKey[] }[] = [
  { store: "Key Vault's secrets", file: /^keyvault\/secrets\.(journal|json)$/, holds: ["databricksToken", "keyVaultValue"] },
  { store: "Databricks' secret scopes and runs", file: /^databricks\/state\.(journal|json)$/, holds: ["storageKey", "databricksSecret", "runParameter"] },
  { store: "Azure ML's computes", file: /^azureml\/state\.(journal|json)$/, holds: ["computeToken"] },
];

type CanaryKey = "databricksToken" | "keyVaultValue" | "storageKey" | "databricksSecret" | "runParameter" | "computeToken" | "ownerToken" | "passphrase";

/**
 * The engine's own trace of every property it marshals over gRPC (`-v=9`): values in clear, the
 * stack's secret configuration included, whatever the providers do. Set aside (counted) so the
 * rest of the log, the providers' lines among it, is scanned.
 */
const ENGINE_RPC_TRACE = /^\{"time":"[^"]+","level":"INFO","msg":"(Un)?[Mm]arshaling property for RPC\[[^"]*\]: [^\n]*"v":9\}$/;

function withoutEngineRpcTraces(log: string): { rest: string; setAside: number } {
  const lines = log.split("\n");
  const rest = lines.filter((l) => !ENGINE_RPC_TRACE.test(l));
  return { rest: rest.join("\n"), setAside: lines.length - rest.length };
}

/** One CLI command's result. */
interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

describe("secret audit: canaries for every secret input through the CLI, faults and a failing run, every sink scanned", function () {
  this.timeout(20 * 60 * 1000);
  const canaries: Record<CanaryKey, Canary> = {
    databricksToken: makeCanary("databricks token (Key Vault ADBPAT)"),
    keyVaultValue: makeCanary("Key Vault secret value"),
    storageKey: makeStorageKeyCanary("storage account key"),
    databricksSecret: makeCanary("Databricks secret value"),
    runParameter: makeCanary("run secure parameter"),
    computeToken: makeCanary("compute attachment token"),
    ownerToken: makeCanary("emulator owner token"),
    passphrase: makeCanary("stack passphrase"),
  };
  const all: Canary[] = Object.values(canaries);
  /** Each sink's text by name; files grouped by where they are, each file listed. */
  const sinks = new Map<string, { text: string; files?: Record<string, number> }>();
  let workDir: string;
  let projectDir: string;
  let backendDir: string;
  let engineTmp: string;
  let emulatorTmp: string;
  let stateDir: string;
  let configFile: string;
  let env: Record<string, string>;
  let emulator: EmulatorChild;
  let stack: CliStack;
  let engineTracesSetAside = 0;
  const pages: string[] = [];
  /** The failing ups' error diagnostics (the Diagnostics section of one, the error events of the other). */
  const errorMessages: string[] = [];

  /** Runs `pulumi <args> --stack audit --non-interactive` (with the configuration file where it applies). */
  function pulumi(args: string[]): Promise<CliResult> {
    const withConfig = ["up", "preview", "config"].includes(args[0]) ? ["--config-file", configFile] : [];
    const child = spawn("pulumi", [...args, "--stack", STACK, "--non-interactive", ...withConfig], { cwd: projectDir, env: { ...process.env, ...env }, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (c: Buffer) => (stdout += c));
    child.stderr.on("data", (c: Buffer) => (stderr += c));
    return new Promise((resolve, reject) => {
      child.once("error", reject);
      child.once("close", (code) => resolve({ code: code ?? -1, stdout, stderr }));
    });
  }

  /** Runs a command that must exit with `code`; records its output (stdout and stderr) as sink `CLI <name>`. */
  async function cli(name: string, args: string[], code = 0): Promise<CliResult> {
    const result = await pulumi(args);
    sinks.set(`CLI ${name}`, { text: result.stdout + result.stderr });
    assert.equal(result.code, code, `pulumi ${args.join(" ")} exited with ${result.code}:\n${(result.stdout + result.stderr).slice(-3000)}`);
    return result;
  }

  async function emulatorCall(route: string, init: RequestInit = {}): Promise<Response> {
    return fetch(`${emulator.url}${route}`, { ...init, headers: { "Content-Type": "application/json", Authorization: `Bearer ${canaries.ownerToken.value}`, ...init.headers } });
  }

  async function faulted(): Promise<void> {
    const res = await emulatorCall("/_emulator/faults/plan", { method: "POST", body: JSON.stringify({ seed: 1, rules: SECRET_CALL_FAULTS }) });
    assert.equal(res.status, 200, await res.text());
  }

  /** The pages a person opens: the landing page, the index and each run's page (a deleted run has none). */
  async function collectPages(): Promise<void> {
    const res = await emulatorCall("/_emulator/databricks/runs");
    const runs = ((await res.json()) as { runs: { job_id: number; run_id: number; deleted: boolean }[] }).runs.filter((r) => !r.deleted);
    for (const url of ["/", "/index", ...runs.map((r) => `/jobs/${r.job_id}/runs/${r.run_id}`)]) {
      const page = await emulatorCall(url, { headers: { Accept: "text/html" } });
      assert.equal(page.status, 200, url);
      pages.push(await page.text());
    }
  }

  /** The files under `dir` as one sink (each file's bytes listed); `skip` leaves files out (by path relative to `dir`). */
  function fileSink(name: string, dir: string, skip: (relative: string) => boolean = () => false): void {
    const files: Record<string, number> = {};
    const texts: string[] = [];
    for (const f of fs.existsSync(dir) ? filesUnder(dir) : []) {
      const relative = path.relative(dir, f);
      if (skip(relative)) continue;
      const bytes = fs.readFileSync(f);
      files[relative] = bytes.length;
      texts.push(bytes.toString("latin1"));
    }
    sinks.set(name, { text: texts.join("\n"), files });
  }

  before(async function () {
    this.timeout(10 * 60 * 1000);
    const engineBin = ensureEngine();
    fs.mkdirSync(path.join(REPO_ROOT, ".local"), { recursive: true });
    // Inside the repository: the program imports this package by its name.
    workDir = fs.mkdtempSync(path.join(REPO_ROOT, ".local", "secrets-"));
    projectDir = path.join(workDir, "project");
    backendDir = path.join(workDir, "state");
    engineTmp = path.join(workDir, "engine-tmp");
    emulatorTmp = path.join(workDir, "emulator-tmp");
    stateDir = path.join(workDir, "emulator");
    configFile = path.join(workDir, `Pulumi.${STACK}.yaml`);
    for (const dir of [projectDir, engineTmp, emulatorTmp]) fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(projectDir, "Pulumi.yaml"), "name: secrets-audit\nruntime:\n  name: nodejs\n  options:\n    typescript: true\nmain: index.ts\n");
    fs.writeFileSync(path.join(projectDir, "index.ts"), PROGRAM);
    emulator = await startEmulatorChild({
      stateDir,
      token: canaries.ownerToken.value,
      args: ["--azureml-subscription", SUBSCRIPTION, "--azureml-resource-group", RESOURCE_GROUP, "--azureml-workspace", WORKSPACE],
      env: { AZURITE_ACCOUNTS: `${STORAGE_ACCOUNT}:${canaries.storageKey.value}`, TMPDIR: emulatorTmp },
    });
    const blobs = new BlobServiceClient(`${emulator.blobUrl}/${STORAGE_ACCOUNT}`, new StorageSharedKeyCredential(STORAGE_ACCOUNT, canaries.storageKey.value));
    await blobs.getContainerClient(CONTAINER).create();
    env = offlineEnv({
      engineBin,
      backendDir,
      passphrase: canaries.passphrase.value,
      extra: {
        ...emulator.clientEnv,
        AMLDB_TARGET: "local",
        AMLDB_LOCAL_TOKEN: canaries.ownerToken.value,
        DATABRICKS_HOST: emulator.url,
        PULUMI_NODEJS_TRANSPILE_ONLY: "true",
        // Where the engine writes its log files (-v without --logtostderr) and its plugins their temporary files.
        TMPDIR: engineTmp,
      },
    });
    stack = await CliStack.select({ projectDir, stackName: STACK, env, configFile });
    for (const [key, value] of Object.entries({ armEndpoint: emulator.url, vaultUrl: emulator.keyVaultUrl, databricksHost: emulator.url, withFailure: "true" })) await stack.setConfig(key, value);
    for (const key of ["databricksToken", "keyVaultValue", "storageKey", "databricksSecret", "runParameter", "computeToken"] as const) {
      await stack.setConfig(key, canaries[key].value, { secret: true });
    }
  });

  after(async () => {
    await emulator?.stop();
    if (workDir && !process.env.AMLDB_KEEP_AUDIT) fs.rmSync(workDir, { recursive: true, force: true });
  });

  it("recognises each canary in every encoding it scans for, at any offset inside a longer encoded text", () => {
    for (const canary of all) {
      const embedded = (prefix: string) => Buffer.from(`${prefix}${canary.value} and more`);
      const texts = [
        `x=${encodeURIComponent(canary.value)}&y=1`,
        JSON.stringify({ v: `"${canary.value}"` }),
        ...["", "a", "ab"].flatMap((prefix) => [embedded(prefix).toString("base64"), embedded(prefix).toString("base64url"), embedded(prefix).toString("hex")]),
      ];
      for (const text of texts) assert.deepEqual(findCanaries(`…${text}…`, all).map((f) => f.canary), [canary.name], text);
    }
  });

  it("previews the graph with --diff and --json, every secret input shown as [secret]", async () => {
    const diff = await cli("preview --diff", ["preview", "--diff"]);
    assert.match(diff.stdout, /\+ pulumi-nodejs:dynamic\/azureml-databricks:DatabricksComputeAttachment: \(create\)\n.*\n\s+accessToken\s+: \[secret\]\n/);
    assert.match(diff.stdout, /\+ pulumi-nodejs:dynamic\/azureml-databricks:KeyVaultSecret: \(create\)/);
    const json = JSON.parse((await cli("preview --json", ["preview", "--json"])).stdout) as { steps: { op: string; urn: string }[] };
    // The stack and its 10 resources.
    assert.equal(json.steps.filter((s) => s.op === "create").length, 11);
  });

  it("up with faults on the calls that carry secrets, the engine's and providers' logs at -v=9 on stderr: fails on the run that raises with its secrets", async () => {
    await faulted();
    const up = await cli("up --debug -v=9 --logtostderr --logflow", ["up", "--yes", "--skip-preview", "--debug", "--logtostderr", "-v=9", "--logflow"], 1);
    await collectPages();
    assert.match(up.stdout, /Databricks run "leak" \(run \d+\) ended TERMINATED FAILED/);
    assert.match(up.stdout, /RuntimeError: refused key \[REDACTED\] with secret \[REDACTED\]/);
    assert.ok(up.stdout.includes("\nDiagnostics:"), "no Diagnostics section");
    errorMessages.push(up.stdout.slice(up.stdout.indexOf("\nDiagnostics:")));
  });

  it("up --json (its logs at -v=9 in the engine's log files) retries the failed run, which fails again", async () => {
    await faulted();
    const up = await cli("up --json -v=9 --logflow", ["up", "--json", "--yes", "--skip-preview", "-v=9", "--logflow"], 1);
    await collectPages();
    assert.match(up.stdout, /"diagnosticEvent":\{[^\n]*Databricks run \\"leak\\" \(run \d+\) ended TERMINATED FAILED/);
    for (const line of up.stdout.split("\n").filter((l) => l.includes('"diagnosticEvent"'))) {
      const event = (JSON.parse(line) as { diagnosticEvent: { severity: string; message: string } }).diagnosticEvent;
      if (event.severity === "error") errorMessages.push(event.message);
    }
  });

  it("up without the failing run succeeds; stack output, export and history show the secrets as secrets", async () => {
    await stack.setConfig("withFailure", "false");
    await faulted();
    await cli("up", ["up", "--yes", "--skip-preview"]);
    await collectPages();
    const outputs = JSON.parse((await cli("stack output --json", ["stack", "output", "--json"])).stdout) as Record<string, unknown>;
    assert.deepEqual([outputs.result, outputs.token, outputs.apiKeyValue], ["[secret]", "[secret]", "[secret]"]);
    await cli("stack export", ["stack", "export"]);
    await cli("stack history --json", ["stack", "history", "--json"]);
  });

  it("faulted each call that carries a secret, so the clients retried it", async () => {
    const faults = new Map<string, number>();
    for (const line of fs.readFileSync(path.join(stateDir, "requests.log"), "utf8").trim().split("\n")) {
      const entry = JSON.parse(line) as { method: string; path: string; fault?: string };
      if (!entry.fault) continue;
      const call = `${entry.method} ${entry.path.replace(/^\/subscriptions\/.*\/computes\//, "…/computes/")} ${entry.fault}`;
      faults.set(call, (faults.get(call) ?? 0) + 1);
    }
    for (const [call, n] of faults) console.log(`  [proof] fault ${call}: ${n}`);
    const kinds = (re: RegExp) => new Set([...faults.keys()].filter((k) => re.test(k)).map((k) => k.slice(k.lastIndexOf(" ") + 1)));
    assert.deepEqual(kinds(/^PUT \/secrets\//), new Set(["lost", "throttle"]));
    assert.deepEqual(kinds(/^POST \/api\/2\.0\/secrets\/put /), new Set(["unavailable", "lost"]));
    assert.deepEqual(kinds(/^POST \/api\/2\.1\/jobs\/runs\/submit /), new Set(["reset", "throttle"]));
    assert.ok(kinds(/^PUT …\/computes\//).size > 0, "no fault on the compute attachment");
  });

  it("finds no canary in any sink, each sink non-empty and holding what it is about", async () => {
    sinks.set("error messages of the failing ups", { text: errorMessages.join("\n") });
    sinks.set("emulator pages (landing, index, each run's page, after each up)", { text: pages.join("\n") });
    console.log(`  [proof] emulator pages fetched: ${pages.length}`);
    const fromStderr = withoutEngineRpcTraces(sinks.get("CLI up --debug -v=9 --logtostderr --logflow")!.text);
    sinks.set("CLI up --debug -v=9 --logtostderr --logflow", { text: fromStderr.rest });
    fileSink("backend: current state and its .bak", path.join(backendDir, ".pulumi", "stacks"));
    fileSink("backend: history", path.join(backendDir, ".pulumi", "history"));
    fileSink("backend: backups", path.join(backendDir, ".pulumi", "backups"));
    fileSink("backend: every file", path.join(backendDir, ".pulumi"));
    sinks.set("stack configuration file", { text: fs.readFileSync(configFile, "utf8") });
    fileSink("engine's TMPDIR (its -v=9 log files)", engineTmp);
    const fromFiles = withoutEngineRpcTraces(sinks.get("engine's TMPDIR (its -v=9 log files)")!.text);
    sinks.get("engine's TMPDIR (its -v=9 log files)")!.text = fromFiles.rest;
    engineTracesSetAside = fromStderr.setAside + fromFiles.setAside;
    sinks.set("emulator stdout", { text: emulator.stdout() });
    sinks.set("emulator stderr", { text: emulator.stderr() });
    fileSink("emulator request log", stateDir, (f) => !/^requests\.log(\.1)?$/.test(f));
    const isStore = (f: string) => SERVICE_STORES.some((s) => s.file.test(f));
    fileSink("emulator state directory (services' stores aside)", stateDir, isStore);
    fileSink("emulator TMPDIR", emulatorTmp);

    // Each sink holds what the scan is about.
    const text = (name: string) => sinks.get(name)!.text;
    assert.match(text("backend: current state and its .bak"), /DatabricksRun::echo/);
    assert.match(text("backend: history"), /DatabricksRun::leak/);
    assert.match(text("backend: backups"), /DatabricksComputeAttachment::adb/);
    assert.match(text("stack configuration file"), /secure: v1:/);
    assert.match(text("CLI up --debug -v=9 --logtostderr --logflow"), /"v":9/);
    assert.match(text("engine's TMPDIR (its -v=9 log files)"), /RegisterResource/);
    assert.match(text("emulator request log"), /"path":"\/api\/2\.0\/secrets\/put","status":200/);
    assert.match(text("emulator stderr"), /POST \/api\/2\.0\/secrets\/put 200/);
    assert.match(text("emulator pages (landing, index, each run's page, after each up)"), /RuntimeError: refused key/);
    assert.match(text("error messages of the failing ups"), /Databricks run "leak" \(run \d+\) ended TERMINATED FAILED[^]*Databricks run "leak" \(run \d+\) ended TERMINATED FAILED/);
    assert.ok(engineTracesSetAside > 0);
    // Run work dirs are removed after each run: none is left to hold a parameter.
    assert.deepEqual(fs.readdirSync(emulatorTmp).filter((d) => /^amldb-(task|context)-/.test(d)), []);

    const leaks: string[] = [];
    for (const [name, sink] of sinks) {
      const bytes = Buffer.byteLength(sink.text, "latin1");
      console.log(`  [proof] sink ${name}: ${bytes} bytes${sink.files ? ` in ${Object.keys(sink.files).length} files` : ""}`);
      for (const [file, size] of Object.entries(sink.files ?? {})) console.log(`  [proof]     ${file}: ${size} bytes`);
      assert.ok(bytes > 0, `sink ${name} is empty: the audit did not look at anything there`);
      for (const f of findCanaries(sink.text, all)) leaks.push(`${name}: ${f.canary} (${f.form}) in …${f.context}…`);
    }
    console.log(`  [proof] engine RPC property traces set aside (-v=9, the engine's own): ${engineTracesSetAside} lines`);
    console.log(`  [proof] ${sinks.size} sinks scanned for ${all.length} canaries: ${all.map((c) => c.name).join(", ")}`);
    for (const l of leaks) console.log(`      LEAK ${l}`);
    assert.deepEqual(leaks, []);
  });

  it("finds the canaries where they must be: the services' stores and --show-secrets", async () => {
    const stores = filesUnder(stateDir).map((f) => path.relative(stateDir, f)).filter((f) => SERVICE_STORES.some((s) => s.file.test(f)));
    for (const { store, file, holds } of SERVICE_STORES) {
      const files = stores.filter((f) => file.test(f));
      const text = files.map((f) => fs.readFileSync(path.join(stateDir, f)).toString("latin1")).join("\n");
      const findings = findCanaries(text, all);
      console.log(`  [proof] service store ${store} (${files.join(", ")}): ${Buffer.byteLength(text, "latin1")} bytes, holds ${findings.map((f) => `${f.canary} (${f.form})`).join(", ")}`);
      assert.deepEqual(findings.map((f) => f.canary), holds.map((k) => canaries[k].name), store);
    }
    const shown = (await cli("stack output --json --show-secrets", ["stack", "output", "--json", "--show-secrets"])).stdout;
    const found = findCanaries(shown, all).map((f) => f.canary);
    assert.deepEqual(found, [canaries.databricksToken.name, canaries.keyVaultValue.name, canaries.runParameter.name]);
  });
});
