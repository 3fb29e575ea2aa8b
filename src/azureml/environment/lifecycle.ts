/**
 * The AmlEnvironment provider's operations: register the version (PUT, 201; an identical re-PUT
 * 200), read it back, delete it. Required by the provider at call time.
 */
import { checkListening } from "../../core/check";
import { currentTarget } from "../../core/target";
import type { EnvironmentVersion } from "../client";
import { assetReference, deleteVersion, readVersion, registerVersion } from "../shared/assetVersion";
import { reportDiff } from "../shared/diff";
import { ARM_ENDPOINT_SETTINGS, azureMlApi, workspaceOf } from "../shared/workspace";
import { checkEnvironment, diffEnvironment, EnvironmentInputs, EnvironmentOutputs } from "./inputs";

const KIND = "environment";

/** Validation at preview and up (a changed registered version is refused here). */
export async function check(olds: Record<string, unknown>, news: Record<string, unknown>) {
  return checkListening(checkEnvironment(olds, news, currentTarget()), "armEndpoint", ARM_ENDPOINT_SETTINGS);
}

/** What a change does; see {@link diffEnvironment}. */
export async function diff(_id: string, olds: EnvironmentOutputs, news: EnvironmentInputs) {
  return reportDiff(`Azure ML environment ${news.name}:${news.version}`, diffEnvironment(olds, news), "register it again (identical content)", olds, news);
}

/** Registers the version; one already registered only with `adopt`. */
export async function create(inputs: EnvironmentInputs): Promise<{ id: string; outs: EnvironmentOutputs }> {
  const api = azureMlApi(inputs);
  const registered = await registerVersion(api.environments, KIND, api.calls.where, inputs, toBody(inputs), { adopt: inputs.adopt });
  const outs = toOutputs(inputs, registered.id ?? api.environments.id(inputs.name, inputs.version));
  return { id: outs.environmentId, outs };
}

/** Registers the same version again (only the YAML file's path or the flags changed). */
export async function update(_id: string, _olds: EnvironmentOutputs, news: EnvironmentInputs): Promise<{ outs: EnvironmentOutputs }> {
  const api = azureMlApi(news);
  const registered = await registerVersion(api.environments, KIND, api.calls.where, news, toBody(news), "update");
  return { outs: toOutputs(news, registered.id ?? api.environments.id(news.name, news.version)) };
}

/**
 * Reads the version back; gone when deleted. Its description and tags, the only fields Azure ML
 * lets anyone change on a registered version, flow back as drift into the outputs (not the
 * inputs: `check` compares inputs to refuse a changed version), so the next `up` registers the
 * same version again with the program's. Image and conda cannot change on the service.
 */
export async function read(id: string, props: EnvironmentOutputs): Promise<{ id: string; props: Partial<EnvironmentOutputs>; inputs?: Partial<EnvironmentInputs> }> {
  const api = azureMlApi(props);
  const version = await readVersion(api.environments, KIND, api.calls.where, props);
  if (!version) return { id: "", props: {} };
  const p = version.properties ?? {};
  const outs: EnvironmentOutputs = { ...props };
  if (p.image !== undefined) outs.image = p.image;
  if (p.condaFile !== undefined) outs.conda = p.condaFile;
  const { environmentId: _e, reference: _r, ...inputs } = outs;
  setOrDrop(outs, "description", p.description ?? undefined);
  setOrDrop(outs, "tags", p.tags && Object.keys(p.tags).length > 0 ? p.tags : undefined);
  return { id, props: outs, inputs };
}

function setOrDrop<K extends "description" | "tags">(outs: EnvironmentOutputs, key: K, value: EnvironmentOutputs[K] | undefined): void {
  if (value === undefined) delete outs[key];
  else outs[key] = value;
}

/** Deletes the version. */
export async function remove(_id: string, props: EnvironmentOutputs): Promise<void> {
  const api = azureMlApi(props);
  await deleteVersion(api.environments, KIND, api.calls.where, props);
}

/** The REST body, as `az ml environment create` sends it. */
export function toBody(inputs: EnvironmentInputs): EnvironmentVersion {
  const properties: NonNullable<EnvironmentVersion["properties"]> = { image: inputs.image, isAnonymous: false, isArchived: false };
  if (inputs.conda !== undefined) properties.condaFile = inputs.conda;
  if (inputs.description !== undefined) properties.description = inputs.description;
  if (inputs.tags !== undefined) properties.tags = inputs.tags;
  if (inputs.osType !== undefined) properties.osType = inputs.osType;
  return { properties };
}

function toOutputs(inputs: EnvironmentInputs, environmentId: string): EnvironmentOutputs {
  return { ...inputs, ...workspaceOf(inputs), environmentId, reference: assetReference(inputs) };
}
