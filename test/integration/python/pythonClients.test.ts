import * as assert from "node:assert/strict";
import { execFileSync, spawn } from "node:child_process";
import * as path from "node:path";
import { LOCAL_EMULATOR_CLIENT_ID, type RunningEmulator, systemClock } from "../../../src/emulator";
import { startTestEmulator } from "../../support/emulator";

const SCRIPT = path.join(__dirname, "clients.py");
const ENSURE = path.join(__dirname, "../../../scripts/ensure-python-clients.sh");

/** Runs `clients.py` with `env`; resolves with its exit code, stdout and stderr. */
function runPython(python: string, env: NodeJS.ProcessEnv): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(python, [SCRIPT], { env, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (c: Buffer) => (stdout += c.toString()));
    child.stderr.on("data", (c: Buffer) => (stderr += c.toString()));
    child.once("error", reject);
    child.once("exit", (code) => resolve({ code, stdout, stderr }));
  });
}

/**
 * azure-keyvault-secrets with azure-identity, and databricks-sdk, from PyPI (a cached virtual
 * environment: scripts/ensure-python-clients.sh), against the emulator over https. The process
 * gets what the emulator hands a step: its CA bundle (REQUESTS_CA_BUNDLE, SSL_CERT_FILE) and its
 * managed identity (MSI_ENDPOINT, MSI_SECRET); nothing in the clients is patched.
 */
describe("the official Python clients against the emulator over TLS", function () {
  this.timeout(10 * 60 * 1000); // the first run installs the clients
  let emulator: RunningEmulator;
  let python: string;

  before(async () => {
    const out = execFileSync("bash", [ENSURE], { encoding: "utf8", stdio: ["ignore", "pipe", "inherit"] });
    python = /^PYTHON_CLIENTS=(.+)$/m.exec(out)![1];
    emulator = (await startTestEmulator({ token: "python-clients-token", clock: systemClock })).emulator;
  });
  after(() => emulator?.close());

  it("reads and writes secrets and Databricks objects, with Azure AD tokens from the emulator", async () => {
    const { REQUESTS_CA_BUNDLE, SSL_CERT_FILE } = emulator.clientEnv;
    const env = {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      REQUESTS_CA_BUNDLE,
      SSL_CERT_FILE,
      ...emulator.managedIdentityEnv("azure-ml"),
      EMULATOR_TENANT_ID: emulator.tenantId,
      EMULATOR_CLIENT_ID: LOCAL_EMULATOR_CLIENT_ID,
      EMULATOR_CLIENT_SECRET: emulator.token,
      EMULATOR_AUTHORITY_HOST: emulator.url,
      VAULT_URL: emulator.keyVaultUrl,
      DATABRICKS_HOST: emulator.url,
      DATABRICKS_TOKEN: emulator.token,
    };
    const result = await runPython(python, env);
    assert.equal(result.code, 0, result.stderr);
    assert.deepEqual(JSON.parse(result.stdout), {
      managedIdentity: { value: "python-value", tags: { by: "azure-keyvault-secrets" }, names: ["from-python"] },
      servicePrincipal: { value: "python-value", tokenParts: 3 },
      databricks: { me: "emulator@localhost", scopes: ["py"], keys: ["k"], file: 5 },
    });
    const paths = emulator.requests().map((r) => `${r.method} ${r.path} ${r.status}`);
    assert.ok(paths.includes("GET /msi/token 200"), paths.join("\n"));
    assert.ok(paths.includes(`POST /${emulator.tenantId}/oauth2/v2.0/token 200`), paths.join("\n"));
  });

  it("fails without the emulator's CA: the clients verify the certificate", async () => {
    const result = await runPython(python, { PATH: process.env.PATH, HOME: process.env.HOME, ...emulator.managedIdentityEnv("azure-ml"), VAULT_URL: emulator.keyVaultUrl, DATABRICKS_HOST: emulator.url, DATABRICKS_TOKEN: emulator.token, EMULATOR_TENANT_ID: "x", EMULATOR_CLIENT_ID: "x", EMULATOR_CLIENT_SECRET: "x", EMULATOR_AUTHORITY_HOST: emulator.url });
    assert.equal(result.code, 1);
    assert.match(result.stderr, /CERTIFICATE_VERIFY_FAILED/);
  });
});
