/**
 * What the bad-input suites share: the provider process's environment for a row, the check of a
 * resource as the engine calls it, and which of the emulator's requests would have changed
 * something.
 */
import * as pulumi from "@pulumi/pulumi";
import type { RequestLogEntry } from "../../../src/emulator";
import { UNKNOWN, type CheckFailure } from "../../../src/core/check";
import { lifecycle } from "../../../src/provider";

/** Requests that read although not GET: token requests and ARM's `list*` actions. */
const READING_POSTS = [/\/oauth2\/(v2\.0\/)?token$/, /\/list(Secrets|Keys)$/];

/** The requests that could have changed the emulator's state: anything but GET and HEAD, less the reading POSTs. */
export function mutatingCalls(requests: readonly RequestLogEntry[]): string[] {
  return requests
    .filter((r) => r.method !== "GET" && r.method !== "HEAD" && !(r.method === "POST" && READING_POSTS.some((p) => p.test(r.path))))
    .map((r) => `${r.method} ${r.path} ${r.status}`);
}

/**
 * Runs `fn` with `base` and then `overrides` in the process's environment (an `undefined` value
 * removes the variable), restoring the environment afterwards.
 */
export async function withEnv<T>(base: Record<string, string>, overrides: Record<string, string | undefined>, fn: () => Promise<T>): Promise<T> {
  const saved = process.env;
  process.env = { ...saved, ...base };
  for (const [k, v] of Object.entries(overrides)) {
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
  try {
    return await fn();
  } finally {
    process.env = saved;
  }
}

/** The failures the provider's `check` reports for a new resource of `type` with `inputs`, as at preview. */
export async function checkFailures(type: string, inputs: Record<string, unknown>): Promise<CheckFailure[]> {
  return (await lifecycle(type).check({}, inputs)).failures;
}

/** Pulumi's signature of a secret value, as mocks hand inputs over. */
const SECRET_SIG = "4dabf18193072939515e22adb298388d";

/**
 * Inputs as a mocked engine hands them over, as the provider receives them at preview: secrets
 * unwrapped, values not yet known as the engine's unknown placeholder, the serialized provider dropped.
 */
export function asProviderInputs(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(asProviderInputs);
  if (typeof v !== "object" || v === null) return v;
  const o = v as Record<string, unknown>;
  if (o[SECRET_SIG] !== undefined) return asProviderInputs(o.value);
  if (o.__pulumiUnknown === true) return UNKNOWN;
  return Object.fromEntries(Object.entries(o).filter(([k]) => k !== "__provider").map(([k, x]) => [k, asProviderInputs(x)]));
}

/** Every resource below `root` reachable through its fields (records of resources included), `root` first. */
export function resourcesOf(root: pulumi.Resource): pulumi.Resource[] {
  const found = new Set<pulumi.Resource>([root]);
  const visit = (v: unknown) => {
    if (pulumi.Resource.isInstance(v)) found.add(v);
    else if (typeof v === "object" && v !== null && !pulumi.Output.isInstance(v)) Object.values(v).forEach(visit);
  };
  Object.values(root).forEach(visit);
  return [...found];
}
