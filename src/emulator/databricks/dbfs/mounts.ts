/**
 * Mounts as the DBFS API sees them. The executor records mounts (`dbutils.fs.mount`) in the mount
 * table `{"/mnt/x": {"source": "wasbs://container@account.blob.core.windows.net/prefix", ...}}` and
 * keeps a mounted container's files under `<dbfsRoot>/.blob/<account>/<container>/<prefix>`; the
 * same mapping here makes `/api/2.0/dbfs/read?path=/mnt/x/file` read what a notebook wrote there.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { invalidParameter } from "../errors";
import { contained, dbfsLocalPath, type DatabricksDataPaths } from "../paths";

/** Folder under the DBFS root holding mounted containers (hidden from listings). */
export const BLOB_FOLDER = ".blob";

/** The mount table: mount point to source. */
export function readMounts(paths: DatabricksDataPaths): Record<string, string> {
  try {
    const table = JSON.parse(fs.readFileSync(paths.mountsFile, "utf8")) as Record<string, { source?: unknown }>;
    return Object.fromEntries(Object.entries(table).flatMap(([point, m]) => (typeof m?.source === "string" ? [[point, m.source]] : [])));
  } catch {
    return {};
  }
}

/** Schemes of Azure storage sources that can be mounted. */
const BLOB_SCHEMES = ["wasbs", "wasb", "abfss", "abfs"];

/** What a mount source names: `<scheme>://<container>@<host>/<prefix>`, the account being the host's first label. */
export interface BlobSource {
  /** The storage host as written (`<account>.blob.core.windows.net`); extra configs are keyed by it. */
  readonly host: string;
  readonly account: string;
  readonly container: string;
  /** The folder inside the container, without leading or trailing `/`; "" for the whole container. */
  readonly prefix: string;
}

/**
 * The parts of a `wasbs://`, `wasb://`, `abfss://` or `abfs://` source (the same rules as
 * `parse_blob_source` in the executor's `dbutils_local.py`); `undefined` for anything else.
 */
export function parseBlobSource(source: string): BlobSource | undefined {
  const m = /^([A-Za-z][A-Za-z0-9+.-]*):\/\/([^/@]+)@([^/]+)(\/.*)?$/.exec(source);
  if (!m || !BLOB_SCHEMES.includes(m[1].toLowerCase())) return undefined;
  const parts = (m[4] ?? "").split("/").filter((p) => p !== "" && p !== ".");
  if (parts.includes("..")) return undefined;
  return { host: m[3], account: m[3].split(".")[0], container: m[2], prefix: parts.join("/") };
}

/**
 * The local folder of a `wasbs://` or `abfss://` source: `<dbfsRoot>/.blob/<account>/<container>/<prefix>`;
 * throws 400 for a source that is neither.
 */
export function sourceLocalDir(paths: DatabricksDataPaths, source: string | BlobSource): string {
  const parsed = typeof source === "string" ? parseBlobSource(source) : source;
  if (!parsed) throw invalidParameter(`Invalid mount source: ${String(source)}`);
  return path.join(paths.dbfsRoot, BLOB_FOLDER, parsed.account, parsed.container, ...parsed.prefix.split("/").filter(Boolean));
}

/**
 * The local file of a canonical DBFS path, through the mount table; throws 400 when it would lead
 * out of the DBFS root (a symbolic link a notebook planted, a mount source naming `..`).
 */
export function dbfsLocalFile(paths: DatabricksDataPaths, dbfsPath: string): string {
  return contained(paths.dbfsRoot, mappedLocalFile(paths, dbfsPath), dbfsPath, "DBFS");
}

function mappedLocalFile(paths: DatabricksDataPaths, dbfsPath: string): string {
  const mounts = Object.entries(readMounts(paths)).sort(([a], [b]) => b.length - a.length);
  for (const [point, source] of mounts) {
    if (dbfsPath === point || dbfsPath.startsWith(`${point}/`)) {
      return path.join(sourceLocalDir(paths, source), ...dbfsPath.slice(point.length).split("/").filter(Boolean));
    }
  }
  return dbfsLocalPath(paths, dbfsPath);
}

/** Mount points directly under a folder (so `/mnt` lists its mounts), and whether the folder holds any. */
export function mountPointsUnder(paths: DatabricksDataPaths, folder: string): { children: string[]; holdsMounts: boolean } {
  const prefix = folder === "/" ? "/" : `${folder}/`;
  const below = Object.keys(readMounts(paths)).filter((p) => p.startsWith(prefix));
  const children = [...new Set(below.map((p) => prefix + p.slice(prefix.length).split("/")[0]))].sort();
  return { children, holdsMounts: below.length > 0 };
}
