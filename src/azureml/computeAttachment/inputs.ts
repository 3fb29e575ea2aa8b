/**
 * What a DatabricksComputeAttachment is made of, as the provider sees it, and the rules that decide
 * whether inputs are valid and what a change does. Pure functions: no network.
 */
import { CheckFailure, checkString, failureList, known } from "../../core/check";
import { checkAdopt } from "../../core/takeover";
import { currentTarget, Target } from "../../core/target";
import { amlDiff, AmlDiff, changedKeys } from "../shared/diff";
import { changedWorkspaceKeys, checkRequiredName, checkWorkspace, WorkspaceInputs } from "../shared/workspace";

/** Inputs as they reach the provider (the token unwrapped by the engine). */
export interface AttachmentInputs extends WorkspaceInputs {
  computeName: string;
  databricksResourceId: string;
  workspaceUrl: string;
  accessToken: string;
  description?: string;
  location?: string;
  adopt?: boolean;
}

/** What state holds besides the inputs. */
export interface AttachmentOutputs extends AttachmentInputs {
  computeId: string;
  reference: string;
  provisioningState: string;
}

const COMPUTE_NAME = /^[a-zA-Z][a-zA-Z0-9-]{1,23}$/;
const DATABRICKS_ID = /^\/subscriptions\/[^/]+\/resourceGroups\/[^/]+\/providers\/Microsoft\.Databricks\/workspaces\/[^/]+$/i;

/** Validates the inputs; every failure at once; unknown preview values pass. */
export function checkAttachment(news: Record<string, unknown>, target: Target = currentTarget(), env: NodeJS.ProcessEnv = process.env): { inputs: Record<string, unknown>; failures: CheckFailure[] } {
  const inputs: Record<string, unknown> = { ...news };
  const { failures, fail } = failureList();
  checkWorkspace(inputs, fail, target, env);
  checkRequiredName(inputs, "computeName", fail, "the compute's name in the Azure ML workspace", COMPUTE_NAME, "2-24 letters, digits and '-', starting with a letter");
  const id = inputs.databricksResourceId;
  if (id === undefined || id === "") fail("databricksResourceId", "databricksResourceId is required: the Databricks workspace's ARM id, /subscriptions/<sub>/resourceGroups/<rg>/providers/Microsoft.Databricks/workspaces/<name>.");
  else if (known(id) && (typeof id !== "string" || !DATABRICKS_ID.test(id))) fail("databricksResourceId", `databricksResourceId ${JSON.stringify(id)} is not a Databricks workspace ARM id: /subscriptions/<sub>/resourceGroups/<rg>/providers/Microsoft.Databricks/workspaces/<name>.`);
  const url = inputs.workspaceUrl;
  if (url === undefined || url === "") fail("workspaceUrl", "workspaceUrl is required: the Databricks workspace URL, e.g. https://adb-123.4.azuredatabricks.net.");
  else if (known(url)) {
    const problem = workspaceUrlProblem(url, target);
    if (problem) fail("workspaceUrl", problem);
    else inputs.workspaceUrl = new URL(url as string).origin;
  }
  const token = inputs.accessToken;
  if (token === undefined || token === "") fail("accessToken", "accessToken is required: a Databricks access token, typically a KeyVaultSecret's value.");
  else if (known(token) && typeof token !== "string") fail("accessToken", `accessToken must be a string, not ${typeof token}.`);
  checkString(inputs.description, "description", fail, "a string");
  checkString(inputs.location, "location", fail, "an Azure region such as westeurope");
  checkAdopt(inputs, fail);
  return { inputs, failures };
}

function workspaceUrlProblem(raw: unknown, target: Target): string | undefined {
  let url: URL;
  try {
    url = new URL(String(raw));
  } catch {
    return `workspaceUrl ${JSON.stringify(raw)} is not a URL: use the workspace's address, e.g. https://adb-123.4.azuredatabricks.net.`;
  }
  if (url.pathname !== "/" || url.search || url.hash) return `workspaceUrl "${String(raw)}" must be the workspace's root URL without a path, e.g. ${url.protocol}//${url.host}.`;
  // Azure ML (here the emulator), not this package, calls the workspace: any workspace URL will do locally.
  if (target === "local") return url.protocol === "https:" || url.protocol === "http:" ? undefined : `workspaceUrl "${String(raw)}" must be an http(s) URL.`;
  return url.protocol === "https:" && /\.azuredatabricks\.net$/i.test(url.hostname) ? undefined : `workspaceUrl "${String(raw)}" is not an Azure Databricks workspace URL (https://adb-<id>.<n>.azuredatabricks.net).`;
}

/**
 * Another Azure ML workspace, compute name, Databricks workspace (id or URL) or region replaces the
 * attachment, detaching first when the compute keeps its name; a new token or description updates it.
 */
export function diffAttachment(olds: Partial<AttachmentOutputs>, news: Partial<AttachmentInputs>): AmlDiff {
  const replaces = [...changedWorkspaceKeys(olds, news), ...changedKeys(olds, news, ["computeName", "databricksResourceId", "workspaceUrl", "location"])];
  const updates = changedKeys(olds, news, ["accessToken", "description"]);
  const sameName = !replaces.some((k) => k !== "databricksResourceId" && k !== "workspaceUrl" && k !== "location");
  return amlDiff(replaces, updates, sameName);
}
