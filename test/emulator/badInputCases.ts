/**
 * The emulator's bad-input table: requests no client of ours sends (malformed JSON, wrong types,
 * huge and deep bodies, paths that climb out or hide a NUL, ids that do not exist) to the
 * Databricks, Key Vault and Azure ML (Resource Manager) routes, each with the exact answer the
 * service gives: its status and its error body's form. `badInput.test.ts` runs them.
 */

/** The services whose routes the table covers, each with its own error body form. */
export const SERVICES = ["databricks", "keyvault", "azureml"] as const;
export type Service = (typeof SERVICES)[number];

/** The kinds of bad request the table covers. */
export const KINDS = ["malformed JSON", "wrong type", "huge body", "deep body", "path traversal", "NUL in path", "unknown id", "bad name"] as const;
export type Kind = (typeof KINDS)[number];

/** What the rows are built from. */
export interface EmulatorContext {
  /** The Azure ML workspace's ARM path, `/subscriptions/.../workspaces/<name>`. */
  readonly ws: string;
}

/** One bad request. */
export interface EmulatorCase {
  readonly service: Service;
  readonly kind: Kind;
  readonly what: string;
  readonly method: string;
  /** Path and query, as sent (percent-encoding kept). */
  path(c: EmulatorContext): string;
  /** A string is sent as is; anything else as JSON. */
  readonly body?: unknown;
  /** The exact status and JSON body, or for a page that is not JSON its exact text. */
  readonly expect: { status: number; body?: unknown; text?: string };
}

/** What Key Vault's front end (IIS) answers for a path that is no route of the service: a page, not JSON. */
const IIS_NOT_FOUND = "<!DOCTYPE html>\r\n<html>\r\n<head>\r\n<meta http-equiv=\"Content-Type\" content=\"text/html; charset=iso-8859-1\"/>\r\n<title>404 - File or directory not found.</title>\r\n</head>\r\n<body>\r\n<h2>404 - File or directory not found.</h2>\r\n<h3>The resource you are looking for might have been removed, had its name changed, or is temporarily unavailable.</h3>\r\n</body>\r\n</html>\r\n";

const V = "api-version=2025-12-01";
const KV = "api-version=7.4";
const b64 = (s: string) => Buffer.from(s).toString("base64");
const deep = (levels: number): unknown => {
  let v: unknown = {};
  for (let i = 0; i < levels; i++) v = { a: v };
  return v;
};
const dbErr = (status: number, error_code: string, message: string) => ({ status, body: { error_code, message } });
const armErr = (status: number, code: string, message: string) => ({ status, body: { error: { code, message } } });

export const EMULATOR_CASES: readonly EmulatorCase[] = [
  // ---- Databricks: DBFS
  { service: "databricks", kind: "malformed JSON", what: "dbfs/put body not JSON", method: "POST", path: () => "/api/2.0/dbfs/put", body: "{not json", expect: dbErr(400, "MALFORMED_REQUEST", "The request body is not valid JSON.") },
  { service: "databricks", kind: "wrong type", what: "dbfs/put path a number", method: "POST", path: () => "/api/2.0/dbfs/put", body: { path: 7, contents: b64("x") }, expect: dbErr(400, "INVALID_PARAMETER_VALUE", "Invalid value for field path: expected a string, got 7") },
  { service: "databricks", kind: "wrong type", what: "dbfs/put contents not base64", method: "POST", path: () => "/api/2.0/dbfs/put", body: { path: "/FileStore/x.txt", contents: "%%%" }, expect: dbErr(400, "INVALID_PARAMETER_VALUE", "Invalid value for field contents: not valid base64.") },
  { service: "databricks", kind: "path traversal", what: "dbfs/put to /../../escape.txt", method: "POST", path: () => "/api/2.0/dbfs/put", body: { path: "/../../escape.txt", contents: b64("x"), overwrite: true }, expect: dbErr(400, "INVALID_PARAMETER_VALUE", "Invalid path: /../../escape.txt") },
  { service: "databricks", kind: "path traversal", what: "dbfs/put eight levels up", method: "POST", path: () => "/api/2.0/dbfs/put", body: { path: `/${"../".repeat(8)}escape.txt`, contents: b64("x"), overwrite: true }, expect: dbErr(400, "INVALID_PARAMETER_VALUE", `Invalid path: /${"../".repeat(8)}escape.txt`) },
  { service: "databricks", kind: "path traversal", what: "workspace/import eight levels up", method: "POST", path: () => "/api/2.0/workspace/import", body: { path: `/${"../".repeat(8)}escape`, format: "SOURCE", language: "PYTHON", content: b64("print(1)") }, expect: dbErr(400, "INVALID_PARAMETER_VALUE", `Invalid path: /${"../".repeat(8)}escape`) },
  { service: "databricks", kind: "path traversal", what: "dbfs/put to a relative path", method: "POST", path: () => "/api/2.0/dbfs/put", body: { path: "../escape.txt", contents: b64("x") }, expect: dbErr(400, "INVALID_PARAMETER_VALUE", "Path must be absolute: ../escape.txt") },
  { service: "databricks", kind: "path traversal", what: "dbfs/put to dbfs:/FileStore/../../../escape.txt", method: "POST", path: () => "/api/2.0/dbfs/put", body: { path: "dbfs:/FileStore/../../../escape.txt", contents: b64("x") }, expect: dbErr(400, "INVALID_PARAMETER_VALUE", "Invalid path: dbfs:/FileStore/../../../escape.txt") },
  { service: "databricks", kind: "path traversal", what: "dbfs/mkdirs /a/../../b", method: "POST", path: () => "/api/2.0/dbfs/mkdirs", body: { path: "/a/../../b" }, expect: dbErr(400, "INVALID_PARAMETER_VALUE", "Invalid path: /a/../../b") },
  { service: "databricks", kind: "path traversal", what: "dbfs/read of %2e%2e-encoded parents", method: "GET", path: () => "/api/2.0/dbfs/read?path=/%2e%2e/%2e%2e/etc/passwd", expect: dbErr(400, "INVALID_PARAMETER_VALUE", "Invalid path: /../../etc/passwd") },
  { service: "databricks", kind: "path traversal", what: "dbfs/get-status of an absolute host path", method: "GET", path: () => "/api/2.0/dbfs/get-status?path=" + encodeURIComponent("/etc/passwd"), expect: dbErr(404, "RESOURCE_DOES_NOT_EXIST", "No file or directory exists on path /etc/passwd.") },
  { service: "databricks", kind: "path traversal", what: "dbfs/move out of DBFS", method: "POST", path: () => "/api/2.0/dbfs/move", body: { source_path: "/FileStore/seed.txt", destination_path: "/../../moved.txt" }, expect: dbErr(400, "INVALID_PARAMETER_VALUE", "Invalid path: /../../moved.txt") },
  { service: "databricks", kind: "path traversal", what: "dbfs/delete of /.. recursively", method: "POST", path: () => "/api/2.0/dbfs/delete", body: { path: "/..", recursive: true }, expect: dbErr(400, "INVALID_PARAMETER_VALUE", "Invalid path: /..") },
  { service: "databricks", kind: "NUL in path", what: "dbfs/put with a NUL", method: "POST", path: () => "/api/2.0/dbfs/put", body: { path: "/FileStore/a\u0000b.txt", contents: b64("x") }, expect: dbErr(400, "INVALID_PARAMETER_VALUE", "Invalid path: /FileStore/a\u0000b.txt") },
  { service: "databricks", kind: "NUL in path", what: "dbfs/get-status with %00", method: "GET", path: () => "/api/2.0/dbfs/get-status?path=/FileStore/a%00b", expect: dbErr(400, "INVALID_PARAMETER_VALUE", "Invalid path: /FileStore/a\u0000b") },
  { service: "databricks", kind: "huge body", what: "dbfs/put over the 1 MB inline limit", method: "POST", path: () => "/api/2.0/dbfs/put", body: { path: "/FileStore/big.bin", contents: b64("x".repeat(1_100_000)) }, expect: dbErr(400, "MAX_BLOCK_SIZE_EXCEEDED", "The 'contents' data cannot exceed 1048576 bytes. Found: 1100000 bytes. You might want to use streaming upload instead.") },
  // ---- Databricks: workspace
  { service: "databricks", kind: "path traversal", what: "workspace/import to /../../escape", method: "POST", path: () => "/api/2.0/workspace/import", body: { path: "/../../escape", format: "SOURCE", language: "PYTHON", content: b64("print(1)") }, expect: dbErr(400, "INVALID_PARAMETER_VALUE", "Invalid path: /../../escape") },
  { service: "databricks", kind: "path traversal", what: "workspace/import to a relative path", method: "POST", path: () => "/api/2.0/workspace/import", body: { path: "Users/x", format: "SOURCE", language: "PYTHON", content: b64("print(1)") }, expect: dbErr(400, "INVALID_PARAMETER_VALUE", "Path (Users/x) is not absolute. Workspace paths must start with '/'.") },
  { service: "databricks", kind: "path traversal", what: "workspace/mkdirs /Shared/../../../x", method: "POST", path: () => "/api/2.0/workspace/mkdirs", body: { path: "/Shared/../../../x" }, expect: dbErr(400, "INVALID_PARAMETER_VALUE", "Invalid path: /Shared/../../../x") },
  { service: "databricks", kind: "path traversal", what: "workspace/export of %2e%2e-encoded parents", method: "GET", path: () => "/api/2.0/workspace/export?path=/%2e%2e/%2e%2e/etc/passwd&format=SOURCE", expect: dbErr(400, "INVALID_PARAMETER_VALUE", "Invalid path: /../../etc/passwd") },
  { service: "databricks", kind: "path traversal", what: "workspace/list of /../..", method: "GET", path: () => "/api/2.0/workspace/list?path=/../..", expect: dbErr(400, "INVALID_PARAMETER_VALUE", "Invalid path: /../..") },
  { service: "databricks", kind: "path traversal", what: "workspace/delete of /.. recursively", method: "POST", path: () => "/api/2.0/workspace/delete", body: { path: "/..", recursive: true }, expect: dbErr(400, "INVALID_PARAMETER_VALUE", "Invalid path: /..") },
  { service: "databricks", kind: "NUL in path", what: "workspace/import with a NUL", method: "POST", path: () => "/api/2.0/workspace/import", body: { path: "/Shared/a\u0000b", format: "SOURCE", language: "PYTHON", content: b64("print(1)") }, expect: dbErr(400, "INVALID_PARAMETER_VALUE", "Invalid path: /Shared/a\u0000b") },
  { service: "databricks", kind: "wrong type", what: "workspace/import content a number", method: "POST", path: () => "/api/2.0/workspace/import", body: { path: "/Shared/nb", format: "SOURCE", language: "PYTHON", content: 12 }, expect: dbErr(400, "INVALID_PARAMETER_VALUE", "Invalid value for field content: expected a string, got 12") },
  { service: "databricks", kind: "deep body", what: "workspace/import nested 100 levels", method: "POST", path: () => "/api/2.0/workspace/import", body: { path: "/Shared/nb", content: deep(100) }, expect: dbErr(400, "MALFORMED_REQUEST", "The request body nests arrays and objects more than 64 levels deep.") },
  // ---- Databricks: ids and names
  { service: "databricks", kind: "unknown id", what: "jobs/get of a job that does not exist", method: "GET", path: () => "/api/2.1/jobs/get?job_id=987654", expect: dbErr(400, "INVALID_PARAMETER_VALUE", "Job 987654 does not exist") },
  { service: "databricks", kind: "unknown id", what: "jobs/runs/get of a run that does not exist", method: "GET", path: () => "/api/2.1/jobs/runs/get?run_id=987654", expect: dbErr(400, "INVALID_PARAMETER_VALUE", "Run 987654 does not exist") },
  { service: "databricks", kind: "unknown id", what: "clusters/get of a cluster that does not exist", method: "GET", path: () => "/api/2.0/clusters/get?cluster_id=0000-000000-nope", expect: dbErr(400, "INVALID_PARAMETER_VALUE", "Cluster 0000-000000-nope does not exist") },
  { service: "databricks", kind: "wrong type", what: "jobs/runs/get with a run id that is not a number", method: "GET", path: () => "/api/2.1/jobs/runs/get?run_id=abc", expect: dbErr(400, "INVALID_PARAMETER_VALUE", "Invalid value for field run_id: expected an integer, got \"abc\"") },
  { service: "databricks", kind: "unknown id", what: "secrets/put into a scope that does not exist", method: "POST", path: () => "/api/2.0/secrets/put", body: { scope: "nope", key: "k", string_value: "v" }, expect: dbErr(404, "RESOURCE_DOES_NOT_EXIST", "Scope nope does not exist!") },
  { service: "databricks", kind: "bad name", what: "secrets/scopes/create named with a space", method: "POST", path: () => "/api/2.0/secrets/scopes/create", body: { scope: "my scope" }, expect: dbErr(400, "INVALID_PARAMETER_VALUE", "Scope name must consist of alphanumeric characters, dashes, underscores, periods, '@' and '/', and may not exceed 128 characters.") },
  { service: "databricks", kind: "wrong type", what: "clusters/create with num_workers a word", method: "POST", path: () => "/api/2.0/clusters/create", body: { cluster_name: "c", spark_version: "15.4.x-scala2.12", node_type_id: "Standard_DS3_v2", num_workers: "lots" }, expect: dbErr(400, "INVALID_PARAMETER_VALUE", "Invalid value for field num_workers: expected an integer, got \"lots\"") },
  { service: "databricks", kind: "malformed JSON", what: "jobs/create body cut short", method: "POST", path: () => "/api/2.1/jobs/create", body: '{"name": "x", "tasks": [', expect: dbErr(400, "MALFORMED_REQUEST", "The request body is not valid JSON.") },
  // ---- Key Vault
  { service: "keyvault", kind: "malformed JSON", what: "set secret body not JSON", method: "PUT", path: () => `/secrets/db-token?${KV}`, body: "{not json", expect: armErr(400, "BadParameter", "The request body is not valid JSON.") },
  { service: "keyvault", kind: "wrong type", what: "set secret value a number", method: "PUT", path: () => `/secrets/db-token?${KV}`, body: { value: 42 }, expect: armErr(400, "BadParameter", "The parameter value is required and must be a string.") },
  { service: "keyvault", kind: "wrong type", what: "set secret tags a list", method: "PUT", path: () => `/secrets/db-token?${KV}`, body: { value: "v", tags: ["a"] }, expect: armErr(400, "BadParameter", "The parameter tags must be an object of strings.") },
  { service: "keyvault", kind: "bad name", what: "secret named with an underscore", method: "PUT", path: () => `/secrets/db_token?${KV}`, body: { value: "v" }, expect: armErr(400, "BadParameter", "The request URI contains an invalid name: db_token. Secret names are 1 to 127 characters: letters, digits and dashes.") },
  { service: "keyvault", kind: "path traversal", what: "secret named ..%2F..%2Fescape", method: "PUT", path: () => `/secrets/..%2F..%2Fescape?${KV}`, body: { value: "v" }, expect: armErr(400, "BadParameter", "The request URI contains an invalid name: ../../escape. Secret names are 1 to 127 characters: letters, digits and dashes.") },
  { service: "keyvault", kind: "path traversal", what: "secret path /secrets/../../escape", method: "PUT", path: () => `/secrets/%2e%2e/%2e%2e/escape?${KV}`, body: { value: "v" }, expect: { status: 404, text: IIS_NOT_FOUND } },
  { service: "keyvault", kind: "NUL in path", what: "secret named with %00", method: "PUT", path: () => `/secrets/a%00b?${KV}`, body: { value: "v" }, expect: armErr(400, "BadParameter", "The request URI contains an invalid name: a\u0000b. Secret names are 1 to 127 characters: letters, digits and dashes.") },
  { service: "keyvault", kind: "huge body", what: "secret value over 25 KiB", method: "PUT", path: () => `/secrets/big?${KV}`, body: { value: "x".repeat(30_000) }, expect: armErr(400, "BadParameter", "The secret value exceeds the maximum size of 25600 bytes.") },
  { service: "keyvault", kind: "unknown id", what: "get a secret that does not exist", method: "GET", path: () => `/secrets/ghost?${KV}`, expect: armErr(404, "SecretNotFound", "A secret with (name/id) ghost was not found in this key vault. If you recently deleted this secret you may be able to recover it using the correct recovery command. For help resolving this issue, please see https://go.microsoft.com/fwlink/?linkid=2125182") },
  { service: "keyvault", kind: "unknown id", what: "get a version that does not exist", method: "GET", path: () => `/secrets/ghost/0123456789abcdef0123456789abcdef?${KV}`, expect: armErr(404, "SecretNotFound", "A secret with (name/id) ghost/0123456789abcdef0123456789abcdef was not found in this key vault. If you recently deleted this secret you may be able to recover it using the correct recovery command. For help resolving this issue, please see https://go.microsoft.com/fwlink/?linkid=2125182") },
  { service: "keyvault", kind: "unknown id", what: "delete a secret that does not exist", method: "DELETE", path: () => `/secrets/ghost?${KV}`, expect: armErr(404, "SecretNotFound", "A secret with (name/id) ghost was not found in this key vault. If you recently deleted this secret you may be able to recover it using the correct recovery command. For help resolving this issue, please see https://go.microsoft.com/fwlink/?linkid=2125182") },
  // ---- Azure ML (Resource Manager)
  { service: "azureml", kind: "malformed JSON", what: "component body not JSON", method: "PUT", path: (c) => `${c.ws}/components/train/versions/1?${V}`, body: "{not json", expect: armErr(400, "InvalidRequestContent", "The request body is not valid JSON.") },
  { service: "azureml", kind: "wrong type", what: "componentSpec a string", method: "PUT", path: (c) => `${c.ws}/components/train/versions/1?${V}`, body: { properties: { componentSpec: "command" } }, expect: armErr(400, "UserError", "Invalid request: properties.componentSpec is required and must be an object.") },
  { service: "azureml", kind: "deep body", what: "component spec nested 100 levels", method: "PUT", path: (c) => `${c.ws}/components/train/versions/1?${V}`, body: { properties: { componentSpec: deep(100) } }, expect: armErr(400, "InvalidRequestContent", "The request body nests arrays and objects more than 64 levels deep.") },
  { service: "azureml", kind: "huge body", what: "job body over 1 MB", method: "PUT", path: (c) => `${c.ws}/jobs/big?${V}`, body: { properties: { jobType: "Command", command: "x".repeat(1_100_000) } }, expect: armErr(400, "InvalidRequestContent", "The request body is larger than 1048576 bytes.") },
  { service: "azureml", kind: "path traversal", what: "code version named ..", method: "PUT", path: (c) => `${c.ws}/codes/train/versions/%2e%2e?${V}`, body: { properties: { codeUri: "https://x/y" } }, expect: armErr(404, "InvalidResourceType", "The resource type 'workspaces' could not be found in the namespace 'Microsoft.MachineLearningServices' for api version '2025-12-01'.") },
  { service: "azureml", kind: "path traversal", what: "environment named ..%2F..%2Fescape", method: "PUT", path: (c) => `${c.ws}/environments/..%2F..%2Fescape/versions/1?${V}`, body: { properties: { image: "python:3.11" } }, expect: armErr(400, "UserError", "The environment name '../../escape' is not valid: use letters, digits, '-', '_' and '.', starting with a letter or digit.") },
  { service: "azureml", kind: "NUL in path", what: "environment named with %00", method: "PUT", path: (c) => `${c.ws}/environments/a%00b/versions/1?${V}`, body: { properties: { image: "python:3.11" } }, expect: armErr(400, "UserError", "The environment name 'a\u0000b' is not valid: use letters, digits, '-', '_' and '.', starting with a letter or digit.") },
  { service: "azureml", kind: "unknown id", what: "get a job that does not exist", method: "GET", path: (c) => `${c.ws}/jobs/ghost?${V}`, expect: armErr(404, "UserError", "Not found job ghost.") },
  { service: "azureml", kind: "unknown id", what: "get a component of a workspace that does not exist", method: "GET", path: (c) => `${c.ws.replace(/workspaces\/[^/]+$/, "workspaces/ghost")}/components/train/versions/1?${V}`, expect: armErr(404, "ParentResourceNotFound", "Can not perform requested operation on nested resource. Parent resource 'ghost' not found.") },
  { service: "azureml", kind: "unknown id", what: "listSecrets of a datastore that does not exist", method: "POST", path: (c) => `${c.ws}/datastores/ghost/listSecrets?${V}`, expect: armErr(404, "UserError", "Not found datastore ghost.") },
  { service: "azureml", kind: "wrong type", what: "job of an unknown jobType", method: "PUT", path: (c) => `${c.ws}/jobs/odd?${V}`, body: { properties: { jobType: "Nope" } }, expect: armErr(400, "UserError", "Invalid request: properties.jobType must be one of AutoML, Command, Sweep, Pipeline, Spark.") },
  { service: "azureml", kind: "wrong type", what: "schedule trigger a string", method: "PUT", path: (c) => `${c.ws}/schedules/nightly?${V}`, body: { properties: { trigger: "daily", action: { actionType: "CreateJob", jobDefinition: { jobType: "Pipeline", jobs: {} } } } }, expect: armErr(400, "UserError", "Invalid request: properties.trigger is required and must be an object.") },
];
