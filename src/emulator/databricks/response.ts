/**
 * Shaping Databricks answers: 200 with a JSON body, and the service's habit of leaving out empty
 * fields.
 */
import type { EmulatorResponse } from "../core/service";

/** 200 with a JSON body (`{}` by default, as Databricks answers operations without a result). */
export function ok(body: unknown = {}): EmulatorResponse {
  return { status: 200, body };
}

/** Drops fields whose value is `undefined` and arrays that are empty, as Databricks omits them. */
export function compact<T extends object>(o: T): T {
  // Built from entries, so a field named `__proto__` in a stored body stays a field.
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined && !(Array.isArray(v) && v.length === 0))) as T;
}
