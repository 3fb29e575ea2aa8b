/** The local emulator of the services the resources talk to (Key Vault secrets, the Databricks workspace, blob storage through Azurite). */
export { startEmulator, MAX_REQUEST_BODY_BYTES, type EmulatorOptions, type RunningEmulator } from "./core/server";
export { ManualClock, systemClock, type Clock } from "./core/clock";
export { LOCAL_EMULATOR_TOKEN, LOCAL_EMULATOR_TENANT_ID, DEFAULT_EMULATOR_HOST, CONTROL_PLANE_PREFIX, REQUEST_LOG_FILE } from "./core/constants";
export type { RequestLogEntry } from "./core/requestLog";
export { childTrustEnvironment } from "./core/tls/childTrust";
export { TLS_FILES } from "./core/tls/tlsMaterial";
export {
  LOCAL_EMULATOR_CLIENT_ID,
  LOCAL_EMULATOR_OWNER_OBJECT_ID,
  LOCAL_MANAGED_IDENTITY_CLIENT_ID,
  LOCAL_MANAGED_IDENTITY_OBJECT_ID,
  ACCESS_TOKEN_LIFETIME_SECONDS,
  MANAGED_IDENTITY_PATH,
} from "./identity/constants";
export { TokenIssuer, CLOCK_SKEW_SECONDS, type AccessTokenClaims, type Principal, type TokenCheck, type TokenProblem } from "./identity/tokens";
export { KEY_VAULT_APPLICATION_ID, KEY_VAULT_AUDIENCES } from "./keyvault/auth";
export { AZURE_DATABRICKS_AUDIENCE } from "./databricks/auth";
export type { Fault, EmulatorService, EmulatorRequest, EmulatorResponse, Route, RouteHandler, HttpMethod, ServiceErrorFactory } from "./core/service";
export { parseFaults, DEFAULT_FAULT_RETRY_AFTER_SECONDS } from "./core/faults";
export {
  InMemorySecretStore,
  FileSecretStore,
  RECOVERABLE_DAYS,
  type SecretStore,
  type SecretStoreOptions,
  type StoredSecret,
  type StoredSecretVersion,
  type StoredSecretAttributes,
  type StoredDeletion,
  type NewSecretVersion,
  type SecretPropertiesPatch,
  type SecretVersionView,
  type DeletedSecretView,
  type SetSecretResult,
} from "./keyvault/store";
export { KEY_VAULT_API_VERSIONS, LATEST_KEY_VAULT_API_VERSION, KEY_VAULT_SERVICE_VERSION } from "./keyvault/service";
export { challengeHeader, KEY_VAULT_RESOURCE, type KeyVaultErrorBody } from "./keyvault/errors";
export { createDatabricksService, type DatabricksService, type DatabricksServiceOptions } from "./databricks/service";
export {
  resolveTiming,
  REALISTIC_TIMING,
  EMULATOR_WORKSPACE_ID,
  EMULATOR_USER,
  type DatabricksEmulatorOptions,
  type DatabricksLifecycle,
  type DatabricksTiming,
} from "./databricks/config";
export { FileDatabricksStore, InMemoryDatabricksStore, type DatabricksStore } from "./databricks/store";
export type { DatabricksDataPaths } from "./databricks/paths";
export type { DatabricksErrorBody } from "./databricks/errors";
export { WELL_KNOWN_ACCOUNT, WELL_KNOWN_ACCOUNT_KEY, AZURITE_ACCOUNTS_ENV } from "./storage/accounts";
