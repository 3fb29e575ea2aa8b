/**
 * The Python a step runs with: for an environment of the workspace with a conda file, a virtual
 * environment with the file's pip dependencies (over the emulator's base environment; the Python
 * version is the machine's, conda packages other than pip ones are not installed), built once per
 * content hash (`execution/pythonEnvs.ts`); else the emulator's runtime Python.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { parse } from "yaml";
import { ensureLibraryEnvironment, runtimePython } from "../../execution/pythonEnvs";
import type { AzureMlConfig } from "../config";
import type { Resources } from "../resources";
import { childPathOf } from "../scope";
import type { JsonObject } from "../state";

/** The pip dependencies of a conda file (`dependencies: [..., {pip: [...]}]`). */
export function condaPipPackages(condaFile: string): string[] {
  const doc = parse(condaFile) as { dependencies?: unknown } | null;
  const deps = Array.isArray(doc?.dependencies) ? doc.dependencies : [];
  return deps.flatMap((d) => (typeof d === "object" && d !== null && Array.isArray((d as JsonObject).pip) ? ((d as JsonObject).pip as unknown[]).map(String) : []));
}

/** The interpreter for a step whose component names `environment` (an `azureml:` ARM id, or a registry's environment). */
export async function stepPython(resources: Resources, config: AzureMlConfig, environment: unknown): Promise<string> {
  const child = typeof environment === "string" ? childPathOf(environment, config) : undefined;
  const found = child ? resources.find(child) : undefined;
  const condaFile = (found?.body.properties as JsonObject | undefined)?.condaFile;
  const packages = typeof condaFile === "string" ? condaPipPackages(condaFile) : [];
  if (packages.length === 0) return runtimePython();
  // A local wheel or archive counts by its content, not where it lies.
  const files = packages.filter((p) => path.isAbsolute(p) && fs.existsSync(p));
  const env = await ensureLibraryEnvironment([{ label: `the pip dependencies of environment ${String(environment)} (${packages.join(", ")})`, args: packages, files }]);
  return env.python;
}
