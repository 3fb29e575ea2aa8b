/** Who hears about a run's start, success and failure: the one model runs and jobs share. */
import type * as pulumi from "@pulumi/pulumi";
import { checkBoolean, checkStringList, Fail, isObject, known } from "../../core/check";
import type { Plain } from "../../core/plain";
import type { JobEmailNotifications, WebhookNotifications } from "../client";

/** Addresses emailed about runs. */
export interface DatabricksEmailNotificationsArgs {
  /** Emailed when a run starts. Default: none. */
  readonly onStart?: pulumi.Input<pulumi.Input<string>[]>;
  /** Emailed when a run succeeds. Default: none. */
  readonly onSuccess?: pulumi.Input<pulumi.Input<string>[]>;
  /** Emailed when a run fails. Default: none. */
  readonly onFailure?: pulumi.Input<pulumi.Input<string>[]>;
  /** Do not email about skipped runs. Default: false. */
  readonly noAlertForSkippedRuns?: pulumi.Input<boolean>;
}

/** A notification destination, by id. */
export interface DatabricksDestinationIdArgs {
  /** The id of a notification destination of the workspace. */
  readonly id: pulumi.Input<string>;
}

/** Notification destinations called about runs; at most 3 per event. */
export interface DatabricksWebhookNotificationsArgs {
  /** Called when a run starts. Default: none. */
  readonly onStart?: pulumi.Input<pulumi.Input<DatabricksDestinationIdArgs>[]>;
  /** Called when a run succeeds. Default: none. */
  readonly onSuccess?: pulumi.Input<pulumi.Input<DatabricksDestinationIdArgs>[]>;
  /** Called when a run fails. Default: none. */
  readonly onFailure?: pulumi.Input<pulumi.Input<DatabricksDestinationIdArgs>[]>;
}

/** Email notifications as the provider sees them. */
export type EmailNotificationsInput = Plain<DatabricksEmailNotificationsArgs>;
/** Webhook notifications as the provider sees them. */
export type WebhookNotificationsInput = Plain<DatabricksWebhookNotificationsArgs>;

/** Destinations the service takes per event. */
export const MAX_WEBHOOKS = 3;
const EVENTS = ["onStart", "onSuccess", "onFailure"] as const;
const WIRE_EVENTS = { onStart: "on_start", onSuccess: "on_success", onFailure: "on_failure" } as const;

/** Checks `emailNotifications` (at `property`). */
export function checkEmailNotifications(v: unknown, property: string, fail: Fail): void {
  if (!known(v)) return;
  if (!isObject(v)) return fail(property, `${property} must be { onStart?, onSuccess?, onFailure?: string[], noAlertForSkippedRuns?: boolean }.`);
  for (const k of EVENTS) checkStringList(v[k], `${property}.${k}`, fail);
  checkBoolean(v.noAlertForSkippedRuns, `${property}.noAlertForSkippedRuns`, fail);
}

/** Checks `webhookNotifications` (at `property`). */
export function checkWebhookNotifications(v: unknown, property: string, fail: Fail): void {
  if (!known(v)) return;
  if (!isObject(v)) return fail(property, `${property} must be { onStart?, onSuccess?, onFailure?: [{ id: "<notification destination id>" }] }.`);
  for (const k of EVENTS) {
    const list = v[k];
    const p = `${property}.${k}`;
    if (!known(list)) continue;
    if (!Array.isArray(list) || list.some((d) => known(d) && !(isObject(d) && typeof d.id === "string"))) fail(p, `${p} must be a list of { id: "<notification destination id>" }.`);
    else if (list.length > MAX_WEBHOOKS) fail(p, `${p} has ${list.length} destinations; at most ${MAX_WEBHOOKS} are allowed.`);
  }
}

/** Email notifications to the wire. */
export function toWireEmailNotifications(e: EmailNotificationsInput): JobEmailNotifications {
  const w: JobEmailNotifications = {};
  for (const k of EVENTS) if (e[k]) w[WIRE_EVENTS[k]] = [...e[k]!];
  if (e.noAlertForSkippedRuns !== undefined) w.no_alert_for_skipped_runs = e.noAlertForSkippedRuns;
  return w;
}

/** Email notifications from the wire. */
export function fromWireEmailNotifications(w: JobEmailNotifications): EmailNotificationsInput {
  const e: EmailNotificationsInput = {};
  for (const k of EVENTS) if (w[WIRE_EVENTS[k]]) e[k] = [...w[WIRE_EVENTS[k]]!];
  if (w.no_alert_for_skipped_runs !== undefined) e.noAlertForSkippedRuns = w.no_alert_for_skipped_runs;
  return e;
}

/** Webhook notifications to the wire. */
export function toWireWebhookNotifications(h: WebhookNotificationsInput): WebhookNotifications {
  const w: WebhookNotifications = {};
  for (const k of EVENTS) if (h[k]) w[WIRE_EVENTS[k]] = h[k]!.map((d) => ({ id: d.id }));
  return w;
}

/** Webhook notifications from the wire. */
export function fromWireWebhookNotifications(w: WebhookNotifications): WebhookNotificationsInput {
  const h: WebhookNotificationsInput = {};
  for (const k of EVENTS) if (w[WIRE_EVENTS[k]]) h[k] = w[WIRE_EVENTS[k]]!.map((d) => ({ id: d.id }));
  return h;
}
