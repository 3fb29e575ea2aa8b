/**
 * What the job execution tests share: code uploaded as Azure ML clients upload it, components of
 * that code, pipeline jobs submitted and waited for through the ARM API, and the datastore's blobs.
 */
import * as assert from "node:assert/strict";
import { BlockBlobClient, ContainerClient, StorageSharedKeyCredential } from "@azure/storage-blob";
import { until, type TestEmulator } from "../../support/emulator";
import { V, WS } from "./fixture";

/** What the helpers that only call the emulator need of it (a test emulator, or one in another process). */
export type Caller = Pick<TestEmulator, "call">;

/** The environment of the test components (a registry one, not resolved by the emulator). */
export const ENVIRONMENT = "azureml://registries/azureml/environments/sklearn-1.5/versions/1";

/** Uploads `files` (path → content) as a code version `<name>:1` the way clients do (startPendingUpload, then PUT); returns its ARM id. */
export async function uploadCode(t: TestEmulator, name: string, files: Record<string, string>): Promise<string> {
  const pending = await t.call("POST", `${WS}/codes/${name}/versions/1/startPendingUpload?${V}`, { pendingUploadType: "TemporaryBlobReference" });
  assert.equal(pending.status, 200);
  const ref = pending.body.blobReferenceForConsumption;
  const [, sas] = String(ref.credential.sasUri).split("?");
  for (const [file, content] of Object.entries(files)) await new BlockBlobClient(`${ref.blobUri}/src/${file}?${sas}`).upload(content, Buffer.byteLength(content));
  const put = await t.call("PUT", `${WS}/codes/${name}/versions/1?${V}`, { properties: { codeUri: `${ref.blobUri}/src`, isAnonymous: true } });
  assert.equal(put.status, 201);
  return `${WS}/codes/${name}/versions/1`;
}

/** Registers the command component `<name>:1`; returns its ARM id. */
export async function registerComponent(t: Caller, name: string, spec: Record<string, unknown>): Promise<string> {
  const r = await t.call("PUT", `${WS}/components/${name}/versions/1?${V}`, { properties: { componentSpec: { name, version: "1", type: "command", environment: ENVIRONMENT, ...spec } } });
  assert.equal(r.status, 201);
  return `${WS}/components/${name}/versions/1`;
}

/** The stored job as the ARM API shows its properties. */
export async function jobOf(t: Caller, name: string): Promise<Record<string, any>> {
  const r = await t.call("GET", `${WS}/jobs/${name}?${V}`);
  assert.equal(r.status, 200);
  return r.body.properties;
}

/** Waits until the job reaches `status` (failing early with what it reached if another terminal one). */
export async function untilStatus(t: Caller, name: string, status: string): Promise<Record<string, any>> {
  let last = "";
  return until(
    () => `job ${name} is ${status} (it is ${last})`,
    async () => {
      const p = await jobOf(t, name);
      last = `${p.status} ${JSON.stringify(p.properties)}`;
      if (p.status !== status && ["Completed", "Failed", "Canceled"].includes(p.status)) assert.fail(`job ${name} ended ${last}, not ${status}`);
      return p.status === status ? p : undefined;
    },
    60_000,
  );
}

/** The child jobs of a pipeline job, by step name. */
export async function childJobs(t: TestEmulator, parent: string): Promise<Record<string, { name: string; properties: Record<string, any> }>> {
  const r = await t.call("GET", `${WS}/jobs?${V}`);
  assert.equal(r.status, 200);
  const children = (r.body.value as { name: string; properties: Record<string, any> }[]).filter((j) => j.properties.properties?.["azureml.parentrunid"] === parent);
  return Object.fromEntries(children.map((c) => [c.properties.properties["azureml.nodeid"], c]));
}

/** The default datastore's container, with its key from listSecrets. */
export async function datastoreContainer(t: TestEmulator): Promise<ContainerClient> {
  const ds = (await t.call("GET", `${WS}/datastores/workspaceblobstore?${V}`)).body.properties;
  const key = (await t.call("POST", `${WS}/datastores/workspaceblobstore/listSecrets?${V}`)).body.key;
  return new ContainerClient(`${ds.properties["emulator.blobServiceUrl"]}/${ds.containerName}`, new StorageSharedKeyCredential(ds.accountName, key));
}

/** A blob's content as text. */
export async function blobText(container: ContainerClient, name: string): Promise<string> {
  return (await container.getBlockBlobClient(name).downloadToBuffer()).toString();
}

/** Submits job `name` with `properties`; asserts it is taken NotStarted. */
export async function submitJob(t: Caller, name: string, properties: Record<string, unknown>): Promise<void> {
  const r = await t.call("PUT", `${WS}/jobs/${name}?${V}`, { properties });
  assert.equal(r.status, 201, r.text);
  assert.equal(r.body.properties.status, "NotStarted");
}

/** The job's page on the emulator (fetched with the emulator's bearer token), as HTML. */
export async function jobPageHtml(t: TestEmulator, name: string): Promise<string> {
  const res = await fetch(`${t.emulator.url}/runs/${name}`, { headers: { Authorization: `Bearer ${t.emulator.token}` }, redirect: "manual" });
  const text = await res.text();
  assert.equal(res.status, 200, text);
  return text;
}

/** The statuses of each status history on a job page, in page order (the job's first, then each step's), with their times. */
export function pageHistories(html: string): { status: string; at: string }[][] {
  const tables = html.split("<h3>Status history</h3>").slice(1);
  assert.ok(tables.length > 0, "the page has a status history");
  return tables.map((t) => [...t.slice(0, t.indexOf("</table>")).matchAll(/<tr><td>([^<]+)<\/td><td class="state">([^<]+)<\/td><\/tr>/g)].map((m) => ({ at: m[1], status: m[2] })));
}
