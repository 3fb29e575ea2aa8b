/**
 * Where the Databricks workspace is and how to authenticate to it, resolved the way the Databricks
 * CLI and SDKs do: explicit options, then `DATABRICKS_*` environment variables, then a profile of
 * `~/.databrickscfg`.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { currentTarget, isLoopbackUrl, localToken, TARGET_ENV } from "../../core/target";

/** How requests authenticate: a bearer token (PAT, or the emulator's token) or Azure AD. */
export type DatabricksAuthType = "pat" | "azure-ad";

/** Environment variables read by {@link resolveDatabricksConfig}. */
export const DATABRICKS_ENV = Object.freeze({
  host: "DATABRICKS_HOST",
  token: "DATABRICKS_TOKEN",
  profile: "DATABRICKS_CONFIG_PROFILE",
  azureResourceId: "DATABRICKS_AZURE_RESOURCE_ID",
  configFile: "DATABRICKS_CONFIG_FILE",
});

/** The profile used when none is named. */
export const DEFAULT_PROFILE = "DEFAULT";

/** Explicit settings; each one wins over the environment and the profile file. */
export interface DatabricksConfigOptions {
  /** Workspace URL, e.g. `https://adb-123.4.azuredatabricks.net`. Default: `DATABRICKS_HOST`, then the profile's `host`. */
  host?: string;
  /** Personal access token. Default: `DATABRICKS_TOKEN`, then the profile's `token`. */
  token?: string;
  /** Profile of the config file. Default: `DATABRICKS_CONFIG_PROFILE`, then `DEFAULT`. */
  profile?: string;
  /** Config file path (`~` expanded). Default: `DATABRICKS_CONFIG_FILE`, then `~/.databrickscfg`. */
  configFile?: string;
  /**
   * ARM id of the workspace, sent with Azure AD auth by a service principal that is not a member
   * of the workspace. Default: `DATABRICKS_AZURE_RESOURCE_ID`, then the profile's
   * `azure_workspace_resource_id`.
   */
  azureWorkspaceResourceId?: string;
  /** Force an auth type. Default: `pat` when a token is found, `azure-ad` otherwise. */
  authType?: DatabricksAuthType;
}

/** The resolved settings. `token` is non-enumerable so that logging the object never prints it. */
export interface DatabricksConfig {
  /** `https://host[:port]` (plain `http` only for loopback), no path, no trailing slash. */
  host: string;
  /** Bearer token (PAT or the emulator's token); absent with Azure AD auth. */
  token?: string;
  /** Azure AD specifics. */
  azure?: { workspaceResourceId?: string };
  /** How requests authenticate. */
  authType: DatabricksAuthType;
  /** The config-file profile that supplied at least one value, if any. */
  profile?: string;
}

/**
 * Resolves the Databricks settings. Each value comes from the first source that has it:
 * `options`, then the environment, then the config-file profile. A token or resource id from the
 * profile is used only when the profile names no host or the same host as the one resolved, so a
 * token is never sent to a workspace it was not configured for.
 *
 * With the local target (`AMLDB_TARGET=local`) the host must be loopback (the emulator) and the
 * token defaults to `AMLDB_LOCAL_TOKEN`, then the emulator's well-known token.
 *
 * @throws Error when no host is configured, the host is invalid or uses plain http on a
 *   non-loopback address, a named profile does not exist, or `authType: "pat"` has no token.
 */
export function resolveDatabricksConfig(options: DatabricksConfigOptions = {}, env: NodeJS.ProcessEnv = process.env): DatabricksConfig {
  const target = currentTarget(env);
  const configFile = expandHome(options.configFile || env[DATABRICKS_ENV.configFile] || path.join("~", ".databrickscfg"));
  const explicitProfile = options.profile || env[DATABRICKS_ENV.profile] || undefined;
  const profileName = explicitProfile ?? DEFAULT_PROFILE;

  let host = options.host || env[DATABRICKS_ENV.host] || undefined;
  let token = options.token || env[DATABRICKS_ENV.token] || undefined;
  let resourceId = options.azureWorkspaceResourceId || env[DATABRICKS_ENV.azureResourceId] || undefined;
  let usedProfile: string | undefined;

  if (explicitProfile !== undefined || !host || !token) {
    const profile = readProfile(configFile, profileName, explicitProfile !== undefined);
    if (profile) {
      const profileHost = profile.host || undefined;
      const sameWorkspace = !profileHost || !host || sameHost(profileHost, host);
      if (!host && profileHost) {
        host = profileHost;
        usedProfile = profileName;
      }
      if (sameWorkspace) {
        if (!token && profile.token) {
          token = profile.token;
          usedProfile = profileName;
        }
        if (!resourceId && profile.azure_workspace_resource_id) {
          resourceId = profile.azure_workspace_resource_id;
          usedProfile = profileName;
        }
      }
    }
  }

  if (!host) {
    throw new Error(
      `No Databricks host is configured. Set ${DATABRICKS_ENV.host} (e.g. https://adb-1234567890123456.7.azuredatabricks.net), ` +
        `pass "host", or add "host = ..." to the [${profileName}] profile of ${configFile} ` +
        `(choose the file with ${DATABRICKS_ENV.configFile} and the profile with ${DATABRICKS_ENV.profile}).`,
    );
  }
  const normalizedHost = normalizeHost(host);

  let authType: DatabricksAuthType;
  if (target === "local") {
    if (!isLoopbackUrl(new URL(normalizedHost))) {
      throw new Error(
        `${TARGET_ENV}=local talks to the local emulator, so the Databricks host must be a loopback address (127.0.0.1, localhost, ::1), not ${normalizedHost}.`,
      );
    }
    if (options.authType === "azure-ad") {
      throw new Error(`${TARGET_ENV}=local authenticates to the emulator with a bearer token; authType "azure-ad" is not available locally.`);
    }
    token ??= localToken(env);
    authType = "pat";
  } else {
    authType = options.authType ?? (token ? "pat" : "azure-ad");
    if (authType === "pat" && !token) {
      throw new Error(`authType "pat" needs a Databricks token: set ${DATABRICKS_ENV.token}, pass "token", or add "token = ..." to the [${profileName}] profile of ${configFile}.`);
    }
  }

  const config: DatabricksConfig = { host: normalizedHost, authType };
  if (authType === "pat") {
    Object.defineProperty(config, "token", { value: token, enumerable: false, writable: false, configurable: false });
  } else if (resourceId) {
    config.azure = { workspaceResourceId: resourceId };
  } else {
    config.azure = {};
  }
  if (usedProfile) config.profile = usedProfile;
  return config;
}

/**
 * Normalises a workspace URL to `scheme://host[:port]`: adds `https://` when no scheme is given,
 * drops any path, query or trailing slash. Plain `http` is accepted only for loopback hosts.
 *
 * @throws Error for an unparsable URL, a scheme other than http(s), or http on a non-loopback host.
 */
export function normalizeHost(host: string): string {
  const raw = host.trim();
  const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(raw) ? raw : `https://${raw}`;
  let url: URL;
  try {
    url = new URL(withScheme);
  } catch {
    throw new Error(`Databricks host "${raw}" is not a valid URL.`);
  }
  if (!url.hostname) throw new Error(`Databricks host "${raw}" has no host name.`);
  if (url.protocol === "http:") {
    if (!isLoopbackUrl(url)) {
      throw new Error(`Databricks host "${raw}" must use https; plain http is allowed only for a loopback address (the local emulator).`);
    }
  } else if (url.protocol !== "https:") {
    throw new Error(`Databricks host "${raw}" must be an https URL, not ${url.protocol}.`);
  }
  return `${url.protocol}//${url.host}`;
}

/**
 * Reads one profile of a `.databrickscfg` file. Returns undefined when the file does not exist or
 * lacks the profile, unless `required` (a profile the user named), which throws instead.
 */
export function readProfile(configFile: string, profile: string, required: boolean): Record<string, string> | undefined {
  let text: string;
  try {
    text = fs.readFileSync(configFile, "utf8");
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT") {
      if (required) throw new Error(`Databricks profile "${profile}" was requested but the config file ${configFile} does not exist.`);
      return undefined;
    }
    throw new Error(`Cannot read the Databricks config file ${configFile}: ${(err as Error).message}`);
  }
  const sections = parseIni(text, configFile);
  const values = sections[profile];
  if (!values || Object.keys(values).length === 0) {
    if (required) {
      const known = Object.keys(sections).filter((s) => Object.keys(sections[s]).length > 0);
      throw new Error(`${configFile} has no "${profile}" profile (profiles: ${known.length ? known.join(", ") : "none"}).`);
    }
    return undefined;
  }
  return values;
}

/**
 * Parses the INI dialect of `.databrickscfg`: `[section]` headers, `key = value` (or `key: value`)
 * lines, `#` and `;` comment lines and inline comments after whitespace, optional quotes around
 * values. Keys before any header belong to `DEFAULT`. Keys are lower-cased.
 *
 * @throws Error naming the file and line for a line that is none of the above.
 */
export function parseIni(text: string, fileName = "config file"): Record<string, Record<string, string>> {
  const sections: Record<string, Record<string, string>> = Object.create(null);
  let current = DEFAULT_PROFILE;
  sections[current] = Object.create(null);
  text.split(/\r?\n/).forEach((rawLine, index) => {
    const line = rawLine.replace(/^\uFEFF/, "").trim();
    if (line === "" || line.startsWith("#") || line.startsWith(";")) return;
    const header = /^\[\s*([^\]]+?)\s*\]$/.exec(line);
    if (header) {
      current = header[1];
      sections[current] ??= Object.create(null);
      return;
    }
    const pair = /^([^=:]+?)\s*[=:]\s*(.*)$/.exec(line);
    if (!pair) throw new Error(`Cannot parse ${fileName} line ${index + 1}: expected [profile] or key = value.`);
    let value = pair[2].replace(/\s+[#;].*$/, "").trim();
    if (value.length >= 2 && (value[0] === '"' || value[0] === "'") && value[value.length - 1] === value[0]) value = value.slice(1, -1);
    sections[current][pair[1].trim().toLowerCase()] = value;
  });
  return sections;
}

function sameHost(a: string, b: string): boolean {
  try {
    return normalizeHost(a).toLowerCase() === normalizeHost(b).toLowerCase();
  } catch {
    return false;
  }
}

function expandHome(file: string): string {
  if (file === "~") return os.homedir();
  if (file.startsWith("~/") || file.startsWith(`~${path.sep}`)) return path.join(os.homedir(), file.slice(2));
  return file;
}
