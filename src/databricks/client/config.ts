/**
 * Where the Databricks workspace is and how to authenticate to it, resolved the way the Databricks
 * CLI and SDKs do (explicit options, then `DATABRICKS_*` environment variables, then a profile of
 * `~/.databrickscfg`), with one rule on top: credentials go only to the workspace they were
 * configured for.
 */
import * as path from "node:path";
import { currentTarget, isLoopbackUrl, LOCAL_HTTP_ENV, localToken, localUrlProblem, TARGET_ENV } from "../../core/target";
import { DEFAULT_PROFILE, expandHome, readProfile, readProfiles } from "./profiles";

/** How requests authenticate: a bearer token (PAT, or the emulator's token) or Azure AD. */
export type DatabricksAuthType = "pat" | "azure-ad";

/** Environment variables read by {@link resolveDatabricksConfig}. */
export const DATABRICKS_ENV = Object.freeze({
  host: "DATABRICKS_HOST",
  token: "DATABRICKS_TOKEN",
  profile: "DATABRICKS_CONFIG_PROFILE",
  azureResourceId: "DATABRICKS_AZURE_RESOURCE_ID",
  configFile: "DATABRICKS_CONFIG_FILE",
  authType: "DATABRICKS_AUTH_TYPE",
});

/** `DATABRICKS_AUTH_TYPE` values (Databricks unified authentication) that mean Azure AD. */
const AZURE_AD_AUTH_TYPES = ["azure-ad", "azure-cli", "azure-msi", "azure-client-secret"];

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
  /** `https://host[:port]` (plain `http` only for the local emulator with `AMLDB_LOCAL_HTTP`), no path, no trailing slash. */
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

/** DNS suffixes of Azure Databricks workspaces: the only hosts an Azure AD token for Azure Databricks goes to. */
export const AZURE_DATABRICKS_DNS_SUFFIXES: readonly string[] = Object.freeze(["azuredatabricks.net", "databricks.azure.cn", "databricks.azure.us"]);

/** True for `https://<workspace>.<suffix>` of {@link AZURE_DATABRICKS_DNS_SUFFIXES}. */
export function isAzureDatabricksHost(host: string): boolean {
  const url = new URL(host);
  const name = url.hostname.toLowerCase();
  return url.protocol === "https:" && AZURE_DATABRICKS_DNS_SUFFIXES.some((suffix) => name.endsWith(`.${suffix}`));
}

/**
 * Resolves the Databricks settings. The host is `options.host`, else `DATABRICKS_HOST`, else the
 * profile's `host`. Credentials are bound to the workspace they were configured for:
 *
 * - `DATABRICKS_TOKEN` and `DATABRICKS_AZURE_RESOURCE_ID` belong to the configured workspace,
 *   `DATABRICKS_HOST` (or, without it, the profile's host); a profile's token and resource id to
 *   the profile's host (or, when it names none, to the configured workspace).
 * - A host other than the configured workspace (a resource's `host` input) gets only credentials
 *   of its own: the profile whose `host` it is (the selected one, else the one profile of the file
 *   with that host), its token or, without one, Azure AD. When a personal access token is
 *   configured for another workspace and no profile names this host, it is an error naming what
 *   to set, rather than a silent switch to Azure AD.
 * - Azure AD tokens go only to Azure Databricks hosts (`*.azuredatabricks.net`, ...).
 *
 * With the local target (`AMLDB_TARGET=local`) the host must be the emulator: https on loopback
 * (plain http only with `AMLDB_LOCAL_HTTP=1`, for an emulator started with `--http`). The token
 * is the emulator's: `options.token`, else `AMLDB_LOCAL_TOKEN`, else the well-known token; never
 * `DATABRICKS_TOKEN` nor a profile's token. `authType: "azure-ad"` (or `DATABRICKS_AUTH_TYPE` =
 * `azure-cli`, `azure-msi`, `azure-client-secret`) gets Azure AD tokens from the emulator's token
 * endpoint instead (see `createDatabricksApi`). The azure target takes https only.
 *
 * @throws Error when no host is configured, the host is invalid or uses plain http where it may
 *   not, a named profile does not exist, the host has no credentials of its own while a token is
 *   configured for another workspace, `authType: "pat"` has no token, or Azure AD is asked for a
 *   host that is not an Azure Databricks workspace.
 */
export function resolveDatabricksConfig(options: DatabricksConfigOptions = {}, env: NodeJS.ProcessEnv = process.env): DatabricksConfig {
  const target = currentTarget(env);
  const configFile = expandHome(options.configFile || env[DATABRICKS_ENV.configFile] || path.join("~", ".databrickscfg"));
  const explicitProfile = options.profile || env[DATABRICKS_ENV.profile] || undefined;
  const profileName = explicitProfile ?? DEFAULT_PROFILE;
  let read = false;
  let profile: Record<string, string> | undefined;
  // Read once, and only when something is left to it (or the user named it, so it must exist).
  const selected = () => (read ? profile : ((read = true), (profile = readProfile(configFile, profileName, explicitProfile !== undefined))));
  if (explicitProfile !== undefined) selected();

  const envHost = env[DATABRICKS_ENV.host] || undefined;
  const configuredHost = envHost ?? (selected()?.host || undefined);
  const rawHost = options.host || configuredHost;
  if (!rawHost) {
    throw new Error(
      `No Databricks host is configured. Set ${DATABRICKS_ENV.host} (e.g. https://adb-1234567890123456.7.azuredatabricks.net), ` +
        `pass "host", or add "host = ..." to the [${profileName}] profile of ${configFile} ` +
        `(choose the file with ${DATABRICKS_ENV.configFile} and the profile with ${DATABRICKS_ENV.profile}).`,
    );
  }
  const host = normalizeHost(rawHost);
  const hostFromProfile = !options.host && !envHost;

  if (target === "local") {
    if (!isLoopbackUrl(new URL(host))) {
      throw new Error(`${TARGET_ENV}=local talks to the local emulator, so the Databricks host must be a loopback address (127.0.0.1, localhost, ::1), not ${host}.`);
    }
    const problem = localUrlProblem(new URL(host), "The Databricks host", env);
    if (problem) throw new Error(problem);
    const envAuth = AZURE_AD_AUTH_TYPES.includes((env[DATABRICKS_ENV.authType] ?? "").trim().toLowerCase()) ? "azure-ad" : undefined;
    const local: DatabricksConfig = { host, authType: options.authType ?? envAuth ?? "pat", ...(hostFromProfile && { profile: profileName }) };
    return local.authType === "pat" ? withToken(local, options.token || localToken(env)) : { ...local, azure: {} };
  }
  if (new URL(host).protocol !== "https:") {
    throw new Error(`Databricks host "${rawHost.trim()}" must use https in the azure target; plain http is only for the local emulator (${TARGET_ENV}=local with ${LOCAL_HTTP_ENV}=1).`);
  }

  const found = options.token
    ? { token: options.token }
    : !options.host || sameHost(options.host, configuredHost)
      ? configuredCredentials(host, env, selected, profileName)
      : ownCredentials(host, { configFile, configuredHost, envHost, envToken: env[DATABRICKS_ENV.token] || undefined, selected, profileName });
  if (options.azureWorkspaceResourceId) found.resourceId = options.azureWorkspaceResourceId;
  const authType = options.authType ?? (found.token ? "pat" : "azure-ad");
  if (authType === "pat" && !found.token) {
    throw new Error(`authType "pat" needs a Databricks token: set ${DATABRICKS_ENV.token}, pass "token", or add "token = ..." to the [${profileName}] profile of ${configFile}.`);
  }
  if (authType === "azure-ad" && !isAzureDatabricksHost(host)) {
    throw new Error(
      `${host} has no Databricks token, and Azure AD tokens are sent only to Azure Databricks workspaces ` +
        `(${AZURE_DATABRICKS_DNS_SUFFIXES.map((s) => `https://<workspace>.${s}`).join(", ")}): give it a personal access token ` +
        `(${DATABRICKS_ENV.token} with ${DATABRICKS_ENV.host}=${host}, or a profile in ${configFile} with host = ${host} and its token).`,
    );
  }
  const config: DatabricksConfig = { host, authType };
  if (found.profile ?? (hostFromProfile ? profileName : undefined)) config.profile = found.profile ?? profileName;
  if (authType === "pat") return withToken(config, found.token!);
  config.azure = found.resourceId ? { workspaceResourceId: found.resourceId } : {};
  return config;
}

/** Credentials found for a host, and the profile that gave them. */
interface Found {
  token?: string;
  resourceId?: string;
  profile?: string;
}

/**
 * The credentials of the configured workspace: `DATABRICKS_TOKEN` and `DATABRICKS_AZURE_RESOURCE_ID`,
 * else the selected profile's, provided that profile names no host or this one.
 */
function configuredCredentials(host: string, env: NodeJS.ProcessEnv, selected: () => Record<string, string> | undefined, profileName: string): Found {
  const found: Found = { token: env[DATABRICKS_ENV.token] || undefined, resourceId: env[DATABRICKS_ENV.azureResourceId] || undefined };
  if (found.token && found.resourceId) return found;
  const profile = selected();
  if (!profile || (profile.host && !sameHost(profile.host, host))) return found;
  if (!found.token && profile.token) {
    found.token = profile.token;
    found.profile = profileName;
  }
  if (!found.resourceId && profile.azure_workspace_resource_id) {
    found.resourceId = profile.azure_workspace_resource_id;
    found.profile = profileName;
  }
  return found;
}

/** What {@link ownCredentials} needs to know of the configuration. */
interface Configured {
  configFile: string;
  configuredHost?: string;
  envHost?: string;
  envToken?: string;
  selected: () => Record<string, string> | undefined;
  profileName: string;
}

/**
 * The credentials of a workspace other than the configured one: the profile whose host it is (the
 * selected profile, else the only profile of the file with that host). Without such a profile,
 * Azure AD, unless a personal access token is configured for another workspace: then the error
 * says which token that is, where it goes, and what would give this host credentials of its own.
 */
function ownCredentials(host: string, c: Configured): Found {
  const selected = c.selected();
  let match: [string, Record<string, string>] | undefined = selected?.host && sameHost(selected.host, host) ? [c.profileName, selected] : undefined;
  if (!match) {
    const matches = Object.entries(readProfiles(c.configFile) ?? {}).filter(([, p]) => p.host && sameHost(p.host, host));
    if (matches.length > 1) {
      throw new Error(`Several profiles of ${c.configFile} have host = ${host} (${matches.map(([n]) => n).join(", ")}): keep one, so its credentials are the ones sent to ${host}.`);
    }
    match = matches[0];
  }
  if (match) {
    const [profile, values] = match;
    return { profile, ...(values.token && { token: values.token }), ...(values.azure_workspace_resource_id && { resourceId: values.azure_workspace_resource_id }) };
  }
  const pat = c.envToken ? DATABRICKS_ENV.token : selected?.token ? `the token of profile [${c.profileName}] of ${c.configFile}` : undefined;
  if (!pat) return {};
  const own =
    `Give ${host} credentials of its own: a profile in ${c.configFile} with host = ${host} and its token ` +
    `(found by its host; without a token it signs in with Azure AD), or set ${DATABRICKS_ENV.host}=${host} if the token is for it.`;
  if (!c.configuredHost) {
    throw new Error(`${pat} names no workspace (neither ${DATABRICKS_ENV.host} nor the [${c.profileName}] profile has a host), so it is not sent to ${host}. ${own}`);
  }
  const where = c.envHost ? `${DATABRICKS_ENV.host}` : `the host of profile [${c.profileName}]`;
  throw new Error(`${pat} is for ${normalizeHost(c.configuredHost)} (${where}) and is sent only there, not to ${host}. ${own}`);
}

/** The config with its token as a non-enumerable property, so logging the object never prints it. */
function withToken(config: DatabricksConfig, token: string): DatabricksConfig {
  Object.defineProperty(config, "token", { value: token, enumerable: false, writable: false, configurable: false });
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
    throw new Error(`Databricks host "${raw}" is not a valid URL: give the workspace URL, e.g. https://adb-1234567890123456.7.azuredatabricks.net.`);
  }
  if (!url.hostname) throw new Error(`Databricks host "${raw}" has no host name.`);
  if (url.protocol === "http:") {
    if (!isLoopbackUrl(url)) {
      throw new Error(`Databricks host "${raw}" must use https; plain http is allowed only for a loopback address (the local emulator started with --http).`);
    }
  } else if (url.protocol !== "https:") {
    throw new Error(`Databricks host "${raw}" must be an https URL, not ${url.protocol}.`);
  }
  return `${url.protocol}//${url.host}`;
}

function sameHost(a: string, b: string | undefined): boolean {
  if (b === undefined) return false;
  try {
    return normalizeHost(a).toLowerCase() === normalizeHost(b).toLowerCase();
  } catch {
    return false;
  }
}
