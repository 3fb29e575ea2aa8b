/**
 * The workspace itself (W1): `GET {WS}` and the list of the resource group's workspaces (the one).
 * Its view carries what azure-ai-ml reads before it submits jobs and schedules.
 */
import type { EmulatorRequest, Route } from "../core/service";
import { ML_NAMESPACE } from "./config";
import { listBody } from "./resources";
import { mlRoute, workspaceRoutes, type AzureMlContext } from "./routes";
import { workspaceArmId } from "./scope";
import { storageAccountArmId } from "./datastores";

/** The workspace's Resource Manager view. */
export function workspaceView(ctx: AzureMlContext, req: EmulatorRequest): Record<string, unknown> {
  const { config } = ctx;
  const { workspaceId, createdAt } = ctx.resources.store.read((s) => ({ workspaceId: s.workspaceId, createdAt: s.createdAt }));
  const group = `/subscriptions/${config.subscriptionId}/resourceGroups/${config.resourceGroup}/providers`;
  const created = new Date(createdAt).toISOString();
  return {
    id: workspaceArmId(config),
    name: config.workspace,
    type: `${ML_NAMESPACE}/workspaces`,
    location: config.location,
    identity: { type: "SystemAssigned", principalId: workspaceId, tenantId: ctx.tenantId },
    sku: { name: "Basic", tier: "Basic" },
    kind: "Default",
    tags: {},
    properties: {
      friendlyName: config.workspace,
      provisioningState: "Succeeded",
      workspaceId,
      discoveryUrl: `${req.baseUrl}/discovery`,
      mlFlowTrackingUri: `azureml://${config.location}.api.azureml.ms/mlflow/v1.0${workspaceArmId(config)}`,
      storageAccount: storageAccountArmId(config),
      keyVault: `${group}/Microsoft.KeyVault/vaults/${config.workspace}-kv`,
      applicationInsights: `${group}/Microsoft.Insights/components/${config.workspace}-ai`,
      containerRegistry: `${group}/Microsoft.ContainerRegistry/registries/${config.workspace.replace(/[^a-zA-Z0-9]/g, "")}acr`,
      publicNetworkAccess: "Enabled",
      hbiWorkspace: false,
      v1LegacyMode: false,
      creationTime: created,
    },
    systemData: { createdAt: created, createdBy: ctx.tenantId, createdByType: "Application", lastModifiedAt: created, lastModifiedBy: ctx.tenantId, lastModifiedByType: "Application" },
  };
}

/** The workspace routes. */
export function workspaceRoutesOf(ctx: AzureMlContext): Route[] {
  return [
    ...workspaceRoutes(ctx, [["GET", "", "get workspace", (req) => ({ status: 200, body: workspaceView(ctx, req) })]]),
    mlRoute(ctx, "GET", `/subscriptions/{subscriptionId}/resourceGroups/{resourceGroupName}/providers/${ML_NAMESPACE}/workspaces`, "list workspaces", "resourceGroup", false, (req) => ({
      status: 200,
      body: listBody([workspaceView(ctx, req)]),
    })),
  ];
}
