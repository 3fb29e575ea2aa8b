/**
 * The components a pipeline's steps run, looked up at check (preview): each reference resolved to
 * a version's ARM id (`@latest` to the newest version, so a new version is a reason to run again),
 * and each step's inputs and outputs, and the outputs other steps bind, checked against its spec.
 */
import { Fail, isObject } from "../../core/check";
import type { AzureMlApi, ComponentVersion } from "../client";
import { ServiceError } from "../../core/errors";
import { workspaceReadFailure, WorkspaceInputs } from "../shared/workspace";
import { bindingOf, parseComponentRef, PipelineDocument, stepFailures } from "./inputs";

/** A step's component: its ARM id and spec. */
interface Resolved {
  id: string;
  spec: Record<string, unknown>;
}

/**
 * The ARM id of each step's component; failures against the property that names a component that
 * is not registered or a name its spec does not have. Undefined when any step failed.
 */
export async function resolveComponents(api: AzureMlApi, ws: WorkspaceInputs, document: PipelineDocument, file: string, fail: Fail): Promise<Record<string, string> | undefined> {
  const jobs = document.doc.jobs as Record<string, Record<string, unknown>>;
  const at = stepFailures(document, file, fail);
  const resolved: Record<string, Resolved> = {};
  for (const [step, definition] of Object.entries(jobs)) {
    let found: Resolved | string;
    try {
      found = await resolve(api, String(definition.component));
    } catch (err) {
      // The workspace itself cannot be read: one failure for it, not one per step.
      const problem = workspaceReadFailure(err, ws);
      if (!problem) throw err;
      fail(problem.property, problem.reason);
      return undefined;
    }
    if (typeof found === "string") at(step, ".component", found);
    else resolved[step] = found;
  }
  if (Object.keys(resolved).length < Object.keys(jobs).length) return undefined;
  let ok = true;
  const bad = (step: string, rest: string, reason: string) => {
    ok = false;
    at(step, rest, reason);
  };
  for (const [step, definition] of Object.entries(jobs)) {
    const { spec } = resolved[step];
    const name = `${String(spec.name ?? "the component")}${spec.version !== undefined ? `:${String(spec.version)}` : ""}`;
    for (const kind of ["inputs", "outputs"] as const) {
      const declared = namesOf(spec[kind]);
      for (const given of Object.keys(isObject(definition[kind]) ? definition[kind] : {})) {
        if (!declared.includes(given)) bad(step, `.${kind}.${given}`, `is not an ${kind.slice(0, -1)} of component ${name} (it has ${declared.join(", ") || "none"}).`);
      }
    }
    for (const [input, value] of Object.entries(isObject(definition.inputs) ? definition.inputs : {})) {
      const m = /^jobs\.([A-Za-z0-9_-]+)\.outputs\.([A-Za-z0-9_-]+)$/.exec(bindingOf(value) ?? "");
      if (!m || !resolved[m[1]]) continue;
      const outputs = namesOf(resolved[m[1]].spec.outputs);
      if (!outputs.includes(m[2])) bad(step, `.inputs.${input}`, `binds output ${m[2]} of step ${m[1]}, whose component has no such output (it has ${outputs.join(", ") || "none"}).`);
    }
  }
  return ok ? Object.fromEntries(Object.entries(resolved).map(([step, r]) => [step, r.id])) : undefined;
}

function namesOf(v: unknown): string[] {
  return isObject(v) ? Object.keys(v) : [];
}

/** The component a reference names, or why it cannot be used. */
async function resolve(api: AzureMlApi, reference: string): Promise<Resolved | string> {
  const ref = parseComponentRef(reference);
  const where = api.calls.where;
  const register = "register it first (an AmlComponent, whose componentId or reference the step takes, so the run waits for it).";
  if (!ref) return `${JSON.stringify(reference)} is not a component reference.`;
  if (ref.kind === "latest") {
    const versions = (await unlessComponentMissing(() => api.components.listVersions(ref.name))) ?? [];
    const newest = versions[0];
    if (!newest?.id) return `${reference}: component ${ref.name} has no version in ${where}: ${register}`;
    return { id: newest.id, spec: specOf(newest) };
  }
  const id = ref.kind === "id" ? ref.id : api.components.id(ref.name, ref.version);
  const m = /\/components\/([^/]+)\/versions\/([^/]+)$/.exec(id) as RegExpExecArray;
  const [name, version] = [decodeURIComponent(m[1]), decodeURIComponent(m[2])];
  if (ref.kind === "id" && !id.toLowerCase().startsWith(api.workspaceId.toLowerCase() + "/")) return `${reference} is a component of another workspace; a step runs a component of the run's workspace (${where}).`;
  const found = await unlessComponentMissing(() => api.components.getVersion(name, version));
  if (!found) return `${reference}: component ${name}:${version} is not registered in ${where}: ${register}`;
  return { id: api.components.id(name, version), spec: specOf(found) };
}

function specOf(version: ComponentVersion): Record<string, unknown> {
  const spec = version.properties?.componentSpec;
  return isObject(spec) ? spec : {};
}

/** Resource Manager's codes for a 404 of the workspace or its resource group rather than of the component. */
const WORKSPACE_MISSING = ["ParentResourceNotFound", "ResourceGroupNotFound", "ResourceNotFound", "SubscriptionNotFound"];

/** Runs a component read: a component that is not there is `undefined`; a workspace that is not there stays an error. */
async function unlessComponentMissing<T>(op: () => Promise<T>): Promise<T | undefined> {
  try {
    return await op();
  } catch (err) {
    if (err instanceof ServiceError && err.status === 404 && !WORKSPACE_MISSING.includes(err.code)) return undefined;
    throw err;
  }
}

/**
 * Whether the component version of ARM id `id` (of this workspace) is registered; when the read
 * cannot tell because of the workspace itself (unreachable, credentials, not there), that failure.
 */
export async function componentRegistered(api: AzureMlApi, ws: WorkspaceInputs, id: string): Promise<boolean | { property: string; reason: string }> {
  const m = /\/components\/([^/]+)\/versions\/([^/]+)$/.exec(id);
  if (!m) return false;
  try {
    return (await unlessComponentMissing(() => api.components.getVersion(decodeURIComponent(m[1]), decodeURIComponent(m[2])))) !== undefined;
  } catch (err) {
    const problem = workspaceReadFailure(err, ws);
    if (!problem) throw err;
    return problem;
  }
}
