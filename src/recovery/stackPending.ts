/**
 * The pending operations of a stack as `pulumi stack export --show-secrets` prints them: what an
 * interrupted `pulumi up` (killed, cancelled twice, out of power) was doing to which resource.
 */
import { pendingCreateKey } from "../core/pendingCreates";

/** The type token prefix of this package's resources (dynamic resources of the Node.js provider). */
export const DYNAMIC_PREFIX = "pulumi-nodejs:dynamic/azureml-databricks:";
/** The key the engine marks a secret value with in an exported deployment. */
const SECRET_SIG = "4dabf18193072939515e22adb298388d";

/** One pending operation. */
export interface PendingOperation {
  urn: string;
  /** The full type token. */
  type: string;
  /** `creating`, `updating`, `deleting`, `reading` or `importing`. */
  operation: string;
  /** The inputs the engine recorded, secrets in plain text (never printed). */
  inputs: Record<string, unknown>;
}

/** What `pulumi stack export` holds that recovery reads. */
interface ExportedDeployment {
  deployment?: {
    resources?: { urn: string }[];
    pending_operations?: { resource: { urn: string; type: string; inputs?: Record<string, unknown> }; type: string }[];
  };
}

/** Parses an exported deployment (`pulumi stack export --show-secrets`): its pending operations and the URNs it records. */
export function parseExport(json: string): { pending: PendingOperation[]; recorded: Set<string> } {
  const exported = JSON.parse(json) as ExportedDeployment;
  const deployment = exported.deployment ?? {};
  const pending = (deployment.pending_operations ?? []).map((op) => ({
    urn: op.resource.urn,
    type: op.resource.type,
    operation: op.type,
    inputs: revealed(op.resource.inputs ?? {}) as Record<string, unknown>,
  }));
  return { pending, recorded: new Set((deployment.resources ?? []).map((r) => r.urn)) };
}

/** A value with every exported secret (`{ <sig>: ..., plaintext: "<json>" }`) replaced by the value it holds. */
function revealed(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(revealed);
  if (value === null || typeof value !== "object") return value;
  const o = value as Record<string, unknown>;
  if (o[SECRET_SIG] !== undefined) {
    if (typeof o.plaintext !== "string") throw new Error("the export holds a secret without its plaintext: export the stack with --show-secrets");
    return revealed(JSON.parse(o.plaintext));
  }
  return Object.fromEntries(Object.entries(o).map(([k, v]) => [k, revealed(v)]));
}

/** The resource type (the last part of the token) of one of this package's resources, else undefined. */
export function ownType(type: string): string | undefined {
  return type.startsWith(DYNAMIC_PREFIX) ? type.slice(DYNAMIC_PREFIX.length) : undefined;
}

/** The keys (`core/pendingCreates`) of the pending creates of this package's resources. */
export function pendingCreateKeys(pending: readonly PendingOperation[]): string[] {
  return pending.flatMap((op) => {
    const type = ownType(op.type);
    return op.operation === "creating" && type ? [pendingCreateKey(type, op.inputs)] : [];
  });
}
