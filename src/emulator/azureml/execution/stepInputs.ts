/**
 * A step's inputs and outputs once its bindings are resolved: literals, datastore URIs of the
 * pipeline's inputs and of earlier steps' outputs, the component's defaults, each with its mode;
 * outputs bound to the pipeline's outputs or given a URI, else the service's default path for the
 * child job. A standalone command job's (REST `inputs`/`outputs`) the same way.
 */
import type { JsonObject } from "../state";
import { bindingOf } from "./bindings";
import { INPUT_MODES, modeOf, OUTPUT_MODES, type InputMode, type OutputMode } from "./dataModes";
import { defaultOutputUri } from "./stepData";

/** A step input once its binding is resolved: a literal value or a datastore URI. */
export type ResolvedInput = { readonly kind: "literal"; readonly value: string } | { readonly kind: "uri"; readonly uri: string; readonly type: string; readonly mode: InputMode };

/** A step output: where it goes and how. */
export interface ResolvedOutput {
  readonly uri: string;
  readonly mode: OutputMode;
}

/** `${{parent.outputs.<o>}}`. */
const PARENT_OUTPUT = /^\$\{\{\s*parent\.outputs\.([A-Za-z0-9_-]+)\s*\}\}$/;

/** A value of a (free-form or REST) input or output: `value` or `uri`. */
const valueOf = (entry: JsonObject | undefined): unknown => entry?.value ?? entry?.uri;

/** A job input (REST `jobInputType`, free-form `job_input_type`) as a resolved input; its mode the first of `modes` given. */
function fromJobInput(name: string, input: JsonObject, type: string, ...modes: unknown[]): ResolvedInput {
  const kind = String(input.jobInputType ?? input.job_input_type ?? type);
  if (kind === "literal") return { kind: "literal", value: String(input.value) };
  return { kind: "uri", uri: String(input.uri), type: kind, mode: modeOf(INPUT_MODES, `input ${name}`, input.mode, ...modes) };
}

/** The datastore `settings.default_datastore` (an ARM id) names, if any. */
export function defaultDatastoreOf(settings: unknown): string | undefined {
  const id = (settings as JsonObject | undefined)?.default_datastore;
  return typeof id === "string" ? /\/datastores\/([^/]+)$/i.exec(id)?.[1] : undefined;
}

/** The step's inputs, resolved against the pipeline's inputs and the outputs of finished steps (`stepOutputs[step][output]`). */
export function resolveInputs(step: JsonObject, component: JsonObject, parent: JsonObject, stepOutputs: ReadonlyMap<string, Record<string, ResolvedOutput>>): Record<string, ResolvedInput> {
  const declared = (component.inputs ?? {}) as Record<string, JsonObject>;
  const given = (step.inputs ?? {}) as Record<string, JsonObject>;
  const parentInputs = (parent.inputs ?? {}) as Record<string, JsonObject>;
  const resolved: Record<string, ResolvedInput> = {};
  for (const [name, spec] of Object.entries(declared)) {
    if (spec.default !== undefined && !(name in given)) resolved[name] = { kind: "literal", value: String(spec.default) };
  }
  for (const [name, input] of Object.entries(given)) {
    const type = String(declared[name]?.type ?? "uri_folder");
    const binding = bindingOf(valueOf(input));
    if (binding.kind === "stepOutput") {
      const uri = stepOutputs.get(binding.step)?.[binding.output]?.uri;
      if (uri === undefined) throw new Error(`input ${name} reads output ${binding.output} of step ${binding.step}, which it does not have`);
      resolved[name] = { kind: "uri", uri, type, mode: modeOf(INPUT_MODES, `input ${name}`, input.mode, declared[name]?.mode) };
    } else if (binding.kind === "parentInput") {
      const from = parentInputs[binding.input];
      if (!from) throw new Error(`input ${name} reads the pipeline's input ${binding.input}, which it does not have`);
      resolved[name] = fromJobInput(name, from, type, input.mode, declared[name]?.mode);
    } else {
      resolved[name] = fromJobInput(name, input, type, declared[name]?.mode);
    }
  }
  return resolved;
}

/**
 * Where the step's outputs go: a URI given on the step, the pipeline output it is bound to
 * (`${{parent.outputs.o}}`: its URI, else `azureml/<pipeline job>/<o>/`), or the default path of
 * the child job; each with its mode (the step's, the pipeline output's, the component's).
 */
export function resolveOutputs(step: JsonObject, component: JsonObject, parent: { name: string; properties: JsonObject }, childJob: string): Record<string, ResolvedOutput> {
  const given = (step.outputs ?? {}) as Record<string, JsonObject>;
  const declared = (component.outputs ?? {}) as Record<string, JsonObject>;
  const parentOutputs = (parent.properties.outputs ?? {}) as Record<string, JsonObject>;
  const datastore = defaultDatastoreOf(parent.properties.settings);
  const outputs: Record<string, ResolvedOutput> = {};
  for (const name of Object.keys(declared)) {
    const value = valueOf(given[name]);
    const bound = typeof value === "string" ? PARENT_OUTPUT.exec(value.trim())?.[1] : undefined;
    const pipelineOutput = bound === undefined ? undefined : parentOutputs[bound];
    const uri = bound === undefined ? value : (pipelineOutput?.uri ?? defaultOutputUri(parent.name, bound, datastore));
    outputs[name] = {
      uri: typeof uri === "string" && uri !== "" ? uri : defaultOutputUri(childJob, name, datastore),
      mode: modeOf(OUTPUT_MODES, `output ${name}`, given[name]?.mode, pipelineOutput?.mode, declared[name]?.mode),
    };
  }
  return outputs;
}

/** A standalone command job's inputs (REST `inputs`). */
export function commandJobInputs(job: JsonObject): Record<string, ResolvedInput> {
  const given = (job.inputs ?? {}) as Record<string, JsonObject>;
  return Object.fromEntries(Object.entries(given).map(([name, input]) => [name, fromJobInput(name, input, "uri_folder")]));
}

/** A standalone command job's outputs (REST `outputs`): their URI, else `azureml/<job>/<output>/`. */
export function commandJobOutputs(job: JsonObject, jobName: string): Record<string, ResolvedOutput> {
  const given = (job.outputs ?? {}) as Record<string, JsonObject>;
  return Object.fromEntries(
    Object.entries(given).map(([name, output]) => [name, { uri: typeof output?.uri === "string" && output.uri !== "" ? output.uri : defaultOutputUri(jobName, name), mode: modeOf(OUTPUT_MODES, `output ${name}`, output?.mode) }]),
  );
}
