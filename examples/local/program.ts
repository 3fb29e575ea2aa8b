import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { DatabricksBlobMount, DatabricksRun, DatabricksSecret, DatabricksSecretScope, DatabricksWorkspaceItem, KeyVaultSecret } from "../../src";

/**
 * The root program. With `AMLDB_TARGET=local` (what `npm start` sets) every resource lands in
 * the project's emulator, which runs the notebook for real; the same program targets Azure when
 * pointed at real services.
 */
export function localDemo() {
  const config = new pulumi.Config();
  const databricksToken = config.requireSecret("databricksToken");

  // The Databricks token in Key Vault, where Azure ML's compute attachment reads it.
  const token = new KeyVaultSecret("databricks-token", {
    vaultUrl: config.require("keyVaultUrl"),
    name: config.get("secretName") ?? "databricks-token",
    value: databricksToken,
    contentType: "text/plain",
    tags: { purpose: "databricks-pat" },
    purgeOnDelete: true,
  });

  // Secrets the notebook and the mount read inside Databricks.
  const scope = new DatabricksSecretScope("pipeline", { name: "pipeline" });
  const apiToken = new DatabricksSecret("api-token", { scope: scope.name, key: "api-token", stringValue: config.requireSecret("apiToken") });
  const storageKey = new DatabricksSecret("storage-key", { scope: scope.name, key: "storage-key", stringValue: config.requireSecret("storageAccountKey") });

  // The Azure ML workspace blob store, mounted where the notebook writes. The key's scope and name
  // are the secret's outputs, so the mount comes after the secret.
  const mount = new DatabricksBlobMount("aml-data", {
    mountName: "aml-data",
    storageAccountName: config.get("storageAccountName") ?? "devstoreaccount1",
    containerName: config.get("containerName") ?? "azureml-blobstore",
    accountKeyScope: storageKey.scope,
    accountKeyName: storageKey.key,
  });

  const notebook = new DatabricksWorkspaceItem("prepare-data", {
    path: "/Shared/pipeline/prepare_data",
    // From this file, not the working directory: the CLI runs the program in examples/local/, the
    // Automation API's inline runtime wherever the calling process runs.
    source: path.join(__dirname, "..", "notebooks", "prepare_data.py"),
  });

  // Every input that names something the run needs is that thing's output, so the run starts
  // after the notebook's import, the mount and the secret it reads: no dependsOn.
  const run = new DatabricksRun("prepare-data", {
    notebookTask: {
      notebookPath: notebook.workspacePath,
      baseParameters: { rows: config.get("rows") ?? "10", mount_point: mount.mountPoint, token_scope: apiToken.scope, token_key: apiToken.key },
    },
    newCluster: { sparkVersion: "15.4.x-scala2.12", nodeTypeId: "Standard_DS3_v2", numWorkers: 1 },
    codeHashes: [notebook.localContentHash],
  });

  return {
    keyVaultUrl: token.vaultUrl,
    secretId: token.secretId,
    runPageUrl: run.runPageUrl,
    runResult: run.notebookOutput,
  };
}
