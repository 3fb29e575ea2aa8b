/**
 * The Kubeflow ops' "complete spec" form for resources whose API body is flat: the API's
 * snake_case fields fill the named (camelCase) inputs the program left out.
 */
import { known } from "../checks";

/**
 * Copies `spec[wire]` to `inputs[named]` for each pair where the named input is absent, and
 * removes `spec` from the inputs. Unknown or absent specs change nothing.
 */
export function applySpec(inputs: Record<string, unknown>, fields: Record<string, string>): void {
  const spec = inputs.spec;
  if (!known(spec) || typeof spec !== "object" || spec === null) return;
  for (const [wire, named] of Object.entries(fields)) {
    const value = (spec as Record<string, unknown>)[wire];
    if (value !== undefined && inputs[named] === undefined) inputs[named] = value;
  }
}
