/**
 * Uploading a folder's files to the SAS URL a pending upload handed out, with `@azure/storage-blob`
 * (the storage data plane, outside Resource Manager). The SAS is the only credential: no Azure
 * token goes to storage.
 */
import { BlockBlobClient } from "@azure/storage-blob";

/** One file to upload: its path relative to the folder (`/` separators) and its absolute path. */
export interface UploadFile {
  relative: string;
  absolute: string;
}

/**
 * Uploads `files` below `folder` of the SAS URL (`https://<blob>/<container>/<prefix>?<sas>`), and
 * returns the folder's URL without the SAS (the `codeUri` of a code version).
 */
export async function uploadFolder(sasUri: string, folder: string, files: readonly UploadFile[], opts: { signal?: AbortSignal } = {}): Promise<string> {
  const sas = new URL(sasUri);
  const base = `${sas.origin}${sas.pathname.replace(/\/+$/, "")}/${encodePath(folder)}`;
  for (const file of files) {
    const blob = new BlockBlobClient(`${base}/${encodePath(file.relative)}${sas.search}`);
    await blob.uploadFile(file.absolute, { abortSignal: opts.signal });
  }
  return base;
}

function encodePath(p: string): string {
  return p.split("/").map(encodeURIComponent).join("/");
}
