/**
 * What the data page shows for a datastore URI of the Azure ML workspace
 * (`azureml://datastores/<ds>/paths/<p>`), where a job's outputs link to: the blobs below a folder
 * (their names, sizes and links), or one blob with its text when it is small UTF-8 text. Only the
 * workspace's own datastores are read: any other URI is refused. The values of the emulator's
 * secrets are taken out of a text shown.
 */
import { redactValues } from "../../core/redact";
import { parseDatastoreUri } from "../azureml/execution/datastorePaths";
import { datastoreContainer } from "../azureml/execution/stepData";
import type { Resources } from "../azureml/resources";
import type { BlobStorage } from "../storage/blobStorage";
import { WITHHELD_TEXT } from "./amlJobView";

/** Most blobs a folder lists. */
export const MAX_LISTED_BLOBS = 500;
/** Largest blob whose text is shown. */
export const MAX_SHOWN_BYTES = 64 * 1024;

/** One blob of a folder. */
export interface BlobEntry {
  /** Its path below the folder. */
  readonly name: string;
  readonly size: number;
  /** Its own datastore URI. */
  readonly uri: string;
}

/** The page's content. */
export type DataView =
  | { readonly kind: "folder"; readonly uri: string; readonly datastore: string; readonly blobs: readonly BlobEntry[]; readonly more: boolean }
  | { readonly kind: "file"; readonly uri: string; readonly datastore: string; readonly size: number; readonly folder: string; readonly text?: string; readonly why?: string };

/** Why a URI cannot be shown. */
export class DataRefused extends Error {}

/** What is at `uri`; throws {@link DataRefused} for a URI that is not one of the workspace's datastores. */
export async function dataView(resources: Resources, storage: BlobStorage, uri: string, secretValues: readonly string[]): Promise<DataView> {
  const parsed = parseDatastoreUri(uri);
  if (!parsed) throw new DataRefused(`'${uri}' is not a datastore URI (azureml://datastores/<datastore>/paths/<path>).`);
  if (!resources.find(`datastores/${parsed.datastore}`)) throw new DataRefused(`The workspace has no datastore ${parsed.datastore}.`);
  const container = datastoreContainer(resources, storage, parsed.datastore);
  const path = parsed.path.replace(/^\/+/, "");
  if (path !== "" && !path.endsWith("/")) {
    const blob = container.getBlockBlobClient(path);
    if (await blob.exists()) {
      const size = (await blob.getProperties()).contentLength ?? 0;
      const folder = folderUri(parsed.datastore, path.slice(0, path.lastIndexOf("/") + 1));
      if (size > MAX_SHOWN_BYTES) return { kind: "file", uri, datastore: parsed.datastore, size, folder, why: `larger than ${MAX_SHOWN_BYTES} bytes` };
      const bytes = size === 0 ? Buffer.alloc(0) : await blob.downloadToBuffer();
      const text = textOf(bytes);
      if (text === undefined) return { kind: "file", uri, datastore: parsed.datastore, size, folder, why: "not UTF-8 text" };
      return { kind: "file", uri, datastore: parsed.datastore, size, folder, text: redactValues(text, secretValues) ?? WITHHELD_TEXT };
    }
  }
  const prefix = path === "" || path.endsWith("/") ? path : `${path}/`;
  const blobs: BlobEntry[] = [];
  let more = false;
  if (await container.exists()) {
    for await (const b of container.listBlobsFlat({ prefix })) {
      if (blobs.length === MAX_LISTED_BLOBS) {
        more = true;
        break;
      }
      blobs.push({ name: b.name.slice(prefix.length), size: b.properties.contentLength ?? 0, uri: `azureml://datastores/${parsed.datastore}/paths/${b.name}` });
    }
  }
  return { kind: "folder", uri: folderUri(parsed.datastore, prefix), datastore: parsed.datastore, blobs, more };
}

/** The URI of a folder (`prefix` empty or ending with `/`). */
function folderUri(datastore: string, prefix: string): string {
  return `azureml://datastores/${datastore}/paths/${prefix}`;
}

/** The bytes as text when they are UTF-8 without control characters other than whitespace. */
function textOf(bytes: Buffer): string | undefined {
  const text = new TextDecoder("utf-8", { fatal: false }).decode(bytes);
  if (text.includes("\uFFFD") || /[\x00-\x08\x0e-\x1f]/.test(text)) return undefined;
  return text;
}
