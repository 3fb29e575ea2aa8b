/**
 * The statuses each job went through and when: a record below the job (`jobs/<name>/statushistory`,
 * removed with it) that no REST read returns; the job's page shows it.
 */
import { keyOf, type Resources } from "./resources";
import type { AzureMlState, JsonObject } from "./state";

/** One status a job went through and when (ms of the emulator's clock). */
export interface StatusChange {
  readonly status: string;
  readonly at: number;
}

/** The path of a job's status history. */
const historyPath = (name: string): string => `jobs/${name}/statushistory`;

/** Appends `status` to the job's history (in the caller's state update). */
export function recordStatus(s: AzureMlState, name: string, status: string, at: number): void {
  const key = keyOf(historyPath(name));
  const entries = ((s.resources[key]?.body.entries ?? []) as StatusChange[]).concat({ status, at });
  s.resources[key] = { path: historyPath(name), body: { entries }, createdAt: s.resources[key]?.createdAt ?? at, modifiedAt: at };
}

/**
 * The statuses a job went through, oldest first: `NotStarted` at its submission, each change the
 * executor or a cancellation recorded, and its present status if nothing recorded it (a cancel
 * operation that completed).
 */
export function statusHistory(resources: Resources, name: string): StatusChange[] {
  const job = resources.find(`jobs/${name}`);
  if (!job) return [];
  const recorded = (resources.find(historyPath(name))?.body.entries ?? []) as StatusChange[];
  const history = [{ status: "NotStarted", at: job.createdAt }, ...recorded];
  const status = String((job.body.properties as JsonObject).status);
  return history[history.length - 1].status === status ? history : [...history, { status, at: job.modifiedAt }];
}
