/**
 * Reading Azure ML CLI v2 YAML files (environments, components, schedules) with the `yaml`
 * library: the document as plain JSON, and errors that name the file and the YAML path.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { parseDocument } from "yaml";

/** A YAML file read: its absolute path, its text and its document as plain JSON. */
export interface YamlFile {
  file: string;
  text: string;
  doc: Record<string, unknown>;
}

/** A YAML file that cannot be used; the message names the file (and the YAML path, when known). */
export class YamlFileError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "YamlFileError";
  }
}

/** Reads and parses `file` (relative to the program's directory); the top level must be a mapping. */
export function readYamlFile(file: string, what: string): YamlFile {
  const absolute = path.resolve(file);
  let text: string;
  try {
    text = fs.readFileSync(absolute, "utf8");
  } catch (err) {
    throw new YamlFileError(`${what} ${file} cannot be read: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}.`);
  }
  return { file: absolute, text, doc: parseYaml(text, absolute, what) };
}

/** Parses YAML text; the top level must be a mapping. */
export function parseYaml(text: string, file: string, what: string): Record<string, unknown> {
  const document = parseDocument(text, { prettyErrors: false });
  if (document.errors.length > 0) {
    const e = document.errors[0];
    const where = e.linePos ? `line ${e.linePos[0].line}, column ${e.linePos[0].col}` : "";
    throw new YamlFileError(`${what} ${file} is not valid YAML${where ? ` (${where})` : ""}: ${e.message.split("\n")[0]}`);
  }
  const doc = document.toJS() as unknown;
  if (typeof doc !== "object" || doc === null || Array.isArray(doc)) throw new YamlFileError(`${what} ${file} must be a YAML mapping (key: value lines) at the top level.`);
  return doc as Record<string, unknown>;
}

/** A path the YAML gives relative to its own folder, made absolute. */
export function besideYaml(yamlFile: string, relative: string): string {
  return path.resolve(path.dirname(yamlFile), relative);
}

/** A YAML path `inputs.num_workers.type` from a JSON pointer `/inputs/num_workers/type`. */
export function yamlPath(pointer: string): string {
  if (!pointer) return "(top level)";
  return pointer
    .split("/")
    .slice(1)
    .map((s) => s.replace(/~1/g, "/").replace(/~0/g, "~"))
    .map((s, i) => (/^\d+$/.test(s) ? `[${s}]` : i === 0 ? s : `.${s}`))
    .join("");
}

/** `azureml:<name>:<version>` and `azureml:<name>@latest` references (no version: the latest). */
export interface AssetReference {
  name: string;
  version?: string;
}

/** Reads a short `azureml:` reference; undefined for ARM ids, registry references and anything else. */
export function parseAssetReference(ref: string): AssetReference | undefined {
  const m = /^azureml:([A-Za-z0-9_.-]+)(?::([A-Za-z0-9_.-]+)|@latest)$/.exec(ref);
  if (!m) return undefined;
  return m[2] !== undefined ? { name: m[1], version: m[2] } : { name: m[1] };
}
