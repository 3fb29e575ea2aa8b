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
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(o)) {
    if (v === undefined) continue;
    if (Array.isArray(v) && v.length === 0) continue;
    out[k] = v;
  }
  return out as T;
}
