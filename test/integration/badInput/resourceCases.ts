/**
 * The bad-input table of the resources: each row a program's mistake, the inputs the engine hands
 * the provider's `check` at preview, and the exact failures it must report (the property, what is
 * wrong and the fix). Rows are data; `resourceCheck.test.ts` runs them against an emulator.
 */
import * as path from "node:path";
import type { CheckFailure } from "../../../src/core/check";

/** What the rows are built from: the running emulator's URLs and Azure ML workspace. */
export interface CaseContext {
  /** The emulator's URL (Databricks workspace and Resource Manager). */
  readonly url: string;
  /** The emulator's Key Vault URL. */
  readonly keyVaultUrl: string;
  /** The emulator's Azure ML workspace, as a resource's workspace inputs. */
  readonly ws: { subscriptionId: string; resourceGroupName: string; workspaceName: string; armEndpoint: string };
}

/** The kinds of mistake the table covers; each kind has rows for several resources. */
export const CATEGORIES = [
  "wrong type",
  "out of range",
  "bad name",
  "conflicting fields",
  "missing field",
  "malformed YAML",
  "unknown component version",
  "unreachable host",
  "missing credentials",
] as const;
export type Category = (typeof CATEGORIES)[number];

/** One bad input. */
export interface ResourceCase {
  /** The resource type (as the provider registry names it). */
  readonly resource: string;
  readonly category: Category;
  /** The mistake, in a few words. */
  readonly what: string;
  /** The inputs as the engine passes them to `check`. */
  inputs(c: CaseContext): Record<string, unknown>;
  /** Environment of the provider process for this row (`undefined` removes a variable). */
  env?(c: CaseContext): Record<string, string | undefined>;
  /** The exact failures. */
  expect(c: CaseContext): CheckFailure[];
  /** True when `check` must read the service to find the mistake (its request log then is not empty). */
  readonly reads?: boolean;
}

const FIXTURES = path.join(__dirname, "../../fixtures/azureml");
const f = (property: string, reason: string): CheckFailure => ({ property, reason });

// Valid inputs of each resource; a row changes one thing.
const cluster = { sparkVersion: "15.4.x-scala2.12", nodeTypeId: "Standard_DS3_v2", numWorkers: 1 };
const run = (c: CaseContext) => ({ host: c.url, identity: "proj/dev/train", notebookTask: { notebookPath: "/Shared/train" }, newCluster: { ...cluster } });
const mount = (c: CaseContext) => ({ host: c.url, mountName: "aml-data", storageAccountName: "devstoreaccount1", containerName: "azureml-blobstore", accountKeyScope: "storage", accountKeyName: "account-key" });
const kvSecret = (c: CaseContext) => ({ vaultUrl: c.keyVaultUrl, name: "db-token", value: "v1" });
const job = (c: CaseContext) => ({ host: c.url, name: "nightly", tasks: [{ taskKey: "prepare", notebookTask: { notebookPath: "/Shared/prepare" }, jobClusterKey: "main" }], jobClusters: [{ jobClusterKey: "main", newCluster: { ...cluster } }] });
const clusterInputs = (c: CaseContext) => ({ host: c.url, identity: "proj/dev/etl", clusterName: "etl", ...cluster });
const DATABRICKS_ID = "/subscriptions/00000000-0000-0000-0000-0000000000a1/resourceGroups/rg-local/providers/Microsoft.Databricks/workspaces/adb-local";
const attachment = (c: CaseContext) => ({ ...c.ws, computeName: "adb", databricksResourceId: DATABRICKS_ID, workspaceUrl: c.url, accessToken: "dapi-token" });
const environment = (c: CaseContext) => ({ ...c.ws, name: "databricks", version: "1", image: "mcr.microsoft.com/azureml/openmpi4.1.0-ubuntu20.04:latest" });
const componentYaml = (overrides = "") =>
  `name: train\nversion: "1"\ntype: command\nenvironment: azureml:databricks:1\ncommand: python train.py\n${overrides}`;
const component = (c: CaseContext, content = componentYaml()) => ({ ...c.ws, file: path.join(FIXTURES, "inline", "train.yml"), content });
const pipelineJob = { jobType: "Pipeline", jobs: { train: { type: "command", componentId: "azureml:train:1" } } };
const schedule = (c: CaseContext) => ({ ...c.ws, name: "nightly", trigger: { type: "cron", expression: "0 2 * * *" }, pipelineJob });
const endpoint = (c: CaseContext) => ({ ...c.ws, endpointName: "scoring", component: "azureml:pipeline:1" });
const pipelineRun = (c: CaseContext, make = "azureml:make:1") => ({
  ...c.ws,
  identity: "proj/dev/numbers",
  settings: { defaultCompute: "azureml:cpu-cluster" },
  jobs: { make: { component: make } },
});

export const RESOURCE_CASES: readonly ResourceCase[] = [
  // ---- KeyVaultSecret
  { resource: "KeyVaultSecret", category: "bad name", what: "name with an underscore", inputs: (c) => ({ ...kvSecret(c), name: "db_token" }), expect: () => [f("name", "name \"db_token\" is not a valid Key Vault secret name: use 1-127 characters from a-z, A-Z, 0-9 and \"-\" (pattern ^[0-9a-zA-Z-]{1,127}$).")] },
  { resource: "KeyVaultSecret", category: "wrong type", what: "value a number", inputs: (c) => ({ ...kvSecret(c), value: 42 }), expect: () => [f("value", "value must be a string, not number.")] },
  { resource: "KeyVaultSecret", category: "out of range", what: "value over 25 KiB", inputs: (c) => ({ ...kvSecret(c), value: "x".repeat(25 * 1024 + 1) }), expect: () => [f("value", "value is 25601 bytes; Key Vault accepts at most 25600 bytes per secret. Store large data in a blob and keep its key here.")] },
  { resource: "KeyVaultSecret", category: "conflicting fields", what: "expires before notBefore", inputs: (c) => ({ ...kvSecret(c), notBefore: "2027-01-02T00:00:00Z", expires: "2027-01-01T00:00:00Z" }), expect: () => [f("expires", "expires (2027-01-01T00:00:00Z) must be later than notBefore (2027-01-02T00:00:00Z).")] },
  { resource: "KeyVaultSecret", category: "unreachable host", what: "vault URL not on loopback in the local target", inputs: (c) => ({ ...kvSecret(c), vaultUrl: "https://myvault.vault.azure.net" }), expect: () => [f("vaultUrl", "vaultUrl \"https://myvault.vault.azure.net\" is not on loopback, but AMLDB_TARGET is \"local\": point it at the emulator (for example https://127.0.0.1:<port>) or set AMLDB_TARGET=azure.")] },
  { resource: "KeyVaultSecret", category: "missing field", what: "no vaultUrl", inputs: (c) => ({ ...kvSecret(c), vaultUrl: undefined }), expect: () => [f("vaultUrl", "vaultUrl is required: the vault's URL, e.g. https://myvault.vault.azure.net (the emulator's URL in local mode).")] },

  { resource: "KeyVaultSecret", category: "unreachable host", what: "nothing listens at the vault URL", inputs: (c) => ({ ...kvSecret(c), vaultUrl: "https://127.0.0.1:1" }), expect: () => [f("vaultUrl", "vaultUrl: nothing listens at https://127.0.0.1:1 (connection refused): start the emulator (npm run emulator) and give its URL as vaultUrl.")] },

  // ---- DatabricksRun
  { resource: "DatabricksRun", category: "out of range", what: "negative numWorkers", inputs: (c) => ({ ...run(c), newCluster: { ...cluster, numWorkers: -1 } }), expect: () => [f("newCluster.numWorkers", "newCluster.numWorkers must be a whole number from 0 to 100000, not -1.")] },
  { resource: "DatabricksRun", category: "wrong type", what: "timeoutSeconds a string", inputs: (c) => ({ ...run(c), timeoutSeconds: "3600" }), expect: () => [f("timeoutSeconds", "timeoutSeconds must be a whole number >= 0, not \"3600\".")] },
  { resource: "DatabricksRun", category: "conflicting fields", what: "existingClusterId and newCluster", inputs: (c) => ({ ...run(c), existingClusterId: "0101-abc" }), expect: () => [f("newCluster", "existingClusterId and newCluster are mutually exclusive: run the task on an existing cluster, a new cluster, or a job cluster.")] },
  { resource: "DatabricksRun", category: "bad name", what: "relative notebook path", inputs: (c) => ({ ...run(c), notebookTask: { notebookPath: "Shared/train" } }), expect: () => [f("notebookTask.notebookPath", "notebookTask.notebookPath must be an absolute workspace path such as /Shared/etl/prepare (for example a DatabricksWorkspaceItem's workspacePath).")] },
  { resource: "DatabricksRun", category: "unreachable host", what: "host not on loopback in the local target", inputs: (c) => ({ ...run(c), host: "https://adb-1.2.azuredatabricks.net" }), expect: () => [f("host", "AMLDB_TARGET=local talks to the local emulator, so the Databricks host must be a loopback address (127.0.0.1, localhost, ::1), not https://adb-1.2.azuredatabricks.net.")] },
  { resource: "DatabricksRun", category: "missing credentials", what: "no token for a workspace outside Azure", inputs: (c) => ({ ...run(c), host: "https://dbc-1234.cloud.databricks.com" }), env: () => ({ AMLDB_TARGET: "azure", DATABRICKS_HOST: undefined, DATABRICKS_TOKEN: undefined, DATABRICKS_CONFIG_FILE: "/nonexistent/.databrickscfg" }), expect: () => [f("host", "https://dbc-1234.cloud.databricks.com has no Databricks token, and Azure AD tokens are sent only to Azure Databricks workspaces (https://<workspace>.azuredatabricks.net, https://<workspace>.databricks.azure.cn, https://<workspace>.databricks.azure.us): give it a personal access token (DATABRICKS_TOKEN with DATABRICKS_HOST=https://dbc-1234.cloud.databricks.com, or a profile in /nonexistent/.databrickscfg with host = https://dbc-1234.cloud.databricks.com and its token).")] },

  { resource: "DatabricksRun", category: "unreachable host", what: "host not a URL", inputs: (c) => ({ ...run(c), host: "adb 1.2" }), expect: () => [f("host", "Databricks host \"adb 1.2\" is not a valid URL: give the workspace URL, e.g. https://adb-1234567890123456.7.azuredatabricks.net.")] },

  { resource: "DatabricksRun", category: "unreachable host", what: "nothing listens at the host", inputs: (c) => ({ ...run(c), host: "https://127.0.0.1:1" }), expect: () => [f("host", "host: nothing listens at https://127.0.0.1:1 (connection refused): start the emulator (npm run emulator) and give its URL as host or DATABRICKS_HOST.")] },

  // ---- DatabricksBlobMount
  { resource: "DatabricksBlobMount", category: "bad name", what: "mount name with a space", inputs: (c) => ({ ...mount(c), mountName: "aml data" }), expect: () => [f("mountName", "mountName \"aml data\" is not valid: the mount point is /mnt/<mountName>; use letters, digits, '.', '_' and '-'.")] },
  { resource: "DatabricksBlobMount", category: "bad name", what: "storage account with capitals", inputs: (c) => ({ ...mount(c), storageAccountName: "Bad_Account" }), expect: () => [f("storageAccountName", "storageAccountName \"Bad_Account\" is not valid: a storage account name has 3-24 lowercase letters and digits.")] },
  { resource: "DatabricksBlobMount", category: "bad name", what: "directory with a leading slash", inputs: (c) => ({ ...mount(c), directory: "/raw/2024" }), expect: () => [f("directory", "directory is a path inside the container without a leading '/', e.g. \"raw/2024\".")] },
  { resource: "DatabricksBlobMount", category: "wrong type", what: "jobCluster a string", inputs: (c) => ({ ...mount(c), jobCluster: "Standard_DS3_v2" }), expect: () => [f("jobCluster", "jobCluster must be cluster settings, e.g. { sparkVersion: \"15.4.x-scala2.12\", nodeTypeId: \"Standard_DS3_v2\" }.")] },
  { resource: "DatabricksBlobMount", category: "unreachable host", what: "plain http host without AMLDB_LOCAL_HTTP", inputs: (c) => ({ ...mount(c), host: c.url.replace("https:", "http:") }), expect: (c) => [f("host", `The Databricks host ${c.url.replace("https:", "http:")} uses plain http; the local target, like the azure one, sends tokens over https only. Use the https URL the emulator prints, or set AMLDB_LOCAL_HTTP=1 for an emulator started with --http.`)] },

  { resource: "DatabricksBlobMount", category: "unreachable host", what: "nothing listens at DATABRICKS_HOST", inputs: (c) => ({ ...mount(c), host: undefined }), env: () => ({ DATABRICKS_HOST: "https://localhost:1" }), expect: () => [f("host", "host: nothing listens at https://localhost:1 (connection refused): start the emulator (npm run emulator) and give its URL as host or DATABRICKS_HOST.")] },

  // ---- DatabricksSecretScope
  { resource: "DatabricksSecretScope", category: "bad name", what: "scope name with a space", inputs: (c) => ({ host: c.url, name: "etl scope" }), expect: () => [f("name", "name \"etl scope\" is not a valid scope name: use 1-128 letters, digits and _ . @ / -.")] },
  { resource: "DatabricksSecretScope", category: "out of range", what: "scope name over 128 characters", inputs: (c) => ({ host: c.url, name: "s".repeat(129) }), expect: () => [f("name", "name \"sssssssssssssssssssssssssssssssssssssssssssssssssssssssssssssssssssssssssssssssssssssssssssssssssssssssssssssssssssssssssssssssss\" is not a valid scope name: use 1-128 letters, digits and _ . @ / -.")] },
  { resource: "DatabricksSecretScope", category: "wrong type", what: "keyVault a string", inputs: (c) => ({ host: c.url, name: "kv", keyVault: "https://kv.vault.azure.net" }), expect: () => [f("keyVault", "keyVault must be { resourceId, dnsName }: the vault's ARM id and its URI.")] },
  { resource: "DatabricksSecretScope", category: "wrong type", what: "initialManagePrincipal a number", inputs: (c) => ({ host: c.url, name: "etl", initialManagePrincipal: 7 }), expect: () => [f("initialManagePrincipal", "initialManagePrincipal must name a user, group or service principal, e.g. \"users\" (every workspace user); omit it for the default \"users\".")] },

  { resource: "DatabricksSecretScope", category: "missing credentials", what: "a token only for another workspace", inputs: () => ({ host: "https://dbc-2.cloud.databricks.com", name: "etl" }), env: () => ({ AMLDB_TARGET: "azure", DATABRICKS_HOST: "https://adb-1.2.azuredatabricks.net", DATABRICKS_TOKEN: "dapi-other-workspace", DATABRICKS_CONFIG_FILE: "/nonexistent/.databrickscfg" }), expect: () => [f("host", "DATABRICKS_TOKEN is for https://adb-1.2.azuredatabricks.net (DATABRICKS_HOST) and is sent only there, not to https://dbc-2.cloud.databricks.com. Give https://dbc-2.cloud.databricks.com credentials of its own: a profile in /nonexistent/.databrickscfg with host = https://dbc-2.cloud.databricks.com and its token (found by its host; without a token it signs in with Azure AD), or set DATABRICKS_HOST=https://dbc-2.cloud.databricks.com if the token is for it.")] },

  // ---- DatabricksSecret
  { resource: "DatabricksSecret", category: "conflicting fields", what: "stringValue and bytesValue", inputs: (c) => ({ host: c.url, scope: "etl", key: "k", stringValue: "v", bytesValue: "dg==" }), expect: () => [f("bytesValue", "stringValue and bytesValue are mutually exclusive: give the value as text (stringValue) or as base64 bytes (bytesValue), not both.")] },
  { resource: "DatabricksSecret", category: "bad name", what: "key with a slash", inputs: (c) => ({ host: c.url, scope: "etl", key: "a/b", stringValue: "v" }), expect: () => [f("key", "key \"a/b\" is not valid: use 1-128 letters, digits and _ . -.")] },
  { resource: "DatabricksSecret", category: "wrong type", what: "bytesValue not base64", inputs: (c) => ({ host: c.url, scope: "etl", key: "k", bytesValue: "not base64!" }), expect: () => [f("bytesValue", "bytesValue must be base64 (A-Z, a-z, 0-9, +, / and = padding), e.g. Buffer.from(bytes).toString(\"base64\").")] },
  { resource: "DatabricksSecret", category: "missing field", what: "no value", inputs: (c) => ({ host: c.url, scope: "etl", key: "k" }), expect: () => [f("stringValue", "give exactly one of stringValue and bytesValue (base64).")] },

  { resource: "DatabricksSecret", category: "unreachable host", what: "an ftp host", inputs: () => ({ host: "ftp://127.0.0.1:21", scope: "etl", key: "k", stringValue: "v" }), expect: () => [f("host", "Databricks host \"ftp://127.0.0.1:21\" must be an https URL, not ftp:.")] },

  // ---- DatabricksWorkspaceItem
  { resource: "DatabricksWorkspaceItem", category: "bad name", what: "relative path", inputs: (c) => ({ host: c.url, path: "Shared/nb", content: "print(1)\n" }), expect: () => [f("path", "path \"Shared/nb\" must be absolute (start with /) and name the item, not a folder.")] },
  { resource: "DatabricksWorkspaceItem", category: "bad name", what: "path with ..", inputs: (c) => ({ host: c.url, path: "/Shared/../Users/nb", content: "print(1)\n" }), expect: () => [f("path", "path \"/Shared/../Users/nb\" has a \".\" or \"..\" part: give the item's plain absolute path, e.g. /Shared/etl/prepare.")] },
  { resource: "DatabricksWorkspaceItem", category: "conflicting fields", what: "content and contentBase64", inputs: (c) => ({ host: c.url, path: "/Shared/nb", content: "print(1)\n", contentBase64: "cHJpbnQoMSkK" }), expect: () => [f("contentBase64", "content and contentBase64 are mutually exclusive: give the content once: a local file, text, or base64.")] },
  { resource: "DatabricksWorkspaceItem", category: "wrong type", what: "format not a format", inputs: (c) => ({ host: c.url, path: "/Shared/nb", content: "print(1)\n", format: "PDF" }), expect: () => [f("format", "format must be one of SOURCE, JUPYTER, AUTO, RAW, HTML, DBC, R_MARKDOWN, not \"PDF\".")] },
  { resource: "DatabricksWorkspaceItem", category: "missing field", what: "source file missing", inputs: (c) => ({ host: c.url, path: "/Shared/nb", source: "/nonexistent/nb.py" }), expect: () => [f("source", "source \"/nonexistent/nb.py\" is not a readable file: give the path of a local file, relative to the program's directory.")] },

  { resource: "DatabricksWorkspaceItem", category: "bad name", what: "path with a . part", inputs: (c) => ({ host: c.url, path: "/Shared/./nb", content: "print(1)\n" }), expect: () => [f("path", "path \"/Shared/./nb\" has a \".\" or \"..\" part: give the item's plain absolute path, e.g. /Shared/etl/prepare.")] },

  // ---- DatabricksDbfsFile
  { resource: "DatabricksDbfsFile", category: "bad name", what: "relative DBFS path", inputs: (c) => ({ host: c.url, path: "FileStore/x.txt", contentBase64: "YWJj" }), expect: () => [f("path", "path \"FileStore/x.txt\" must be an absolute DBFS file path such as dbfs:/FileStore/data/input.csv.")] },
  { resource: "DatabricksDbfsFile", category: "bad name", what: "DBFS path with ..", inputs: (c) => ({ host: c.url, path: "dbfs:/FileStore/../../etc/passwd", contentBase64: "YWJj" }), expect: () => [f("path", "path \"dbfs:/FileStore/../../etc/passwd\" has a \".\" or \"..\" part: give the file's plain absolute DBFS path, e.g. dbfs:/FileStore/data/input.csv.")] },
  { resource: "DatabricksDbfsFile", category: "wrong type", what: "contentBase64 not base64", inputs: (c) => ({ host: c.url, path: "/FileStore/x.txt", contentBase64: "abc" }), expect: () => [f("contentBase64", "contentBase64 must be base64 (A-Z, a-z, 0-9, +, / and = padding), e.g. Buffer.from(data).toString(\"base64\").")] },
  { resource: "DatabricksDbfsFile", category: "conflicting fields", what: "source and contentBase64", inputs: (c) => ({ host: c.url, path: "/FileStore/x.txt", source: __filename, contentBase64: "YWJj" }), expect: () => [f("contentBase64", "source and contentBase64 are mutually exclusive: upload a local file or inline content, not both.")] },

  { resource: "DatabricksDbfsFile", category: "bad name", what: "DBFS path with a NUL", inputs: (c) => ({ host: c.url, path: "/FileStore/x\u0000.txt", contentBase64: "YWJj" }), expect: () => [f("path", "path \"/FileStore/x\\u0000.txt\" contains a control character: give the file's plain absolute DBFS path, e.g. dbfs:/FileStore/data/input.csv.")] },

  // ---- DatabricksCluster
  { resource: "DatabricksCluster", category: "out of range", what: "autoterminationMinutes 5", inputs: (c) => ({ ...clusterInputs(c), autoterminationMinutes: 5 }), expect: () => [f("autoterminationMinutes", "autoterminationMinutes is 0 (never) or a whole number of minutes >= 10.")] },
  { resource: "DatabricksCluster", category: "conflicting fields", what: "numWorkers and autoscale", inputs: (c) => ({ ...clusterInputs(c), autoscale: { minWorkers: 1, maxWorkers: 4 } }), expect: () => [f("autoscale", "numWorkers and autoscale are mutually exclusive: a fixed size or a range.")] },
  { resource: "DatabricksCluster", category: "out of range", what: "autoscale min above max", inputs: (c) => ({ ...clusterInputs(c), numWorkers: undefined, autoscale: { minWorkers: 5, maxWorkers: 2 } }), expect: () => [f("autoscale", "autoscale needs whole numbers 1 <= minWorkers <= maxWorkers <= 100000, e.g. { minWorkers: 1, maxWorkers: 4 }.")] },
  { resource: "DatabricksCluster", category: "wrong type", what: "numWorkers a string", inputs: (c) => ({ ...clusterInputs(c), numWorkers: "2" }), expect: () => [f("numWorkers", "numWorkers must be a whole number from 0 to 100000, not \"2\".")] },
  { resource: "DatabricksCluster", category: "conflicting fields", what: "spec with a cluster_id", inputs: (c) => ({ host: c.url, identity: "proj/dev/etl", spec: { cluster_id: "0101-abc", spark_version: "15.4.x-scala2.12", node_type_id: "Standard_DS3_v2", num_workers: 1 } }), expect: () => [f("spec.cluster_id", "spec.cluster_id must not be set: the service assigns the cluster id at create.")] },

  { resource: "DatabricksCluster", category: "missing credentials", what: "a profile that does not exist", inputs: (c) => ({ ...clusterInputs(c), host: undefined }), env: () => ({ AMLDB_TARGET: "azure", DATABRICKS_HOST: undefined, DATABRICKS_CONFIG_PROFILE: "prod", DATABRICKS_CONFIG_FILE: "/nonexistent/.databrickscfg" }), expect: () => [f("host", "Databricks profile \"prod\" was requested but the config file /nonexistent/.databrickscfg does not exist: create it with a [prod] section giving the workspace's host and token, or choose a profile that exists.")] },

  { resource: "DatabricksCluster", category: "unreachable host", what: "nothing listens at the host", inputs: (c) => ({ ...clusterInputs(c), host: "https://127.0.0.1:1" }), expect: () => [f("host", "host: nothing listens at https://127.0.0.1:1 (connection refused): start the emulator (npm run emulator) and give its URL as host or DATABRICKS_HOST.")] },

  // ---- DatabricksJob
  { resource: "DatabricksJob", category: "bad name", what: "cron of 3 fields", inputs: (c) => ({ ...job(c), schedule: { quartzCronExpression: "0 6 *", timezoneId: "UTC" } }), expect: () => [f("schedule.quartzCronExpression", "schedule.quartzCronExpression must be a Quartz cron expression of 6 or 7 fields, e.g. \"0 0 6 * * ?\" (06:00 every day).")] },
  { resource: "DatabricksJob", category: "conflicting fields", what: "task on an undeclared job cluster", inputs: (c) => ({ ...job(c), tasks: [{ taskKey: "prepare", notebookTask: { notebookPath: "/Shared/prepare" }, jobClusterKey: "other" }] }), expect: () => [f("tasks[0].jobClusterKey", "tasks[0].jobClusterKey \"other\" is not a key of jobClusters: add { jobClusterKey: \"other\", newCluster: {...} } to jobClusters.")] },
  { resource: "DatabricksJob", category: "conflicting fields", what: "dependsOn an unknown task", inputs: (c) => ({ ...job(c), tasks: [{ taskKey: "prepare", dependsOn: ["ghost"], notebookTask: { notebookPath: "/Shared/prepare" }, jobClusterKey: "main" }] }), expect: () => [f("tasks[0].dependsOn", "dependsOn names \"ghost\", which is not a task key of this job.")] },
  { resource: "DatabricksJob", category: "out of range", what: "maxConcurrentRuns 1001", inputs: (c) => ({ ...job(c), maxConcurrentRuns: 1001 }), expect: () => [f("maxConcurrentRuns", "maxConcurrentRuns must be a whole number from 0 to 1000 (0 skips every new run), not 1001.")] },
  { resource: "DatabricksJob", category: "missing field", what: "no tasks", inputs: (c) => ({ host: c.url, name: "nightly" }), expect: () => [f("tasks", "tasks is required: at least one task (or a complete jobs/create JSON as spec).")] },

  { resource: "DatabricksJob", category: "missing field", what: "no host anywhere", inputs: (c) => ({ ...job(c), host: undefined }), env: () => ({ DATABRICKS_HOST: undefined, DATABRICKS_CONFIG_FILE: "/nonexistent/.databrickscfg" }), expect: () => [f("host", "No Databricks host is configured. Set DATABRICKS_HOST (e.g. https://adb-1234567890123456.7.azuredatabricks.net), pass \"host\", or add \"host = ...\" to the [DEFAULT] profile of /nonexistent/.databrickscfg (choose the file with DATABRICKS_CONFIG_FILE and the profile with DATABRICKS_CONFIG_PROFILE).")] },

  // ---- DatabricksComputeAttachment
  { resource: "DatabricksComputeAttachment", category: "bad name", what: "databricksResourceId of another kind", inputs: (c) => ({ ...attachment(c), databricksResourceId: "/subscriptions/x/resourceGroups/rg/providers/Microsoft.Storage/storageAccounts/a" }), expect: () => [f("databricksResourceId", "databricksResourceId \"/subscriptions/x/resourceGroups/rg/providers/Microsoft.Storage/storageAccounts/a\" is not a Databricks workspace ARM id: /subscriptions/<sub>/resourceGroups/<rg>/providers/Microsoft.Databricks/workspaces/<name>.")] },
  { resource: "DatabricksComputeAttachment", category: "bad name", what: "computeName too long", inputs: (c) => ({ ...attachment(c), computeName: "a".repeat(40) }), expect: () => [f("computeName", "computeName \"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\" is not valid: 2-24 letters, digits and '-', starting with a letter.")] },
  { resource: "DatabricksComputeAttachment", category: "wrong type", what: "accessToken a number", inputs: (c) => ({ ...attachment(c), accessToken: 1234 }), expect: () => [f("accessToken", "accessToken must be a string, not number.")] },
  { resource: "DatabricksComputeAttachment", category: "bad name", what: "subscriptionId not a GUID", inputs: (c) => ({ ...attachment(c), subscriptionId: "my-subscription" }), expect: () => [f("subscriptionId", "subscriptionId \"my-subscription\" is not valid: a subscription id is a GUID such as 00000000-0000-0000-0000-000000000000.")] },
  { resource: "DatabricksComputeAttachment", category: "unreachable host", what: "ARM endpoint not on loopback in the local target", inputs: (c) => ({ ...attachment(c), armEndpoint: "https://management.azure.com" }), expect: () => [f("armEndpoint", "armEndpoint: The Azure Resource Manager endpoint https://management.azure.com is not on loopback; the local target sends its token only to the emulator. Give armEndpoint (or AMLDB_ARM_ENDPOINT) the emulator's URL, or set AMLDB_TARGET=azure for the real service.")] },

  // ---- AmlEnvironment
  { resource: "AmlEnvironment", category: "bad name", what: "version with a slash", inputs: (c) => ({ ...environment(c), version: "1/2" }), expect: () => [f("version", "version \"1/2\" is not valid: letters, digits, '_', '-' and '.', at most 30.")] },
  { resource: "AmlEnvironment", category: "wrong type", what: "osType not an OS", inputs: (c) => ({ ...environment(c), osType: "MacOS" }), expect: () => [f("osType", "osType must be one of Linux, Windows, not \"MacOS\".")] },
  { resource: "AmlEnvironment", category: "missing field", what: "no image", inputs: (c) => ({ ...environment(c), image: undefined }), expect: () => [f("image", "image is required: the Docker image, e.g. mcr.microsoft.com/azureml/openmpi4.1.0-ubuntu20.04:latest (a build context is not supported).")] },
  { resource: "AmlEnvironment", category: "wrong type", what: "tags not strings", inputs: (c) => ({ ...environment(c), tags: { owner: 7 } }), expect: () => [f("tags", "tags must map names to string values, e.g. { \"name\": \"value\" }.")] },
  { resource: "AmlEnvironment", category: "bad name", what: "workspace name of 2 characters", inputs: (c) => ({ ...environment(c), workspaceName: "ws" }), expect: () => [f("workspaceName", "workspaceName \"ws\" is not valid: 3-33 letters, digits, '_' and '-', starting with a letter or digit.")] },

  { resource: "AmlEnvironment", category: "unreachable host", what: "nothing listens at AMLDB_ARM_ENDPOINT", inputs: (c) => ({ ...environment(c), armEndpoint: undefined }), env: () => ({ AMLDB_ARM_ENDPOINT: "https://127.0.0.1:1" }), expect: () => [f("armEndpoint", "armEndpoint: nothing listens at https://127.0.0.1:1 (connection refused): start the emulator (npm run emulator) and give its URL as armEndpoint or AMLDB_ARM_ENDPOINT.")] },

  // ---- AmlComponent
  { resource: "AmlComponent", category: "malformed YAML", what: "unclosed flow sequence", inputs: (c) => component(c, "name: train\ninputs: [a, b\n"), expect: () => [f("file", `Component file ${path.join(FIXTURES, "inline", "train.yml")} is not valid YAML: Flow sequence in block collection must be sufficiently indented and end with a ]`)] },
  { resource: "AmlComponent", category: "malformed YAML", what: "a list, not a mapping", inputs: (c) => component(c, "- name: train\n"), expect: () => [f("file", `Component file ${path.join(FIXTURES, "inline", "train.yml")} must be a YAML mapping (key: value lines) at the top level.`)] },
  { resource: "AmlComponent", category: "conflicting fields", what: "version and versionFromContent", inputs: (c) => ({ ...component(c, componentYaml().replace('version: "1"\n', "")), version: "2", versionFromContent: true }), expect: () => [f("version", "version and versionFromContent are mutually exclusive: give a version, or let the content decide it.")] },
  { resource: "AmlComponent", category: "wrong type", what: "inline environment", inputs: (c) => component(c, componentYaml().replace("environment: azureml:databricks:1\n", "environment:\n  image: python:3.11\n")), expect: () => [f("file", `${path.join(FIXTURES, "inline", "train.yml")}: environment is an inline environment; AmlComponent takes a registered one (azureml:<name>:<version>, e.g. an AmlEnvironment's reference).`)] },
  { resource: "AmlComponent", category: "wrong type", what: "input of an unknown type", inputs: (c) => component(c, componentYaml("inputs:\n  n:\n    type: complex\n")), expect: () => [f("file", `${path.join(FIXTURES, "inline", "train.yml")}: inputs.n.type must be one of number, integer, boolean, string, uri_file, uri_folder, mltable, mlflow_model, custom_model, triton_model.`)] },

  { resource: "AmlComponent", category: "unreachable host", what: "nothing listens at the ARM endpoint", inputs: (c) => ({ ...component(c), armEndpoint: "https://127.0.0.1:1" }), expect: () => [f("armEndpoint", "armEndpoint: nothing listens at https://127.0.0.1:1 (connection refused): start the emulator (npm run emulator) and give its URL as armEndpoint or AMLDB_ARM_ENDPOINT.")] },

  // ---- AmlSchedule
  { resource: "AmlSchedule", category: "out of range", what: "cron of 3 fields", inputs: (c) => ({ ...schedule(c), trigger: { type: "cron", expression: "0 2 *" } }), expect: () => [f("trigger.expression", "trigger.expression must be a cron expression of five fields (minute hour day month weekday), e.g. \"0 2 * * *\"; got \"0 2 *\".")] },
  { resource: "AmlSchedule", category: "wrong type", what: "recurrence frequency fortnight", inputs: (c) => ({ ...schedule(c), trigger: { type: "recurrence", frequency: "fortnight", interval: 1 } }), expect: () => [f("trigger.frequency", "trigger.frequency must be one of minute, hour, day, week, month; got \"fortnight\".")] },
  { resource: "AmlSchedule", category: "conflicting fields", what: "endTime before startTime", inputs: (c) => ({ ...schedule(c), trigger: { type: "cron", expression: "0 2 * * *", startTime: "2027-02-01T00:00:00", endTime: "2027-01-01T00:00:00" } }), expect: () => [f("trigger.endTime", "trigger.endTime (2027-01-01T00:00:00) must be later than trigger.startTime (2027-02-01T00:00:00).")] },
  { resource: "AmlSchedule", category: "bad name", what: "name starting with a dash", inputs: (c) => ({ ...schedule(c), name: "-nightly" }), expect: () => [f("name", "name \"-nightly\" is not valid: letters, digits, '_' and '-', starting with a letter or digit.")] },
  { resource: "AmlSchedule", category: "wrong type", what: "pipelineJob not a pipeline", inputs: (c) => ({ ...schedule(c), pipelineJob: { jobType: "Command" } }), expect: () => [f("pipelineJob", "pipelineJob must be the REST PipelineJob properties: { jobType: \"Pipeline\", jobs: { ... }, settings?, inputs?, outputs? }.")] },

  // ---- AmlPipelineEndpoint
  { resource: "AmlPipelineEndpoint", category: "bad name", what: "endpoint name ending with a dash", inputs: (c) => ({ ...endpoint(c), endpointName: "scoring-" }), expect: () => [f("endpointName", "endpointName \"scoring-\" is not valid: 3-32 letters, digits and '-', starting with a letter and not ending with '-'.")] },
  { resource: "AmlPipelineEndpoint", category: "conflicting fields", what: "component and pipelineFile", inputs: (c) => ({ ...endpoint(c), pipelineFile: path.join(FIXTURES, "examples", "pipeline.yml") }), expect: () => [f("pipelineFile", "component and pipelineFile are mutually exclusive: deploy a registered pipeline component or register one from a pipeline file, not both.")] },
  { resource: "AmlPipelineEndpoint", category: "bad name", what: "component not a reference", inputs: (c) => ({ ...endpoint(c), component: "pipeline" }), expect: () => [f("component", "component \"pipeline\" is not a registered component: azureml:<name>:<version> or a component version's ARM id.")] },
  { resource: "AmlPipelineEndpoint", category: "wrong type", what: "settings not strings", inputs: (c) => ({ ...endpoint(c), settings: { default_compute: 3 } }), expect: () => [f("settings", "settings must map names to string values, e.g. { \"default_compute\": \"azureml:cpu-cluster\" }.")] },

  { resource: "AmlPipelineEndpoint", category: "unknown component version", what: "a pipeline component version not registered", inputs: (c) => ({ ...endpoint(c), component: "azureml:pipeline:99" }), expect: () => [f("component", 'component "azureml:pipeline:99" is not registered in Azure ML workspace "local-aml" (resource group "rg-local"): register the pipeline component first (az ml component create), or give pipelineFile to register it from a pipeline YAML.')], reads: true },
  { resource: "AmlPipelineEndpoint", category: "unreachable host", what: "nothing listens at the ARM endpoint", inputs: (c) => ({ ...endpoint(c), armEndpoint: "https://127.0.0.1:1" }), expect: () => [f("armEndpoint", "armEndpoint https://127.0.0.1:1 could not be reached (AUTHENTICATION_FAILED: could not get local emulator credentials: connect ECONNREFUSED 127.0.0.1:1): start the emulator (npm run emulator) and give its URL as armEndpoint or AMLDB_ARM_ENDPOINT.")] },

  // ---- AmlPipelineRun
  { resource: "AmlPipelineRun", category: "unknown component version", what: "a component version not registered", inputs: (c) => pipelineRun(c, "azureml:make:99"), expect: () => [f("jobs.make.component", "jobs.make.component azureml:make:99: component make:99 is not registered in Azure ML workspace \"local-aml\" (resource group \"rg-local\"): register it first (an AmlComponent, whose componentId or reference the step takes, so the run waits for it).")], reads: true },
  { resource: "AmlPipelineRun", category: "unknown component version", what: "a component not registered at all", inputs: (c) => pipelineRun(c, "azureml:ghost@latest"), expect: () => [f("jobs.make.component", "jobs.make.component azureml:ghost@latest: component ghost has no version in Azure ML workspace \"local-aml\" (resource group \"rg-local\"): register it first (an AmlComponent, whose componentId or reference the step takes, so the run waits for it).")], reads: true },
  { resource: "AmlPipelineRun", category: "unreachable host", what: "nothing listens at the ARM endpoint", inputs: (c) => ({ ...pipelineRun(c), armEndpoint: "https://127.0.0.1:1" }), expect: () => [f("armEndpoint", "armEndpoint https://127.0.0.1:1 could not be reached (AUTHENTICATION_FAILED: could not get local emulator credentials: connect ECONNREFUSED 127.0.0.1:1): start the emulator (npm run emulator) and give its URL as armEndpoint or AMLDB_ARM_ENDPOINT.")] },
  { resource: "AmlPipelineRun", category: "bad name", what: "step name with a dash", inputs: (c) => ({ ...pipelineRun(c), jobs: { "make-it": { component: "azureml:make:1" } } }), expect: () => [f("jobs.make-it", "jobs.make-it is not a valid step name: letters, digits and '_', starting with a letter or '_'.")] },
  { resource: "AmlPipelineRun", category: "out of range", what: "timeoutSeconds 0", inputs: (c) => ({ ...pipelineRun(c), timeoutSeconds: 0 }), expect: () => [f("timeoutSeconds", "timeoutSeconds must be a whole number >= 1, not 0.")] },
  { resource: "AmlPipelineRun", category: "bad name", what: "a workspace that does not exist", inputs: (c) => ({ ...pipelineRun(c), workspaceName: "no-such-ws" }), expect: () => [f("workspaceName", "workspaceName \"no-such-ws\": no such Azure ML workspace in resource group \"rg-local\" of subscription 00000000-0000-0000-0000-0000000000a1: check workspaceName, resourceGroupName and subscriptionId.")], reads: true },
  { resource: "AmlPipelineRun", category: "bad name", what: "a resource group that does not exist", inputs: (c) => ({ ...pipelineRun(c), resourceGroupName: "no-such-rg" }), expect: () => [f("resourceGroupName", "resourceGroupName \"no-such-rg\": no such resource group in subscription 00000000-0000-0000-0000-0000000000a1: give the workspace's resource group.")], reads: true },
  { resource: "AmlPipelineRun", category: "missing credentials", what: "the emulator refuses the token", inputs: (c) => pipelineRun(c), env: () => ({ AMLDB_LOCAL_TOKEN: "not-the-emulator-token" }), expect: (c) => [f("armEndpoint", `armEndpoint ${c.url} did not accept the credentials (AUTHENTICATION_FAILED: could not get local emulator credentials: get a token for https://management.azure.com/.default from the emulator's token endpoint ${c.url}/00000000-0000-0000-0000-000000000000/oauth2/v2.0/token failed: 401 invalid_client: AADSTS7000215: Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app '00000000-0000-0000-0000-000000000001'. Set AMLDB_LOCAL_TOKEN to the token the emulator was started with.): start the emulator at that URL, and set AMLDB_LOCAL_TOKEN to the token it prints (or unset it, for an emulator started with the default token).`)], reads: true },
];
