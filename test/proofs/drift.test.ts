/**
 * The drift suite: one stack holding one resource of each kind the package exports, through the
 * Pulumi engine on the emulator. Change phase: every object is changed out of band, directly through
 * the services' APIs as another user would; `pulumi refresh` must report exactly which resources
 * changed and which of their properties; the next `up` must make every object match the program
 * again, and a second `up` change nothing. Delete phase: the same with every object deleted out of
 * band: refresh must report exactly those resources gone, and `up` re-create them. The run
 * resources keep their record when the service no longer has it (a run is an event, not a living
 * object: see README "Drift"): refresh reports that, and up runs nothing again.
 */
import * as assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import type { EngineEvent } from "@pulumi/pulumi/automation";
import {
  AmlComponent,
  AmlEnvironment,
  AmlPipelineEndpoint,
  AmlPipelineRun,
  AmlSchedule,
  DatabricksBlobMount,
  DatabricksCluster,
  DatabricksComputeAttachment,
  DatabricksDbfsFile,
  DatabricksJob,
  DatabricksNotebookComponent,
  DatabricksRun,
  DatabricksSecret,
  DatabricksSecretScope,
  DatabricksWorkspaceItem,
  KeyVaultSecret,
} from "../../src";
import { AzureMlApi, createAzureMlApi } from "../../src/azureml/client";
import { createDatabricksApi, DatabricksApi } from "../../src/databricks/client";
import { runSnippet } from "../../src/databricks/blobMount/mountExecution";
import { lookupCode, mountCode, unmountCode } from "../../src/databricks/blobMount/mountCode";
import { RESOURCE_TYPES } from "../../src/provider";
import { Call, httpCaller } from "../support/emulator";
import { useInlineStack } from "../e2e/support/inlineFixture";

const FIXTURES = path.join(__dirname, "../fixtures/azureml");
const DATABRICKS_ID = "/subscriptions/00000000-0000-0000-0000-0000000000a1/resourceGroups/rg-local/providers/Microsoft.Databricks/workspaces/adb-local";
const ENVIRONMENT = "azureml://registries/azureml/environments/sklearn-1.5/versions/1";
const b64 = (s: string) => Buffer.from(s).toString("base64");
const NOTEBOOK = "# Databricks notebook source\ndbutils.notebook.exit('ours')\n";
const FILE_TEXT = "ours: 0123456789\n";
const CLUSTER = { spark_version: "15.4.x-scala2.12", node_type_id: "Standard_DS3_v2", num_workers: 1, autotermination_minutes: 30 };

/** The resource names of the program, one per kind, by the kind's type name. */
const NAMES = {
  KeyVaultSecret: "kv",
  DatabricksSecretScope: "scope",
  DatabricksSecret: "secret",
  DatabricksWorkspaceItem: "notebook",
  DatabricksDbfsFile: "file",
  DatabricksCluster: "cluster",
  DatabricksJob: "job",
  DatabricksRun: "run",
  DatabricksBlobMount: "mount",
  DatabricksComputeAttachment: "attachment",
  AmlEnvironment: "env",
  AmlComponent: "component",
  DatabricksNotebookComponent: "notebook-component",
  AmlSchedule: "schedule",
  AmlPipelineEndpoint: "endpoint",
  AmlPipelineRun: "pipeline-run",
} as const;
type Kind = keyof typeof NAMES;
const KINDS = Object.keys(NAMES) as Kind[];

/** What one engine operation did to each of the program's resources: its steps, and the properties the provider's diff named. */
interface Steps {
  ops: Record<string, string>;
  changed: Record<string, string[]>;
}

function stepsOf(events: EngineEvent[]): Steps {
  const ops: Record<string, string[]> = {};
  const changed: Record<string, string[]> = {};
  for (const e of events) {
    const m = e.resOutputsEvent?.metadata;
    if (!m || !m.type.startsWith("pulumi-nodejs:dynamic/")) continue;
    const name = m.urn.split("::").pop() as string;
    (ops[name] ??= []).push(m.op);
    if (m.op !== "update" && m.op !== "replace") continue;
    // The provider's diff names the properties; where it names none (KeyVaultSecret), the outputs that differ.
    const olds = (m.old?.outputs ?? {}) as Record<string, unknown>;
    const news = (m.new?.outputs ?? {}) as Record<string, unknown>;
    const differing = [...new Set([...Object.keys(olds), ...Object.keys(news)])].filter((k) => k !== "__provider" && JSON.stringify(olds[k]) !== JSON.stringify(news[k]));
    changed[name] = [...(m.diffs && m.diffs.length > 0 ? m.diffs : differing)].sort();
  }
  // A replacement's steps in name order: the engine may report them in either order.
  return { ops: sorted(Object.fromEntries(Object.entries(ops).map(([k, v]) => [k, [...v].sort().join(",")]))), changed: sorted(changed) };
}

function sorted<T>(o: Record<string, T>): Record<string, T> {
  return Object.fromEntries(Object.entries(o).sort(([a], [b]) => a.localeCompare(b)));
}

/** Each of the program's resources (and the pipeline run's component, `echo`) with the same step, besides `others`. */
function allBut(step: string, others: Record<string, string>): Record<string, string> {
  return sorted({ ...Object.fromEntries([...Object.values(NAMES), "echo"].map((n) => [n, step])), ...others });
}

/** What refresh reports changed, per resource, after {@link changeEverything}: the properties the provider's diff names. */
const CHANGED = sorted({
  [NAMES.KeyVaultSecret]: ["secretId", "tags", "version"],
  [NAMES.DatabricksSecret]: ["stringValue"],
  [NAMES.DatabricksWorkspaceItem]: ["contentHash"],
  [NAMES.DatabricksDbfsFile]: ["contentHash"],
  [NAMES.DatabricksCluster]: ["spec"],
  [NAMES.DatabricksJob]: ["maxConcurrentRuns", "tags"],
  [NAMES.DatabricksBlobMount]: ["source"],
  [NAMES.DatabricksComputeAttachment]: ["description"],
  [NAMES.AmlEnvironment]: ["description", "tags"],
  [NAMES.AmlComponent]: ["changedInWorkspace"],
  [NAMES.DatabricksNotebookComponent]: ["changedInWorkspace"],
  [NAMES.AmlSchedule]: ["enabled"],
  [NAMES.AmlPipelineEndpoint]: ["description"],
  [NAMES.AmlPipelineRun]: ["displayName", "tags"],
});
/** Kinds with no out-of-band change that is drift, and why (README "Drift"). */
const NO_CHANGE: Partial<Record<Kind, string>> = {
  DatabricksSecretScope: "its only editable part is its ACLs, and initialManagePrincipal is only initial: an ACL changed by another user is left as they set it",
  DatabricksRun: "a terminal run's record cannot be edited through the service (its result flows back on refresh; not SUCCESS runs it again)",
};
/** Kinds whose out-of-band delete is reported and kept: a run is an event, not a living object. */
const KEPT_WHEN_DELETED: readonly Kind[] = ["DatabricksRun", "AmlPipelineRun"];

describe("drift suite: refresh finds out-of-band changes and deletes of every resource kind, up repairs them", function () {
  this.timeout(30 * 60 * 1000);
  const storageKey = randomBytes(24).toString("base64");
  const pat = `dapi-${randomBytes(12).toString("hex")}`;
  let dir: string;
  let call: Call;
  let aml: AzureMlApi;
  let dbx: DatabricksApi;
  const cliOutput: string[] = [];

  const program = async () => {
    const config = new pulumi.Config();
    const ws = { subscriptionId: config.require("subscriptionId"), resourceGroupName: config.require("resourceGroupName"), workspaceName: config.require("workspaceName"), armEndpoint: config.require("armEndpoint") };
    const kv = new KeyVaultSecret(NAMES.KeyVaultSecret, { vaultUrl: config.require("vaultUrl"), name: "drift-pat", value: config.requireSecret("pat"), tags: { owner: "drift" }, purgeOnDelete: true });
    const scope = new DatabricksSecretScope(NAMES.DatabricksSecretScope, { name: "drift" });
    const secret = new DatabricksSecret(NAMES.DatabricksSecret, { scope: scope.name, key: "storage-key", stringValue: config.requireSecret("storageKey") });
    const notebook = new DatabricksWorkspaceItem(NAMES.DatabricksWorkspaceItem, { path: "/Shared/drift/notebook", content: NOTEBOOK });
    new DatabricksDbfsFile(NAMES.DatabricksDbfsFile, { path: "dbfs:/FileStore/drift/file.txt", contentBase64: b64(FILE_TEXT) });
    new DatabricksCluster(NAMES.DatabricksCluster, { clusterName: "drift", spec: CLUSTER });
    new DatabricksJob(NAMES.DatabricksJob, {
      name: "drift-job",
      maxConcurrentRuns: 1,
      tags: { owner: "drift" },
      tasks: [{ taskKey: "main", notebookTask: { notebookPath: notebook.workspacePath }, newCluster: { sparkVersion: "15.4.x-scala2.12", nodeTypeId: "Standard_DS3_v2", numWorkers: 1 } }],
    });
    new DatabricksRun(NAMES.DatabricksRun, {
      notebookTask: { notebookPath: notebook.workspacePath },
      newCluster: { sparkVersion: "15.4.x-scala2.12", nodeTypeId: "Standard_DS3_v2", numWorkers: 1 },
    });
    new DatabricksBlobMount(NAMES.DatabricksBlobMount, { mountName: "drift", storageAccountName: "amlstore", containerName: "ours", accountKeyScope: secret.scope, accountKeyName: secret.key });
    new DatabricksComputeAttachment(NAMES.DatabricksComputeAttachment, { ...ws, computeName: "adb", databricksResourceId: DATABRICKS_ID, workspaceUrl: config.require("databricksHost"), accessToken: kv.value, description: "ours" });
    const env = new AmlEnvironment(NAMES.AmlEnvironment, { ...ws, file: path.join(dir, "databricks-environment.yml"), version: "1", tags: { owner: "drift" } });
    const component = new AmlComponent(NAMES.AmlComponent, { ...ws, file: path.join(dir, "databricks-component.yml"), version: "1", environment: env.reference });
    new DatabricksNotebookComponent(NAMES.DatabricksNotebookComponent, ws);
    new AmlSchedule(NAMES.AmlSchedule, { ...ws, file: path.join(dir, "cron-schedule.yml") }, { dependsOn: [component] });
    new AmlPipelineEndpoint(NAMES.AmlPipelineEndpoint, { ...ws, endpointName: "drift-endpoint", pipelineFile: path.join(dir, "pipeline.yml"), description: "ours", settings: { default_compute: "azureml:cpu-cluster" } }, { dependsOn: component });
    const echo = new AmlComponent("echo", { ...ws, file: path.join(dir, "echo.yml") });
    new AmlPipelineRun(NAMES.AmlPipelineRun, {
      ...ws,
      displayName: "ours",
      tags: { owner: "drift" },
      settings: { defaultCompute: "azureml:cpu-cluster" },
      jobs: { echo: { component: echo.reference } },
    });
    return {};
  };

  const e2e = useInlineStack("drift", program, { blobStorage: { accounts: { amlstore: storageKey } } });

  before(async () => {
    dir = path.join(e2e.workDir, "aml");
    fs.cpSync(path.join(FIXTURES, "seed001"), dir, { recursive: true });
    for (const f of ["cron-schedule.yml", "pipeline.yml"]) fs.copyFileSync(path.join(FIXTURES, "examples", f), path.join(dir, f));
    fs.mkdirSync(path.join(dir, "echo_src"));
    fs.writeFileSync(path.join(dir, "echo_src", "echo.py"), "print('ours')\n");
    fs.writeFileSync(
      path.join(dir, "echo.yml"),
      ["$schema: https://azuremlschemas.azureedge.net/latest/commandComponent.schema.json", "name: drift_echo", 'version: "1"', "type: command", "code: ./echo_src", `environment: ${ENVIRONMENT}`, 'command: "python echo.py"', ""].join("\n"),
    );
    const w = e2e.emulator.azureml;
    for (const [key, value] of Object.entries({ subscriptionId: w.subscriptionId, resourceGroupName: w.resourceGroup, workspaceName: w.workspace, armEndpoint: e2e.emulator.url, vaultUrl: e2e.emulator.keyVaultUrl, databricksHost: e2e.emulator.url })) {
      await e2e.stack.setConfig(key, { value });
    }
    await e2e.stack.setConfig("pat", { value: pat, secret: true });
    await e2e.stack.setConfig("storageKey", { value: storageKey, secret: true });
    call = httpCaller(e2e.emulator.url, e2e.token);
    aml = createAzureMlApi({ workspace: { subscriptionId: w.subscriptionId, resourceGroupName: w.resourceGroup, workspaceName: w.workspace }, endpoint: e2e.emulator.url, target: "local", env: { AMLDB_LOCAL_TOKEN: e2e.token } });
    dbx = createDatabricksApi({ host: e2e.emulator.url, token: e2e.token, env: { AMLDB_TARGET: "local", AMLDB_LOCAL_TOKEN: e2e.token } });
  });

  let expected: Record<Kind, unknown>;

  it("holds one resource of every kind the package exports; a refresh with no change reports none", async () => {
    // Every provider type, plus DatabricksNotebookComponent (an AmlComponent of its own class).
    assert.deepEqual([...RESOURCE_TYPES, "DatabricksNotebookComponent"].sort(), [...KINDS].sort());
    const up = await e2e.stack.up({ onOutput: (o) => cliOutput.push(o) });
    assert.deepEqual(up.summary.resourceChanges, { create: KINDS.length + 2 });
    expected = await live();
    assert.equal(Object.keys(expected).length, KINDS.length);
    for (const k of KINDS) assert.notEqual(expected[k], undefined, `${k} is read from its service`);
    const events: EngineEvent[] = [];
    const refresh = await e2e.stack.refresh({ onEvent: (e) => events.push(e), onOutput: (o) => cliOutput.push(o) });
    assert.deepEqual(refresh.summary.resourceChanges, { same: KINDS.length + 2 });
    assert.deepEqual(stepsOf(events), { ops: allBut("same", {}), changed: {} });
  });

  it("change phase: refresh reports exactly the changed resources and properties; up edits every object back; a second up changes nothing", async () => {
    await changeEverything();
    const events: EngineEvent[] = [];
    const refresh = await e2e.stack.refresh({ onEvent: (e) => events.push(e), onOutput: (o) => cliOutput.push(o) });
    const found = stepsOf(events);
    const changedNames = Object.keys(CHANGED);
    assert.deepEqual(found, { ops: allBut("same", Object.fromEntries(changedNames.map((n) => [n, "update"]))), changed: CHANGED });
    assert.deepEqual(refresh.summary.resourceChanges, { same: KINDS.length + 2 - changedNames.length, update: changedNames.length });

    const upEvents: EngineEvent[] = [];
    const up = await e2e.stack.up({ onEvent: (e) => upEvents.push(e), onOutput: (o) => cliOutput.push(o) });
    const repairs = Object.fromEntries(changedNames.map((n) => [n, n === NAMES.DatabricksBlobMount ? "create-replacement,delete-replaced,replace" : "update"]));
    assert.deepEqual(stepsOf(upEvents).ops, allBut("same", repairs));
    assert.deepEqual(up.summary.resourceChanges, { same: KINDS.length + 2 - changedNames.length, update: changedNames.length - 1, replace: 1 });
    const after = await live();
    assert.deepEqual(after, expected);
    // The scope's ACL stays as the other user left it.
    const acls = (await ok("GET", "/api/2.0/secrets/acls/list?scope=drift")).items as { principal: string }[] | undefined;
    assert.deepEqual((acls ?? []).map((a) => a.principal).filter((p) => p === "users"), []);
    const again = await e2e.stack.up({ onOutput: (o) => cliOutput.push(o) });
    assert.deepEqual(again.summary.resourceChanges, { same: KINDS.length + 2 });
    for (const kind of KINDS) {
      const name = NAMES[kind];
      if (NO_CHANGE[kind]) console.log(`  [proof] ${kind}: change not drift by design (${NO_CHANGE[kind]}); refresh reported it unchanged, up left it`);
      else console.log(`  [proof] ${kind}: change found (${CHANGED[name].join(", ")}), repaired (${repairs[name]}); second up unchanged`);
    }
  });

  it("delete phase: refresh reports exactly the deleted resources gone (runs keep their record); up re-creates them; a second up changes nothing", async () => {
    const runName = (await outputsOf(NAMES.DatabricksRun)).runName;
    const jobName = (await outputsOf(NAMES.AmlPipelineRun)).jobName;
    await deleteEverything();
    const events: EngineEvent[] = [];
    const lines: string[] = [];
    const refresh = await e2e.stack.refresh({ onEvent: (e) => events.push(e), onOutput: (o) => (lines.push(o), cliOutput.push(o)) });
    const deleted = KINDS.filter((k) => !KEPT_WHEN_DELETED.includes(k)).map((k) => NAMES[k]);
    assert.deepEqual(stepsOf(events), { ops: allBut("delete", { echo: "same", ...Object.fromEntries(KEPT_WHEN_DELETED.map((k) => [NAMES[k], "same"])) }), changed: {} });
    assert.deepEqual(refresh.summary.resourceChanges, { same: KEPT_WHEN_DELETED.length + 2, delete: deleted.length });
    const text = lines.join("");
    assert.match(text, new RegExp(`Databricks run "${runName}": run \\d+ is no longer kept by the workspace \\(deleted, or past its retention\\); state keeps its record, and pulumi up does not run it again`));
    assert.match(text, new RegExp(`Azure ML pipeline run "${NAMES.AmlPipelineRun}": job ${jobName} is no longer in .* \\(deleted\\); state keeps its record, and pulumi up does not run it again`));

    const upEvents: EngineEvent[] = [];
    const up = await e2e.stack.up({ onEvent: (e) => upEvents.push(e), onOutput: (o) => cliOutput.push(o) });
    assert.deepEqual(stepsOf(upEvents).ops, allBut("create", { echo: "same", ...Object.fromEntries(KEPT_WHEN_DELETED.map((k) => [NAMES[k], "same"])) }));
    assert.deepEqual(up.summary.resourceChanges, { same: KEPT_WHEN_DELETED.length + 2, create: deleted.length });
    // Every object as the program declares it again; the runs were not run again (their records stay deleted).
    assert.deepEqual(await live(), { ...expected, DatabricksRun: [], AmlPipelineRun: undefined });
    const again = await e2e.stack.up({ onOutput: (o) => cliOutput.push(o) });
    assert.deepEqual(again.summary.resourceChanges, { same: KINDS.length + 2 });
    for (const kind of KINDS) {
      if (KEPT_WHEN_DELETED.includes(kind)) console.log(`  [proof] ${kind}: delete found (reported; state keeps the record), not re-run by design; second up unchanged`);
      else console.log(`  [proof] ${kind}: delete found (gone from state), repaired (re-created); second up unchanged`);
    }
  });

  after(() => {
    if (process.env.DRIFT_DUMP) fs.writeFileSync(process.env.DRIFT_DUMP, cliOutput.join(""));
  });

  /** A service call that must succeed; resolves to its body. */
  async function ok(method: string, route: string, body?: unknown): Promise<any> {
    const r = await call(method, route, body);
    assert.ok(r.status >= 200 && r.status < 300, `${method} ${route}: ${r.status} ${r.text}`);
    return r.body;
  }

  /** The state's outputs of one of the program's resources. */
  async function outputsOf(name: string): Promise<Record<string, any>> {
    const state = (await e2e.stack.exportStack()).deployment as { resources: { urn: string; outputs?: Record<string, any> }[] };
    const found = state.resources.find((r) => r.urn.endsWith(`::${name}`));
    assert.ok(found, `no ${name} in state`);
    return found.outputs ?? {};
  }

  const MOUNT_KEY = { configKey: "fs.azure.account.key.amlstore.blob.core.windows.net", keyScope: "drift", keyName: "storage-key" };
  const mountCompute = { jobCluster: { spark_version: "15.4.x-scala2.12", node_type_id: "Standard_DS3_v2", num_workers: 0 } };

  /** What each object holds in its service now: the fields the program declares (ids left out: they change when re-created). */
  async function live(): Promise<Record<Kind, unknown>> {
    const text = (b64text: string | undefined) => Buffer.from(b64text ?? "", "base64").toString("utf8");
    const kv = await ok("GET", "/secrets/drift-pat?api-version=7.5");
    const scopes = (await ok("GET", "/api/2.0/secrets/scopes/list")).scopes as { name: string }[];
    const secret = await ok("GET", "/api/2.0/secrets/get?scope=drift&key=storage-key");
    const notebook = await ok("GET", "/api/2.0/workspace/export?path=/Shared/drift/notebook&format=SOURCE");
    const file = await ok("GET", "/api/2.0/dbfs/read?path=/FileStore/drift/file.txt");
    const clusters = ((await ok("GET", "/api/2.0/clusters/list")).clusters ?? []) as Record<string, any>[];
    const cluster = clusters.filter((c) => c.cluster_name === "drift" && c.state !== "TERMINATED").map((c) => ({ spark_version: c.spark_version, num_workers: c.num_workers, autotermination_minutes: c.autotermination_minutes }));
    const jobs = ((await ok("GET", "/api/2.1/jobs/list?expand_tasks=true")).jobs ?? []) as Record<string, any>[];
    const job = jobs.filter((j) => j.settings?.name === "drift-job").map((j) => ({ max_concurrent_runs: j.settings.max_concurrent_runs, tags: j.settings.tags, notebook: j.settings.tasks?.[0]?.notebook_task?.notebook_path }));
    const runName = (await outputsOf(NAMES.DatabricksRun)).runName;
    const runs = ((await ok("GET", "/api/2.1/jobs/runs/list?limit=25")).runs ?? []) as Record<string, any>[];
    const mount = (await runSnippet(dbx, mountCompute, lookupCode("/mnt/drift"), "drift suite")).value;
    const compute = await aml.computes.get("adb");
    const env = await aml.environments.getVersion("databricks", "1");
    const componentVersions = await aml.components.listVersions("execute_databricks_notebook");
    const schedule = await aml.schedules.get("nightly");
    const endpoint = await aml.batchEndpoints.get("drift-endpoint");
    const jobName = (await outputsOf(NAMES.AmlPipelineRun)).jobName;
    const pipelineJob = await aml.jobs.get(jobName).catch((err: { status?: number }) => (err.status === 404 ? undefined : Promise.reject(err)));
    return {
      KeyVaultSecret: { value: kv.value, tags: kv.tags },
      DatabricksSecretScope: scopes.map((s) => s.name).filter((n) => n === "drift"),
      DatabricksSecret: text(secret.value),
      DatabricksWorkspaceItem: text(notebook.content),
      DatabricksDbfsFile: text(file.data),
      DatabricksCluster: cluster,
      DatabricksJob: job,
      DatabricksRun: runs.filter((r) => r.run_name === runName).map((r) => `${r.state?.life_cycle_state} ${r.state?.result_state}`),
      DatabricksBlobMount: mount.source,
      DatabricksComputeAttachment: { description: compute.properties?.description },
      AmlEnvironment: { description: env.properties?.description, tags: env.properties?.tags },
      AmlComponent: componentVersions.filter((v) => v.name === "1").map((v) => ({ description: v.properties?.description, tags: v.properties?.tags })),
      DatabricksNotebookComponent: componentVersions.filter((v) => v.name !== "1").map((v) => ({ description: v.properties?.description, tags: v.properties?.tags })),
      AmlSchedule: { enabled: schedule.properties?.isEnabled, expression: (schedule.properties?.trigger as Record<string, unknown> | undefined)?.expression },
      AmlPipelineEndpoint: { description: endpoint.properties?.description },
      AmlPipelineRun: pipelineJob && { displayName: pipelineJob.properties?.displayName, tags: pipelineJob.properties?.tags, status: pipelineJob.properties?.status },
    };
  }

  /** Another user's edit of every object, through the services' APIs. */
  async function changeEverything(): Promise<void> {
    await ok("PUT", "/secrets/drift-pat?api-version=7.5", { value: "theirs", tags: { owner: "theirs" } });
    await ok("POST", "/api/2.0/secrets/acls/delete", { scope: "drift", principal: "users" });
    // Remounted (with the key the secret still holds) before the secret is overwritten.
    await runSnippet(dbx, mountCompute, `${unmountCode("/mnt/drift")}\n${mountCode({ mountPoint: "/mnt/drift", source: "wasbs://theirs@amlstore.blob.core.windows.net", ...MOUNT_KEY })}`, "another user");
    await ok("POST", "/api/2.0/secrets/put", { scope: "drift", key: "storage-key", string_value: "theirs" });
    await ok("POST", "/api/2.0/workspace/import", { path: "/Shared/drift/notebook", format: "SOURCE", language: "PYTHON", overwrite: true, content: b64("dbutils.notebook.exit('theirs')\n") });
    const sameSize = "them: 9876543210\n";
    assert.equal(sameSize.length, FILE_TEXT.length);
    await ok("POST", "/api/2.0/dbfs/put", { path: "/FileStore/drift/file.txt", contents: b64(sameSize), overwrite: true });
    const clusterId = (await outputsOf(NAMES.DatabricksCluster)).clusterId;
    const cluster = await ok("GET", `/api/2.0/clusters/get?cluster_id=${clusterId}`);
    await ok("POST", "/api/2.0/clusters/edit", { cluster_id: clusterId, cluster_name: cluster.cluster_name, spark_version: cluster.spark_version, node_type_id: cluster.node_type_id, num_workers: 2, autotermination_minutes: 60 });
    const jobId = Number((await outputsOf(NAMES.DatabricksJob)).jobId);
    await ok("POST", "/api/2.1/jobs/update", { job_id: jobId, new_settings: { max_concurrent_runs: 3, tags: { owner: "theirs" } } });
    const compute = await aml.computes.get("adb");
    await aml.computes.createOrUpdate("adb", { properties: { ...(compute.properties as object), description: "theirs", properties: { workspaceUrl: e2e.emulator.url, databricksAccessToken: pat } } as never });
    const env = await aml.environments.getVersion("databricks", "1");
    await aml.environments.createOrUpdateVersion("databricks", "1", { properties: { ...env.properties, description: "theirs", tags: { owner: "theirs" } } });
    for (const v of await aml.components.listVersions("execute_databricks_notebook")) {
      await aml.components.createOrUpdateVersion("execute_databricks_notebook", v.name as string, { properties: { ...v.properties, description: "theirs", tags: { owner: "theirs" } } });
    }
    const schedule = await aml.schedules.get("nightly");
    await aml.schedules.createOrUpdate("nightly", { properties: { ...schedule.properties, isEnabled: false } as never });
    const endpoint = await aml.batchEndpoints.get("drift-endpoint");
    await aml.batchEndpoints.createOrUpdate("drift-endpoint", { location: endpoint.location, properties: { ...endpoint.properties, description: "theirs" } as never });
    const jobName = (await outputsOf(NAMES.AmlPipelineRun)).jobName;
    const job = await aml.jobs.get(jobName);
    await aml.jobs.submit(jobName, { properties: { ...job.properties, displayName: "theirs", tags: { owner: "theirs" } } as never });
  }

  /** Another user's delete of every object, through the services' APIs. */
  async function deleteEverything(): Promise<void> {
    await ok("DELETE", "/secrets/drift-pat?api-version=7.5");
    await ok("DELETE", "/deletedsecrets/drift-pat?api-version=7.5");
    await ok("POST", "/api/2.0/secrets/delete", { scope: "drift", key: "storage-key" });
    await ok("POST", "/api/2.0/secrets/scopes/delete", { scope: "drift" });
    await ok("POST", "/api/2.0/workspace/delete", { path: "/Shared/drift/notebook" });
    await ok("POST", "/api/2.0/dbfs/delete", { path: "/FileStore/drift/file.txt" });
    await ok("POST", "/api/2.0/clusters/permanent-delete", { cluster_id: (await outputsOf(NAMES.DatabricksCluster)).clusterId });
    await ok("POST", "/api/2.1/jobs/delete", { job_id: Number((await outputsOf(NAMES.DatabricksJob)).jobId) });
    await ok("POST", "/api/2.1/jobs/runs/delete", { run_id: (await outputsOf(NAMES.DatabricksRun)).runId });
    await runSnippet(dbx, mountCompute, unmountCode("/mnt/drift"), "another user");
    await aml.computes.delete("adb", "Detach");
    for (const v of await aml.components.listVersions("execute_databricks_notebook")) await aml.components.deleteVersion("execute_databricks_notebook", v.name as string);
    await aml.environments.deleteVersion("databricks", "1");
    await aml.schedules.delete("nightly");
    const endpoint = await outputsOf(NAMES.AmlPipelineEndpoint);
    await aml.batchEndpoints.deleteDeployment("drift-endpoint", endpoint.deploymentName);
    await aml.batchEndpoints.delete("drift-endpoint");
    await aml.jobs.delete((await outputsOf(NAMES.AmlPipelineRun)).jobName);
  }
});
