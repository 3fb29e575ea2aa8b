/**
 * The workspace every Azure ML resource lives in: its arguments (shared TSDoc), their validation at
 * preview (the Resource Manager endpoint filled in from the engine's environment, so state records
 * where the resource is), what changing them does (always a replacement), and the client.
 */
import type * as pulumi from "@pulumi/pulumi";
import { Fail, known } from "../../core/check";
import { ServiceError } from "../../core/errors";
import { AUTHENTICATION_FAILED } from "../../core/http/failure";
import { currentTarget, Target } from "../../core/target";
import { AzureMlApi, createAzureMlApi, resolveArmEndpoint, WorkspaceRef } from "../client";

/** Arguments naming the Azure ML workspace; every resource takes them. Changing any replaces the resource. */
export interface AmlWorkspaceArgs {
  /** The subscription id of the workspace (a GUID). */
  readonly subscriptionId: pulumi.Input<string>;
  /** The resource group of the workspace. */
  readonly resourceGroupName: pulumi.Input<string>;
  /** The workspace's name: 3-33 letters, digits, `_` and `-`, starting with a letter or digit. */
  readonly workspaceName: pulumi.Input<string>;
  /**
   * Azure Resource Manager's URL. Default: `AMLDB_ARM_ENDPOINT` of the engine's environment, else
   * `https://management.azure.com`; in the local target (`AMLDB_TARGET=local`) the emulator's URL,
   * `https://127.0.0.1:<port>`, from one of the two. Recorded in the state.
   */
  readonly armEndpoint?: pulumi.Input<string>;
}

/** The workspace inputs as the provider sees them (after check: the endpoint filled in). */
export interface WorkspaceInputs extends WorkspaceRef {
  armEndpoint: string;
}

/** Where an Azure ML resource's Resource Manager endpoint comes from, as messages name it. */
export const ARM_ENDPOINT_SETTINGS = "armEndpoint or AMLDB_ARM_ENDPOINT";

/** The workspace keys: a change of any replaces the resource. */
export const WORKSPACE_KEYS = ["armEndpoint", "subscriptionId", "resourceGroupName", "workspaceName"] as const;

const WORKSPACE_NAME = /^[a-zA-Z0-9][a-zA-Z0-9_-]{2,32}$/;
const RESOURCE_GROUP = /^[-\w._()]{1,90}$/;

/**
 * Validates the workspace inputs and fills `armEndpoint` from the environment when absent; every
 * failure against its property.
 */
export function checkWorkspace(inputs: Record<string, unknown>, fail: Fail, target: Target = currentTarget(), env: NodeJS.ProcessEnv = process.env): void {
  const required = (key: string, what: string, pattern: RegExp, rule: string) => checkRequiredName(inputs, key, fail, what, pattern, rule);
  required("subscriptionId", "the id of the workspace's subscription", /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/, "a subscription id is a GUID such as 00000000-0000-0000-0000-000000000000");
  required("resourceGroupName", "the workspace's resource group", RESOURCE_GROUP, "1-90 letters, digits, '-', '_', '.', '(' and ')'");
  required("workspaceName", "the Azure ML workspace's name", WORKSPACE_NAME, "3-33 letters, digits, '_' and '-', starting with a letter or digit");
  const endpoint = inputs.armEndpoint;
  if (endpoint !== undefined && !known(endpoint)) return;
  if (endpoint !== undefined && typeof endpoint !== "string") {
    fail("armEndpoint", "armEndpoint must be a URL such as https://management.azure.com.");
    return;
  }
  try {
    inputs.armEndpoint = resolveArmEndpoint(endpoint as string | undefined, target, env);
  } catch (err) {
    const message = (err as Error).message;
    const fix = message.includes("is not on loopback") ? " Give armEndpoint (or AMLDB_ARM_ENDPOINT) the emulator's URL, or set AMLDB_TARGET=azure for the real service." : "";
    fail("armEndpoint", message.includes("armEndpoint") ? message : `armEndpoint: ${message}${fix}`);
  }
}

/**
 * `inputs[key]` must be given (`what` says what it is) and, once known, a string matching
 * `pattern` (`rule` says which).
 */
export function checkRequiredName(inputs: Record<string, unknown>, key: string, fail: Fail, what: string, pattern: RegExp, rule: string): void {
  const v = inputs[key];
  if (v === undefined || v === "") fail(key, `${key} is required: ${what}.`);
  else if (known(v) && (typeof v !== "string" || !pattern.test(v))) fail(key, `${key} ${JSON.stringify(v)} is not valid: ${rule}.`);
}

/** The workspace keys whose value changed (an unknown new value counts as changed). */
export function changedWorkspaceKeys(olds: Partial<WorkspaceInputs>, news: Partial<WorkspaceInputs>): string[] {
  return WORKSPACE_KEYS.filter((k) => news[k] !== olds[k]);
}

/** The Azure ML API of the resource's workspace, for the current target. */
export function azureMlApi(ws: WorkspaceInputs): AzureMlApi {
  return createAzureMlApi({ workspace: { subscriptionId: ws.subscriptionId, resourceGroupName: ws.resourceGroupName, workspaceName: ws.workspaceName }, endpoint: ws.armEndpoint });
}

/** The workspace part of a resource's inputs, for its outputs. */
export function workspaceOf(inputs: WorkspaceInputs): WorkspaceInputs {
  return { armEndpoint: inputs.armEndpoint, subscriptionId: inputs.subscriptionId, resourceGroupName: inputs.resourceGroupName, workspaceName: inputs.workspaceName };
}

/**
 * When a read at preview failed because of the workspace itself (Resource Manager unreachable, the
 * credentials refused, the workspace or its resource group not there): the property to blame and
 * the fix. `undefined` for any other failure.
 */
export function workspaceReadFailure(err: unknown, ws: WorkspaceInputs, target: Target = currentTarget()): { property: string; reason: string } | undefined {
  if (!(err instanceof ServiceError)) return undefined;
  const endpoint = `armEndpoint ${ws.armEndpoint}`;
  const local = target === "local";
  // The local target's token comes from the endpoint itself: a connection failure there is the endpoint's.
  const unreachable = err.status === 0 && (err.code !== AUTHENTICATION_FAILED || /\b(ECONNREFUSED|ENOTFOUND|EHOSTUNREACH|ETIMEDOUT|ECONNRESET|EAI_AGAIN)\b/.test(err.serviceMessage));
  if (unreachable) {
    const fix = local ? "start the emulator (npm run emulator) and give its URL as armEndpoint or AMLDB_ARM_ENDPOINT" : "check armEndpoint (or AMLDB_ARM_ENDPOINT) and the network";
    return { property: "armEndpoint", reason: `${endpoint} could not be reached (${err.code}: ${err.serviceMessage}): ${fix}.` };
  }
  if (err.code === AUTHENTICATION_FAILED || err.status === 401 || err.status === 403) {
    const fix = local
      ? "start the emulator at that URL, and set AMLDB_LOCAL_TOKEN to the token it prints (or unset it, for an emulator started with the default token)"
      : "sign in (az login) or set AZURE_CLIENT_ID, AZURE_TENANT_ID and AZURE_CLIENT_SECRET, as an identity with access to the workspace";
    return { property: "armEndpoint", reason: `${endpoint} did not accept the credentials (${err.status ? `${err.status} ` : ""}${err.code}: ${err.serviceMessage}): ${fix}.` };
  }
  if (err.status === 404 && err.code === "ResourceGroupNotFound") {
    return { property: "resourceGroupName", reason: `resourceGroupName ${JSON.stringify(ws.resourceGroupName)}: no such resource group in subscription ${ws.subscriptionId}: give the workspace's resource group.` };
  }
  if (err.status === 404 && (err.code === "ParentResourceNotFound" || err.code === "ResourceNotFound" || err.code === "SubscriptionNotFound")) {
    return { property: "workspaceName", reason: `workspaceName ${JSON.stringify(ws.workspaceName)}: no such Azure ML workspace in resource group ${JSON.stringify(ws.resourceGroupName)} of subscription ${ws.subscriptionId}: check workspaceName, resourceGroupName and subscriptionId.` };
  }
  return undefined;
}
