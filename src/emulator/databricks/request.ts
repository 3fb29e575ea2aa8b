/**
 * Reading Databricks requests: JSON bodies as objects, fields that may arrive as strings (Airflow
 * sends numbers and booleans as strings), query parameters and the API version of the path.
 */
import { keyed } from "../core/keyed";
import type { EmulatorRequest } from "../core/service";
import { apiError, DatabricksRequestError, invalidParameter } from "./errors";

/** A JSON object as received. */
export type JsonObject = Record<string, unknown>;

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
  const out = keyed<string>();
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

/**
 * The bytes of a base64 field; throws 400 INVALID_PARAMETER_VALUE with `message` when it is not
 * base64. Where the API tolerates it (`ignoreWhitespace`), line breaks and spaces are dropped first.
 */
export function base64Bytes(value: string, message: string, ignoreWhitespace = false): Buffer {
  const text = ignoreWhitespace ? value.replace(/\s+/g, "") : value;
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(text) || text.length % 4 !== 0) throw invalidParameter(message);
  return Buffer.from(text, "base64");
}
