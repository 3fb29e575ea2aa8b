/**
 * The code version a component uploaded is its own: destroy deletes it (and its container once
 * empty) unless another component version of the workspace still names it. A code version found by
 * its hash (someone else's upload) is never deleted. The uploaded files stay in the datastore, as
 * they do when the service's own code delete runs.
 */
import type { AzureMlApi } from "../client";
import { inContext, unlessNotFound } from "../shared/errors";
import type { ComponentOutputs } from "./inputs";

const CODE_ID = /\/codes\/([^/]+)\/versions\/([^/]+)$/i;

/** Deletes the component's own code version when no other component version refers to it. */
export async function deleteOwnCode(api: AzureMlApi, props: ComponentOutputs): Promise<void> {
  if (props.codeCreated !== true || !props.codeId) return;
  const match = CODE_ID.exec(props.codeId);
  if (!match) return;
  const [name, version] = [decodeURIComponent(match[1]), decodeURIComponent(match[2])];
  const label = `Azure ML component ${props.name}:${props.version}`;
  const operation = `delete code ${name}:${version} uploaded by component ${props.name}:${props.version} in ${api.calls.where}`;
  try {
    const user = await componentUsing(api, props.codeId);
    if (user) {
      console.log(`${label}: code ${name}:${version} kept: component ${user} still uses it.`);
      return;
    }
    await unlessNotFound(() => api.codes.deleteVersion(name, version));
    if ((await api.codes.listVersions(name, {}, "All")).length === 0) await unlessNotFound(() => api.codes.deleteContainer(name));
  } catch (err) {
    throw inContext(err, { operation });
  }
}

/** `name:version` of a component version (archived ones included) whose spec's `code` is `codeId`, if any. */
async function componentUsing(api: AzureMlApi, codeId: string): Promise<string | undefined> {
  const wanted = codeId.toLowerCase();
  for (const container of await api.components.listContainers({}, "All")) {
    if (!container.name) continue;
    for (const v of await api.components.listVersions(container.name, {}, "All")) {
      const code = (v.properties?.componentSpec as { code?: unknown } | undefined)?.code;
      if (typeof code === "string" && code.replace(/^azureml:/i, "").toLowerCase() === wanted) return `${container.name}:${v.name}`;
    }
  }
  return undefined;
}
