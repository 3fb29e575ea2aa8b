/**
 * Reading Databricks requests: JSON bodies as objects, fields that may arrive as strings (Airflow
 * sends numbers and booleans as strings), query parameters, and the wrapper that turns a thrown
 * {@link DatabricksRequestError} into its response.
 */
import type { EmulatorRequest, EmulatorResponse, RouteHandler } from "../core/service";
import { apiError, DatabricksRequestError, invalidParameter } from "./errors";

/** A JSON object as received. */
export type JsonObject = Record<string, unknown>;

/** Wraps a handler so that a thrown {@link DatabricksRequestError} becomes its response. */
export function guarded(handler: (req: EmulatorRequest) => Promise<EmulatorResponse> | EmulatorResponse): RouteHandler {
  return async (req) => {
    try {
      return await handler(req);
    } catch (err) {
      if (err instanceof DatabricksRequestError) return err.response;
      throw err;
    }
  };
}

/** 200 with a JSON body (`{}` by default, as Databricks answers operations without a result). */
export function ok(body: unknown = {}): EmulatorResponse {
  return { status: 200, body };
}

/** The request body as an object; an empty body is `{}`. */
export async function bodyObject(req: EmulatorRequest): Promise<JsonObject> {
  const body = await req.readJson();
  if (body === undefined || body === null) return {};
  if (typeof body !== "object" || Array.isArray(body)) {
    throw apiError(400, "MALFORMED_REQUEST", "Invalid JSON given in the body of the request - expected a map");
  }
  return body as JsonObject;
}

/** The API version of a `/api/<version>/...` path (`2.0`, `2.1`, `2.2`, `1.2`). */
export function apiVersionOf(req: EmulatorRequest): string {
  return /^\/api\/(\d+\.\d+)\//.exec(req.pathname)?.[1] ?? "";
}

function missing(name: string): DatabricksRequestError {
  return invalidParameter(`Missing required field: ${name}`);
}

function invalid(name: string, expected: string, value: unknown): DatabricksRequestError {
  return invalidParameter(`Invalid value for field ${name}: expected ${expected}, got ${JSON.stringify(value)}`);
}

/** An optional string field. */
export function optString(o: JsonObject, name: string, field = name): string | undefined {
  const value = o[name];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== "string") throw invalid(field, "a string", value);
  return value;
}

/** A required non-empty string field. */
export function reqString(o: JsonObject, name: string, field = name): string {
  const value = optString(o, name, field);
  if (value === undefined || value === "") throw missing(field);
  return value;
}

/** Parses an integer given as a number or a string of digits; `undefined` when it is not one. */
export function toInteger(value: unknown): number | undefined {
  if (typeof value === "number" && Number.isSafeInteger(value)) return value;
  if (typeof value === "string" && /^-?\d{1,15}$/.test(value.trim())) return Number(value.trim());
  return undefined;
}

/** An optional integer field (a number or a numeric string). */
export function optInt(o: JsonObject, name: string, field = name): number | undefined {
  const value = o[name];
  if (value === undefined || value === null) return undefined;
  const n = toInteger(value);
  if (n === undefined) throw invalid(field, "an integer", value);
  return n;
}

/** A required integer field. */
export function reqInt(o: JsonObject, name: string, field = name): number {
  const n = optInt(o, name, field);
  if (n === undefined) throw missing(field);
  return n;
}

/** An optional boolean field (a boolean or `"true"`/`"false"`). */
export function optBool(o: JsonObject, name: string, field = name): boolean | undefined {
  const value = o[name];
  if (value === undefined || value === null) return undefined;
  if (typeof value === "boolean") return value;
  if (value === "true" || value === "false") return value === "true";
  throw invalid(field, "a boolean", value);
}

/** An optional object field. */
export function optObject(o: JsonObject, name: string, field = name): JsonObject | undefined {
  const value = o[name];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== "object" || Array.isArray(value)) throw invalid(field, "an object", value);
  return value as JsonObject;
}

/** An optional array field. */
export function optArray(o: JsonObject, name: string, field = name): unknown[] | undefined {
  const value = o[name];
  if (value === undefined || value === null) return undefined;
  if (!Array.isArray(value)) throw invalid(field, "an array", value);
  return value;
}

/** An optional map of strings; numbers and booleans are turned into strings (as Airflow sends them). */
export function optStringMap(o: JsonObject, name: string, field = name): Record<string, string> | undefined {
  const value = optObject(o, name, field);
  if (!value) return undefined;
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(value)) {
    if (typeof v === "string") out[k] = v;
    else if (typeof v === "number" || typeof v === "boolean") out[k] = String(v);
    else throw invalid(`${field}.${k}`, "a string", v);
  }
  return out;
}

/** An optional list of strings; numbers are turned into strings. */
export function optStringList(o: JsonObject, name: string, field = name): string[] | undefined {
  const value = optArray(o, name, field);
  if (!value) return undefined;
  return value.map((v, i) => {
    if (typeof v === "string") return v;
    if (typeof v === "number" || typeof v === "boolean") return String(v);
    throw invalid(`${field}[${i}]`, "a string", v);
  });
}

/** An optional integer query parameter. */
export function queryInt(req: EmulatorRequest, name: string): number | undefined {
  const raw = req.query.get(name);
  if (raw === null || raw === "") return undefined;
  const n = toInteger(raw);
  if (n === undefined) throw invalid(name, "an integer", raw);
  return n;
}

/** A required integer query parameter. */
export function reqQueryInt(req: EmulatorRequest, name: string): number {
  const n = queryInt(req, name);
  if (n === undefined) throw missing(name);
  return n;
}

/** An optional boolean query parameter. */
export function queryBool(req: EmulatorRequest, name: string): boolean | undefined {
  const raw = req.query.get(name);
  if (raw === null || raw === "") return undefined;
  if (raw === "true" || raw === "false") return raw === "true";
  throw invalid(name, "a boolean", raw);
}

/** A required string query parameter. */
export function reqQueryString(req: EmulatorRequest, name: string): string {
  const raw = req.query.get(name);
  if (raw === null || raw === "") throw missing(name);
  return raw;
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
