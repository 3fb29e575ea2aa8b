/**
 * A step's inputs and outputs once its bindings are resolved: literals, datastore URIs of the
 * pipeline's inputs and of earlier steps' outputs, the component's defaults; outputs bound to the
 * pipeline's outputs or given a URI, else the service's default path for the child job.
 */
import type { JsonObject } from "../state";
import { bindingOf } from "./bindings";
import type { ResolvedInput } from "./commandStep";
import { defaultOutputUri } from "./stepData";

/** `${{parent.outputs.<o>}}`. */
const PARENT_OUTPUT = /^\$\{\{\s*parent\.outputs\.([A-Za-z0-9_-]+)\s*\}\}$/;

/** A value of a (free-form or REST) input or output: `value` or `uri`. */
const valueOf = (entry: JsonObject | undefined): unknown => entry?.value ?? entry?.uri;

/** A REST job input (`jobInputType` camelCase) as a resolved input. */
function fromJobInput(input: JsonObject, type: string): ResolvedInput {
  const kind = String(input.jobInputType ?? input.job_input_type ?? type);
  return kind === "literal" ? { kind: "literal", value: String(input.value) } : { kind: "uri", uri: String(input.uri), type: kind };
}

/** The step's inputs, resolved against the pipeline's inputs and the outputs of finished steps (`stepOutputs[step][output]` is a URI). */
export function resolveInputs(step: JsonObject, component: JsonObject, parent: JsonObject, stepOutputs: ReadonlyMap<string, Record<string, string>>): Record<string, ResolvedInput> {
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
      const uri = stepOutputs.get(binding.step)?.[binding.output];
      if (uri === undefined) throw new Error(`input ${name} reads output ${binding.output} of step ${binding.step}, which it does not have`);
      resolved[name] = { kind: "uri", uri, type };
    } else if (binding.kind === "parentInput") {
      const from = parentInputs[binding.input];
      if (!from) throw new Error(`input ${name} reads the pipeline's input ${binding.input}, which it does not have`);
      resolved[name] = fromJobInput(from, type);
    } else {
      resolved[name] = fromJobInput(input, type);
    }
  }
  return resolved;
}

/** Where the step's outputs go: a bound URI, the pipeline output's URI, or the default path of the child job. */
export function resolveOutputs(step: JsonObject, component: JsonObject, parent: JsonObject, childJob: string): Record<string, string> {
  const given = (step.outputs ?? {}) as Record<string, JsonObject>;
  const parentOutputs = (parent.outputs ?? {}) as Record<string, JsonObject>;
  const uris: Record<string, string> = {};
  for (const name of Object.keys((component.outputs ?? {}) as JsonObject)) {
    const value = valueOf(given[name]);
    const bound = typeof value === "string" ? PARENT_OUTPUT.exec(value.trim()) : null;
    const uri = bound ? parentOutputs[bound[1]]?.uri : value;
    uris[name] = typeof uri === "string" && uri !== "" ? uri : defaultOutputUri(childJob, name);
  }
  return uris;
}
