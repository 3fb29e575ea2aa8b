/**
 * How `spec` and named inputs combine: ONE rule for every Databricks resource.
 *
 * `spec` is the request body of the service (`runs/submit`, `jobs/create`, `clusters/create`,
 * `secrets/scopes/create`, `secrets/put`, `workspace/import`, `dbfs/put`), snake_case as in the
 * API. Each named input stands for one wire field and replaces that field of the spec whole (no
 * deep merge). A named input also removes the spec's alternatives to it: the fields of its group,
 * of which the service takes only one (`nodeTypeId` removes `instance_pool_id`, a task kind removes
 * the spec's other task kinds, `content` removes `contentBase64`). Fields of the spec that no
 * named input replaces are sent as they are.
 *
 * Runs, jobs and clusters apply the rule when they build the request ({@link mergeSpec}); the
 * other resources absorb the spec into their named inputs at check ({@link absorbSpec}), so state
 * holds one form.
 */
import { Fail, isObject, known, UNKNOWN } from "../../core/check";

/** Groups of fields of which a request takes one. */
export type Alternatives = readonly (readonly string[])[];

/** The request: `spec` with the `named` wire fields over it, each also removing its alternatives. */
export function mergeSpec<T>(spec: Record<string, unknown> | undefined, named: Record<string, unknown>, alternatives: Alternatives = []): T {
  const request = structuredClone(spec ?? {});
  for (const group of alternatives) if (group.some((k) => named[k] !== undefined)) for (const k of group) delete request[k];
  for (const [k, v] of Object.entries(named)) if (v !== undefined) request[k] = v;
  return request as T;
}

/**
 * A wire field of a spec and the named input it fills (converted by `fromWire` when given); a
 * field without `named` is accepted and left to the resource's own check.
 */
export interface SpecField {
  named?: string;
  fromWire?: (v: unknown) => unknown;
}

/** What {@link absorbSpec} needs to know of a request. */
export interface SpecShape {
  /** The request's name, e.g. `workspace/import`. */
  request: string;
  /** An example of the request, shown when the spec is not an object. */
  example: string;
  /** Its wire fields. */
  fields: Readonly<Record<string, SpecField | string>>;
  /** Groups of named inputs of which one is given (a named one removes the spec's others). */
  alternatives?: Alternatives;
}

/**
 * Fills named inputs from a known `spec` by the rule above and removes `spec` from the inputs.
 * Unknown fields and a spec that is not an object fail against `spec.<field>` / `spec`. A spec
 * still unknown at preview stays as it is.
 */
export function absorbSpec(inputs: Record<string, unknown>, shape: SpecShape, fail: Fail): void {
  const spec = inputs.spec;
  if (spec === undefined || spec === UNKNOWN) return;
  delete inputs.spec;
  if (!isObject(spec)) return fail("spec", `spec must be the ${shape.request} request as an object, e.g. ${shape.example}.`);
  const groupOf = (named: string) => shape.alternatives?.find((g) => g.includes(named)) ?? [named];
  for (const [wire, value] of Object.entries(spec)) {
    const field = shape.fields[wire];
    if (field === undefined) {
      fail(`spec.${wire}`, `spec.${wire} is not a field of ${shape.request}: use ${listOf(Object.keys(shape.fields))}.`);
      continue;
    }
    const { named, fromWire } = typeof field === "string" ? { named: field, fromWire: undefined } : field;
    if (named === undefined || groupOf(named).some((k) => inputs[k] !== undefined)) continue;
    inputs[named] = fromWire && known(value) ? fromWire(value) : value;
  }
}

/** `a, b and c`. */
function listOf(words: string[]): string {
  return words.length < 2 ? words.join("") : `${words.slice(0, -1).join(", ")} and ${words[words.length - 1]}`;
}
