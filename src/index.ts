export { KeyVaultSecret, KeyVaultSecretArgs } from "./keyVaultSecret";
export { ServiceError } from "./errors";
export { Target, TARGET_ENV, LOCAL_TOKEN_ENV } from "./target";
export { DatabricksRun, DatabricksRunArgs, DatabricksRunClusterArgs, DatabricksLibraryArgs } from "./databricksRun";
export { DatabricksBlobMount, DatabricksBlobMountArgs } from "./databricksBlobMount";
export { DatabricksSecretScope, DatabricksSecretScopeArgs } from "./databricksSecretScope";
export { DatabricksSecret, DatabricksSecretArgs } from "./databricksSecret";
export { DatabricksWorkspaceItem, DatabricksWorkspaceItemArgs } from "./databricksWorkspaceItem";
export { DatabricksDbfsFile, DatabricksDbfsFileArgs } from "./databricksDbfsFile";
export { DatabricksCluster, DatabricksClusterArgs } from "./databricksCluster";
export { DatabricksJob, DatabricksJobArgs, DatabricksJobTaskArgs } from "./databricksJob";
export { DatabricksSecretScopeKeyVaultArgs } from "./databricksSecretScope";
export { DatabricksWorkspaceFormat, DatabricksNotebookLanguage } from "./databricksWorkspaceItem";
export { DatabricksNewClusterArgs, DatabricksDestinationArgs, DatabricksInitScriptArgs, DatabricksAzureAttributesArgs } from "./databricksCluster";
export {
  DatabricksJobClusterArgs,
  DatabricksJobScheduleArgs,
  DatabricksJobEmailNotificationsArgs,
  DatabricksJobWebhookNotificationsArgs,
  DatabricksJobParameterArgs,
} from "./databricksJob";
