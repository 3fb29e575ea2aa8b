import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import * as util from "node:util";
import { normalizeHost, parseIni, resolveDatabricksConfig } from "../../../src/databricks/client/config";

const CFG = `
; a comment
[DEFAULT]
host = https://adb-1111111111111111.11.azuredatabricks.net/
token = dapi-default-token

[staging]
host = adb-2222222222222222.2.azuredatabricks.net
azure_workspace_resource_id = /subscriptions/s/resourceGroups/rg/providers/Microsoft.Databricks/workspaces/staging

# another comment
[quoted]
host = "https://adb-3333333333333333.3.azuredatabricks.net"   # inline comment
token: 'dapi-quoted'

[emulator]
host = http://127.0.0.1:8765
token = emulator-profile-token
`;

describe("Databricks config resolution", () => {
  let dir: string;
  let cfgFile: string;
  let missingFile: string;

  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "amldb-dbcfg-"));
    cfgFile = path.join(dir, ".databrickscfg");
    missingFile = path.join(dir, "absent.databrickscfg");
    fs.writeFileSync(cfgFile, CFG);
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it("reads the DEFAULT profile of the file named by DATABRICKS_CONFIG_FILE when nothing else is set", () => {
    const config = resolveDatabricksConfig({}, { DATABRICKS_CONFIG_FILE: cfgFile });
    assert.deepEqual({ ...config }, { host: "https://adb-1111111111111111.11.azuredatabricks.net", authType: "pat", profile: "DEFAULT" });
    assert.equal(config.token, "dapi-default-token");
  });

  it("lets the environment win over the profile", () => {
    const config = resolveDatabricksConfig({}, { DATABRICKS_CONFIG_FILE: cfgFile, DATABRICKS_HOST: "https://adb-9.9.azuredatabricks.net", DATABRICKS_TOKEN: "dapi-env" });
    assert.deepEqual({ ...config }, { host: "https://adb-9.9.azuredatabricks.net", authType: "pat" });
    assert.equal(config.token, "dapi-env");
  });

  it("lets explicit options win over the environment", () => {
    const config = resolveDatabricksConfig(
      { host: "adb-7.7.azuredatabricks.net", token: "dapi-option" },
      { DATABRICKS_CONFIG_FILE: cfgFile, DATABRICKS_HOST: "https://adb-9.9.azuredatabricks.net", DATABRICKS_TOKEN: "dapi-env" },
    );
    assert.equal(config.host, "https://adb-7.7.azuredatabricks.net");
    assert.equal(config.token, "dapi-option");
  });

  it("takes the profile's token for the same host, but never for another host", () => {
    const same = resolveDatabricksConfig({}, { DATABRICKS_CONFIG_FILE: cfgFile, DATABRICKS_HOST: "adb-1111111111111111.11.azuredatabricks.net" });
    assert.equal(same.token, "dapi-default-token");
    assert.equal(same.authType, "pat");

    const other = resolveDatabricksConfig({}, { DATABRICKS_CONFIG_FILE: cfgFile, DATABRICKS_HOST: "https://adb-9.9.azuredatabricks.net" });
    assert.deepEqual({ ...other }, { host: "https://adb-9.9.azuredatabricks.net", authType: "azure-ad", azure: {} });
    assert.equal(other.token, undefined);
  });

  it("uses the profile named by DATABRICKS_CONFIG_PROFILE, and an explicit profile over it", () => {
    const staging = resolveDatabricksConfig({}, { DATABRICKS_CONFIG_FILE: cfgFile, DATABRICKS_CONFIG_PROFILE: "staging" });
    assert.deepEqual(
      { ...staging },
      {
        host: "https://adb-2222222222222222.2.azuredatabricks.net",
        authType: "azure-ad",
        azure: { workspaceResourceId: "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Databricks/workspaces/staging" },
        profile: "staging",
      },
    );
    const quoted = resolveDatabricksConfig({ profile: "quoted" }, { DATABRICKS_CONFIG_FILE: cfgFile, DATABRICKS_CONFIG_PROFILE: "staging" });
    assert.equal(quoted.host, "https://adb-3333333333333333.3.azuredatabricks.net");
    assert.equal(quoted.token, "dapi-quoted");
    assert.equal(quoted.profile, "quoted");
  });

  it("takes the Azure workspace resource id from DATABRICKS_AZURE_RESOURCE_ID", () => {
    const config = resolveDatabricksConfig({}, { DATABRICKS_CONFIG_FILE: missingFile, DATABRICKS_HOST: "https://adb-9.9.azuredatabricks.net", DATABRICKS_AZURE_RESOURCE_ID: "/subscriptions/x/ws" });
    assert.deepEqual({ ...config }, { host: "https://adb-9.9.azuredatabricks.net", authType: "azure-ad", azure: { workspaceResourceId: "/subscriptions/x/ws" } });
  });

  it("rejects a named profile that the file lacks, and one whose file does not exist", () => {
    assert.throws(() => resolveDatabricksConfig({}, { DATABRICKS_CONFIG_FILE: cfgFile, DATABRICKS_CONFIG_PROFILE: "prod" }), {
      message: `${cfgFile} has no "prod" profile (profiles: DEFAULT, staging, quoted, emulator).`,
    });
    assert.throws(() => resolveDatabricksConfig({ profile: "prod" }, { DATABRICKS_CONFIG_FILE: missingFile, DATABRICKS_HOST: "https://adb-9.9.azuredatabricks.net" }), {
      message: `Databricks profile "prod" was requested but the config file ${missingFile} does not exist.`,
    });
  });

  it("explains how to configure a missing host", () => {
    assert.throws(() => resolveDatabricksConfig({}, { DATABRICKS_CONFIG_FILE: missingFile, DATABRICKS_TOKEN: "dapi-env" }), {
      message:
        `No Databricks host is configured. Set DATABRICKS_HOST (e.g. https://adb-1234567890123456.7.azuredatabricks.net), pass "host", ` +
        `or add "host = ..." to the [DEFAULT] profile of ${missingFile} (choose the file with DATABRICKS_CONFIG_FILE and the profile with DATABRICKS_CONFIG_PROFILE).`,
    });
  });

  it("expands ~ in DATABRICKS_CONFIG_FILE to the home directory", () => {
    assert.throws(() => resolveDatabricksConfig({}, { DATABRICKS_CONFIG_FILE: "~/amldb-surely-absent.databrickscfg" }), {
      message: new RegExp(`profile of ${escapeRegExp(path.join(os.homedir(), "amldb-surely-absent.databrickscfg"))} `),
    });
  });

  it("refuses plain http except on loopback, and other schemes", () => {
    assert.throws(() => resolveDatabricksConfig({}, { DATABRICKS_CONFIG_FILE: missingFile, DATABRICKS_HOST: "http://adb-1.2.azuredatabricks.net", DATABRICKS_TOKEN: "t" }), {
      message: 'Databricks host "http://adb-1.2.azuredatabricks.net" must use https; plain http is allowed only for a loopback address (the local emulator).',
    });
    assert.throws(() => normalizeHost("ftp://adb-1.2.azuredatabricks.net"), { message: 'Databricks host "ftp://adb-1.2.azuredatabricks.net" must be an https URL, not ftp:.' });
    assert.equal(normalizeHost("http://127.0.0.1:8765/"), "http://127.0.0.1:8765");
    assert.equal(normalizeHost("http://localhost:8765"), "http://localhost:8765");
    assert.equal(normalizeHost("http://[::1]:8765"), "http://[::1]:8765");
  });

  it("normalises hosts to scheme://host[:port] without path or trailing slash", () => {
    assert.equal(normalizeHost("adb-1.2.azuredatabricks.net"), "https://adb-1.2.azuredatabricks.net");
    assert.equal(normalizeHost(" https://adb-1.2.azuredatabricks.net/?o=1#job/2 "), "https://adb-1.2.azuredatabricks.net");
    assert.equal(normalizeHost("https://adb-1.2.azuredatabricks.net:443/"), "https://adb-1.2.azuredatabricks.net");
  });

  it("refuses authType pat without a token", () => {
    assert.throws(() => resolveDatabricksConfig({ authType: "pat" }, { DATABRICKS_CONFIG_FILE: missingFile, DATABRICKS_HOST: "https://adb-9.9.azuredatabricks.net" }), {
      message: `authType "pat" needs a Databricks token: set DATABRICKS_TOKEN, pass "token", or add "token = ..." to the [DEFAULT] profile of ${missingFile}.`,
    });
  });

  it("keeps the token out of JSON and util.inspect", () => {
    const config = resolveDatabricksConfig({}, { DATABRICKS_CONFIG_FILE: cfgFile });
    assert.equal(config.token, "dapi-default-token");
    assert.equal(JSON.stringify(config).includes("dapi-default-token"), false);
    assert.equal(util.inspect(config).includes("dapi-default-token"), false);
  });

  describe("with the local target", () => {
    it("requires a loopback host", () => {
      assert.throws(() => resolveDatabricksConfig({}, { AMLDB_TARGET: "local", DATABRICKS_CONFIG_FILE: cfgFile }), {
        message:
          "AMLDB_TARGET=local talks to the local emulator, so the Databricks host must be a loopback address (127.0.0.1, localhost, ::1), not https://adb-1111111111111111.11.azuredatabricks.net.",
      });
    });

    it("uses AMLDB_LOCAL_TOKEN, else the well-known emulator token, when no token is given", () => {
      const env = { AMLDB_TARGET: "local", DATABRICKS_CONFIG_FILE: missingFile, DATABRICKS_HOST: "http://127.0.0.1:8765" };
      const wellKnown = resolveDatabricksConfig({}, env);
      assert.deepEqual({ ...wellKnown }, { host: "http://127.0.0.1:8765", authType: "pat" });
      assert.equal(wellKnown.token, "local-emulator-token");
      assert.equal(resolveDatabricksConfig({}, { ...env, AMLDB_LOCAL_TOKEN: "my-local-token" }).token, "my-local-token");
      assert.equal(resolveDatabricksConfig({ token: "given" }, { ...env, AMLDB_LOCAL_TOKEN: "my-local-token" }).token, "given");
    });

    it("does not hand a real workspace's profile token to the emulator", () => {
      const config = resolveDatabricksConfig({}, { AMLDB_TARGET: "local", DATABRICKS_CONFIG_FILE: cfgFile, DATABRICKS_HOST: "http://127.0.0.1:8765" });
      assert.equal(config.token, "local-emulator-token");
      const emulator = resolveDatabricksConfig({ profile: "emulator" }, { AMLDB_TARGET: "local", DATABRICKS_CONFIG_FILE: cfgFile });
      assert.equal(emulator.host, "http://127.0.0.1:8765");
      assert.equal(emulator.token, "emulator-profile-token");
    });

    it("refuses Azure AD auth", () => {
      assert.throws(() => resolveDatabricksConfig({ authType: "azure-ad" }, { AMLDB_TARGET: "local", DATABRICKS_CONFIG_FILE: missingFile, DATABRICKS_HOST: "http://127.0.0.1:1" }), {
        message: 'AMLDB_TARGET=local authenticates to the emulator with a bearer token; authType "azure-ad" is not available locally.',
      });
    });
  });

  describe("parseIni", () => {
    it("parses sections, comments, both separators and quotes; keys before a header go to DEFAULT", () => {
      const parsed = parseIni("top = 1\n[a]\nKey = v ; c\n  other: 'x y'  \n[ b ]\n# nothing\n");
      assert.deepEqual(JSON.parse(JSON.stringify(parsed)), { DEFAULT: { top: "1" }, a: { key: "v", other: "x y" }, b: {} });
    });

    it("names the file and line of a malformed line", () => {
      assert.throws(() => parseIni("[a]\nhost\n", "/x/.databrickscfg"), { message: "Cannot parse /x/.databrickscfg line 2: expected [profile] or key = value." });
    });
  });
});

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}
