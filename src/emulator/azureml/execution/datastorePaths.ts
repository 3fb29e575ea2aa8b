/**
 * Moving step data between the workspace's datastore (a container in Azurite) and a step's local
 * folders: `azureml://datastores/<ds>/paths/<p>` URIs, a folder downloaded below a prefix, and a
 * local folder uploaded to a prefix.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import type { ContainerClient } from "@azure/storage-blob";

/** `azureml://datastores/<datastore>/paths/<path>`. */
const DATASTORE_URI = /^azureml:\/\/datastores\/([^/]+)\/paths\/(.*)$/;

/** The datastore and path a datastore URI names. */
export function parseDatastoreUri(uri: string): { datastore: string; path: string } | undefined {
  const m = DATASTORE_URI.exec(uri);
  return m ? { datastore: m[1], path: m[2] } : undefined;
}

/** The URI of a path in a datastore (a folder ends with `/`). */
export function datastoreUri(datastore: string, folder: string): string {
  return `azureml://datastores/${datastore}/paths/${folder.replace(/\/?$/, "/")}`;
}

/** Downloads every blob below `prefix` into `dir` (their paths relative to the prefix); returns how many. */
export async function downloadFolder(container: ContainerClient, prefix: string, dir: string): Promise<number> {
  const from = prefix.replace(/^\/+/, "").replace(/\/?$/, "/");
  let count = 0;
  fs.mkdirSync(dir, { recursive: true });
  for await (const blob of container.listBlobsFlat({ prefix: from })) {
    const segments = blob.name.slice(from.length).split("/");
    // A blob name is any string: one with `..`, `.` or empty segments would land outside `dir`, or nowhere.
    if (segments.some((s) => s === "" || s === "." || s === "..")) throw new Error(`blob ${JSON.stringify(blob.name)} cannot be downloaded: its path has an empty, '.' or '..' segment`);
    const target = path.join(dir, ...segments);
    fs.mkdirSync(path.dirname(target), { recursive: true });
    await container.getBlockBlobClient(blob.name).downloadToFile(target);
    count++;
  }
  return count;
}

/** Uploads every file below `dir` to `prefix` (kept relative), making the container if it is not there yet; returns how many. */
export async function uploadFolder(container: ContainerClient, dir: string, prefix: string): Promise<number> {
  const to = prefix.replace(/^\/+/, "").replace(/\/?$/, "/");
  let count = 0;
  if (!fs.existsSync(dir)) return 0;
  await container.createIfNotExists();
  for (const entry of fs.readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const file = path.join(entry.parentPath, entry.name);
    await container.getBlockBlobClient(`${to}${path.relative(dir, file).split(path.sep).join("/")}`).uploadFile(file);
    count++;
  }
  return count;
}
