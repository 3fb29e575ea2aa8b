/**
 * A change of the state as the journal records it: the operations of an Immer patch list (add,
 * replace or remove the value at a path), with each new value read from the state after the
 * change. Applying them works on own properties only, so a path through a key named `__proto__`
 * or `constructor` reaches that entry, never a prototype.
 */
import type { Patch } from "immer";
import { hasKey } from "./keyed";

/** One operation: `["add" | "replace", path, value]` or `["remove", path]`. */
export type StateOp = readonly ["add" | "replace", readonly (string | number)[], unknown] | readonly ["remove", readonly (string | number)[]];

/** The operations of `patches`, their values taken from `next`, the state they lead to. */
export function opsOf(patches: readonly Patch[], next: unknown): StateOp[] {
  return patches.map((p) => (p.op === "remove" ? ["remove", p.path] : [p.op, p.path, valueAt(next, p.path)]));
}

/**
 * Applies operations to a mutable state, in order: on an array, add inserts at the index, remove
 * takes the element out and replace assigns it; on an object, add and replace set the property
 * and remove deletes it. Throws when a path does not lead through the state.
 */
export function applyOps(state: object, ops: readonly StateOp[]): void {
  for (const op of ops) {
    const path = op[1];
    if (path.length === 0) throw new Error("an operation has an empty path");
    const parent = valueAt(state, path.slice(0, -1));
    if (typeof parent !== "object" || parent === null) throw new Error(`no object at ${JSON.stringify(path.slice(0, -1))}`);
    const key = path[path.length - 1];
    if (Array.isArray(parent)) {
      const index = Number(key);
      if (!Number.isInteger(index) || index < 0 || index > parent.length) throw new Error(`no index ${JSON.stringify(key)} in the array at ${JSON.stringify(path.slice(0, -1))}`);
      if (op[0] === "add") parent.splice(index, 0, op[2]);
      else if (op[0] === "replace") parent[index] = op[2];
      else parent.splice(index, 1);
    } else if (op[0] === "remove") {
      delete (parent as Record<string, unknown>)[String(key)];
    } else {
      Object.defineProperty(parent, String(key), { value: op[2], writable: true, enumerable: true, configurable: true });
    }
  }
}

/** The value at a path, through own properties only; `undefined` when the path leads nowhere. */
function valueAt(root: unknown, path: readonly (string | number)[]): unknown {
  let node = root;
  for (const key of path) {
    if (typeof node !== "object" || node === null || !hasKey(node, String(key))) return undefined;
    node = (node as Record<string, unknown>)[String(key)];
  }
  return node;
}
