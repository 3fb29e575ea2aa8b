/**
 * The Resource Manager wire shapes the Azure ML client uses (api-version 2025-12-01, which the
 * 2022-10-01 shapes are a subset of). Only the fields the resources read or write are typed;
 * the services return more.
 */

/** Who changed a resource when. */
export interface SystemData {
  createdAt?: string;
  createdBy?: string;
  lastModifiedAt?: string;
}

/** A child resource of a workspace: `{id, name, type, properties}`. */
export interface ArmResource<P = unknown> {
  id?: string;
  name?: string;
  type?: string;
  location?: string;
  tags?: Record<string, string>;
  properties?: P;
  systemData?: SystemData;
}

/** A page of a list. */
export interface ArmList<T> {
  value?: T[];
  nextLink?: string;
}

/** The workspace. */
export type Workspace = ArmResource<{ friendlyName?: string; provisioningState?: string; workspaceId?: string; storageAccount?: string; discoveryUrl?: string }>;

/** `DatabricksProperties`; the token is sent, never returned by GET. */
export interface DatabricksProperties {
  databricksAccessToken?: string;
  workspaceUrl?: string;
}

/** `Compute` with `computeType: "Databricks"`. */
export interface DatabricksCompute {
  computeType: "Databricks";
  computeLocation?: string;
  description?: string;
  resourceId?: string;
  properties?: DatabricksProperties;
  provisioningState?: string;
  isAttachedCompute?: boolean;
  createdOn?: string;
  modifiedOn?: string;
  provisioningErrors?: unknown[];
}

/** A compute resource. */
export type ComputeResource = ArmResource<DatabricksCompute | ({ computeType: string } & Record<string, unknown>)>;

/** `listKeys` of a Databricks compute. */
export interface DatabricksComputeSecrets {
  computeType: "Databricks";
  databricksAccessToken?: string;
}

/** A datastore's properties (AzureBlob). */
export interface DatastoreProperties {
  datastoreType: string;
  isDefault?: boolean;
  accountName?: string;
  containerName?: string;
  endpoint?: string;
  protocol?: string;
  /** Free-form; the emulator names its blob service URL here (`emulator.blobServiceUrl`). */
  properties?: Record<string, string>;
}

/** A datastore. */
export type Datastore = ArmResource<DatastoreProperties>;

/** `listSecrets` of a datastore. */
export interface DatastoreSecrets {
  secretsType: string;
  key?: string;
  sasToken?: string;
}

/** Versioned asset fields shared by codes, environments and components. */
export interface AssetProperties {
  description?: string;
  tags?: Record<string, string>;
  properties?: Record<string, string>;
  isAnonymous?: boolean;
  isArchived?: boolean;
  provisioningState?: string;
}

/** A code version. */
export type CodeVersion = ArmResource<AssetProperties & { codeUri?: string }>;

/** `startPendingUpload`'s answer. */
export interface PendingUploadResponse {
  pendingUploadId?: string;
  pendingUploadType?: string;
  blobReferenceForConsumption?: {
    blobUri?: string;
    storageAccountArmId?: string;
    credential?: { credentialType?: string; sasUri?: string };
  };
}

/** An environment version's properties. */
export interface EnvironmentVersionProperties extends AssetProperties {
  image?: string;
  condaFile?: string;
  osType?: "Linux" | "Windows";
  build?: { contextUri: string; dockerfilePath?: string };
  environmentType?: string;
}

/** An environment version. */
export type EnvironmentVersion = ArmResource<EnvironmentVersionProperties>;

/** A component version: `componentSpec` is free-form (the CLI's YAML keys). */
export type ComponentVersion = ArmResource<AssetProperties & { componentSpec?: Record<string, unknown> }>;

/** A schedule's trigger. */
export interface ScheduleTrigger {
  triggerType: "Cron" | "Recurrence";
  expression?: string;
  frequency?: "Minute" | "Hour" | "Day" | "Week" | "Month";
  interval?: number;
  schedule?: { hours?: number[]; minutes?: number[]; weekDays?: string[]; monthDays?: number[] };
  startTime?: string;
  endTime?: string;
  timeZone?: string;
}

/** A schedule's properties. */
export interface ScheduleProperties {
  displayName?: string;
  description?: string;
  tags?: Record<string, string>;
  properties?: Record<string, string>;
  isEnabled?: boolean;
  trigger: ScheduleTrigger;
  action: { actionType: "CreateJob"; jobDefinition: Record<string, unknown> } | { actionType: string; [key: string]: unknown };
  provisioningState?: string;
}

/** A schedule. */
export type Schedule = ArmResource<ScheduleProperties>;

/** A batch endpoint's properties. */
export interface BatchEndpointProperties {
  authMode?: "AADToken" | "AMLToken" | "Key";
  description?: string;
  defaults?: { deploymentName?: string };
  scoringUri?: string;
  swaggerUri?: string;
  provisioningState?: string;
}

/** A batch endpoint. */
export type BatchEndpoint = ArmResource<BatchEndpointProperties>;

/** A batch deployment's properties (the pipeline-component form). */
export interface BatchDeploymentProperties {
  description?: string;
  deploymentConfiguration?: {
    deploymentConfigurationType: "PipelineComponent";
    componentId: { referenceType: "Id"; assetId: string };
    settings?: Record<string, string>;
    tags?: Record<string, string>;
    description?: string;
  };
  provisioningState?: string;
}

/** A batch deployment. */
export type BatchDeployment = ArmResource<BatchDeploymentProperties>;

/** A job's input (`jobInputType` literal or data). */
export interface JobInput {
  jobInputType: string;
  value?: string;
  uri?: string;
  mode?: string;
}

/** A job's output. */
export interface JobOutput {
  jobOutputType: string;
  uri?: string;
  mode?: string;
}

/** A job service (`Studio`, `Tracking`). */
export interface JobService {
  jobServiceType?: string;
  endpoint?: string;
  status?: string | null;
}

/** A job's properties: the pipeline form, and the command form of a pipeline's child jobs. */
export interface JobProperties {
  jobType: string;
  displayName?: string;
  description?: string;
  experimentName?: string;
  tags?: Record<string, string>;
  /** Service-set keys among them: `StartTimeUtc`, `EndTimeUtc`, `azureml.parentrunid`, `azureml.nodeid`, `azureml.error` (the emulator's). */
  properties?: Record<string, string>;
  isArchived?: boolean;
  status?: string;
  services?: Record<string, JobService>;
  inputs?: Record<string, JobInput>;
  outputs?: Record<string, JobOutput>;
  jobs?: Record<string, unknown>;
  settings?: Record<string, unknown>;
  componentId?: string;
  computeId?: string;
}

/** A job. */
export type Job = ArmResource<JobProperties>;
