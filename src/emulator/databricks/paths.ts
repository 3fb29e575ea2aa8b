/**
 * Where the emulated workspace keeps files on local disk: DBFS under `<dataDir>/dbfs`, workspace
 * notebooks and files under `<dataDir>/workspace`, the mount table in `<dataDir>/mounts.json`.
 * The executor gets the same folders, so a file a notebook writes with `dbutils.fs` is visible
 * through `/api/2.0/dbfs` and the other way round. `dataDir` is `<stateDir>/databricks`, or a
 * temporary folder (removed on close) for an in-memory emulator.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { resolvesInside } from "../core/containment";
import { runEveryStep } from "../core/everyStep";
import { removeTemporaryFiles, removeTree } from "../core/removal";
import { invalidParameter } from "./errors";

/** Longest name of one path segment, in UTF-8 bytes (the file systems' limit). */
export const MAX_SEGMENT_BYTES = 255;
/** Longest local path the operating system takes, in bytes with its terminating NUL (Linux `PATH_MAX`). */
const PATH_MAX = 4096;

/** The local folders of one emulated workspace. */
export interface DatabricksDataPaths {
  /** Root of all Databricks data. */
  readonly dataDir: string;
  /** DBFS root: `dbfs:/a/b` is `<dbfsRoot>/a/b`. */
  readonly dbfsRoot: string;
  /** Workspace root: notebook `/Shared/x` is the file `<workspaceRoot>/Shared/x`. */
  readonly workspaceRoot: string;
  /** The mount table shared by runs and execution contexts (written by the executor). */
  readonly mountsFile: string;
  /** Spark's warehouse (`saveAsTable`) and metastore, used by notebooks (`execution/spark_local.py`). */
  readonly sparkDir: string;
  /** Streaming DBFS uploads in progress (`create`/`add-block` before `close`). */
  readonly uploadsDir: string;
  /** True when `dataDir` is a temporary folder to remove on close. */
  readonly temporary: boolean;
}

/** Chooses the folders (persistent under `stateDir`, else temporary) and creates them. */
export function createDataPaths(stateDir?: string): DatabricksDataPaths {
  const temporary = !stateDir;
  const dataDir = stateDir ? path.join(path.resolve(stateDir), "databricks") : fs.mkdtempSync(path.join(os.tmpdir(), "amldb-databricks-"));
  const paths: DatabricksDataPaths = {
    dataDir,
    dbfsRoot: path.join(dataDir, "dbfs"),
    workspaceRoot: path.join(dataDir, "workspace"),
    mountsFile: path.join(dataDir, "mounts.json"),
    uploadsDir: path.join(dataDir, "uploads"),
    sparkDir: path.join(dataDir, "spark"),
    temporary,
  };
  ensureDataDirs(paths);
  // What a killed emulator left: temporary files of interrupted writes and removals, and uploads
  // whose handles died with it.
  removeTemporaryFiles(paths.dbfsRoot);
  removeTemporaryFiles(paths.workspaceRoot);
  removeTree(paths.uploadsDir);
  ensureDataDirs(paths);
  return paths;
}

/** Creates the folders when missing. */
export function ensureDataDirs(paths: DatabricksDataPaths): void {
  for (const dir of [paths.dataDir, paths.dbfsRoot, paths.workspaceRoot, paths.uploadsDir]) fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
}

/** Empties DBFS, the workspace files, uploads, the mount table and Spark's tables (reset). */
export function wipeData(paths: DatabricksDataPaths): void {
  runEveryStep([
    ...[paths.dbfsRoot, paths.workspaceRoot, paths.uploadsDir, paths.mountsFile, paths.sparkDir].map((p) => [`removing ${p}`, () => removeTree(p)] as const),
    ["creating the data folders", () => ensureDataDirs(paths)],
  ]);
}

/** Removes a temporary data folder (close); a persistent one is kept. */
export function removeData(paths: DatabricksDataPaths): void {
  if (paths.temporary) removeTree(paths.dataDir);
}

/**
 * The canonical form of a DBFS path (`dbfs:/a/b/` and `/a/b` are `/a/b`); throws 400
 * INVALID_PARAMETER_VALUE for a relative path or one that climbs out of the root.
 */
export function normalizeDbfsPath(input: string): string {
  let p = input.trim();
  if (/^dbfs:/i.test(p)) p = p.slice(5);
  if (!p.startsWith("/")) throw invalidParameter(`Path must be absolute: ${input}`);
  return canonical(p, input);
}

/** The local file of a canonical DBFS path. */
export function dbfsLocalPath(paths: DatabricksDataPaths, dbfsPath: string): string {
  return path.join(paths.dbfsRoot, ...dbfsPath.split("/").filter(Boolean));
}

/**
 * The canonical form of a workspace path: absolute, no trailing slash, and without the
 * `/Workspace` prefix the workspace also accepts (`/Workspace/Shared/x` is `/Shared/x`).
 */
export function normalizeWorkspacePath(input: string): string {
  const p = input.trim();
  if (!p.startsWith("/")) throw invalidParameter(`Path (${input}) is not absolute. Workspace paths must start with '/'.`);
  const c = canonical(p, input);
  if (c === "/Workspace") return "/";
  return c.startsWith("/Workspace/") ? c.slice("/Workspace".length) : c;
}

/** The local file or folder of a canonical workspace path; throws 400 when it would lead out of the workspace folder. */
export function workspaceLocalPath(paths: DatabricksDataPaths, workspacePath: string): string {
  return contained(paths.workspaceRoot, path.join(paths.workspaceRoot, ...workspacePath.split("/").filter(Boolean)), workspacePath, "the workspace");
}

/**
 * `local` when it is a path the operating system takes and it resolves inside `root` (symbolic
 * links followed); throws 400 INVALID_PARAMETER_VALUE naming the API path otherwise.
 */
export function contained(root: string, local: string, apiPath: string, what: string): string {
  if (Buffer.byteLength(local, "utf8") >= PATH_MAX) {
    throw invalidParameter(`Invalid path: ${apiPath.slice(0, 64)}... is too long (its local file would exceed ${PATH_MAX - 1} bytes).`);
  }
  if (!resolvesInside(root, local)) throw invalidParameter(`Invalid path: ${apiPath} leads out of ${what}.`);
  return local;
}

/** The parent of a canonical path (`/` for top-level entries and for the root). */
export function parentOf(canonicalPath: string): string {
  const i = canonicalPath.lastIndexOf("/");
  return i <= 0 ? "/" : canonicalPath.slice(0, i);
}

/** The last segment of a canonical path. */
export function baseNameOf(canonicalPath: string): string {
  return canonicalPath.slice(canonicalPath.lastIndexOf("/") + 1);
}

function canonical(p: string, original: string): string {
  const segments = p.split("/").filter((s) => s !== "" && s !== ".");
  if (segments.includes("..")) throw invalidParameter(`Invalid path: ${original}`);
  if (segments.some((s) => s.includes("\0"))) throw invalidParameter(`Invalid path: ${original}`);
  const long = segments.find((s) => Buffer.byteLength(s, "utf8") > MAX_SEGMENT_BYTES);
  if (long !== undefined) throw invalidParameter(`Invalid path: the name ${long.slice(0, 32)}... is longer than ${MAX_SEGMENT_BYTES} bytes.`);
  return `/${segments.join("/")}`;
}
