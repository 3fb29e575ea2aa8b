/**
 * The libraries of a task, as the emulator installs them: PyPI packages, wheels and requirements
 * files become pip steps of the task's Python environment (`execution/pythonEnvs.ts`); files come
 * from the emulator's local copies of DBFS and the workspace. JAR, Maven and CRAN libraries need a
 * JVM or R cluster, and eggs are no longer installed by the service: those fail the task, naming
 * the library, as the service reports a library that fails to install.
 */
import * as fs from "node:fs";
import type { LibraryInstall, LibraryInstallError } from "../../execution/pythonEnvs";
import { dbfsLocalFile } from "../dbfs/mounts";
import { normalizeDbfsPath, normalizeWorkspacePath, type DatabricksDataPaths } from "../paths";
import type { JsonObject } from "../request";
import type { WorkspaceTree } from "../workspace/tree";

/** Where local copies of DBFS and workspace files are. */
export interface LibraryFiles {
  paths: DatabricksDataPaths;
  workspace: WorkspaceTree;
}

/** The pip steps of a task's libraries, or the message of the first one that cannot be installed. */
export type LibraryPlan = { installs: LibraryInstall[] } | { failure: string };

/** Lines of pip's output kept in a failure message when it printed no `ERROR:` line. */
const PIP_TAIL_LINES = 20;

/**
 * The local file of a file a task names: `dbfs:/`, `/dbfs/`, `/Volumes/`, a workspace file
 * (`/Workspace/...` or `/Users/...`), `file:`, or a local path; undefined when there is none.
 */
export function taskLocalFile(file: string, where: LibraryFiles): string | undefined {
  const existing = (p: string) => (fs.existsSync(p) && fs.statSync(p).isFile() ? p : undefined);
  try {
    if (/^dbfs:/i.test(file)) return existing(dbfsLocalFile(where.paths, normalizeDbfsPath(file)));
    if (file.startsWith("/dbfs/")) return existing(dbfsLocalFile(where.paths, normalizeDbfsPath(file.slice("/dbfs".length))));
    if (file.startsWith("/Volumes/")) return existing(dbfsLocalFile(where.paths, normalizeDbfsPath(file)));
    if (/^file:/i.test(file)) return existing(file.replace(/^file:(\/\/)?/i, ""));
    if (file.startsWith("/")) {
      const inWorkspace = where.workspace.resolve(normalizeWorkspacePath(file), "FILE");
      return inWorkspace ? inWorkspace.localPath : existing(file);
    }
  } catch {
    return undefined;
  }
  return undefined;
}

/** A library as the service prints it in messages (the text form of its definition). */
export function libraryLabel(library: JsonObject): string {
  for (const kind of ["pypi", "maven", "cran"]) {
    const spec = library[kind];
    if (spec && typeof spec === "object") {
      const fields = Object.entries(spec as JsonObject)
        .filter(([, v]) => v !== undefined && v !== null)
        .flatMap(([k, v]) => (Array.isArray(v) ? v.map((x) => `  ${k}: ${JSON.stringify(String(x))}\n`) : [`  ${k}: ${JSON.stringify(String(v))}\n`]));
      return `${kind} {\n${fields.join("")}}`;
    }
  }
  const [kind, value] = Object.entries(library).find(([, v]) => typeof v === "string") ?? ["library", ""];
  return `${kind}: ${JSON.stringify(value)}`;
}

/** The service's message for a library that failed to install. */
export function libraryFailure(label: string, details: string): string {
  return `Library installation failed for library due to user error for ${label}\n Error messages:\n${details}`;
}

/** The message for a library pip failed on, with pip's errors, worded as the service words it. */
export function pipFailure(err: LibraryInstallError, clusterId: string | undefined): string {
  const lines = err.output.split("\n").map((l) => l.trimEnd());
  const errors = lines.filter((l) => l.startsWith("ERROR:"));
  const shown = (errors.length > 0 ? errors : lines.filter(Boolean).slice(-PIP_TAIL_LINES)).join("\n");
  const where = clusterId ? `the driver node of cluster ${clusterId}` : "the driver node";
  return libraryFailure(
    err.install.label,
    `Library installation attempted on ${where} and failed. Please refer to the following error message to fix the library or contact Databricks support. ` +
      `Error Code: DRIVER_LIBRARY_INSTALLATION_FAILURE. Error Message: org.apache.spark.SparkException: Process List(${err.command.join(", ")}) exited with code ${err.exitCode}. ${shown}`,
  );
}

const NOT_PYTHON: Record<string, string> = {
  jar: "JAR libraries need a JVM Spark cluster",
  maven: "Maven libraries need a JVM Spark cluster",
  cran: "CRAN libraries need an R cluster",
  egg: "egg libraries are not installed on current Databricks runtimes (use a wheel)",
};

/** The pip steps of a task's `libraries`, in order, or why one of them cannot be installed. */
export function planLibraries(libraries: unknown, where: LibraryFiles): LibraryPlan {
  const installs: LibraryInstall[] = [];
  for (const library of Array.isArray(libraries) ? (libraries as JsonObject[]) : []) {
    const label = libraryLabel(library);
    const kind = Object.keys(library).find((k) => library[k] !== undefined && library[k] !== null) ?? "";
    if (NOT_PYTHON[kind]) return { failure: libraryFailure(label, `The local emulator cannot install it: ${NOT_PYTHON[kind]}; it installs PyPI, wheel and requirements libraries.`) };
    if (kind === "pypi") {
      const pypi = library.pypi as JsonObject;
      if (String(pypi.package).trim().startsWith("-")) return { failure: libraryFailure(label, `ERROR: Invalid requirement: ${JSON.stringify(pypi.package)}: a package name or requirement cannot start with '-'.`) };
      const repo = typeof pypi.repo === "string" && pypi.repo !== "" ? ["--index-url", pypi.repo] : [];
      installs.push({ label, args: [String(pypi.package), ...repo] });
      continue;
    }
    if (kind === "whl" || kind === "requirements") {
      const file = String(library[kind]);
      const local = taskLocalFile(file, where);
      if (!local) return { failure: libraryFailure(label, `java.io.FileNotFoundException: ${file} (No such file or directory)`) };
      installs.push({ label, args: kind === "whl" ? [local] : ["-r", local], files: [local] });
      continue;
    }
    return { failure: libraryFailure(label, `The local emulator does not know the library kind ${JSON.stringify(kind)}.`) };
  }
  return { installs };
}
