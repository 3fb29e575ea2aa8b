/**
 * The `.databrickscfg` profile file the Databricks CLI and SDKs read: an INI file of named
 * profiles, each with a `host` and its credentials (`token`, `azure_workspace_resource_id`).
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

/** The profile used when none is named. */
export const DEFAULT_PROFILE = "DEFAULT";

/** Every profile of a config file with at least one value; undefined when the file does not exist. */
export function readProfiles(configFile: string): Record<string, Record<string, string>> | undefined {
  let text: string;
  try {
    text = fs.readFileSync(configFile, "utf8");
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw new Error(`Cannot read the Databricks config file ${configFile}: ${(err as Error).message}`);
  }
  const sections = parseIni(text, configFile);
  return Object.fromEntries(Object.entries(sections).filter(([, values]) => Object.keys(values).length > 0));
}

/**
 * Reads one profile of a `.databrickscfg` file. Returns undefined when the file does not exist or
 * lacks the profile, unless `required` (a profile the user named), which throws instead.
 */
export function readProfile(configFile: string, profile: string, required: boolean): Record<string, string> | undefined {
  const profiles = readProfiles(configFile);
  if (!profiles) {
    if (required) throw new Error(`Databricks profile "${profile}" was requested but the config file ${configFile} does not exist: create it with a [${profile}] section giving the workspace's host and token, or choose a profile that exists.`);
    return undefined;
  }
  const values = Object.prototype.hasOwnProperty.call(profiles, profile) ? profiles[profile] : undefined;
  if (!values && required) {
    const names = Object.keys(profiles);
    throw new Error(`${configFile} has no "${profile}" profile (profiles: ${names.length ? names.join(", ") : "none"}): add a [${profile}] section giving the workspace's host and token, or choose one of those.`);
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

/** `~` and `~/...` expanded to the home directory. */
export function expandHome(file: string): string {
  if (file === "~") return os.homedir();
  if (file.startsWith("~/") || file.startsWith(`~${path.sep}`)) return path.join(os.homedir(), file.slice(2));
  return file;
}
