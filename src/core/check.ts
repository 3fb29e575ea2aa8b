/** Shared pieces of input validation (`check`) and diffing for every provider. */
import * as net from "node:net";
import { currentTarget, isLoopbackUrl } from "./target";

/** A validation failure, reported by the engine against the property. */
export interface CheckFailure {
  property: string;
  reason: string;
}

/** The engine's placeholder for a value not known until apply (preview). */
export const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

/** True when a value is present and known (not the preview placeholder). */
export const known = (v: unknown): boolean => v !== undefined && v !== UNKNOWN;

/** Structural equality for plain JSON values, ignoring key order; absent, null and {} are alike. */
export function sameJson(a: unknown, b: unknown): boolean {
  return JSON.stringify(canonical(a)) === JSON.stringify(canonical(b));
}

/** A JSON value with object keys sorted and empty objects/arrays dropped to undefined. */
export function canonical(v: unknown): unknown {
  if (v === null || v === undefined) return undefined;
  if (Array.isArray(v)) return v.length === 0 ? undefined : v.map(canonical);
  if (typeof v === "object") {
    const entries = Object.entries(v as Record<string, unknown>)
      .map(([k, x]) => [k, canonical(x)] as const)
      .filter(([, x]) => x !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return entries.length === 0 ? undefined : Object.fromEntries(entries);
  }
  return v;
}

/** Reports a failure against a property path such as `tasks[0].newCluster.numWorkers`. */
export type Fail = (property: string, reason: string) => void;

/** A list of failures and the function that adds to it. */
export function failureList(): { failures: CheckFailure[]; fail: Fail } {
  const failures: CheckFailure[] = [];
  return { failures, fail: (property, reason) => failures.push({ property, reason }) };
}

/** True for plain objects (not arrays, not null). */
export const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

/** Base64 as the services take it: the standard alphabet, `=` padding, whole quanta. */
export function isBase64(v: string): boolean {
  return v.length % 4 === 0 && /^[A-Za-z0-9+/]*={0,2}$/.test(v);
}

/** Joins a property path: `prop("tasks[0]", "newCluster")` is `tasks[0].newCluster`; an empty prefix gives the name. */
export function prop(prefix: string, name: string): string {
  return prefix ? `${prefix}.${name}` : name;
}

/** A known value must be a non-empty string, described by `what` (e.g. `a cluster id`). */
export function checkString(v: unknown, property: string, fail: Fail, what: string): void {
  if (known(v) && (typeof v !== "string" || v === "")) fail(property, `${property} must be ${what}.`);
}

/** A known value must map names to strings (`example` shows one). */
export function checkStringMap(v: unknown, property: string, fail: Fail, example = '{ "name": "value" }'): void {
  if (!known(v)) return;
  if (!isObject(v) || Object.values(v).some((x) => known(x) && typeof x !== "string")) fail(property, `${property} must map names to string values, e.g. ${example}.`);
}

/** A known value must be a list of strings. */
export function checkStringList(v: unknown, property: string, fail: Fail): void {
  if (known(v) && (!Array.isArray(v) || v.some((x) => known(x) && typeof x !== "string"))) fail(property, `${property} must be a list of strings.`);
}

/** A known value must be a whole number in [min, max]; `note` explains a special value. */
export function checkWhole(v: unknown, property: string, fail: Fail, min: number, max = Number.MAX_SAFE_INTEGER, note = ""): void {
  if (!known(v) || (Number.isInteger(v) && (v as number) >= min && (v as number) <= max)) return;
  const range = max === Number.MAX_SAFE_INTEGER ? `>= ${min}` : `from ${min} to ${max}`;
  fail(property, `${property} must be a whole number ${range}${note}, not ${JSON.stringify(v)}.`);
}

/** A known value must be a boolean. */
export function checkBoolean(v: unknown, property: string, fail: Fail): void {
  if (known(v) && typeof v !== "boolean") fail(property, `${property} must be true or false, not ${JSON.stringify(v)}.`);
}

/** A known value must be one of `values`. */
export function checkEnum(v: unknown, property: string, fail: Fail, values: readonly string[]): void {
  if (known(v) && !values.includes(v as string)) fail(property, `${property} must be one of ${values.join(", ")}, not ${JSON.stringify(v)}.`);
}

/**
 * At most one of `keys` may be set on `o` (an Output that resolved to undefined counts as unset);
 * the failure names the second one given, and `why` says how to choose.
 */
export function checkExclusive(o: Record<string, unknown>, keys: readonly string[], prefix: string, fail: Fail, why: string): string[] {
  const given = keys.filter((k) => o[k] !== undefined);
  if (given.length > 1) fail(prop(prefix, given[1]), `${prop(prefix, given[0])} and ${prop(prefix, given[1])} are mutually exclusive: ${why}`);
  return given;
}

/**
 * Why a service path cannot name the object it seems to, or `undefined` when it can: a `.` or `..`
 * part (the services refuse them, or resolve them elsewhere than the diff expects) or a control
 * character such as NUL.
 */
export function pathPartProblem(p: string): string | undefined {
  if (/[\u0000-\u001f\u007f]/.test(p)) return "contains a control character";
  if (p.split("/").some((part) => part === "." || part === "..")) return 'has a "." or ".." part';
  return undefined;
}

/** Loopback origins that accepted a connection in this process: each is probed once. */
const listening = new Set<string>();

/**
 * In the local target, adds a failure against `property` when its URL is on loopback and nothing
 * listens there (the emulator is not running), so preview says so rather than the first call of
 * `up`. `where` names the settings that give the URL. Only a refused connection counts: a probe
 * that times out (after 2 s) passes.
 */
export async function checkListening<T extends { inputs: Record<string, unknown>; failures: CheckFailure[] }>(checked: T, property: string, where: string): Promise<T> {
  const value = checked.inputs[property];
  if (currentTarget() !== "local" || typeof value !== "string" || value === UNKNOWN || checked.failures.some((f) => f.property === property)) return checked;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return checked;
  }
  if (!isLoopbackUrl(url) || listening.has(url.origin)) return checked;
  const refused = await new Promise<boolean>((resolve) => {
    const port = Number(url.port || (url.protocol === "https:" ? 443 : 80));
    const socket = net.connect({ host: url.hostname.replace(/^\[|\]$/g, ""), port });
    const done = (result: boolean) => {
      socket.destroy();
      resolve(result);
    };
    socket.setTimeout(2000, () => done(false));
    socket.once("connect", () => {
      listening.add(url.origin);
      done(false);
    });
    socket.once("error", (err: NodeJS.ErrnoException) => done(err.code === "ECONNREFUSED"));
  });
  if (refused) checked.failures.push({ property, reason: `${property}: nothing listens at ${url.origin} (connection refused): start the emulator (npm run emulator) and give its URL as ${where}.` });
  return checked;
}
