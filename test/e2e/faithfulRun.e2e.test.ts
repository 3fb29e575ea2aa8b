import * as assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { BlobServiceClient, StorageSharedKeyCredential } from "@azure/storage-blob";
import { DatabricksBlobMount, DatabricksRun, DatabricksSecretScope, DatabricksWorkspaceItem, KeyVaultSecret } from "../../src";
import { REPO_ROOT } from "../../scripts/localEngine";
import { emulatorVaultDnsName } from "../support/azureAd";
import { filesUnder, useInlineStack } from "./support/inlineFixture";

/**
 * Issue 8's proof through the engine: the storage key and an API token live in the emulator's Key
 * Vault (KeyVaultSecret), reach Databricks through a Key Vault-backed scope (created with an Azure
 * AD token from the emulator's identity endpoint, as only such a caller may), the key mounts an
 * Azurite container, and a notebook that imports a PyPI library installed for its run writes
 * parquet with Spark through the mount, which @azure/storage-blob then reads from Azurite.
 */
describe("A Spark notebook with a PyPI library and a Key Vault-backed secret, through the Pulumi engine", function () {
  this.timeout(15 * 60 * 1000);
  const apiToken = `tok-${randomBytes(12).toString("hex")}`;
  const storageKey = randomBytes(32).toString("base64");
  const cliOutput: string[] = [];
  const onOutput = (out: string) => cliOutput.push(out);
  let notebookFile: string;

  const program = async () => {
    const config = new pulumi.Config();
    const vaultUrl = e2e.emulator.keyVaultUrl;
    const token = new KeyVaultSecret("api-token", { vaultUrl, name: "api-token", value: config.requireSecret("apiToken"), purgeOnDelete: true });
    const key = new KeyVaultSecret("storage-key", { vaultUrl, name: "storage-key", value: config.requireSecret("storageKey"), purgeOnDelete: true });
    const scope = new DatabricksSecretScope("vault", {
      name: "vault",
      keyVault: { resourceId: "/subscriptions/0/resourceGroups/rg/providers/Microsoft.KeyVault/vaults/local", dnsName: emulatorVaultDnsName(vaultUrl) },
    });
    const mount = new DatabricksBlobMount(
      "aml-data",
      { mountName: "aml-data", storageAccountName: "amlstore", containerName: "azureml-blobstore", accountKeyScope: scope.name, accountKeyName: key.name },
      { dependsOn: [key] },
    );
    const notebook = new DatabricksWorkspaceItem("notebook", { path: "/Shared/spark/spark_to_mount", source: notebookFile });
    const run = new DatabricksRun(
      "spark",
      {
        notebookTask: { notebookPath: notebook.workspacePath, baseParameters: { output_folder: "azureml/run-1/output_path" } },
        newCluster: { sparkVersion: "15.4.x-scala2.12", nodeTypeId: "Standard_DS3_v2", numWorkers: 1 },
        libraries: [{ pypi: { package: "tabulate==0.9.0" } }],
        codeHashes: [notebook.localContentHash],
        secureOutput: false,
      },
      { dependsOn: [mount, token] },
    );
    return { result: run.notebookOutput };
  };

  const e2e = useInlineStack("e2e-faithful", program, { blobStorage: { accounts: { amlstore: storageKey } } }, { DATABRICKS_AUTH_TYPE: "azure-cli" });

  before(async () => {
    notebookFile = path.join(e2e.workDir, "spark_to_mount.py");
    fs.copyFileSync(path.join(REPO_ROOT, "test", "e2e", "notebooks", "spark_to_mount.py"), notebookFile);
    await e2e.stack.setConfig("apiToken", { value: apiToken, secret: true });
    await e2e.stack.setConfig("storageKey", { value: storageKey, secret: true });
  });

  it("runs the notebook on Spark with its library and the vault's secret, and the parquet lands in Azurite", async () => {
    const up = await e2e.stack.up({ onOutput });
    assert.deepEqual(up.summary.resourceChanges, { create: 7 });
    assert.deepEqual(JSON.parse(up.outputs.result.value), {
      rows: 5,
      tokenLength: apiToken.length,
      table: ["  id    square", "   0         0", "   1         1", "   2         4", "   3         9", "   4        16"].join("\n"),
    });
    assert.match(cliOutput.join(""), /Databricks run "spark": run \d+ TERMINATED SUCCESS/);

    const container = new BlobServiceClient(`${e2e.emulator.blobUrl}/amlstore`, new StorageSharedKeyCredential("amlstore", storageKey)).getContainerClient("azureml-blobstore");
    const names: string[] = [];
    for await (const blob of container.listBlobsFlat({ prefix: "azureml/run-1/output_path/" })) names.push(blob.name.slice("azureml/run-1/output_path/".length));
    const parts = names.filter((n) => n !== "_SUCCESS");
    assert.ok(names.includes("_SUCCESS"), names.join(", "));
    assert.ok(parts.length > 0 && parts.every((n) => /^part-\d{5}-[0-9a-f-]+-c000\.snappy\.parquet$/.test(n)), names.join(", "));
    const parquet = Buffer.concat(await Promise.all(parts.map((n) => container.getBlobClient(`azureml/run-1/output_path/${n}`).downloadToBuffer())));
    assert.equal(parquet.subarray(0, 4).toString("latin1"), "PAR1");
    assert.ok(parquet.includes("square"), "the parquet schema names the column");
  });

  it("keeps the token and the storage key out of the state and the CLI output", () => {
    const sinks = [...filesUnder(e2e.backendDir).map((f) => fs.readFileSync(f, "utf8")), cliOutput.join("")];
    assert.ok(sinks.every((s) => s.length > 0) && sinks.some((s) => s.includes("DatabricksRun")), "the sinks hold the stack");
    for (const secret of [apiToken, storageKey]) assert.ok(sinks.every((s) => !s.includes(secret)));
  });

  it("destroys everything it made: the run, the mount, the scope and the vault's secrets", async () => {
    await e2e.stack.destroy({ onOutput });
    const vault = await fetch(`${e2e.emulator.keyVaultUrl}/secrets?api-version=7.5`, { headers: { Authorization: `Bearer ${e2e.token}` } });
    assert.deepEqual(((await vault.json()) as { value: unknown[] }).value, []);
    const scopes = await fetch(`${e2e.emulator.url}/api/2.0/secrets/scopes/list`, { headers: { Authorization: `Bearer ${e2e.token}` } });
    assert.deepEqual(await scopes.json(), {});
  });
});
