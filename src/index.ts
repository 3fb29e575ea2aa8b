export { KeyVaultSecret, KeyVaultSecretArgs } from "./keyvault/secret/keyVaultSecret";
export { ServiceError } from "./core/errors";
export { Target, TARGET_ENV, LOCAL_TOKEN_ENV } from "./core/target";
export { DatabricksRun, DatabricksRunArgs, DatabricksRunClusterArgs, DatabricksLibraryArgs } from "./databricks/run/databricksRun";
export { DatabricksBlobMount, DatabricksBlobMountArgs } from "./databricks/blobMount/databricksBlobMount";
export { DatabricksSecretScope, DatabricksSecretScopeArgs } from "./databricks/secretScope/databricksSecretScope";
export { DatabricksSecret, DatabricksSecretArgs } from "./databricks/secret/databricksSecret";
export { DatabricksWorkspaceItem, DatabricksWorkspaceItemArgs } from "./databricks/workspaceItem/databricksWorkspaceItem";
export { DatabricksDbfsFile, DatabricksDbfsFileArgs } from "./databricks/dbfsFile/databricksDbfsFile";
export { DatabricksCluster, DatabricksClusterArgs } from "./databricks/cluster/databricksCluster";
export { DatabricksJob, DatabricksJobArgs, DatabricksJobTaskArgs } from "./databricks/job/databricksJob";
export { DatabricksSecretScopeKeyVaultArgs } from "./databricks/secretScope/databricksSecretScope";
export { DatabricksWorkspaceFormat, DatabricksNotebookLanguage } from "./databricks/workspaceItem/databricksWorkspaceItem";
export { DatabricksNewClusterArgs, DatabricksDestinationArgs, DatabricksInitScriptArgs, DatabricksAzureAttributesArgs } from "./databricks/cluster/databricksCluster";
export {
  DatabricksJobClusterArgs,
  DatabricksJobScheduleArgs,
  DatabricksJobEmailNotificationsArgs,
  DatabricksJobWebhookNotificationsArgs,
  DatabricksJobParameterArgs,
} from "./databricks/job/databricksJob";
