/**
 * What environments and components share: a registered version is immutable (Azure ML refuses a
 * changed spec under an existing version), so a change of content under the same version is
 * refused at preview; a new name or version is a new asset (a replacement); creating over a
 * version someone else registered follows the takeover policy.
 */
import { Fail, sameJson, UNKNOWN } from "../../core/check";
import { refuseExisting } from "./existing";
import type { ArmResource, VersionedAssetApi } from "../client";
import { ifPresent, inContext } from "./errors";

/** The identity of a version: name and version. */
export interface VersionIdentity {
  name: string;
  version: string;
}

/**
 * Fails against `version` when olds and news are the same name and version but their content
 * (`contentKeys`, each with how the message names it) differs: the service would refuse it at apply, so say it at preview.
 */
export function checkUnchangedVersion(
  kind: string,
  olds: Record<string, unknown>,
  news: Record<string, unknown>,
  contentKeys: Readonly<Record<string, string>>,
  fail: Fail,
  fix: string,
): void {
  if (!olds || olds.name === undefined || olds.name !== news.name || olds.version !== news.version || news.version === UNKNOWN) return;
  const changed = Object.entries(contentKeys)
    .filter(([k]) => news[k] !== UNKNOWN && !sameJson(olds[k], news[k]))
    .map(([, label]) => label);
  if (changed.length === 0) return;
  fail("version", `${kind} ${String(news.name)} with version ${String(news.version)} is already registered and cannot be changed (${changed.join(", ")} changed): ${fix}`);
}

/**
 * Registers a version. At create (`{ adopt }`) one that is already there is refused unless `adopt`;
 * at `"update"` the version is the resource's own, registered again as it is.
 */
export async function registerVersion<T extends ArmResource<unknown>>(api: VersionedAssetApi<T>, kind: string, where: string, id: VersionIdentity, body: T, when: { adopt: boolean | undefined } | "update"): Promise<T> {
  if (when !== "update") await refuseExisting(() => api.getVersion(id.name, id.version), when.adopt, { object: `${kind} ${id.name}:${id.version} in ${where}`, adopting: "registers the same version again (its content must be identical)", destroy: "deletes that version", otherwise: "choose another version" });
  try {
    return await api.createOrUpdateVersion(id.name, id.version, body);
  } catch (err) {
    throw inContext(err, { operation: `register ${kind} ${id.name}:${id.version} in ${where}` });
  }
}

/** Reads a version back; undefined when it is gone. */
export async function readVersion<T extends ArmResource<unknown>>(api: VersionedAssetApi<T>, kind: string, where: string, id: VersionIdentity): Promise<T | undefined> {
  return ifPresent(`read ${kind} ${id.name}:${id.version} in ${where}`, () => api.getVersion(id.name, id.version));
}

/** Deletes a version; one already gone counts as deleted. */
export async function deleteVersion<T extends ArmResource<unknown>>(api: VersionedAssetApi<T>, kind: string, where: string, id: VersionIdentity): Promise<void> {
  await ifPresent(`delete ${kind} ${id.name}:${id.version} in ${where}`, () => api.deleteVersion(id.name, id.version));
}

/** `azureml:<name>:<version>`. */
export function assetReference(id: VersionIdentity): string {
  return `azureml:${id.name}:${id.version}`;
}

/** Asset names: letters, digits, `_`, `-` and `.`, starting with a letter or digit, at most 255. */
export const ASSET_NAME = /^[a-zA-Z0-9][a-zA-Z0-9_.-]{0,254}$/;
/** Versions: letters, digits, `_`, `-` and `.`, at most 30. */
export const ASSET_VERSION = /^[a-zA-Z0-9][a-zA-Z0-9_.-]{0,29}$/;
