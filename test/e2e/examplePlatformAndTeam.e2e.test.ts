import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import { BlockBlobClient, StorageSharedKeyCredential } from "@azure/storage-blob";
import type { AzureMlApi } from "../../src/azureml/client";
import { stateFilePath } from "../../scripts/cliStack";
import { resourceList, StateResource } from "./support/projectFixture";
import { configure, configureAmlWorkspace, emulatorGet, ExampleFixture, ExampleProjectsFixture, startExampleProjects, timedUp, typeCheck } from "./support/exampleFixture";

const DYNAMIC = "pulumi-nodejs:dynamic/azureml-databricks";
const STACK = "e2e";
const PLATFORM_STACK = `organization/ml-platform/${STACK}`;
/** The platform outputs the team program requires. */
const TEAM_READS = ["workspace", "databricksHost", "keyVaultUrl", "tokenSecretName", "mountPoint", "dataEnvironment", "computeName"];
/** How Pulumi marks a secret value in a state file (`sig.Secret`). */
const SECRET_SIG = { key: "4dabf18193072939515e22adb298388d", value: "1b47061264138c4ac30d75fd1eb44270" };

/** A resource's state in a step of `pulumi preview --json` (the parts read here). */
interface PreviewState {
  inputs: Record<string, any>;
}

/** One step of `pulumi preview --json`. */
interface PreviewStep {
  op: string;
  urn: string;
  replaceReasons?: string[];
  oldState?: PreviewState;
  newState?: PreviewState;
}

/**
 * examples/platform-and-team as its README runs it: two projects on one emulator and one file
 * backend, `pulumi up` in platform/ then in team/, the team stack reading the platform's outputs
 * through a StackReference (`organization/ml-platform/e2e`).
 */
describe("example platform-and-team: a team stack on the platform stack's outputs (StackReference) through the pulumi CLI", function () {
  this.timeout(10 * 60 * 1000);
  let example: ExampleProjectsFixture;
  let platform: ExampleFixture;
  let team: ExampleFixture;
  let api: AzureMlApi;
  let storage: { account: string; key: string };
  let databricksResourceId: string;
  /** The team's `pulumi preview --json` after the platform changed. */
  let previewText = "";

  before(async function () {
    this.timeout(30 * 60 * 1000); // packing builds the package; the first run may build the engine
    example = await startExampleProjects("platform-and-team", ["platform", "team"], STACK);
    ({ platform, team } = example.projects);
    ({ api, storage } = await configureAmlWorkspace(platform));
    const aml = platform.emulator.azureml;
    databricksResourceId = `/subscriptions/${aml.subscriptionId}/resourceGroups/${aml.resourceGroup}/providers/Microsoft.Databricks/workspaces/adb-e2e`;
    await configure(platform, { databricksResourceId });
    await configure(team, { platformStack: PLATFORM_STACK, rows: "4" });
  });

  after(async () => example?.close());

  it("both projects type-check against the installed package's declarations and the shared output contract", () => {
    typeCheck(platform);
    typeCheck(team);
  });

  it("team's preview before the platform is up fails naming the missing platform output, and creates nothing", async () => {
    await assert.rejects(team.stack.run(["preview"]), (err: Error) => {
      // One error, before any resource is declared, naming every output the team reads.
      assert.ok(
        err.message.includes(`platform stack "organization/ml-platform/e2e" has no output ${TEAM_READS.join(", ")}: run \`pulumi up\` in platform/ first, or set config platformStack to the stack that exports them.`),
        err.message,
      );
      return true;
    });
    assert.deepEqual(team.resources(), []);
  });

  it("up of platform provisions the shared pieces and exports them, the storage key as a secret", async () => {
    assert.deepEqual(await timedUp(platform, "platform up"), { create: 7 });
    assert.deepEqual(resourceList(platform.resources()), [
      `${DYNAMIC}:AmlEnvironment::python-data`,
      `${DYNAMIC}:DatabricksBlobMount::blobstore`,
      `${DYNAMIC}:DatabricksComputeAttachment::databricks`,
      `${DYNAMIC}:DatabricksSecret::storage-key`,
      `${DYNAMIC}:DatabricksSecretScope::storage`,
      `${DYNAMIC}:KeyVaultSecret::databricks-token`,
      "pulumi:providers:pulumi-nodejs::default",
      "pulumi:pulumi:Stack::ml-platform-e2e",
    ]);
    const aml = platform.emulator.azureml;
    const vaultUrl = platform.emulator.keyVaultUrl.toLowerCase();
    const workspaceId = `/subscriptions/${aml.subscriptionId}/resourceGroups/${aml.resourceGroup}/providers/Microsoft.MachineLearningServices/workspaces/${aml.workspace}`;
    const outputs = await platform.stack.outputs();
    const container = String(outputs.container);
    assert.deepEqual(outputs, {
      workspace: { subscriptionId: aml.subscriptionId, resourceGroupName: aml.resourceGroup, workspaceName: aml.workspace, armEndpoint: platform.emulator.url },
      databricksHost: platform.emulator.url,
      keyVaultUrl: vaultUrl,
      tokenSecretName: "databricks-token",
      tokenSecretId: `${vaultUrl}/secrets/databricks-token`,
      computeName: "databricks",
      computeId: `${workspaceId}/computes/databricks`,
      secretScope: "azureml-storage",
      mountPoint: "/mnt/azuremlblobstore",
      storageAccount: storage.account,
      container,
      storageAccountKey: storage.key,
      dataEnvironment: "azureml:python-data:1",
    });
    // Without --show-secrets the CLI masks the key: it was exported as a secret.
    const masked = JSON.parse(await platform.stack.run(["stack", "output", "--json"]));
    assert.equal(masked.storageAccountKey, "[secret]");
    assert.equal(masked.mountPoint, "/mnt/azuremlblobstore");
    assert.equal((await api.computes.get("databricks")).properties?.resourceId, databricksResourceId);
  });

  it("up of team reads the platform's outputs and runs its pipeline on the platform's mount, vault secret and environment", async () => {
    assert.deepEqual(await timedUp(team, "team up"), { create: 5 });
    assert.deepEqual(resourceList(team.resources()), [
      `${DYNAMIC}:AmlComponent::databricks-notebook`,
      `${DYNAMIC}:AmlComponent::summarize`,
      `${DYNAMIC}:AmlPipelineRun::pipeline`,
      `${DYNAMIC}:DatabricksWorkspaceItem::notebook`,
      "pulumi:providers:pulumi-nodejs::default",
      "pulumi:providers:pulumi::default",
      "pulumi:pulumi:Stack::ml-team-e2e",
      "pulumi:pulumi:StackReference::platform",
    ]);
    const outputs = await team.stack.outputs();
    assert.equal(outputs.status, "Completed");
    const steps = outputs.steps as Record<string, { status: string; outputs: Record<string, { uri: string; url: string }> }>;
    assert.deepEqual([steps.databricks.status, steps.summarize.status], ["Completed", "Completed"]);
    assert.equal(outputs.notebookPath, "/Shared/team/to_parquet");

    // The job as submitted: the platform's compute, vault secret, mount point and environment.
    const job = (await api.jobs.get(String(outputs.jobName))).properties as Record<string, any>;
    assert.deepEqual(job.tags, { databricksCompute: "databricks" });
    const inputs = job.jobs.databricks.inputs as Record<string, { value: string }>;
    assert.deepEqual(
      { kv_url: inputs.kv_url.value, kv_secret_name: inputs.kv_secret_name.value, mount_point: inputs.mount_point.value, databricks_host: inputs.databricks_host.value },
      { kv_url: platform.emulator.keyVaultUrl.toLowerCase(), kv_secret_name: "databricks-token", mount_point: "/mnt/azuremlblobstore", databricks_host: platform.emulator.url },
    );
    const summarizeComponent = await api.components.getVersion("team_summarize_parquet", "1");
    assert.match(String(summarizeComponent.properties?.componentSpec?.environment), /\/environments\/python-data\/versions\/1$/);

    // The notebook wrote under the platform's mount, into the step's output folder ...
    assert.deepEqual(await notebookResult(), { rows: 4, written: `/mnt/azuremlblobstore/${datastorePath(steps.databricks.outputs.output_path.uri)}` });
    // ... and the summarize step read it there.
    const summary = new BlockBlobClient(`${steps.summarize.outputs.result.url}summary.json`, new StorageSharedKeyCredential(storage.account, storage.key));
    assert.deepEqual(JSON.parse((await summary.downloadToBuffer()).toString()), { rows: 4, sum_of_squares: 0 + 1 + 4 + 9, ids: [0, 1, 2, 3] });
    assert.equal(outputs.resultUrl, steps.summarize.outputs.result.url);
  });

  it("an unchanged up of team re-runs nothing", async () => {
    const { jobName } = await team.stack.outputs();
    const runsBefore = (await notebookRuns()).length;
    assert.deepEqual(await timedUp(team, "team unchanged up"), { same: 5 });
    assert.equal((await team.stack.outputs()).jobName, jobName);
    assert.equal((await notebookRuns()).length, runsBefore);
  });

  it("a platform output the team uses changes: the team's preview names its pipeline run and why, then its up runs it on the new mount", async () => {
    await configure(platform, { mountName: "teamdata" });
    assert.deepEqual(await timedUp(platform, "platform up (mount renamed)"), { same: 6, replace: 1 });
    assert.equal((await platform.stack.outputs()).mountPoint, "/mnt/teamdata");

    previewText = await team.stack.run(["preview", "--json"]);
    const preview = JSON.parse(previewText) as { steps: PreviewStep[]; changeSummary: Record<string, number>; diagnostics: { message: string }[] };
    assert.deepEqual(preview.changeSummary, { read: 1, same: 4, replace: 1 });
    const changed = preview.steps.filter((s) => !["same", "read"].includes(s.op));
    assert.deepEqual(
      changed.map((s) => ({ op: s.op, name: s.urn.slice(s.urn.lastIndexOf("::") + 2), replaceReasons: s.replaceReasons })),
      [{ op: "replace", name: "pipeline", replaceReasons: ["jobs"] }],
    );
    const mountPoint = (state?: PreviewStep["newState"]) => state?.inputs.jobs.databricks.inputs.mount_point;
    assert.deepEqual([mountPoint(changed[0].oldState), mountPoint(changed[0].newState)], ["/mnt/azuremlblobstore", "/mnt/teamdata"]);
    // The provider says which step changed, in the preview's diagnostics.
    assert.deepEqual(
      preview.diagnostics.map((d) => d.message.trim()).filter((m) => m.startsWith("Azure ML pipeline run")),
      ['Azure ML pipeline run "pipeline": will run again (replace): step "databricks" changed.'],
    );

    // The StackReference's state changed with the platform's outputs: a read.
    assert.deepEqual(await timedUp(team, "team up (platform changed)"), { read: 1, same: 4, replace: 1 });
    const steps = (await team.stack.outputs()).steps as Record<string, { status: string; outputs: Record<string, { uri: string; url: string }> }>;
    assert.deepEqual([steps.databricks.status, steps.summarize.status], ["Completed", "Completed"]);
    assert.deepEqual(await notebookResult(), { rows: 4, written: `/mnt/teamdata/${datastorePath(steps.databricks.outputs.output_path.uri)}` });
  });

  it("the platform's secret output stays encrypted in the team's state", () => {
    const stateText = fs.readFileSync(stateFilePath(team.backendDir, team.projectDir, STACK), "utf8");
    const reference = team.resources().find((r: StateResource) => r.type === "pulumi:pulumi:StackReference");
    const read = reference?.outputs?.outputs as Record<string, unknown> | undefined;
    // What is scanned holds the platform's outputs: a plain one as is, the secret one encrypted.
    assert.equal(read?.mountPoint, "/mnt/teamdata");
    const key = read?.storageAccountKey as Record<string, unknown> | undefined;
    assert.equal(key?.[SECRET_SIG.key], SECRET_SIG.value);
    assert.equal(typeof key?.ciphertext, "string");
    assert.deepEqual(reference?.outputs?.secretOutputNames, ["storageAccountKey"]);
    assert.ok(stateText.includes(storage.account), "the state names the platform's storage account");
    assert.ok(!stateText.includes(storage.key), "the team's state leaks the platform's storage key");
    // The team's preview shows what it had read from the platform, the key masked.
    const previewed = (JSON.parse(previewText) as { steps: { op: string; oldState?: { outputs?: Record<string, any> } }[] }).steps.find((s) => s.op === "read");
    assert.equal(previewed?.oldState?.outputs?.outputs?.mountPoint, "/mnt/azuremlblobstore");
    assert.equal(previewed?.oldState?.outputs?.outputs?.storageAccountKey, "[secret]");
    assert.ok(!previewText.includes(storage.key), "the team's preview leaks the platform's storage key");
  });

  it("destroy of team, then of platform, leaves nothing in the stacks or the workspaces", async () => {
    const { jobName } = await team.stack.outputs();
    // The StackReference is a read, not a resource of the team's: it is discarded.
    assert.deepEqual(await team.update("destroy"), { delete: 5, discard: 1 });
    assert.deepEqual(team.resources(), []);
    await assert.rejects(api.jobs.get(String(jobName)), { status: 404 });
    await assert.rejects(api.components.getVersion("team_summarize_parquet", "1"), { status: 404 });
    assert.equal((await fetch(`${team.emulator.url}/api/2.0/workspace/get-status?path=/Shared/team/to_parquet`, { headers: { Authorization: `Bearer ${team.token}` } })).status, 404);

    assert.deepEqual(await platform.update("destroy"), { delete: 7 });
    assert.deepEqual(platform.resources(), []);
    assert.deepEqual((await api.computes.list()).map((c) => c.name), ["cpu-cluster"]);
    await assert.rejects(api.environments.getVersion("python-data", "1"), { status: 404 });
    assert.deepEqual(await emulatorGet(platform, "/api/2.0/secrets/scopes/list"), {});
    const vault = await fetch(`${platform.emulator.keyVaultUrl}/secrets?api-version=7.5`, { headers: { Authorization: `Bearer ${platform.token}` } });
    assert.deepEqual(((await vault.json()) as { value: unknown[] }).value, []);
  });

  /** The Databricks runs of the team's notebook (the platform's mount runs excluded). */
  async function notebookRuns(): Promise<{ tasks: { run_id: number; notebook_task?: { notebook_path: string } }[] }[]> {
    const list = await emulatorGet(team, "/api/2.1/jobs/runs/list?expand_tasks=true");
    return (list.runs ?? []).filter((r: { tasks?: { notebook_task?: { notebook_path: string } }[] }) => r.tasks?.[0]?.notebook_task?.notebook_path === "/Shared/team/to_parquet");
  }

  /** The exit value of the team notebook's latest run (runs/list lists the newest first). */
  async function notebookResult(): Promise<unknown> {
    const [latest] = await notebookRuns();
    const output = await emulatorGet(team, `/api/2.1/jobs/runs/get-output?run_id=${latest.tasks[0].run_id}`);
    return JSON.parse(String(output.notebook_output?.result));
  }
});

/** The path inside the datastore of an `azureml://datastores/<ds>/paths/<path>` URI, without a trailing slash. */
function datastorePath(uri: string): string {
  const match = /^azureml:\/\/datastores\/[^/]+\/paths\/(.+?)\/?$/.exec(uri);
  assert.ok(match, `not a datastore URI: ${uri}`);
  return match[1];
}
