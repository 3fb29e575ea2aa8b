/**
 * The one workspace the emulator serves: its Resource Manager id, the ids of its children, and the
 * check every request below it goes through (the subscription, then the resource group, then the
 * workspace, each refused in Resource Manager's words). Names compare case-insensitively, as in
 * Azure.
 */
import type { EmulatorRequest } from "../core/service";
import { ML_NAMESPACE, type AzureMlConfig } from "./config";
import { parentResourceNotFound, resourceGroupNotFound, subscriptionNotFound, workspaceNotFound } from "./errors";

/** Route template of the workspace (its parameters are checked by {@link checkScope}). */
export const WORKSPACE_ROUTE = `/subscriptions/{subscriptionId}/resourceGroups/{resourceGroupName}/providers/${ML_NAMESPACE}/workspaces/{workspaceName}`;

/** The workspace's Resource Manager id. */
export function workspaceArmId(config: AzureMlConfig): string {
  return `/subscriptions/${config.subscriptionId}/resourceGroups/${config.resourceGroup}/providers/${ML_NAMESPACE}/workspaces/${config.workspace}`;
}

/** The Resource Manager type of a child at `path` (`components/x/versions/1` → `…/workspaces/components/versions`). */
export function childType(path: string): string {
  const collections = path.split("/").filter((_, i) => i % 2 === 0);
  return [`${ML_NAMESPACE}/workspaces`, ...collections].join("/");
}

const same = (a: string | undefined, b: string): boolean => a !== undefined && a.toLowerCase() === b.toLowerCase();

/**
 * Throws the front door's 404 when the request's subscription, resource group or (unless `upTo`
 * says otherwise) workspace is not the emulator's. `nested`: the request is below the workspace,
 * so a missing workspace is a missing parent.
 */
export function checkScope(req: EmulatorRequest, config: AzureMlConfig, upTo: "subscription" | "resourceGroup" | "workspace", nested: boolean): void {
  const p = req.params;
  if (!same(p.subscriptionId, config.subscriptionId)) throw subscriptionNotFound(p.subscriptionId);
  if (upTo === "subscription") return;
  if (!same(p.resourceGroupName, config.resourceGroup)) throw resourceGroupNotFound(p.resourceGroupName);
  if (upTo === "resourceGroup") return;
  if (!same(p.workspaceName, config.workspace)) throw nested ? parentResourceNotFound(p.workspaceName) : workspaceNotFound(p.resourceGroupName, p.workspaceName);
}

/** An ARM id below this workspace named by `reference` (`azureml:` prefix allowed), as a child path (`computes/x`); `undefined` when it is not one. */
export function childPathOf(reference: string, config: AzureMlConfig): string | undefined {
  const id = reference.replace(/^azureml:/i, "");
  const prefix = `${workspaceArmId(config)}/`.toLowerCase();
  return id.toLowerCase().startsWith(prefix) ? id.slice(prefix.length) : undefined;
}
