/**
 * The bindings of a pipeline's steps: `${{parent.jobs.<step>.outputs.<o>}}` (a step's output,
 * which makes the step depend on that step) and `${{parent.inputs.<x>}}` (the pipeline's input),
 * and the order in which steps may start.
 */
import type { JsonObject } from "../state";

/** `${{parent.jobs.<step>.outputs.<output>}}`. */
const STEP_OUTPUT = /^\$\{\{\s*parent\.jobs\.([A-Za-z0-9_-]+)\.outputs\.([A-Za-z0-9_-]+)\s*\}\}$/;
/** `${{parent.inputs.<input>}}`. */
const PARENT_INPUT = /^\$\{\{\s*parent\.inputs\.([A-Za-z0-9_-]+)\s*\}\}$/;

/** What a step input's value is bound to. */
export type Binding = { readonly kind: "stepOutput"; readonly step: string; readonly output: string } | { readonly kind: "parentInput"; readonly input: string } | { readonly kind: "none" };

/** The binding a value names, if any. */
export function bindingOf(value: unknown): Binding {
  if (typeof value !== "string") return { kind: "none" };
  const out = STEP_OUTPUT.exec(value.trim());
  if (out) return { kind: "stepOutput", step: out[1], output: out[2] };
  const input = PARENT_INPUT.exec(value.trim());
  if (input) return { kind: "parentInput", input: input[1] };
  return { kind: "none" };
}

/** The steps a step's inputs read outputs of. */
export function dependenciesOf(step: JsonObject): string[] {
  const inputs = (step.inputs ?? {}) as Record<string, JsonObject>;
  const found = new Set<string>();
  for (const input of Object.values(inputs)) {
    const b = bindingOf(input?.value ?? input?.uri);
    if (b.kind === "stepOutput") found.add(b.step);
  }
  return [...found];
}

/** Each step's dependencies; throws on a step naming an unknown step or on a cycle. */
export function dependencyGraph(jobs: Record<string, JsonObject>): Map<string, string[]> {
  const graph = new Map(Object.entries(jobs).map(([name, step]) => [name, dependenciesOf(step)]));
  for (const [name, deps] of graph) {
    for (const d of deps) if (!graph.has(d)) throw new Error(`step ${name} reads an output of step ${d}, which the pipeline does not have`);
  }
  const state = new Map<string, "visiting" | "done">();
  const visit = (name: string, trail: string[]): void => {
    if (state.get(name) === "done") return;
    if (state.get(name) === "visiting") throw new Error(`the steps depend on each other in a cycle: ${[...trail, name].join(" -> ")}`);
    state.set(name, "visiting");
    for (const d of graph.get(name) ?? []) visit(d, [...trail, name]);
    state.set(name, "done");
  };
  for (const name of graph.keys()) visit(name, []);
  return graph;
}
