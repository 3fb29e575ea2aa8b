import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import * as applicationinsights from "@pulumi/azure-native/applicationinsights";
import * as authorization from "@pulumi/azure-native/authorization";
import * as azureDatabricks from "@pulumi/azure-native/databricks";
import * as keyvault from "@pulumi/azure-native/keyvault";
import * as machinelearningservices from "@pulumi/azure-native/machinelearningservices";
import * as operationalinsights from "@pulumi/azure-native/operationalinsights";
import * as resources from "@pulumi/azure-native/resources";
import * as storage from "@pulumi/azure-native/storage";
import * as databricks from "@pulumi/databricks";
// The package as a user consumes it: the built dependency (`npm install` builds dist/).
import { DATABRICKS_OUTPUT, DatabricksPipeline } from "pulumi-azureml-databricks";
import type { AzureFlowConfig } from "./config";

/** Built-in role "Key Vault Secrets Officer": write, read and purge secrets (the deployer stores the token). */
export const KEY_VAULT_SECRETS_OFFICER = "b86a8fe4-44ce-4948-aee5-eccb2c155cd7";
/** Built-in role "Key Vault Secrets User": read secrets (the compute cluster reads the token in the Databricks step). */
export const KEY_VAULT_SECRETS_USER = "4633458b-17de-408a-b874-0445c86b69e6";
/** The Azure ML datastore whose blob container the notebook writes into (created with the workspace). */
export const DATASTORE = "workspaceblobstore";

/** `value`, once `after` exist: a child that reads it waits for them (a component's own dependsOn does not reach its children). */
function after<T>(value: pulumi.Input<T>, ...resources: pulumi.CustomResource[]): pulumi.Output<T> {
  return pulumi.all([value, ...resources.map((r) => r.id)]).apply(([v]) => v as pulumi.Unwrap<T>) as pulumi.Output<T>;
}

/**
 * Seed 001's flow on real Azure. `@pulumi/azure-native` provisions the resource group, the Log
 * Analytics workspace and Application Insights, the storage account, the Key Vault (RBAC), the
 * Azure ML workspace and its compute cluster, and the Azure Databricks workspace; `@pulumi/databricks`
 * creates the token Azure ML uses and picks the job cluster's runtime and node type; then one
 * {@link DatabricksPipeline} stores the token in Key Vault, attaches the Databricks workspace,
 * mounts the workspace blob store, imports the notebook and runs the Azure ML pipeline: the
 * notebook on Spark, then a step that summarizes its parquet.
 */
export function azureFlow(config: AzureFlowConfig) {
  const here = (...parts: string[]) => path.join(__dirname, ...parts);
  const { prefix, location } = config;
  const client = authorization.getClientConfigOutput();

  const group = new resources.ResourceGroup("rg", { resourceGroupName: `${prefix}-rg`, location });
  const rg = { resourceGroupName: group.name, location };

  // Application Insights for the Azure ML workspace, workspace-based (classic ones are retired).
  const logs = new operationalinsights.Workspace("logs", { ...rg, workspaceName: `${prefix}-logs`, sku: { name: "PerGB2018" }, retentionInDays: 30 });
  const insights = new applicationinsights.Component("appinsights", { ...rg, resourceName: `${prefix}-appi`, kind: "web", applicationType: "web", ingestionMode: "LogAnalytics", workspaceResourceId: logs.id });

  // The workspace's default storage: AML creates the `workspaceblobstore` container in it.
  // Shared-key access stays on: the Databricks mount authenticates with the account key.
  const account = new storage.StorageAccount("storage", {
    ...rg,
    accountName: `${prefix}mlstore`,
    kind: "StorageV2",
    sku: { name: "Standard_LRS" },
    minimumTlsVersion: "TLS1_2",
    allowBlobPublicAccess: false,
    allowSharedKeyAccess: true,
    enableHttpsTrafficOnly: true,
  });

  // Access by Azure RBAC (no access policies to keep in step with the ones AML adds for itself).
  const vault = new keyvault.Vault("vault", {
    ...rg,
    vaultName: `${prefix}-kv`,
    properties: { tenantId: client.tenantId, sku: { family: "A", name: "standard" }, enableRbacAuthorization: true, softDeleteRetentionInDays: 7 },
  });
  const roleId = (role: string) => pulumi.interpolate`/subscriptions/${client.subscriptionId}/providers/Microsoft.Authorization/roleDefinitions/${role}`;
  // Whoever runs `pulumi up` (az login user or service principal) writes the token secret.
  const deployerSecrets = new authorization.RoleAssignment("deployer-secrets-officer", {
    scope: vault.id,
    principalId: client.objectId,
    principalType: config.deployerPrincipalType,
    roleDefinitionId: roleId(KEY_VAULT_SECRETS_OFFICER),
  });

  const aml = new machinelearningservices.Workspace("aml", {
    ...rg,
    workspaceName: `${prefix}-aml`,
    friendlyName: `${prefix} Databricks flow`,
    identity: { type: "SystemAssigned" },
    sku: { name: "Basic", tier: "Basic" },
    storageAccount: account.id,
    keyVault: vault.id,
    applicationInsights: insights.id,
  });
  const ws = { resourceGroupName: group.name, workspaceName: aml.name };

  // The cluster the pipeline's steps run on; its identity reads the token in the Databricks step.
  const cluster = new machinelearningservices.Compute("cpu-cluster", {
    ...ws,
    location,
    computeName: "cpu-cluster",
    identity: { type: "SystemAssigned" },
    properties: {
      computeType: "AmlCompute",
      properties: { vmSize: config.computeVmSize, vmPriority: "Dedicated", scaleSettings: { minNodeCount: 0, maxNodeCount: config.computeMaxNodes, nodeIdleTimeBeforeScaleDown: "PT10M" } },
    },
  });
  const clusterPrincipal = cluster.identity.apply((i) => {
    if (!i?.principalId) throw new Error(`The Azure ML compute cluster has no system-assigned identity; the Databricks step needs one to read the token from Key Vault.`);
    return i.principalId;
  });
  const clusterSecrets = new authorization.RoleAssignment("cluster-secrets-user", { scope: vault.id, principalId: clusterPrincipal, principalType: "ServicePrincipal", roleDefinitionId: roleId(KEY_VAULT_SECRETS_USER) });

  const workspace = new azureDatabricks.Workspace("databricks-workspace", {
    ...rg,
    workspaceName: `${prefix}-dbw`,
    sku: { name: config.databricksSku },
    computeMode: "Hybrid",
    managedResourceGroupId: pulumi.interpolate`/subscriptions/${client.subscriptionId}/resourceGroups/${prefix}-dbw-managed`,
  });
  const workspaceUrl = pulumi.interpolate`https://${workspace.workspaceUrl}`;

  // The Databricks provider signs in to the new workspace with Azure AD (az login, or ARM_CLIENT_*
  // for a service principal); the workspace's resource id admits a service principal that has
  // Contributor on it as an admin on its first call.
  const dbx = new databricks.Provider("databricks", { host: workspaceUrl, azureWorkspaceResourceId: workspace.id });
  const token = new databricks.Token("aml-token", { comment: `Azure ML workspace ${prefix}-aml: Databricks steps`, lifetimeSeconds: config.tokenLifetimeDays * 86_400 }, { provider: dbx });
  const tokenValue = pulumi.secret(token.tokenValue);
  const sparkVersion = config.sparkVersion ?? databricks.getSparkVersionOutput({ longTermSupport: true }, { provider: dbx }).id;
  const nodeTypeId = config.nodeTypeId ?? databricks.getNodeTypeOutput({ localDisk: true, minCores: 4 }, { provider: dbx }).id;

  // The blob container behind `workspaceblobstore`, and the account key the mount needs.
  const datastore = machinelearningservices.getDatastoreOutput({ ...ws, name: DATASTORE }).properties.apply((p) => {
    if (p.datastoreType !== "AzureBlob") throw new Error(`Datastore ${DATASTORE} is ${p.datastoreType}, not a blob container; the Databricks mount needs one.`);
    const blob = p as { accountName?: string; containerName?: string };
    if (!blob.accountName || !blob.containerName) throw new Error(`Datastore ${DATASTORE} names no storage account or container.`);
    return { accountName: blob.accountName, containerName: blob.containerName };
  });
  const accountKey = pulumi.secret(storage.listStorageAccountKeysOutput({ resourceGroupName: group.name, accountName: account.name }).keys[0].value);

  const pipeline = new DatabricksPipeline("flow", {
    workspace: { subscriptionId: client.subscriptionId, ...ws },
    // The token secret is written once the deployer may write it; the step reads it once the cluster may.
    keyVaultUrl: after(
      vault.properties.vaultUri.apply((u) => u.replace(/\/+$/, "")),
      deployerSecrets,
      clusterSecrets,
    ),
    // The Databricks objects are created once the provider has signed in (and admitted the deployer).
    databricksUrl: after(workspaceUrl, token),
    databricksResourceId: workspace.id,
    databricksToken: tokenValue,
    notebook: here("notebooks", "to_parquet.py"),
    cluster: { numWorkers: config.numWorkers, nodeTypeId, sparkVersion },
    notebookParameters: { rows: String(config.rows) },
    storage: { accountName: datastore.accountName, containerName: datastore.containerName, accountKey },
    compute: pulumi.interpolate`azureml:${cluster.name}`,
    steps: {
      summarize: {
        file: here("summarize", "component.yml"),
        environment: { file: here("summarize", "environment.yml") },
        inputs: { data: DATABRICKS_OUTPUT },
      },
    },
  });

  return {
    group,
    logs,
    insights,
    account,
    vault,
    deployerSecrets,
    aml,
    cluster,
    clusterSecrets,
    workspace,
    dbx,
    token,
    pipeline,
    /** The stack's outputs. */
    outputs: {
      resourceGroup: group.name,
      amlWorkspace: aml.name,
      keyVaultUrl: pipeline.tokenSecret.vaultUrl,
      databricksUrl: workspaceUrl,
      sparkVersion: pulumi.output(sparkVersion),
      nodeTypeId: pulumi.output(nodeTypeId),
      status: pipeline.status,
      databricksStatus: pipeline.databricksStatus,
      stepStatuses: pipeline.stepStatuses,
      jobName: pipeline.jobName,
      studioUrl: pipeline.studioUrl,
      parquetOutput: pipeline.databricksOutput,
      summaryOutput: pipeline.outputs.apply((o) => o.summarize.result),
      notebookPath: pipeline.notebookPath,
    },
  };
}
