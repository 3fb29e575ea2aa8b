/**
 * A submitted job's references to assets by name, as the CLI v2 YAML writes them:
 * `azureml:<name>:<version>` and `azureml:<name>@latest`, resolved to the version's Resource
 * Manager id when the job is submitted (a missing asset is refused then, not when the job runs).
 * Long forms (`azureml:/subscriptions/…`, a plain ARM id) are checked by `mustExist`; references
 * elsewhere (`azureml://registries/…`) are kept as they are.
 */
import { userError } from "./errors";
import { mustExist, type AzureMlContext } from "./routes";
import { workspaceArmId } from "./scope";
import type { JsonObject } from "./state";

/** `azureml:<name>:<version>` or `azureml:<name>@<label>`. */
const SHORT_REFERENCE = /^azureml:([A-Za-z0-9][A-Za-z0-9\-_.]*)(?::([A-Za-z0-9][A-Za-z0-9\-_.]*)|@([A-Za-z]+))$/;

/** The asset collections a job refers to. */
export type AssetCollection = "components" | "codes" | "environments";

/**
 * The reference as the job keeps it: a short one as its version's ARM id; anything else as given.
 * Throws the service's 400 naming `property` when it names an asset of the workspace that does not
 * exist (or a label other than `latest`).
 */
export function resolveAssetReference(ctx: AzureMlContext, collection: AssetCollection, reference: unknown, property: string): unknown {
  if (typeof reference !== "string") return reference;
  const short = SHORT_REFERENCE.exec(reference);
  if (!short) {
    mustExist(ctx, reference, property);
    return reference;
  }
  const [, name, version, label] = short;
  const missing = (): Error => userError(400, `Invalid request: ${property} names '${reference}', which does not exist in the workspace.`);
  if (label !== undefined && label !== "latest") throw userError(400, `Invalid request: ${property} names '${reference}'; the only label is 'latest'.`);
  const found = version ?? ((ctx.resources.find(`${collection}/${name}`)?.body.properties as JsonObject | undefined)?.latestVersion as string | undefined);
  const path = `${collection}/${name}/versions/${found}`;
  if (found === undefined || !ctx.resources.find(path)) throw missing();
  // The stored path keeps the spelling the version was created with.
  return `${workspaceArmId(ctx.config)}/${ctx.resources.find(path)?.path}`;
}
