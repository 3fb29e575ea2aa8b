/**
 * Mounts as the DBFS API sees them. The executor records mounts (`dbutils.fs.mount`) in the mount
 * table `{"/mnt/x": {"source": "wasbs://container@account.blob.core.windows.net/prefix", ...}}` and
 * keeps a mounted container's files under `<dbfsRoot>/.blob/<account>/<container>/<prefix>`; the
 * same mapping here makes `/api/2.0/dbfs/read?path=/mnt/x/file` read what a notebook wrote there.
 */
import * as fs from "node:fs";
import * as path from "node:path";
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

/** The local folder of a `wasbs://` or `abfss://` source. */
export function sourceLocalDir(paths: DatabricksDataPaths, source: string): string {
  const rest = source.split("://", 2)[1] ?? "";
  const slash = rest.indexOf("/");
  const authority = slash < 0 ? rest : rest.slice(0, slash);
  const prefix = slash < 0 ? "" : rest.slice(slash + 1);
  const [container, host = ""] = authority.split("@");
  const account = host.split(".")[0];
  return path.join(paths.dbfsRoot, BLOB_FOLDER, account, container, ...prefix.split("/").filter(Boolean));
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
