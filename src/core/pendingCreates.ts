/**
 * Creates that an interrupted `pulumi up` left pending. The engine records a resource's create
 * (its type, URN and checked inputs) in the stack's pending operations before it asks the provider,
 * and drops the record only once the provider answered. A create killed in between may have made
 * its object without the stack ever recording it: a named object (a secret scope, a Key Vault
 * secret, a mount, an asset version) is then refused by the next create (the takeover policy,
 * `./takeover`). `recover` (src/recovery) reads those records and hands the next `up` one key per
 * record in {@link RECOVER_PENDING_ENV}; a create whose type and inputs give one of them is the
 * very create that was interrupted, and adopts the object it finds (its own). Runs, clusters and
 * Azure ML pipeline jobs need no key: their idempotency tokens and job names find their own object.
 */
import { createHash } from "node:crypto";
import { canonical } from "./check";

/** The environment variable `recover` sets for its `pulumi up`: the keys of the stack's pending creates, comma-separated. */
export const RECOVER_PENDING_ENV = "AMLDB_RECOVER_PENDING_CREATES";

/**
 * The key of a create: a hash of the resource type (the last part of its type token) and its
 * checked inputs, the engine's own `__` keys left out. The hash keeps secret inputs out of the
 * environment.
 */
export function pendingCreateKey(type: string, inputs: Record<string, unknown>): string {
  const own = Object.fromEntries(Object.entries(inputs).filter(([k]) => !k.startsWith("__")));
  return createHash("sha256").update(JSON.stringify(canonical({ type, inputs: own }) ?? null)).digest("hex");
}

/** Whether this create (`type`, `inputs`) is one that `recover` found pending in the stack. */
export function isPendingCreate(type: string, inputs: Record<string, unknown>, env: NodeJS.ProcessEnv = process.env): boolean {
  const keys = env[RECOVER_PENDING_ENV];
  if (!keys) return false;
  return keys.split(",").includes(pendingCreateKey(type, inputs));
}
