/**
 * Type checks of request bodies against the wire types the service declares for them (string,
 * int32, int64, boolean, double, objects, arrays, maps), as the service's parser refuses a value
 * of the wrong JSON type: a number where a cluster id goes, an object where a name goes.
 *
 * The service's leniencies are kept: integers and booleans may come as strings (Airflow sends
 * them so) and come back as numbers and booleans; values the service keeps as strings (parameter
 * maps and lists, Spark configuration) may come as numbers or booleans and come back as strings.
 * Fields a shape does not name, and `null`s, are kept as given.
 */
import { keyed } from "../core/keyed";
import { invalidParameter, type DatabricksRequestError } from "./errors";

/** The type of one field. */
export type Shape =
  | { readonly kind: "string" }
  /** A string; a number or boolean is turned into one. */
  | { readonly kind: "text" }
  | { readonly kind: "integer"; readonly min: number; readonly max: number }
  | { readonly kind: "number" }
  | { readonly kind: "boolean" }
  | { readonly kind: "array"; readonly items: Shape; readonly maxItems?: number }
  | { readonly kind: "map"; readonly values: Shape }
  | { readonly kind: "object"; readonly fields: Readonly<Record<string, Shape>> }
  /** A shape defined later (a task inside a `for_each_task`). */
  | { readonly kind: "lazy"; readonly shape: () => Shape }
  | { readonly kind: "any" };

const INT32_MAX = 2 ** 31 - 1;

export const str: Shape = { kind: "string" };
export const text: Shape = { kind: "text" };
export const bool: Shape = { kind: "boolean" };
export const double: Shape = { kind: "number" };
export const anyValue: Shape = { kind: "any" };
/** An integer from `min` to `max`. */
export const int = (min: number, max: number): Shape => ({ kind: "integer", min, max });
export const int32: Shape = int(-INT32_MAX - 1, INT32_MAX);
/** A non-negative int32 (a duration, a count). */
export const count32: Shape = int(0, INT32_MAX);
export const int64: Shape = int(Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER);
export const arrayOf = (items: Shape, maxItems?: number): Shape => ({ kind: "array", items, maxItems });
export const mapOf = (values: Shape): Shape => ({ kind: "map", values });
export const object = (fields: Record<string, Shape>): Shape => ({ kind: "object", fields });
export const lazy = (shape: () => Shape): Shape => ({ kind: "lazy", shape });
/** An object with more fields than `base`. */
export const extend = (base: Shape, fields: Record<string, Shape>): Shape => object({ ...(base as { fields: Record<string, Shape> }).fields, ...fields });

/**
 * Checks `value` against `shape` and returns it normalised (numbers and booleans given as strings
 * converted); throws 400 INVALID_PARAMETER_VALUE naming the field (`where`, e.g. `tasks[0].new_cluster`).
 */
export function checked(value: unknown, shape: Shape, where: string): unknown {
  if (value === undefined || value === null) return value;
  switch (shape.kind) {
    case "any":
      return value;
    case "lazy":
      return checked(value, shape.shape(), where);
    case "string":
      if (typeof value !== "string") throw wrongType(where, "a string", value);
      return value;
    case "text":
      if (typeof value === "string") return value;
      if (typeof value === "number" || typeof value === "boolean") return String(value);
      throw wrongType(where, "a string", value);
    case "boolean":
      if (typeof value === "boolean") return value;
      if (value === "true" || value === "false") return value === "true";
      throw wrongType(where, "a boolean", value);
    case "number": {
      const n = typeof value === "string" && value.trim() !== "" ? Number(value) : value;
      if (typeof n !== "number" || !Number.isFinite(n)) throw wrongType(where, "a number", value);
      return n;
    }
    case "integer": {
      const n = integerOf(value);
      if (n === undefined) throw wrongType(where, "an integer", value);
      if (n < shape.min || n > shape.max) throw wrongType(where, `an integer from ${shape.min} to ${shape.max}`, value);
      return n;
    }
    case "array": {
      if (!Array.isArray(value)) throw wrongType(where, "an array", value);
      if (shape.maxItems !== undefined && value.length > shape.maxItems) {
        throw invalidParameter(`Invalid value for field ${where}: at most ${shape.maxItems} items are allowed, got ${value.length}`);
      }
      return value.map((item, i) => checked(item, shape.items, `${where}[${i}]`));
    }
    case "map":
      // User keys (tags, Spark conf, parameters) may be any string, `__proto__` included.
      return keyed(Object.entries(objectOf(value, where)).map(([k, v]) => [k, checked(v, shape.values, field(where, k))] as const));
    case "object":
      return Object.fromEntries(
        Object.entries(objectOf(value, where)).map(([k, v]) => [k, Object.hasOwn(shape.fields, k) ? checked(v, shape.fields[k], field(where, k)) : v]),
      );
  }
}

/** `where.name`, or `name` at the top level. */
export function field(where: string, name: string): string {
  return where ? `${where}.${name}` : name;
}

function objectOf(value: unknown, where: string): Record<string, unknown> {
  if (typeof value !== "object" || value === null || Array.isArray(value)) throw wrongType(where, "an object", value);
  return value as Record<string, unknown>;
}

function integerOf(value: unknown): number | undefined {
  if (typeof value === "number") return Number.isSafeInteger(value) ? value : undefined;
  if (typeof value === "string" && /^-?\d{1,16}$/.test(value.trim())) {
    const n = Number(value.trim());
    return Number.isSafeInteger(n) ? n : undefined;
  }
  return undefined;
}

/** 400 INVALID_PARAMETER_VALUE "Invalid value for field x: expected ..., got ..." (the value cut short). */
export function wrongType(where: string, expected: string, value: unknown): DatabricksRequestError {
  return invalidParameter(`Invalid value for field ${where}: expected ${expected}, got ${preview(value)}`);
}

/** A value as JSON, at most 80 characters. */
export function preview(value: unknown): string {
  const json = JSON.stringify(value) ?? String(value);
  return json.length > 80 ? `${json.slice(0, 77)}...` : json;
}
