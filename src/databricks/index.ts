/** The Databricks resources and the argument types they share. */
export * from "./blobMount/databricksBlobMount";
export * from "./cluster/databricksCluster";
export * from "./dbfsFile/databricksDbfsFile";
export * from "./job/databricksJob";
export * from "./run/databricksRun";
export * from "./secret/databricksSecret";
export * from "./secretScope/databricksSecretScope";
export * from "./workspaceItem/databricksWorkspaceItem";
export type {
  DatabricksAutoscaleArgs,
  DatabricksAzureAttributesArgs,
  DatabricksClusterLogConfArgs,
  DatabricksDestinationArgs,
  DatabricksInitScriptArgs,
  DatabricksNewClusterArgs,
} from "./shared/cluster";
export type { DatabricksLibraryArgs, DatabricksMavenArgs, DatabricksPackageArgs } from "./shared/library";
export type { DatabricksDestinationIdArgs, DatabricksEmailNotificationsArgs, DatabricksWebhookNotificationsArgs } from "./shared/notifications";
export type {
  DatabricksNotebookTaskArgs,
  DatabricksPythonWheelTaskArgs,
  DatabricksSparkJarTaskArgs,
  DatabricksSparkPythonTaskArgs,
  DatabricksTaskArgs,
} from "./shared/task";
