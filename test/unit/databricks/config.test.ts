import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import * as util from "node:util";
import { normalizeHost, resolveDatabricksConfig } from "../../../src/databricks/client/config";
import { parseIni } from "../../../src/databricks/client/profiles";

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
host = https://127.0.0.1:8765
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
      message: `${cfgFile} has no "prod" profile (profiles: DEFAULT, staging, quoted, emulator): add a [prod] section giving the workspace's host and token, or choose one of those.`,
    });
    assert.throws(() => resolveDatabricksConfig({ profile: "prod" }, { DATABRICKS_CONFIG_FILE: missingFile, DATABRICKS_HOST: "https://adb-9.9.azuredatabricks.net" }), {
      message: `Databricks profile "prod" was requested but the config file ${missingFile} does not exist: create it with a [prod] section giving the workspace's host and token, or choose a profile that exists.`,
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
      message: 'Databricks host "http://adb-1.2.azuredatabricks.net" must use https; plain http is allowed only for a loopback address (the local emulator started with --http).',
    });
    assert.throws(() => resolveDatabricksConfig({}, { DATABRICKS_CONFIG_FILE: missingFile, DATABRICKS_HOST: "http://127.0.0.1:8765", DATABRICKS_TOKEN: "t" }), {
      message: 'Databricks host "http://127.0.0.1:8765" must use https in the azure target; plain http is only for the local emulator (AMLDB_TARGET=local with AMLDB_LOCAL_HTTP=1).',
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

  describe("credentials bound to their host", () => {
    const OTHER = "https://adb-5555555555555555.5.azuredatabricks.net";
    const ENV_HOST = "https://adb-9.9.azuredatabricks.net";
    let hostsFile: string;
    before(() => {
      hostsFile = path.join(dir, "hosts.databrickscfg");
      fs.writeFileSync(
        hostsFile,
        `[DEFAULT]\nhost = ${ENV_HOST}\ntoken = dapi-default\n\n[five]\nhost = ${OTHER}/\ntoken = dapi-five\n\n[six-aad]\nhost = https://adb-6.6.azuredatabricks.net\nazure_workspace_resource_id = /subscriptions/s/ws6\n\n[dup-a]\nhost = https://adb-7.7.azuredatabricks.net\ntoken = a\n[dup-b]\nhost = adb-7.7.azuredatabricks.net\ntoken = b\n`,
      );
    });

    it("sends DATABRICKS_TOKEN to DATABRICKS_HOST only: another host without credentials of its own is refused, saying what to set", () => {
      const env = { DATABRICKS_CONFIG_FILE: missingFile, DATABRICKS_HOST: ENV_HOST, DATABRICKS_TOKEN: "dapi-env" };
      assert.equal(resolveDatabricksConfig({ host: `${ENV_HOST}/` }, env).token, "dapi-env");
      assert.throws(() => resolveDatabricksConfig({ host: OTHER }, env), {
        message:
          `DATABRICKS_TOKEN is for ${ENV_HOST} (DATABRICKS_HOST) and is sent only there, not to ${OTHER}. Give ${OTHER} credentials of its own: ` +
          `a profile in ${missingFile} with host = ${OTHER} and its token (found by its host; without a token it signs in with Azure AD), or set DATABRICKS_HOST=${OTHER} if the token is for it.`,
      });
    });

    it("binds DATABRICKS_TOKEN to the profile's host when DATABRICKS_HOST is unset, and to nothing when neither names one", () => {
      const staging = "https://adb-2222222222222222.2.azuredatabricks.net";
      const fromProfile = resolveDatabricksConfig({ host: staging }, { DATABRICKS_CONFIG_FILE: cfgFile, DATABRICKS_CONFIG_PROFILE: "staging", DATABRICKS_TOKEN: "dapi-env" });
      assert.deepEqual([fromProfile.host, fromProfile.authType, fromProfile.token], [staging, "pat", "dapi-env"]);
      assert.throws(() => resolveDatabricksConfig({ host: ENV_HOST }, { DATABRICKS_CONFIG_FILE: cfgFile, DATABRICKS_CONFIG_PROFILE: "staging", DATABRICKS_TOKEN: "dapi-env" }), {
        message: new RegExp(`^DATABRICKS_TOKEN is for https://adb-2222222222222222\\.2\\.azuredatabricks\\.net \\(the host of profile \\[staging\\]\\) and is sent only there, not to ${ENV_HOST.replace(/\./g, "\\.")}\\. `),
      });
      assert.throws(() => resolveDatabricksConfig({ host: OTHER }, { DATABRICKS_CONFIG_FILE: missingFile, DATABRICKS_TOKEN: "dapi-env" }), {
        message: new RegExp(`^DATABRICKS_TOKEN names no workspace \\(neither DATABRICKS_HOST nor the \\[DEFAULT\\] profile has a host\\), so it is not sent to ${OTHER.replace(/\./g, "\\.")}\\. Give `),
      });
    });

    it("gives another host the credentials of the profile whose host it is, found by its host", () => {
      const env = { DATABRICKS_CONFIG_FILE: hostsFile, DATABRICKS_HOST: ENV_HOST, DATABRICKS_TOKEN: "dapi-env" };
      const five = resolveDatabricksConfig({ host: OTHER }, env);
      assert.deepEqual({ ...five }, { host: OTHER, authType: "pat", profile: "five" });
      assert.equal(five.token, "dapi-five");
      const six = resolveDatabricksConfig({ host: "adb-6.6.azuredatabricks.net" }, env);
      assert.deepEqual({ ...six }, { host: "https://adb-6.6.azuredatabricks.net", authType: "azure-ad", azure: { workspaceResourceId: "/subscriptions/s/ws6" }, profile: "six-aad" });
      assert.equal(six.token, undefined);
      assert.throws(() => resolveDatabricksConfig({ host: "https://adb-7.7.azuredatabricks.net" }, env), {
        message: `Several profiles of ${hostsFile} have host = https://adb-7.7.azuredatabricks.net (dup-a, dup-b): keep one, so its credentials are the ones sent to https://adb-7.7.azuredatabricks.net.`,
      });
    });

    it("refuses another host the selected profile's token, naming it", () => {
      assert.throws(() => resolveDatabricksConfig({ host: "https://adb-8.8.azuredatabricks.net" }, { DATABRICKS_CONFIG_FILE: hostsFile }), {
        message: new RegExp(`^the token of profile \\[DEFAULT\\] of ${escapeRegExp(hostsFile)} is for ${escapeRegExp(ENV_HOST)} \\(the host of profile \\[DEFAULT\\]\\) and is sent only there, not to https://adb-8\\.8\\.azuredatabricks\\.net\\. `),
      });
    });

    it("uses Azure AD for another Azure Databricks host when no token is configured anywhere, and never for a host outside Azure Databricks", () => {
      const env = { DATABRICKS_CONFIG_FILE: missingFile, DATABRICKS_HOST: ENV_HOST, DATABRICKS_AZURE_RESOURCE_ID: "/subscriptions/x/ws9" };
      assert.deepEqual({ ...resolveDatabricksConfig({ host: OTHER }, env) }, { host: OTHER, authType: "azure-ad", azure: {} });
      assert.deepEqual({ ...resolveDatabricksConfig({}, env) }, { host: ENV_HOST, authType: "azure-ad", azure: { workspaceResourceId: "/subscriptions/x/ws9" } });
      for (const host of ["https://dbc-1.cloud.databricks.com", "https://adb-1.1.azuredatabricks.net.example.com", "https://127.0.0.1:8"]) {
        assert.throws(() => resolveDatabricksConfig({ host }, env), {
          message:
            `${host} has no Databricks token, and Azure AD tokens are sent only to Azure Databricks workspaces ` +
            "(https://<workspace>.azuredatabricks.net, https://<workspace>.databricks.azure.cn, https://<workspace>.databricks.azure.us): " +
            `give it a personal access token (DATABRICKS_TOKEN with DATABRICKS_HOST=${host}, or a profile in ${missingFile} with host = ${host} and its token).`,
        });
      }
    });

    it("sends an explicit token where it is told to", () => {
      const config = resolveDatabricksConfig({ host: OTHER, token: "dapi-given" }, { DATABRICKS_CONFIG_FILE: missingFile, DATABRICKS_HOST: ENV_HOST, DATABRICKS_TOKEN: "dapi-env" });
      assert.deepEqual([config.host, config.token], [OTHER, "dapi-given"]);
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

    it("requires https, as the azure target does, unless AMLDB_LOCAL_HTTP allows an emulator started with --http", () => {
      const env = { AMLDB_TARGET: "local", DATABRICKS_CONFIG_FILE: missingFile, DATABRICKS_HOST: "http://127.0.0.1:8765" };
      assert.throws(() => resolveDatabricksConfig({}, env), {
        message:
          "The Databricks host http://127.0.0.1:8765 uses plain http; the local target, like the azure one, sends tokens over https only. Use the https URL the emulator prints, or set AMLDB_LOCAL_HTTP=1 for an emulator started with --http.",
      });
      assert.deepEqual({ ...resolveDatabricksConfig({}, { ...env, AMLDB_LOCAL_HTTP: "1" }) }, { host: "http://127.0.0.1:8765", authType: "pat" });
      assert.throws(() => resolveDatabricksConfig({}, { ...env, AMLDB_LOCAL_HTTP: "no" }), { message: /uses plain http/ });
    });

    it("uses AMLDB_LOCAL_TOKEN, else the well-known emulator token, when no token is given", () => {
      const env = { AMLDB_TARGET: "local", DATABRICKS_CONFIG_FILE: missingFile, DATABRICKS_HOST: "https://127.0.0.1:8765" };
      const wellKnown = resolveDatabricksConfig({}, env);
      assert.deepEqual({ ...wellKnown }, { host: "https://127.0.0.1:8765", authType: "pat" });
      assert.equal(wellKnown.token, "local-emulator-token");
      assert.equal(resolveDatabricksConfig({}, { ...env, AMLDB_LOCAL_TOKEN: "my-local-token" }).token, "my-local-token");
      assert.equal(resolveDatabricksConfig({ token: "given" }, { ...env, AMLDB_LOCAL_TOKEN: "my-local-token" }).token, "given");
    });

    it("signs in with Azure AD at the emulator's token endpoint for authType azure-ad or an Azure DATABRICKS_AUTH_TYPE", () => {
      const env = { AMLDB_TARGET: "local", DATABRICKS_CONFIG_FILE: missingFile, DATABRICKS_HOST: "https://127.0.0.1:8765" };
      const azureAd = { host: "https://127.0.0.1:8765", authType: "azure-ad", azure: {} };
      assert.deepEqual({ ...resolveDatabricksConfig({ authType: "azure-ad" }, env) }, azureAd);
      for (const type of ["azure-cli", "azure-msi", "azure-client-secret", "AZURE-AD"]) {
        assert.deepEqual({ ...resolveDatabricksConfig({}, { ...env, DATABRICKS_AUTH_TYPE: type }) }, azureAd, type);
      }
      assert.deepEqual({ ...resolveDatabricksConfig({}, { ...env, DATABRICKS_AUTH_TYPE: "pat" }) }, { host: "https://127.0.0.1:8765", authType: "pat" });
      assert.equal(resolveDatabricksConfig({ authType: "pat" }, { ...env, DATABRICKS_AUTH_TYPE: "azure-cli" }).authType, "pat", "the option wins");
    });

    it("uses only the emulator's token: never DATABRICKS_TOKEN, never a profile's token", () => {
      const config = resolveDatabricksConfig({}, { AMLDB_TARGET: "local", DATABRICKS_CONFIG_FILE: cfgFile, DATABRICKS_HOST: "https://127.0.0.1:8765", DATABRICKS_TOKEN: "dapi-real" });
      assert.equal(config.token, "local-emulator-token");
      const withLocal = resolveDatabricksConfig({ host: "https://localhost:9" }, { AMLDB_TARGET: "local", AMLDB_LOCAL_TOKEN: "my-local-token", DATABRICKS_TOKEN: "dapi-real", DATABRICKS_CONFIG_FILE: cfgFile });
      assert.deepEqual([withLocal.host, withLocal.token], ["https://localhost:9", "my-local-token"]);
      const emulator = resolveDatabricksConfig({ profile: "emulator" }, { AMLDB_TARGET: "local", DATABRICKS_CONFIG_FILE: cfgFile, AMLDB_LOCAL_TOKEN: "my-local-token" });
      assert.deepEqual({ ...emulator }, { host: "https://127.0.0.1:8765", authType: "pat", profile: "emulator" });
      assert.equal(emulator.token, "my-local-token");
    });

    it("takes Azure AD auth, without a token (its tokens come from the emulator's token endpoint)", () => {
      const config = resolveDatabricksConfig({ authType: "azure-ad" }, { AMLDB_TARGET: "local", DATABRICKS_CONFIG_FILE: missingFile, DATABRICKS_HOST: "https://127.0.0.1:1", AMLDB_LOCAL_TOKEN: "t" });
      assert.deepEqual({ ...config }, { host: "https://127.0.0.1:1", authType: "azure-ad", azure: {} });
      assert.equal(config.token, undefined);
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
