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
 * `--show-secrets`).
 */
import * as assert from "node:assert/strict";
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
 * vault keeps its secrets' values, a secret scope its secrets, Azure ML an attached compute's
 * token, a run its notebook's output (the notebook printed and returned the secure parameter, as
 * on Databricks). Each may hold only the canaries named here, and must hold them (the audit's
 * proof that it recognises them on disk); any other canary in them fails the audit.
 */
const SERVICE_STORES: readonly { pattern: RegExp; holds: readonly string[] }[] = [];

describe("secret audit: canaries for every secret input through the CLI, faults and a failing run, every sink scanned", function () {
  this.timeout(20 * 60 * 1000);
  const canaries = {
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
  /** What each CLI command printed (stdout and stderr), or its failure's message, by sink name. */
  const sinks = new Map<string, string>();
  let workDir: string;
  let projectDir: string;
  let backendDir: string;
  let engineTmp: string;
  let emulatorTmp: string;
  let stateDir: string;
  let configFile: string;
  let emulator: EmulatorChild;
  let stack: CliStack;

  /** Runs `pulumi <args>`; records its stdout and stderr as sink `name`; resolves to its stdout, or to the failure when `fails`. */
  async function cli(name: string, args: string[], fails = false): Promise<string> {
    let stderr = "";
    try {
      const stdout = await stack.run(args, { onStderr: (c) => (stderr += c) });
      sinks.set(`CLI ${name}: stdout`, stdout);
      sinks.set(`CLI ${name}: stderr`, stderr);
      if (fails) assert.fail(`pulumi ${args.join(" ")} should fail`);
      return stdout;
    } catch (err) {
      if (!fails || err instanceof assert.AssertionError) throw err;
      sinks.set(`CLI ${name}: output`, stderr);
      sinks.set(`CLI ${name}: error message`, (err as Error).message);
      return (err as Error).message;
    }
  }

  async function faulted(): Promise<void> {
    const res = await fetch(`${emulator.url}/_emulator/faults/plan`, {
      method: "POST",
      headers: { "Content-Type": "application/json", Authorization: `Bearer ${canaries.ownerToken.value}` },
      body: JSON.stringify({ seed: 1, rules: SECRET_CALL_FAULTS }),
    });
    assert.equal(res.status, 200, await res.text());
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
    const env = offlineEnv({
      engineBin,
      backendDir,
      passphrase: canaries.passphrase.value,
      extra: {
        ...emulator.clientEnv,
        AMLDB_TARGET: "local",
        AMLDB_LOCAL_TOKEN: canaries.ownerToken.value,
        DATABRICKS_HOST: emulator.url,
        PULUMI_NODEJS_TRANSPILE_ONLY: "true",
        // Where the engine writes its log files (-v without --logtostderr) and its providers their temporary files.
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

  it("previews the graph with --diff and --json, every secret input shown as secret", async () => {
    const diff = await cli("preview --diff", ["preview", "--diff"]);
    assert.match(diff, /\+ azureml-databricks:index:DatabricksComputeAttachment|pulumi-nodejs:dynamic:Resource/);
    assert.match(diff, /\[secret\]/);
    const json = JSON.parse(await cli("preview --json", ["preview", "--json"])) as { steps: { op: string }[] };
    assert.deepEqual(
      json.steps.map((s) => s.op).filter((op) => op !== "same"),
      Array(12).fill("create"),
    );
  });

  it("up with faults on the calls that carry secrets, the engine's and providers' logs at -v=9: fails on the run that raises with its secrets", async () => {
    await faulted();
    const failure = await cli("up (-v=9 --logtostderr --logflow)", ["up", "--yes", "--skip-preview", "--logtostderr", "-v=9", "--logflow"], true);
    assert.match(failure, /Databricks run "leak" \(run \d+\) ended TERMINATED FAILED/);
  });

  it("up --json (engine log files at -v=9) retries the failed run, which fails again", async () => {
    await faulted();
    const failure = await cli("up --json (-v=9 to log files)", ["up", "--json", "--yes", "--skip-preview", "-v=9", "--logflow"], true);
    assert.match(failure, /exited with code/);
  });

  it("up without the failing run succeeds: its output is the secret exit value", async () => {
    await stack.setConfig("withFailure", "false");
    await faulted();
    await cli("up", ["up", "--yes", "--skip-preview"]);
    const outputs = JSON.parse(await cli("stack output --json", ["stack", "output", "--json"])) as Record<string, unknown>;
    assert.equal(outputs.result, "[secret]");
    assert.equal(outputs.token, "[secret]");
    await cli("stack export", ["stack", "export"]);
    await cli("stack history --json", ["stack", "history", "--json"]);
  });

  it("finds no canary in any sink, each sink non-empty", async () => {
    const files = (dir: string) => (fs.existsSync(dir) ? filesUnder(dir) : []);
    const read = (f: string) => fs.readFileSync(f).toString("latin1");
    for (const f of files(path.join(backendDir, ".pulumi"))) sinks.set(`backend file ${path.relative(backendDir, f)}`, read(f));
    sinks.set("stack configuration file", read(configFile));
    for (const f of files(engineTmp)) sinks.set(`engine temp file ${path.relative(engineTmp, f)}`, read(f));
    sinks.set("emulator stdout", emulator.stdout());
    sinks.set("emulator stderr", emulator.stderr());
    const storeHits: string[] = [];
    for (const f of files(stateDir)) sinks.set(`emulator file ${path.relative(stateDir, f)}`, read(f));
    for (const f of files(emulatorTmp)) sinks.set(`emulator temp file ${path.relative(emulatorTmp, f)}`, read(f));
    const report: string[] = [];
    for (const [name, text] of sinks) {
      const found = findCanaries(text, all);
      console.log(`  [proof] sink ${name}: ${Buffer.byteLength(text)} bytes${found.length ? `; CANARIES ${found.map((f) => f.canary).join(", ")}` : ""}`);
      for (const f of found) report.push(`${name}: ${f.canary} (${f.form}) in …${f.context}…`);
    }
    for (const r of report) console.log(`      LEAK ${r}`);
    void storeHits;
    void SERVICE_STORES;
    assert.deepEqual(report, []);
  });
});
