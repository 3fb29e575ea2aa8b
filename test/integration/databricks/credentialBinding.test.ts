import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as https from "node:https";
import type { AddressInfo } from "node:net";
import * as os from "node:os";
import * as path from "node:path";
import * as scope from "../../../src/databricks/secretScope/lifecycle";
import { loadTlsMaterial, serverNames } from "../../../src/emulator/core/tls/tlsMaterial";
import { trustInThisProcess } from "../../support/trust";

/**
 * Which token reaches a workspace, seen from the workspace's side: a local HTTPS server that
 * records the Authorization header of every request and answers like the Secrets API. A
 * DatabricksSecretScope stands for every Databricks resource: they all reach their workspace
 * through the same configuration.
 */
describe("Databricks credentials bound to their host, seen by the server", function () {
  this.timeout(10_000);
  const REAL_TOKEN = "dapi-real-workspace-token";
  const CONFIGURED = "https://adb-1111111111111111.11.azuredatabricks.net";
  let server: https.Server;
  let host: string;
  let seen: string[];
  let dir: string;
  const saved = { ...process.env };

  before(async () => {
    // An https workspace (the azure target takes https only), with the emulator's certificates.
    const tls = await loadTlsMaterial(undefined, serverNames("127.0.0.1"));
    trustInThisProcess(tls.caPath);
    server = https.createServer({ key: tls.keyPem, cert: tls.certPem }, (req, res) => {
      seen.push(`${req.method} ${req.url} ${req.headers.authorization ?? "(no Authorization)"}`);
      res.writeHead(200, { "Content-Type": "application/json" });
      res.end(JSON.stringify({ scopes: [{ name: "etl", backend_type: "DATABRICKS" }] }));
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    host = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "amldb-binding-"));
  });
  beforeEach(() => {
    seen = [];
    process.env = { ...saved, DATABRICKS_CONFIG_FILE: path.join(dir, "absent.databrickscfg") };
    delete process.env.DATABRICKS_CONFIG_PROFILE;
    delete process.env.DATABRICKS_AZURE_RESOURCE_ID;
  });
  after(async () => {
    process.env = saved;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const props = () => ({ name: "etl", host, backendType: "DATABRICKS" });

  it("never sends DATABRICKS_TOKEN to a host other than DATABRICKS_HOST: refused at preview and at apply, nothing sent", async () => {
    Object.assign(process.env, { AMLDB_TARGET: "azure", DATABRICKS_HOST: CONFIGURED, DATABRICKS_TOKEN: REAL_TOKEN });
    const reason =
      `DATABRICKS_TOKEN is for ${CONFIGURED} (DATABRICKS_HOST) and is sent only there, not to ${host}. Give ${host} credentials of its own: ` +
      `a profile in ${process.env.DATABRICKS_CONFIG_FILE} with host = ${host} and its token (found by its host; without a token it signs in with Azure AD), ` +
      `or set DATABRICKS_HOST=${host} if the token is for it.`;
    assert.deepEqual((await scope.check({}, { name: "etl", host })).failures, [{ property: "host", reason }]);
    await assert.rejects(scope.read("etl", props()), { message: reason });
    assert.deepEqual(seen, []);
  });

  it("sends a host the token of the profile whose host it is, and only that", async () => {
    const configFile = path.join(dir, "profiles.databrickscfg");
    fs.writeFileSync(configFile, `[DEFAULT]\nhost = ${CONFIGURED}\ntoken = ${REAL_TOKEN}\n\n[local-server]\nhost = ${host}\ntoken = dapi-for-the-local-server\n`);
    Object.assign(process.env, { AMLDB_TARGET: "azure", DATABRICKS_CONFIG_FILE: configFile, DATABRICKS_TOKEN: "dapi-env-token" });
    assert.deepEqual((await scope.check({}, { name: "etl", host })).failures, []);
    await scope.read("etl", props());
    assert.deepEqual(seen, ["GET /api/2.0/secrets/scopes/list Bearer dapi-for-the-local-server"]);
  });

  it("sends only the emulator's token in the local target, whatever DATABRICKS_TOKEN holds", async () => {
    Object.assign(process.env, { AMLDB_TARGET: "local", AMLDB_LOCAL_TOKEN: "emulator-token", DATABRICKS_HOST: host, DATABRICKS_TOKEN: REAL_TOKEN });
    await scope.read("etl", props());
    delete process.env.AMLDB_LOCAL_TOKEN;
    await scope.read("etl", props());
    assert.deepEqual(seen, ["GET /api/2.0/secrets/scopes/list Bearer emulator-token", "GET /api/2.0/secrets/scopes/list Bearer local-emulator-token"]);
  });
});
