/**
 * Where a step's data lives in the workspace: the datastore container a URI points into (by
 * datastore name, or an Azurite blob URL as a code version's `codeUri` is), and the default
 * output path of a child job.
 */
import type { ContainerClient } from "@azure/storage-blob";
import type { BlobStorage } from "../../storage/blobStorage";
import { DEFAULT_DATASTORE } from "../config";
import type { Resources } from "../resources";
import type { JsonObject } from "../state";
import { datastoreUri, parseDatastoreUri } from "./datastorePaths";

/** A folder or file in a container. */
export interface BlobLocation {
  readonly container: ContainerClient;
  readonly path: string;
}

/** The container of a datastore of the workspace. */
export function datastoreContainer(resources: Resources, storage: BlobStorage, datastore: string): ContainerClient {
  const found = resources.find(`datastores/${datastore}`);
  if (!found) throw new Error(`the datastore ${datastore} does not exist in the workspace`);
  const p = found.body.properties as JsonObject;
  return storage.client(String(p.accountName)).getContainerClient(String(p.containerName));
}

/** Where a URI points: `azureml://datastores/<ds>/paths/<p>`, or a path-style blob URL `<scheme>://<host>/<account>/<container>/<p>`. */
export function locate(resources: Resources, storage: BlobStorage, uri: string): BlobLocation {
  const inStore = parseDatastoreUri(uri);
  if (inStore) return { container: datastoreContainer(resources, storage, inStore.datastore), path: inStore.path };
  const url = URL.canParse(uri) ? new URL(uri) : undefined;
  const parts = url && /^https?:$/.test(url.protocol) ? url.pathname.split("/").filter(Boolean).map(decodeURIComponent) : [];
  if (parts.length < 2) throw new Error(`'${uri}' is neither an azureml://datastores/ URI nor a blob URL of the emulator's storage`);
  return { container: storage.client(parts[0]).getContainerClient(parts[1]), path: parts.slice(2).join("/") };
}

/** The service's default URI of a child job's output: `azureml/<child job>/<output>/` in the default datastore. */
export function defaultOutputUri(childJob: string, output: string, datastore = DEFAULT_DATASTORE): string {
  return datastoreUri(datastore, `azureml/${childJob}/${output}`);
}
