/**
 * An Azure ML CLI v2 environment YAML file as the resource's inputs, mapped as `az ml environment
 * create` maps it: `conda_file` read and inlined as text, snake_case keys to the REST names.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { besideYaml, readYamlFile, YamlFileError } from "../shared/yamlFile";

/** The inputs an environment YAML file (and a separate conda file) gives. */
export interface EnvironmentFromYaml {
  file?: string;
  name?: string;
  version?: string;
  image?: string;
  conda?: string;
  description?: string;
  tags?: Record<string, string>;
  osType?: string;
  /** Keys of the file the resource does not support, reported by check. */
  unsupported?: string[];
}

const KNOWN_KEYS = ["$schema", "name", "version", "image", "conda_file", "description", "tags", "os_type"];

/** Reads the YAML `file` (if any) and the conda file (the argument, else the YAML's `conda_file`). */
export function environmentFromYaml(file: string | undefined, condaFile: string | undefined): EnvironmentFromYaml {
  const out: EnvironmentFromYaml = {};
  let condaPath = condaFile === undefined ? undefined : path.resolve(condaFile);
  if (file !== undefined) {
    const { file: absolute, doc } = readYamlFile(file, "Environment file");
    out.file = absolute;
    if (doc.name !== undefined) out.name = String(doc.name);
    if (doc.version !== undefined) out.version = String(doc.version);
    if (typeof doc.image === "string") out.image = doc.image;
    if (typeof doc.description === "string") out.description = doc.description;
    if (doc.tags && typeof doc.tags === "object") out.tags = Object.fromEntries(Object.entries(doc.tags as Record<string, unknown>).map(([k, v]) => [k, String(v)]));
    if (typeof doc.os_type === "string") out.osType = doc.os_type.charAt(0).toUpperCase() + doc.os_type.slice(1).toLowerCase();
    if (condaPath === undefined && typeof doc.conda_file === "string") condaPath = besideYaml(absolute, doc.conda_file);
    const unsupported = Object.keys(doc).filter((k) => !KNOWN_KEYS.includes(k));
    if (unsupported.length > 0) out.unsupported = unsupported;
  }
  if (condaPath !== undefined) {
    try {
      out.conda = fs.readFileSync(condaPath, "utf8");
    } catch (err) {
      throw new YamlFileError(`Conda file ${condaPath} cannot be read: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}.`);
    }
  }
  return out;
}
