/**
 * The AmlComponent provider's operations: upload the code (content-addressed: the same code is
 * the same code asset, uploaded once, through `startPendingUpload`'s SAS with
 * `@azure/storage-blob`), resolve the environment, register the component version with the
 * YAML's keys as `componentSpec`; read it back; delete it and the code version it uploaded (see
 * `ownCode`). Required by the provider at call time.
 */
import * as path from "node:path";
import { checkListening, sameJson } from "../../core/check";
import { currentTarget } from "../../core/target";
import { AzureMlApi, ComponentVersion, uploadFolder } from "../client";
import { assetReference, deleteVersion, readVersion, registerVersion } from "../shared/assetVersion";
import { reportDiff } from "../shared/diff";
import { inContext, unlessNotFound } from "../shared/errors";
import { ARM_ENDPOINT_SETTINGS, azureMlApi, workspaceOf } from "../shared/workspace";
import { parseAssetReference } from "../shared/yamlFile";
import { CODE_HASH_VERSION, codeAssetName, codeFiles, hashCode } from "./codeFolder";
import { checkComponent, ComponentInputs, ComponentOutputs, diffComponent } from "./inputs";
import { deleteOwnCode } from "./ownCode";
import { componentDocument } from "./source";
import { componentProperties, toComponentSpec } from "./spec";

const KIND = "component";

/** Validation at preview and up (a changed registered version is refused here). */
export async function check(olds: Record<string, unknown>, news: Record<string, unknown>) {
  return checkListening(checkComponent(olds, news, currentTarget()), "armEndpoint", ARM_ENDPOINT_SETTINGS);
}

/** What a change does; see {@link diffComponent}. */
export async function diff(_id: string, olds: ComponentOutputs, news: ComponentInputs) {
  return reportDiff(`Azure ML component ${news.name}:${news.version}`, diffComponent(olds, news), "record the new file location", olds, news);
}

/** Uploads the code, resolves the environment and registers the version (one already there only with `adopt`). */
export async function create(inputs: ComponentInputs): Promise<{ id: string; outs: ComponentOutputs }> {
  const outs = await register(inputs, { adopt: inputs.adopt });
  return { id: outs.componentId, outs };
}

/** Registers the same version again (only the file's location or the flags changed). */
export async function update(_id: string, olds: ComponentOutputs, news: ComponentInputs): Promise<{ outs: ComponentOutputs }> {
  const outs = await register(news, "update");
  // The same code is found by its hash now: still the one this resource uploaded.
  if (olds.codeCreated === true && outs.codeId === olds.codeId) outs.codeCreated = true;
  return { outs };
}

/**
 * Reads the version back; gone when deleted. A description or tags changed on the registered
 * version (the spec itself cannot change) are listed in `changedInWorkspace`, so the next `up`
 * registers the version again with the YAML's.
 */
export async function read(id: string, props: ComponentOutputs): Promise<{ id: string; props: Partial<ComponentOutputs>; inputs?: Partial<ComponentInputs> }> {
  const api = azureMlApi(props);
  const version = await readVersion(api.components, KIND, api.calls.where, props);
  if (!version) return { id: "", props: {} };
  const { componentId: _c, reference: _r, codeId: _k, codeCreated: _o, changedInWorkspace: _w, ...inputs } = props;
  const ours = componentProperties(componentDocument(props.content, props.file), {});
  const live = version.properties ?? {};
  const changed = [
    ...((live.description ?? undefined) !== ours.description ? ["description"] : []),
    ...(!sameJson(live.tags ?? {}, ours.tags) ? ["tags"] : []),
  ];
  const outs: ComponentOutputs = { ...props };
  delete outs.changedInWorkspace;
  if (changed.length > 0) {
    console.log(`Azure ML component ${props.name}:${props.version}: ${changed.join(" and ")} changed in the workspace; the next pulumi up registers the version again with the YAML's.`);
    outs.changedInWorkspace = changed;
  }
  return { id, props: outs, inputs };
}

/** Deletes the version, then the code version it uploaded unless another component version uses it. */
export async function remove(_id: string, props: ComponentOutputs): Promise<void> {
  const api = azureMlApi(props);
  await deleteVersion(api.components, KIND, api.calls.where, props);
  await deleteOwnCode(api, props);
}

async function register(inputs: ComponentInputs, when: { adopt: boolean | undefined } | "update"): Promise<ComponentOutputs> {
  const api = azureMlApi(inputs);
  const doc = componentDocument(inputs.content, inputs.file);
  const environment = await resolveEnvironment(api, inputs.environment ?? String(doc.environment), inputs);
  const code = inputs.codeRoot !== undefined ? await uploadCode(api, inputs) : undefined;
  const spec = toComponentSpec(doc, { name: inputs.name, version: inputs.version, code: code && `azureml:${code.id}`, environment });
  const body: ComponentVersion = { properties: componentProperties(doc, spec) };
  const registered = await registerVersion(api.components, KIND, api.calls.where, inputs, body, when);
  const outs: ComponentOutputs = { ...inputs, ...workspaceOf(inputs), componentId: registered.id ?? api.components.id(inputs.name, inputs.version), reference: assetReference(inputs) };
  if (code) outs.codeId = code.id;
  if (code?.created) outs.codeCreated = true;
  return outs;
}

/**
 * The code version of the component's folder: one found by its content hash anywhere in the
 * workspace (as the CLI looks it up, so code the CLI uploaded counts too), or else uploaded (checking
 * that the files still hash to what the program read at preview) and recorded under a name derived
 * from the hash.
 */
async function uploadCode(api: AzureMlApi, inputs: ComponentInputs): Promise<{ id: string; created: boolean }> {
  const root = inputs.codeRoot as string;
  const files = codeFiles(root);
  const hash = hashCode(files);
  if (hash !== inputs.codeHash) throw new Error(`Azure ML component ${inputs.name}:${inputs.version}: the code in ${root} changed after the program read it (preview); run pulumi up again to register its current content.`);
  const name = codeAssetName(hash);
  const where = api.calls.where;
  const label = `Azure ML component ${inputs.name}:${inputs.version}`;
  try {
    const existing = (await api.codes.findByHash(name, hash, CODE_HASH_VERSION)).find((v) => v.id && v.properties?.codeUri);
    if (existing?.id) {
      console.log(`${label}: code ${hash.slice(0, 12)} already uploaded; reusing it.`);
      return { id: existing.id, created: false };
    }
    const pending = await api.codes.startPendingUpload(name, "1");
    const sasUri = pending.blobReferenceForConsumption?.credential?.sasUri;
    if (!sasUri) throw new Error(`${label}: startPendingUpload for code ${name} returned no SAS URI.`);
    console.log(`${label}: uploading ${files.length} code file(s) from ${root}.`);
    const codeUri = await uploadFolder(sasUri, path.basename(root), files);
    let recorded;
    try {
      recorded = await api.codes.createOrUpdateVersion(name, "1", { properties: { codeUri, isAnonymous: true, properties: { hash_sha256: hash, hash_version: CODE_HASH_VERSION } } });
    } catch (err) {
      // Another component of the same code (in this up) recorded it between our lookup and now.
      const raced = (err as { status?: number }).status === 409 ? (await api.codes.findByHash(name, hash, CODE_HASH_VERSION)).find((v) => v.id && v.properties?.codeUri) : undefined;
      if (!raced?.id) throw err;
      console.log(`${label}: code ${hash.slice(0, 12)} was recorded by another upload meanwhile; reusing it.`);
      return { id: raced.id, created: false };
    }
    return { id: recorded.id ?? `${api.workspaceId}/codes/${name}/versions/1`, created: true };
  } catch (err) {
    throw inContext(err, { operation: `upload the code of component ${inputs.name}:${inputs.version} (${root}) to ${where}` });
  }
}

/**
 * `azureml:<name>:<version>` and `azureml:<name>@latest` as `azureml:<ARM id>` of a registered
 * environment version (refused when there is none); ARM ids and registry references as given.
 */
export async function resolveEnvironment(api: AzureMlApi, ref: string, inputs: ComponentInputs): Promise<string> {
  const short = parseAssetReference(ref);
  if (!short) return ref;
  const operation = `resolve environment ${ref} of component ${inputs.name}:${inputs.version} in ${api.calls.where}`;
  try {
    if (short.version !== undefined) {
      const found = await unlessNotFound(() => api.environments.getVersion(short.name, short.version as string));
      if (!found) throw new Error(`${operation} failed: environment ${short.name}:${short.version} is not registered; register it first (an AmlEnvironment, and pass its reference as environment to order the two).`);
      return `azureml:${found.id ?? api.environments.id(short.name, short.version)}`;
    }
    const versions = await api.environments.listVersions(short.name);
    const latest = versions[0];
    if (!latest?.name) throw new Error(`${operation} failed: environment ${short.name} has no registered version.`);
    return `azureml:${latest.id ?? api.environments.id(short.name, latest.name)}`;
  } catch (err) {
    throw inContext(err, { operation });
  }
}
