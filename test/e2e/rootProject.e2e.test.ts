import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { randomBytes } from "node:crypto";
import { BlobServiceClient, StorageSharedKeyCredential } from "@azure/storage-blob";
import { REPO_ROOT } from "../../scripts/localEngine";
import { WELL_KNOWN_ACCOUNT, WELL_KNOWN_ACCOUNT_KEY } from "../../src/emulator";
import { FROZEN_PROVIDER_ENTRY, ProjectFixture, providerRequires, resourceList, startProjectFixture } from "./support/projectFixture";

const STACK = "e2e-root-project";
const DYNAMIC = "pulumi-nodejs:dynamic/azureml-databricks";

/**
 * The repository's own project as a user runs it: `pulumi preview|up|destroy` in the repository
 * root, the CLI starting the Node.js language host on Pulumi.yaml's `main` (no inline program),
 * against the emulator.
 */
describe("the root project through the pulumi CLI and the language host", function () {
  this.timeout(10 * 60 * 1000);
  const apiToken = randomBytes(12).toString("hex");
  let workDir: string;
  let fixture: ProjectFixture;

  before(async function () {
    this.timeout(60 * 60 * 1000); // the first run may build the engine
    workDir = fs.mkdtempSync(path.join(os.tmpdir(), "amldb-root-"));
    fixture = await startProjectFixture({ projectDir: REPO_ROOT, stackName: STACK, workDir });
    const { stack, emulator } = fixture;
    await stack.setConfig("keyVaultUrl", emulator.keyVaultUrl);
    await stack.setConfig("databricksToken", `dapi${randomBytes(16).toString("hex")}`, { secret: true });
    await stack.setConfig("apiToken", apiToken, { secret: true });
    // The program mounts Azurite's well-known account by default: its key is the public one.
    await stack.setConfig("storageAccountKey", WELL_KNOWN_ACCOUNT_KEY, { secret: true });
  });

  after(async () => {
    await fixture?.close();
    if (workDir) fs.rmSync(workDir, { recursive: true, force: true });
  });

  /**
   * Every run ever submitted, deleted ones included (the emulator's control plane): the Jobs
   * API's runs/list hides deleted runs, so a replaced run would leave its count unchanged.
   */
  async function runCount(): Promise<number> {
    const res = await fetch(`${fixture.emulator.url}/_emulator/databricks/runs`, { headers: { Authorization: `Bearer ${fixture.token}` } });
    assert.equal(res.status, 200);
    return ((await res.json()) as { runs: unknown[] }).runs.length;
  }

  it("keeps the stack's configuration out of the repository", () => {
    assert.ok(fs.existsSync(path.join(workDir, `Pulumi.${STACK}.yaml`)));
    assert.ok(!fs.existsSync(path.join(REPO_ROOT, `Pulumi.${STACK}.yaml`)));
  });

  it("previews the demo's eight creates", async () => {
    const preview = JSON.parse(await fixture.stack.run(["preview", "--json"])) as { changeSummary: Record<string, number> };
    assert.deepEqual(preview.changeSummary, { create: 8 });
    assert.equal(await runCount(), 0);
  });

  it("creates the demo's resources and runs the notebook on up", async () => {
    assert.deepEqual(await fixture.update("up"), { create: 8 });
    const resources = fixture.resources();
    assert.deepEqual(resourceList(resources), [
      `${DYNAMIC}:DatabricksBlobMount::aml-data`,
      `${DYNAMIC}:DatabricksRun::prepare-data`,
      `${DYNAMIC}:DatabricksSecret::api-token`,
      `${DYNAMIC}:DatabricksSecret::storage-key`,
      `${DYNAMIC}:DatabricksSecretScope::pipeline`,
      `${DYNAMIC}:DatabricksWorkspaceItem::prepare-data`,
      `${DYNAMIC}:KeyVaultSecret::databricks-token`,
      "pulumi:providers:pulumi-nodejs::default",
      "pulumi:pulumi:Stack::azureml-databricks-e2e-root-project",
    ]);
    const outputs = await fixture.stack.outputs();
    assert.deepEqual(JSON.parse(outputs.runResult as string), { rows: 10, output: "/mnt/aml-data/prepared/rows.json", tokenLength: apiToken.length });
    assert.equal(outputs.keyVaultUrl, fixture.emulator.keyVaultUrl);
    assert.match(outputs.secretId as string, new RegExp(`^${fixture.emulator.keyVaultUrl}/secrets/databricks-token/[0-9a-f]{32}$`));
    assert.match(outputs.runPageUrl as string, /#job\/\d+\/run\/\d+$/);
    // What the notebook wrote through the mount is in the blob storage.
    const blobStore = new BlobServiceClient(`${fixture.emulator.blobUrl}/${WELL_KNOWN_ACCOUNT}`, new StorageSharedKeyCredential(WELL_KNOWN_ACCOUNT, WELL_KNOWN_ACCOUNT_KEY)).getContainerClient("azureml-blobstore");
    const rows = JSON.parse((await blobStore.getBlobClient("prepared/rows.json").downloadToBuffer()).toString("utf8"));
    assert.deepEqual(rows, Array.from({ length: 10 }, (_, i) => ({ id: i, square: i * i })));
  });

  it("stores no module path in state but the frozen provider entry", () => {
    const resources = fixture.resources();
    const dynamic = resources.filter((r) => r.type.startsWith(`${DYNAMIC}:`));
    const { providers, modulePaths } = providerRequires(resources);
    assert.equal(dynamic.length, 7);
    assert.equal(providers, 2 * dynamic.length); // inputs and outputs of each
    assert.deepEqual(modulePaths, [FROZEN_PROVIDER_ENTRY]);
  });

  it("changes nothing and runs nothing on an unchanged up", async () => {
    const runs = await runCount();
    assert.equal(runs, 2); // the mount's one-time run (deleted once done) and the notebook's
    assert.deepEqual(await fixture.update("up"), { same: 8 });
    assert.equal(await runCount(), runs);
  });

  it("destroys everything", async () => {
    assert.deepEqual(await fixture.update("destroy"), { delete: 8 });
    assert.deepEqual(fixture.resources(), []);
    const scopes = await fetch(`${fixture.emulator.url}/api/2.0/secrets/scopes/list`, { headers: { Authorization: `Bearer ${fixture.token}` } });
    assert.deepEqual(await scopes.json(), {});
  });
});
