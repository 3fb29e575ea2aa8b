import * as assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import type { EngineEvent } from "@pulumi/pulumi/automation";
import { AmlComponent, AmlEnvironment, AmlPipelineEndpoint, AmlSchedule, DatabricksComputeAttachment, KeyVaultSecret } from "../../src";
import { AzureMlApi, createAzureMlApi } from "../../src/azureml/client";
import { filesUnder, useInlineStack } from "./support/inlineFixture";

/** The engine's step for each of the program's resources, by resource name. */
function resourceOps(events: EngineEvent[]): Record<string, string> {
  const ops: Record<string, string> = {};
  for (const e of events) {
    const m = e.resourcePreEvent?.metadata;
    if (m && m.type.startsWith("pulumi-nodejs:dynamic/")) ops[m.urn.split("::").pop() as string] = m.op;
  }
  return ops;
}

const FIXTURES = path.join(__dirname, "../fixtures/azureml");
const DATABRICKS_ID = "/subscriptions/00000000-0000-0000-0000-0000000000a1/resourceGroups/rg-local/providers/Microsoft.Databricks/workspaces/adb-local";

/**
 * The Azure ML flow through the real engine against the emulator: a Key Vault secret holding the
 * Databricks token → the compute attachment reading it → the seed's environment and component
 * (its YAML unchanged) → a schedule → a pipeline endpoint; an edited component file caught at
 * preview; a token rotation updating the attachment in place; destroy removing everything; no
 * secret in the state, the CLI output or the emulator's request log.
 */
describe("Azure ML resources through the Pulumi engine", function () {
  this.timeout(10 * 60 * 1000);
  const token1 = `dapi-first-${randomBytes(12).toString("hex")}`;
  const token2 = `dapi-rotated-${randomBytes(12).toString("hex")}`;
  const cliOutput: string[] = [];
  const onOutput = (out: string) => cliOutput.push(out);
  let dir: string;
  let api: AzureMlApi;

  const program = async () => {
    const config = new pulumi.Config();
    const ws = { subscriptionId: config.require("subscriptionId"), resourceGroupName: config.require("resourceGroupName"), workspaceName: config.require("workspaceName"), armEndpoint: config.require("armEndpoint") };
    const pat = new KeyVaultSecret("adbpat", { vaultUrl: config.require("vaultUrl"), name: "ADBPAT", value: config.requireSecret("databricksToken"), purgeOnDelete: true });
    const attachment = new DatabricksComputeAttachment("adb", { ...ws, computeName: "adb", databricksResourceId: DATABRICKS_ID, workspaceUrl: config.require("databricksHost"), accessToken: pat.value });
    const env = new AmlEnvironment("env", { ...ws, file: path.join(dir, "databricks-environment.yml"), version: "1" });
    const component = new AmlComponent("component", { ...ws, file: path.join(dir, "databricks-component.yml"), version: "1", environment: env.reference });
    const schedule = new AmlSchedule("nightly", { ...ws, file: path.join(dir, "cron-schedule.yml") }, { dependsOn: [component, attachment] });
    const endpoint = new AmlPipelineEndpoint("endpoint", { ...ws, endpointName: "databricks-pipeline", pipelineFile: path.join(dir, "pipeline.yml"), settings: { default_compute: "azureml:cpu-cluster" } }, { dependsOn: component });
    return { computeId: attachment.computeId, componentRef: component.reference, scheduleId: schedule.scheduleId, invocationUri: endpoint.invocationUri };
  };

  const e2e = useInlineStack("e2e-azureml", program);

  before(async () => {
    dir = path.join(e2e.workDir, "aml");
    fs.cpSync(path.join(FIXTURES, "seed001"), dir, { recursive: true });
    for (const f of ["cron-schedule.yml", "pipeline.yml"]) fs.copyFileSync(path.join(FIXTURES, "examples", f), path.join(dir, f));
    const aml = e2e.emulator.azureml;
    for (const [key, value] of Object.entries({ subscriptionId: aml.subscriptionId, resourceGroupName: aml.resourceGroup, workspaceName: aml.workspace, armEndpoint: e2e.emulator.url, vaultUrl: e2e.emulator.keyVaultUrl, databricksHost: e2e.emulator.url })) {
      await e2e.stack.setConfig(key, { value });
    }
    await e2e.stack.setConfig("databricksToken", { value: token1, secret: true });
    api = createAzureMlApi({ workspace: { subscriptionId: aml.subscriptionId, resourceGroupName: aml.resourceGroup, workspaceName: aml.workspace }, endpoint: e2e.emulator.url, target: "local", env: { AMLDB_LOCAL_TOKEN: e2e.token } });
  });

  it("creates the secret, the attachment reading it, the seed's environment and component, a schedule and a pipeline endpoint", async () => {
    const up = await e2e.stack.up({ onOutput });
    assert.deepEqual(up.summary.resourceChanges, { create: 7 });
    const wsId = api.workspaceId;
    assert.equal(up.outputs.computeId.value, `${wsId}/computes/adb`);
    assert.equal(up.outputs.componentRef.value, "azureml:execute_databricks_notebook:1");
    assert.equal(up.outputs.scheduleId.value, `${wsId}/schedules/nightly`);
    assert.equal(up.outputs.invocationUri.value, (await api.batchEndpoints.get("databricks-pipeline")).properties?.scoringUri);
    assert.deepEqual(await api.computes.listKeys("adb"), { computeType: "Databricks", databricksAccessToken: token1 });
    const spec = (await api.components.getVersion("execute_databricks_notebook", "1")).properties?.componentSpec as Record<string, unknown>;
    assert.equal(spec.environment, `azureml:${wsId}/environments/databricks/versions/1`);
    assert.equal(spec.command, "python databricks_control.py --databricks-host ${{inputs.databricks_host}} --notebook_path ${{inputs.notebook_path}} --keyvault-url ${{inputs.kv_url}} --keyvault-secret-name ${{inputs.kv_secret_name}} --num-workers ${{inputs.num_workers}} --node-type-id ${{inputs.node_type_id}} --spark-version ${{inputs.spark_version}}");
    const trigger = (await api.schedules.get("nightly")).properties?.trigger;
    assert.equal(trigger?.expression, "0 2 * * *");
  });

  it("fails the preview of an edited component file under the same version, naming the component", async () => {
    const file = path.join(dir, "databricks-component.yml");
    const original = fs.readFileSync(file, "utf8");
    fs.writeFileSync(file, original.replace("display_name: Execute Databricks Notebook", "display_name: Run a Databricks notebook"));
    const logged = e2e.requestLog().split("\n").filter(Boolean).length;
    assert.ok(logged > 0, "the request log holds the up's requests");
    try {
      await assert.rejects(e2e.stack.preview({ onOutput }), (err: Error) => {
        assert.match(err.message, /error: pulumi-nodejs:dynamic\/azureml-databricks:AmlComponent resource 'component': property version value \{1\} has a problem: Component execute_databricks_notebook with version 1 is already registered and cannot be changed \(the YAML file changed\): Azure ML versions are immutable;/);
        return true;
      });
    } finally {
      fs.writeFileSync(file, original);
    }
    // The failed preview changed nothing in any service.
    const during = e2e.requestLog().split("\n").filter(Boolean).slice(logged).map((l) => JSON.parse(l) as { method: string; path: string });
    assert.deepEqual(during.filter((r) => r.method !== "GET").map((r) => `${r.method} ${r.path}`), []);
    const preview = await e2e.stack.preview({ onOutput });
    assert.deepEqual(preview.changeSummary, { same: 7 });
  });

  it("rotates the token: preview and up show an update of the secret and the attachment only, in place; nothing else changes", async () => {
    await e2e.stack.setConfig("databricksToken", { value: token2, secret: true });
    const rotation = { adbpat: "update", adb: "update", env: "same", component: "same", nightly: "same", endpoint: "same" };
    const previewEvents: EngineEvent[] = [];
    const previewLines: string[] = [];
    const preview = await e2e.stack.preview({ onOutput: (out) => (previewLines.push(out), onOutput(out)), onEvent: (e) => previewEvents.push(e) });
    assert.deepEqual(preview.changeSummary, { same: 5, update: 2 });
    assert.deepEqual(resourceOps(previewEvents), rotation);
    assert.match(previewLines.join(""), /Azure ML compute "adb": accessToken changed; will attach it again with the new settings\./);
    assert.deepEqual(await api.computes.listKeys("adb"), { computeType: "Databricks", databricksAccessToken: token1 });
    const lines: string[] = [];
    const events: EngineEvent[] = [];
    const up = await e2e.stack.up({ onOutput: (out) => (lines.push(out), onOutput(out)), onEvent: (e) => events.push(e) });
    assert.match(lines.join(""), /Azure ML compute "adb": accessToken changed; will attach it again with the new settings\./);
    assert.deepEqual(up.summary.resourceChanges, { same: 5, update: 2 });
    assert.deepEqual(resourceOps(events), rotation);
    assert.deepEqual(await api.computes.listKeys("adb"), { computeType: "Databricks", databricksAccessToken: token2 });
  });

  it("keeps the tokens out of the state, the CLI output and the emulator's request log", () => {
    const state = filesUnder(e2e.backendDir).map((f) => fs.readFileSync(f, "utf8")).join("\n");
    const output = cliOutput.join("");
    const requestLog = e2e.requestLog();
    assert.ok(state.includes("execute_databricks_notebook") && requestLog.includes("/computes/adb") && output.length > 0);
    // The attachment's state holds the token, as a secret (ciphertext), in its inputs and outputs.
    const stackFile = filesUnder(e2e.backendDir).find((f) => f.endsWith(".json") && fs.readFileSync(f, "utf8").includes("DatabricksComputeAttachment"));
    const resources = (JSON.parse(fs.readFileSync(stackFile as string, "utf8")) as { checkpoint: { latest: { resources: { urn: string; inputs: Record<string, unknown>; outputs: Record<string, unknown> }[] } } }).checkpoint.latest.resources;
    const adb = resources.find((r) => r.urn.endsWith("DatabricksComputeAttachment::adb"));
    for (const where of ["inputs", "outputs"] as const) {
      const stored = adb?.[where].accessToken as Record<string, unknown> | undefined;
      assert.equal(stored?.["4dabf18193072939515e22adb298388d"], "1b47061264138c4ac30d75fd1eb44270", `${where}.accessToken is a secret`);
      assert.equal(typeof stored?.ciphertext, "string", `${where}.accessToken is encrypted`);
    }
    for (const [label, value] of Object.entries({ token1, token2, emulatorToken: e2e.token })) {
      assert.ok(!state.includes(value), `state leaks ${label}`);
      assert.ok(!output.includes(value), `CLI output leaks ${label}`);
      assert.ok(!requestLog.includes(value), `request log leaks ${label}`);
    }
  });

  it("destroy detaches the compute and removes everything it created", async () => {
    const code = String((await api.components.getVersion("execute_databricks_notebook", "1")).properties?.componentSpec?.code);
    const [, codeName, codeVersion] = /\/codes\/([^/]+)\/versions\/([^/]+)$/.exec(code) ?? [];
    assert.equal((await api.codes.getVersion(codeName, codeVersion)).id, code.replace(/^azureml:/, ""));
    const destroy = await e2e.stack.destroy({ onOutput });
    assert.deepEqual(destroy.summary.resourceChanges, { delete: 7 });
    const gone = async (what: string, read: () => Promise<unknown>) => assert.rejects(read(), { status: 404 }, what);
    await gone("compute", () => api.computes.get("adb"));
    await gone("environment", () => api.environments.getVersion("databricks", "1"));
    await gone("component", () => api.components.getVersion("execute_databricks_notebook", "1"));
    await gone("code the component uploaded", () => api.codes.getVersion(codeName, codeVersion));
    assert.deepEqual((await api.codes.listContainers()).map((c) => c.name), []);
    await gone("schedule", () => api.schedules.get("nightly"));
    await gone("endpoint", () => api.batchEndpoints.get("databricks-pipeline"));
    assert.deepEqual((await api.computes.list()).map((c) => c.name), ["cpu-cluster"]);
  });
});
