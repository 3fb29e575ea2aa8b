/**
 * What the platform stack exports and the team stack reads through its StackReference: the one
 * contract between the two programs. Plain types only (no imports), so each project type-checks it
 * from its own folder.
 */

/** The Azure ML workspace every resource of both stacks lives in. */
export interface PlatformWorkspace {
  subscriptionId: string;
  resourceGroupName: string;
  workspaceName: string;
  /** Azure Resource Manager's URL (the emulator's locally). */
  armEndpoint: string;
}

/** The platform stack's outputs, by output name. */
export interface PlatformOutputs {
  /** The Azure ML workspace. */
  workspace: PlatformWorkspace;
  /** The Databricks workspace URL. */
  databricksHost: string;
  /** The Key Vault holding the Databricks token. */
  keyVaultUrl: string;
  /** The Key Vault secret's name: what a Databricks step reads the token from (`kv_secret_name`). */
  tokenSecretName: string;
  /** The Key Vault secret's versionless id, `https://<vault>/secrets/<name>`. */
  tokenSecretId: string;
  /** The Databricks workspace attached to Azure ML: the compute's name. */
  computeName: string;
  /** The attached compute's ARM id. */
  computeId: string;
  /** The Databricks secret scope holding the storage account key. */
  secretScope: string;
  /** Where the Azure ML workspace blob store is mounted in DBFS, `/mnt/<name>`. */
  mountPoint: string;
  /** The storage account behind the mount. */
  storageAccount: string;
  /** The blob container behind the mount. */
  container: string;
  /** The storage account's key. Secret: exported encrypted, for programs that read the blob store outside Databricks. */
  storageAccountKey: string;
  /** The shared Python environment (pandas, pyarrow) for teams' steps, `azureml:<name>:<version>`. */
  dataEnvironment: string;
}
