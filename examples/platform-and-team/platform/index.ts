/**
 * The platform team's stack: what every data team shares in one Azure ML + Azure Databricks pair.
 * The Databricks token in Key Vault, the Databricks workspace attached to Azure ML as compute, the
 * workspace blob store's key in a Databricks secret scope and the store mounted in DBFS, and a
 * Python environment for teams' steps. Its outputs (`../platformOutputs.ts`) are what team stacks
 * read through a StackReference.
 */
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { AmlEnvironment, DatabricksBlobMount, DatabricksComputeAttachment, DatabricksSecret, DatabricksSecretScope, KeyVaultSecret } from "pulumi-azureml-databricks";
import type { PlatformOutputs } from "../platformOutputs";

const config = new pulumi.Config();
const workspace = {
  subscriptionId: config.require("subscriptionId"),
  resourceGroupName: config.require("resourceGroupName"),
  workspaceName: config.require("workspaceName"),
  armEndpoint: config.require("armEndpoint"),
};
const host = config.require("databricksHost");

// The token Azure ML steps use to call Databricks, read from Key Vault at run time.
const token = new KeyVaultSecret("databricks-token", {
  vaultUrl: config.require("vaultUrl"),
  name: config.require("tokenSecretName"),
  value: config.requireSecret("databricksToken"),
  contentType: "text/plain",
  purgeOnDelete: true,
});

const compute = new DatabricksComputeAttachment("databricks", {
  ...workspace,
  computeName: config.require("computeName"),
  databricksResourceId: config.require("databricksResourceId"),
  workspaceUrl: host,
  accessToken: token.value,
});

// The workspace blob store mounted in DBFS, its account key read inside Databricks from a secret scope.
const scope = new DatabricksSecretScope("storage", { host, name: config.require("secretScope") });
const storageKey = new DatabricksSecret("storage-key", { host, scope: scope.name, key: "account-key", stringValue: config.requireSecret("storageKey") });
const mount = new DatabricksBlobMount("blobstore", {
  host,
  mountName: config.require("mountName"),
  storageAccountName: config.require("storageAccount"),
  containerName: config.require("container"),
  accountKeyScope: storageKey.scope,
  accountKeyName: storageKey.key,
});

const dataEnvironment = new AmlEnvironment("python-data", { ...workspace, file: path.join(__dirname, "environments", "python-data", "environment.yml") });

/** Each output of the contract, as this program produces it. */
type Exported<T> = { [K in keyof T]: pulumi.Input<T[K]> };

const outputs: Exported<PlatformOutputs> = {
  workspace,
  databricksHost: host,
  keyVaultUrl: token.vaultUrl,
  tokenSecretName: token.name,
  tokenSecretId: token.versionlessId,
  computeName: compute.computeName,
  computeId: compute.computeId,
  secretScope: scope.name,
  mountPoint: mount.mountPoint,
  storageAccount: config.require("storageAccount"),
  container: config.require("container"),
  storageAccountKey: config.requireSecret("storageKey"),
  dataEnvironment: dataEnvironment.reference,
};

export = outputs;
