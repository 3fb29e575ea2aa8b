/**
 * Fault injection, so clients' retry behaviour can be proven against the emulator: a queue of
 * 429/503 answers for the next authenticated requests (`POST /_emulator/faults`), then a plan of
 * rules by rate and route with five kinds of fault (`POST /_emulator/faults/plan`, see
 * `./faultsPlan`). Every injected fault is counted by kind.
 */
import { FAULT_KINDS, type FaultKind, type ParsedFaultPlan, type ParsedFaultRule } from "./faultsPlan";
import { seededRandom } from "./faultsPrng";
import type { Fault } from "./service";

/** Default `Retry-After` of an injected fault, in seconds. */
export const DEFAULT_FAULT_RETRY_AFTER_SECONDS = 1;

/**
 * Checks an untrusted fault list (from options or from `POST /_emulator/faults`) and returns it
 * normalised; throws an `Error` naming the offending entry and field.
 */
export function parseFaults(input: unknown): Fault[] {
  if (!Array.isArray(input)) throw new Error("faults must be a JSON array of {status, count, retryAfterSeconds?}.");
  return input.map((entry: unknown, i) => {
    if (typeof entry !== "object" || entry === null || Array.isArray(entry)) {
      throw new Error(`faults[${i}] must be an object {status, count, retryAfterSeconds?}.`);
    }
    const { status, count, retryAfterSeconds } = entry as Record<string, unknown>;
    if (status !== 429 && status !== 503) throw new Error(`faults[${i}].status must be 429 or 503, not ${JSON.stringify(status)}.`);
    if (typeof count !== "number" || !Number.isInteger(count) || count < 1) {
      throw new Error(`faults[${i}].count must be a positive integer, not ${JSON.stringify(count)}.`);
    }
    if (retryAfterSeconds !== undefined && (typeof retryAfterSeconds !== "number" || !Number.isInteger(retryAfterSeconds) || retryAfterSeconds < 0)) {
      throw new Error(`faults[${i}].retryAfterSeconds must be a non-negative integer, not ${JSON.stringify(retryAfterSeconds)}.`);
    }
    return { status, count, retryAfterSeconds: retryAfterSeconds ?? DEFAULT_FAULT_RETRY_AFTER_SECONDS };
  });
}

/** What to do to one request. */
export type FaultDecision =
  | { readonly kind: "throttle" | "unavailable"; readonly fault: Fault }
  | { readonly kind: "reset" | "lost" }
  | { readonly kind: "slow"; readonly delayMs: number };

/** The request a fault decision is made for. */
export interface FaultTarget {
  /** The service's name, e.g. `databricks`. */
  readonly service: string;
  readonly method: string;
  /** The path as received, without the query. */
  readonly path: string;
}

/** The faults injected since start or the last {@link FaultQueue.clear}, by kind. */
export type FaultCounts = Record<FaultKind, number>;

/** A rule of the active plan as the control plane shows it: its fields and how many faults it injected. */
export interface FaultRuleView {
  readonly kind: FaultKind | readonly FaultKind[];
  readonly rate: number;
  readonly count?: number;
  readonly service?: string;
  readonly method?: readonly string[];
  readonly path?: string;
  readonly retryAfterSeconds?: number;
  readonly delayMs?: number;
  readonly injected: number;
}

/**
 * The faults of one emulator: first the queue (each entry answers its status to the next `count`
 * requests, front to back), then the plan's rules in order. Decisions follow the plan's seeded
 * PRNG, so the same plan over the same sequence of requests faults the same ones.
 */
export class FaultQueue {
  private pending: { status: 429 | 503; remaining: number; retryAfterSeconds: number }[] = [];
  private rules: { rule: ParsedFaultRule; injected: number }[] = [];
  private seed = 0;
  private random: () => number = seededRandom(0);
  private counts: FaultCounts = emptyCounts();

  constructor(faults: readonly Fault[] = []) {
    this.replace(faults);
  }

  /** Replaces the queued faults (an empty list clears them); the plan stays. */
  replace(faults: readonly Fault[]): void {
    this.pending = parseFaults(faults).map((f) => ({
      status: f.status,
      remaining: f.count,
      retryAfterSeconds: f.retryAfterSeconds ?? DEFAULT_FAULT_RETRY_AFTER_SECONDS,
    }));
  }

  /** Replaces the plan (its PRNG restarts from the plan's seed); the queue and the counts stay. */
  setPlan(plan: ParsedFaultPlan): void {
    this.rules = plan.rules.map((rule) => ({ rule, injected: 0 }));
    this.random = seededRandom(plan.seed);
    this.seed = plan.seed;
  }


  /** Clears the queue, the plan and the counts. */
  clear(): void {
    this.replace([]);
    this.setPlan({ seed: 0, rules: [] });
    this.counts = emptyCounts();
  }

  /** Takes one use of the first queued fault, or `undefined` when none is queued (the plan is not consulted). */
  take(): Fault | undefined {
    const head = this.pending[0];
    if (!head) return undefined;
    head.remaining -= 1;
    if (head.remaining <= 0) this.pending.shift();
    this.counts[head.status === 429 ? "throttle" : "unavailable"] += 1;
    return { status: head.status, count: 1, retryAfterSeconds: head.retryAfterSeconds };
  }

  /**
   * The fault for one request, counted, or `undefined`: the first queued fault, else the first
   * rule that matches the request, has faults left and draws under its rate.
   */
  decide(target: FaultTarget): FaultDecision | undefined {
    const queued = this.take();
    if (queued) return { kind: queued.status === 429 ? "throttle" : "unavailable", fault: queued };
    for (const entry of this.rules) {
      const { rule } = entry;
      if (rule.count !== undefined && entry.injected >= rule.count) continue;
      if (!matches(rule, target)) continue;
      if (rule.rate < 1 && this.random() >= rule.rate) continue;
      const kind = rule.kinds.length === 1 ? rule.kinds[0] : rule.kinds[Math.floor(this.random() * rule.kinds.length)];
      entry.injected += 1;
      this.counts[kind] += 1;
      switch (kind) {
        case "throttle":
        case "unavailable":
          return { kind, fault: { status: kind === "throttle" ? 429 : 503, count: 1, retryAfterSeconds: rule.retryAfterSeconds } };
        case "slow":
          return { kind, delayMs: rule.delayMs };
        default:
          return { kind };
      }
    }
    return undefined;
  }

  /** The queued faults, with their remaining counts. */
  list(): Fault[] {
    return this.pending.map((f) => ({ status: f.status, count: f.remaining, retryAfterSeconds: f.retryAfterSeconds }));
  }

  /** The plan as posted (defaults filled in), each rule with the faults it injected. */
  plan(): { seed: number; rules: FaultRuleView[] } {
    return {
      seed: this.seed,
      rules: this.rules.map(({ rule, injected }) => ({
        kind: rule.kinds.length === 1 ? rule.kinds[0] : [...rule.kinds],
        rate: rule.rate,
        ...(rule.count !== undefined && { count: rule.count }),
        ...(rule.service !== undefined && { service: rule.service }),
        ...(rule.methods && { method: [...rule.methods] }),
        ...(rule.path !== undefined && { path: rule.path }),
        ...((rule.kinds.includes("throttle") || rule.kinds.includes("unavailable")) && { retryAfterSeconds: rule.retryAfterSeconds }),
        ...(rule.kinds.includes("slow") && { delayMs: rule.delayMs }),
        injected,
      })),
    };
  }

  /** The faults injected by kind, queue and plan together, since start or the last {@link clear}. */
  injected(): FaultCounts {
    return { ...this.counts };
  }
}

function matches(rule: ParsedFaultRule, target: FaultTarget): boolean {
  if (rule.service !== undefined && rule.service !== target.service) return false;
  if (rule.methods && !rule.methods.includes(target.method)) return false;
  return !rule.pathPattern || rule.pathPattern.test(target.path);
}

function emptyCounts(): FaultCounts {
  return Object.fromEntries(FAULT_KINDS.map((k) => [k, 0])) as FaultCounts;
}
