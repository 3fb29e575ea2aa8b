/**
 * Long-running operations, as Azure ML answers them: the request answers at once (201/200 with
 * `Azure-AsyncOperation`, or 202 with `Location`), with absolute URLs back to the emulator and
 * `Retry-After: 1`; the operation stays `InProgress` for `operationMs` of the emulator's clock,
 * then its effect applies (a resource provisioned, removed, a job canceled). Due operations are
 * settled before every request of the provider, so the state seen is always up to date, across
 * restarts too.
 *
 * Status: `GET /subscriptions/{sub}/providers/Microsoft.MachineLearningServices/locations/{loc}/
 * {compute|mfe}OperationsStatus/{id}` → `{id, name, status, startTime, endTime?}`. Result
 * (`Location`): `…/{compute|mfe}OperationResults/{id}` → 202 while running, then 200. Both ignore
 * query parameters other than `api-version` (clients re-append the original request's).
 */
import { randomUUID } from "node:crypto";
import type { EmulatorRequest, EmulatorResponse } from "../core/service";
import { armFailure } from "../arm/errors";
import { ML_NAMESPACE } from "./config";
import { keyOf, removeTree, writeResource, type Resources } from "./resources";
import { PARENT_RUN_ID } from "./execution/jobRecords";
import type { AzureMlState, JsonObject, OperationEffect, StoredOperation } from "./state";

/** Seconds clients are told to wait between polls. */
export const RETRY_AFTER_SECONDS = "1";
/** Operations ended longer ago than this (emulator time) are forgotten. */
const KEEP_ENDED_MS = 24 * 3600 * 1000;
/** Job statuses after which a job changes no more. */
export const TERMINAL_JOB_STATUSES: readonly string[] = ["Completed", "Failed", "Canceled", "NotResponding", "Paused"];

/** Which headers an answer carries. */
export type OperationHeaders = "async" | "location" | "both";

/** Starts, settles and shows long-running operations. */
export class Operations {
  constructor(private readonly resources: Resources) {}

  /** Starts an operation with `effect` (in the caller's state update). */
  start(draft: AzureMlState, family: StoredOperation["family"], effect: OperationEffect): StoredOperation {
    const now = this.resources.clock.now();
    const op: StoredOperation = { id: randomUUID(), status: "InProgress", family, startedAt: now, completesAt: now + this.resources.config.operationMs, effect };
    draft.operations[op.id] = op;
    return { ...op };
  }

  /**
   * Writes the resource at `path` and starts an operation on it with `effect`, in one update.
   * Returns whether the resource was created, and the operation.
   */
  putAndStart(path: string, body: JsonObject, family: StoredOperation["family"], effect: OperationEffect, secrets?: Record<string, string>): [outcome: "created" | "updated", op: StoredOperation] {
    const now = this.resources.clock.now();
    return this.resources.store.update((s) => [writeResource(s, path, body, now, secrets), this.start(s, family, effect)]);
  }

  /** Marks the resource at `path` `Deleting` and starts the operation that removes it (and what is below it). */
  deleteAndStart(path: string, family: StoredOperation["family"]): StoredOperation {
    return this.resources.store.update((s) => {
      (s.resources[keyOf(path)].body.properties as JsonObject).provisioningState = "Deleting";
      return this.start(s, family, { kind: "removed", path });
    });
  }

  /** Applies every operation that is due (and forgets long-ended ones). */
  settle(): void {
    const now = this.resources.clock.now();
    const due = (op: StoredOperation): boolean => op.status === "InProgress" && op.completesAt <= now;
    const stale = (op: StoredOperation): boolean => op.endedAt !== undefined && op.endedAt + KEEP_ENDED_MS < now;
    if (!this.resources.store.read((s) => Object.values(s.operations).some((op) => due(op) || stale(op)))) return;
    this.resources.store.update((s) => {
      for (const op of Object.values(s.operations).sort((a, b) => a.completesAt - b.completesAt)) {
        if (stale(op)) delete s.operations[op.id];
        else if (due(op)) {
          apply(s, op.effect, now);
          op.status = "Succeeded";
          op.endedAt = now;
        }
      }
    });
  }

  /** The headers announcing `op` to the client of `req`. */
  headers(req: EmulatorRequest, op: StoredOperation, which: OperationHeaders): Record<string, string> {
    const headers: Record<string, string> = { "Retry-After": RETRY_AFTER_SECONDS };
    if (which !== "location") headers["Azure-AsyncOperation"] = this.url(req, op, "Status");
    if (which !== "async") headers.Location = this.url(req, op, "Results");
    return headers;
  }

  /** `GET …/{family}OperationsStatus/{id}`: the status document. */
  status(req: EmulatorRequest): EmulatorResponse {
    const op = this.find(req, "OperationsStatus");
    const iso = (ms: number): string => new Date(ms).toISOString();
    const body = { id: req.pathname, name: op.id, status: op.status, startTime: iso(op.startedAt), ...(op.endedAt !== undefined ? { endTime: iso(op.endedAt) } : {}) };
    return { status: 200, body, ...(op.status === "InProgress" ? { headers: { "Retry-After": RETRY_AFTER_SECONDS } } : {}) };
  }

  /** `GET …/{family}OperationResults/{id}`: 202 (with `Location`) while running, then 200. */
  result(req: EmulatorRequest): EmulatorResponse {
    const op = this.find(req, "OperationResults");
    if (op.status !== "InProgress") return { status: 200 };
    return { status: 202, headers: { Location: this.url(req, op, "Results"), "Retry-After": RETRY_AFTER_SECONDS } };
  }

  private find(req: EmulatorRequest, suffix: string): StoredOperation {
    const family = req.params.family.toLowerCase().replace(suffix.toLowerCase(), "");
    const op = this.resources.store.read((s) => s.operations[req.params.operationId]);
    if (!op || op.family !== family || req.params.location.toLowerCase() !== this.resources.config.location) {
      throw armFailure(404, "NotFound", `The operation '${req.params.operationId}' could not be found.`);
    }
    return op;
  }

  private url(req: EmulatorRequest, op: StoredOperation, kind: "Status" | "Results"): string {
    const { subscriptionId, location } = this.resources.config;
    const apiVersion = encodeURIComponent(req.query.get("api-version") ?? "");
    const collection = kind === "Status" ? `${op.family}OperationsStatus` : `${op.family}OperationResults`;
    return `${req.baseUrl}/subscriptions/${subscriptionId}/providers/${ML_NAMESPACE}/locations/${location}/${collection}/${op.id}?api-version=${apiVersion}`;
  }
}

/** The route template of the operation documents (`{family}` is e.g. `mfeOperationsStatus`). */
export const OPERATION_ROUTE = `/subscriptions/{subscriptionId}/providers/${ML_NAMESPACE}/locations/{location}/{family}/{operationId}`;

function apply(s: AzureMlState, effect: OperationEffect, now: number): void {
  const key = keyOf(effect.path);
  const resource = s.resources[key];
  switch (effect.kind) {
    case "removed":
      removeTree(s.resources, key);
      // A pipeline job's step jobs go with it: a job submitted later under its name must not take them for its own.
      if (/^jobs\/[^/]+$/.test(effect.path)) for (const child of childJobKeys(s, effect.path.slice("jobs/".length))) removeTree(s.resources, child);
      return;
    case "provisioned":
      if (!resource) return;
      (resource.body.properties as Record<string, unknown>).provisioningState = "Succeeded";
      resource.modifiedAt = now;
      return;
    case "jobCanceled": {
      const properties = resource?.body.properties as Record<string, unknown> | undefined;
      if (!resource || !properties || TERMINAL_JOB_STATUSES.includes(String(properties.status))) return;
      properties.status = "Canceled";
      resource.modifiedAt = now;
      return;
    }
  }
}

/** The keys of the jobs whose `azureml.parentrunid` names job `parent` (its step jobs). */
function childJobKeys(s: AzureMlState, parent: string): string[] {
  return Object.entries(s.resources)
    .filter(([, r]) => /^jobs\/[^/]+$/.test(r.path) && ((r.body.properties as JsonObject | undefined)?.properties as JsonObject | undefined)?.[PARENT_RUN_ID] === parent)
    .map(([k]) => k);
}
