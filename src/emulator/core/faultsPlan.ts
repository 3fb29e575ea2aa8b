/**
 * A fault plan: rules that fault requests by rate (a probability per request, drawn from a seeded
 * PRNG so a run can be replayed) and by route (service, method, path pattern), with five kinds of
 * fault. This file holds the plan's shape and its strict validation; `./faults` applies it.
 */

/**
 * What a fault does to a request:
 * - `throttle`: answers 429 with `Retry-After`, the request not processed;
 * - `unavailable`: answers 503 with `Retry-After`, the request not processed;
 * - `reset`: closes the connection without an answer, the request not processed;
 * - `slow`: waits `delayMs` before processing the request, then answers normally;
 * - `lost`: processes the request (its changes kept, on disk when the state is), then closes the
 *   connection instead of answering: the client cannot tell whether it was applied.
 */
export type FaultKind = "throttle" | "unavailable" | "reset" | "slow" | "lost";

/** Every fault kind, in the order counts are reported. */
export const FAULT_KINDS: readonly FaultKind[] = Object.freeze(["throttle", "unavailable", "reset", "slow", "lost"]);

/** Methods a rule can name. */
export const FAULT_METHODS: readonly string[] = Object.freeze(["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE"]);

/** Longest delay of a `slow` fault, in milliseconds: well under the clients' timeouts. */
export const MAX_SLOW_DELAY_MS = 30_000;
/** Delay of a `slow` fault without `delayMs`, in milliseconds. */
export const DEFAULT_SLOW_DELAY_MS = 1_000;
/** Largest `Retry-After` a rule may ask for, in seconds. */
export const MAX_RETRY_AFTER_SECONDS = 3_600;
/** Most rules a plan may hold. */
export const MAX_FAULT_RULES = 100;

/** One rule of a {@link FaultPlan}, as posted to `POST /_emulator/faults/plan`. */
export interface FaultRule {
  /** The fault injected; with a list, one of them per injection, picked by the plan's PRNG. Required. */
  readonly kind: FaultKind | readonly FaultKind[];
  /** Probability, in (0, 1], that a request this rule matches is faulted. Default 1 (every one). */
  readonly rate?: number;
  /** Most faults this rule injects (a positive integer). Default: no limit. */
  readonly count?: number;
  /** Only requests to this service (`databricks`, `arm`, `azureml-inference`, `keyvault`). Default: every service that takes faults. */
  readonly service?: string;
  /** Only requests with this method, or one of these. Default: every method. */
  readonly method?: string | readonly string[];
  /**
   * Only requests whose whole path (percent-encoded, no query) matches this pattern: `*` stands
   * for any characters but `/`, `**` for any characters; letters match in any case. Default:
   * every path.
   */
  readonly path?: string;
  /** `Retry-After` of `throttle` and `unavailable`, in whole seconds up to 3600. Default 1. */
  readonly retryAfterSeconds?: number;
  /** Delay of `slow`, in whole milliseconds from 1 to 30000. Default 1000. */
  readonly delayMs?: number;
}

/** Rules applied to every authenticated request of a service that takes faults. */
export interface FaultPlan {
  /** Seed of the PRNG behind rates and kind lists: an integer from 0 to 2^32 - 1. Default 0. */
  readonly seed?: number;
  /** Checked in order: the first rule that matches a request and draws under its rate faults it. Required (`[]` clears the plan). */
  readonly rules: readonly FaultRule[];
}

/** A rule checked and completed with its defaults. */
export interface ParsedFaultRule {
  readonly kinds: readonly FaultKind[];
  readonly rate: number;
  readonly count?: number;
  readonly service?: string;
  readonly methods?: readonly string[];
  readonly path?: string;
  /** `path` as an anchored, case-insensitive expression. */
  readonly pathPattern?: RegExp;
  readonly retryAfterSeconds: number;
  readonly delayMs: number;
}

/** A plan checked and completed with its defaults. */
export interface ParsedFaultPlan {
  readonly seed: number;
  readonly rules: readonly ParsedFaultRule[];
}

const PLAN_FIELDS = ["seed", "rules"];
const RULE_FIELDS = ["kind", "rate", "count", "service", "method", "path", "retryAfterSeconds", "delayMs"];

/**
 * Checks an untrusted plan and returns it completed with its defaults; throws an `Error` naming
 * the field (`rules[2].rate`) and what it must be. `services` are the names a rule may give.
 */
export function parseFaultPlan(input: unknown, services: readonly string[]): ParsedFaultPlan {
  if (!isRecord(input)) throw new Error('The fault plan must be a JSON object {"seed"?, "rules": [...]}.');
  unknownField(input, PLAN_FIELDS, "");
  const seed = input.seed ?? 0;
  if (typeof seed !== "number" || !Number.isInteger(seed) || seed < 0 || seed > 0xffffffff) {
    throw new Error(`seed must be an integer from 0 to 4294967295, not ${show(input.seed)}.`);
  }
  if (!Array.isArray(input.rules)) throw new Error(`rules must be an array of fault rules ([] clears the plan), not ${show(input.rules)}.`);
  if (input.rules.length > MAX_FAULT_RULES) throw new Error(`rules holds ${input.rules.length} rules; at most ${MAX_FAULT_RULES} are allowed.`);
  return { seed, rules: input.rules.map((rule, i) => parseRule(rule, `rules[${i}]`, services)) };
}

function parseRule(input: unknown, at: string, services: readonly string[]): ParsedFaultRule {
  if (!isRecord(input)) throw new Error(`${at} must be an object {kind, rate?, count?, service?, method?, path?, retryAfterSeconds?, delayMs?}, not ${show(input)}.`);
  unknownField(input, RULE_FIELDS, `${at}.`);
  const kinds = parseKinds(input.kind, `${at}.kind`);
  const rate = input.rate ?? 1;
  if (typeof rate !== "number" || !Number.isFinite(rate) || rate <= 0 || rate > 1) throw new Error(`${at}.rate must be a number greater than 0 and at most 1, not ${show(input.rate)}.`);
  if (input.count !== undefined && (typeof input.count !== "number" || !Number.isInteger(input.count) || input.count < 1)) {
    throw new Error(`${at}.count must be a positive integer, not ${show(input.count)}.`);
  }
  if (input.service !== undefined && (typeof input.service !== "string" || !services.includes(input.service))) {
    throw new Error(`${at}.service must be one of ${services.map((s) => `"${s}"`).join(", ")}, not ${show(input.service)}.`);
  }
  const methods = input.method === undefined ? undefined : parseMethods(input.method, `${at}.method`);
  let pathPattern: RegExp | undefined;
  if (input.path !== undefined) {
    if (typeof input.path !== "string" || !input.path.startsWith("/") || input.path.length > 1000) {
      throw new Error(`${at}.path must be a path pattern starting with "/" (at most 1000 characters; * matches within a segment, ** across segments), not ${show(input.path)}.`);
    }
    pathPattern = globPattern(input.path);
  }
  const retryAfterSeconds = input.retryAfterSeconds ?? 1;
  if (input.retryAfterSeconds !== undefined) {
    if (!kinds.includes("throttle") && !kinds.includes("unavailable")) throw new Error(`${at}.retryAfterSeconds applies only to the kinds "throttle" and "unavailable"; remove it or add one of them to ${at}.kind.`);
    if (typeof retryAfterSeconds !== "number" || !Number.isInteger(retryAfterSeconds) || retryAfterSeconds < 0 || retryAfterSeconds > MAX_RETRY_AFTER_SECONDS) {
      throw new Error(`${at}.retryAfterSeconds must be an integer from 0 to ${MAX_RETRY_AFTER_SECONDS}, not ${show(input.retryAfterSeconds)}.`);
    }
  }
  const delayMs = input.delayMs ?? DEFAULT_SLOW_DELAY_MS;
  if (input.delayMs !== undefined) {
    if (!kinds.includes("slow")) throw new Error(`${at}.delayMs applies only to the kind "slow"; remove it or add "slow" to ${at}.kind.`);
    if (typeof delayMs !== "number" || !Number.isInteger(delayMs) || delayMs < 1 || delayMs > MAX_SLOW_DELAY_MS) {
      throw new Error(`${at}.delayMs must be an integer of milliseconds from 1 to ${MAX_SLOW_DELAY_MS}, not ${show(input.delayMs)}.`);
    }
  }
  return {
    kinds,
    rate,
    ...(input.count !== undefined && { count: input.count as number }),
    ...(input.service !== undefined && { service: input.service as string }),
    ...(methods && { methods }),
    ...(pathPattern && { path: input.path as string, pathPattern }),
    retryAfterSeconds: retryAfterSeconds as number,
    delayMs: delayMs as number,
  };
}

function parseKinds(input: unknown, at: string): FaultKind[] {
  const allowed = FAULT_KINDS.map((k) => `"${k}"`).join(", ");
  const list = Array.isArray(input) ? input : [input];
  if (list.length === 0) throw new Error(`${at} must be a fault kind (${allowed}) or a non-empty list of them, not [].`);
  list.forEach((kind, i) => {
    if (!FAULT_KINDS.includes(kind as FaultKind)) throw new Error(`${Array.isArray(input) ? `${at}[${i}]` : at} must be one of ${allowed}, not ${show(kind)}.`);
  });
  if (new Set(list).size !== list.length) throw new Error(`${at} names a kind twice; list each kind once.`);
  return list as FaultKind[];
}

function parseMethods(input: unknown, at: string): string[] {
  const list = Array.isArray(input) ? input : [input];
  if (list.length === 0) throw new Error(`${at} must be a method or a non-empty list of methods, not [].`);
  list.forEach((method, i) => {
    if (typeof method !== "string" || !FAULT_METHODS.includes(method)) {
      throw new Error(`${Array.isArray(input) ? `${at}[${i}]` : at} must be one of ${FAULT_METHODS.join(", ")} (in capitals), not ${show(method)}.`);
    }
  });
  return list as string[];
}

/** `*` → any characters but `/`, `**` → any characters; everything else literal; anchored; any case. */
function globPattern(glob: string): RegExp {
  const source = glob
    .split("**")
    .map((part) =>
      part
        .split("*")
        .map((literal) => literal.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"))
        .join("[^/]*"),
    )
    .join(".*");
  return new RegExp(`^${source}$`, "i");
}

function unknownField(input: Record<string, unknown>, fields: readonly string[], at: string): void {
  const unknown = Object.keys(input).find((k) => !fields.includes(k));
  if (unknown !== undefined) throw new Error(`${at}${unknown} is not a field of a fault ${at ? "rule" : "plan"}; the fields are ${fields.join(", ")}.`);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function show(value: unknown): string {
  if (value === undefined) return "missing";
  const text = JSON.stringify(value);
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}
