/**
 * Options of the emulator's Azure Machine Learning workspace (the one workspace its Resource
 * Manager serves) and the facts derived from them.
 */

/** Options of the emulated Azure ML workspace. Every field is optional. */
export interface AzureMlEmulatorOptions {
  /** Subscription id of the workspace. Default {@link DEFAULT_AZUREML.subscriptionId}. */
  subscriptionId?: string;
  /** Resource group of the workspace. Default `rg-local`. */
  resourceGroup?: string;
  /** Workspace name. Default `local-aml`. */
  workspace?: string;
  /** Azure region reported as the workspace's location. Default `westeurope`. */
  location?: string;
  /**
   * Time a long-running operation (attach a compute, create a schedule or an endpoint, delete,
   * cancel a job) stays `InProgress`, in ms of the emulator's clock. Default 0: the answer to the
   * request still says Creating / InProgress, the first poll sees it done.
   */
  operationMs?: number;
  /**
   * Whether the workspace's compute runs submitted pipeline jobs on this machine. Default true;
   * false leaves every job `NotStarted` (tests of the control plane alone).
   */
  runJobs?: boolean;
}

/** The workspace settings in force. */
export interface AzureMlConfig {
  readonly subscriptionId: string;
  readonly resourceGroup: string;
  readonly workspace: string;
  readonly location: string;
  readonly operationMs: number;
}

/** Defaults of {@link AzureMlEmulatorOptions}. */
export const DEFAULT_AZUREML: AzureMlConfig = Object.freeze({
  subscriptionId: "00000000-0000-0000-0000-0000000000a1",
  resourceGroup: "rg-local",
  workspace: "local-aml",
  location: "westeurope",
  operationMs: 0,
});

/** The name of the workspace's default datastore. */
export const DEFAULT_DATASTORE = "workspaceblobstore";
/** The name of the seeded compute cluster for pipeline steps. */
export const DEFAULT_COMPUTE = "cpu-cluster";
/** The resource provider namespace. */
export const ML_NAMESPACE = "Microsoft.MachineLearningServices";

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const RESOURCE_GROUP = /^[-\w._()]{1,90}$/;
const WORKSPACE = /^[a-zA-Z0-9][a-zA-Z0-9_-]{2,32}$/;
const LOCATION = /^[a-z0-9]{2,40}$/;

/** Resolves and checks the options; throws naming the offending option. */
export function resolveAzureMlConfig(options: AzureMlEmulatorOptions = {}): AzureMlConfig {
  const pick = (name: "subscriptionId" | "resourceGroup" | "workspace" | "location", pattern: RegExp, rule: string): string => {
    const value = options[name] ?? DEFAULT_AZUREML[name];
    if (typeof value !== "string" || !pattern.test(value) || value.endsWith(".")) throw new Error(`azureml.${name} must be ${rule}, not ${JSON.stringify(value)}.`);
    return value;
  };
  const operationMs = options.operationMs ?? DEFAULT_AZUREML.operationMs;
  if (!Number.isInteger(operationMs) || operationMs < 0 || operationMs > 600_000) throw new Error(`azureml.operationMs must be an integer from 0 to 600000, not ${JSON.stringify(operationMs)}.`);
  return {
    subscriptionId: pick("subscriptionId", GUID, "a GUID"),
    resourceGroup: pick("resourceGroup", RESOURCE_GROUP, "1 to 90 letters, digits, '-', '_', '.', '(' or ')', not ending in '.'"),
    workspace: pick("workspace", WORKSPACE, "3 to 33 letters, digits, '-' or '_', starting with a letter or digit"),
    location: pick("location", LOCATION, "an Azure region name such as westeurope"),
    operationMs,
  };
}
