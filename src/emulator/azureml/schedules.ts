/**
 * Schedules (S1, S2): a cron or recurrence trigger whose action submits a job (or invokes a batch
 * endpoint). PUT and DELETE are long-running; `isEnabled` (default true) enables and disables it.
 * Stored and checked only: firing needs job execution.
 */
import type { Route } from "../core/service";
import { invalidProperty } from "./errors";
import { lroResourceOperations } from "./lroResources";
import { isObject, oneOf, requiredString, resourceBase, workspaceRoutes, type AzureMlContext } from "./routes";
import type { JsonObject } from "./state";

const FREQUENCIES = ["Minute", "Hour", "Day", "Week", "Month"] as const;
const ACTION_TYPES = ["CreateJob", "InvokeBatchEndpoint", "CreateMonitor"] as const;
/** ISO 8601 date-time, seconds and fraction optional, no offset required. */
const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})?$/;

/** Checks a trigger (`properties.trigger`). */
function checkTrigger(trigger: unknown): void {
  if (!isObject(trigger)) throw invalidProperty("properties.trigger", "is required and must be an object");
  const type = oneOf(trigger.triggerType, ["Cron", "Recurrence"] as const, "properties.trigger.triggerType");
  for (const field of ["startTime", "endTime"]) {
    if (trigger[field] !== undefined && trigger[field] !== null && !(typeof trigger[field] === "string" && DATE_TIME.test(trigger[field] as string))) {
      throw invalidProperty(`properties.trigger.${field}`, "must be an ISO 8601 date and time");
    }
  }
  if (type === "Cron") {
    const fields = requiredString(trigger.expression, "properties.trigger.expression").trim().split(/\s+/);
    if (fields.length !== 5) throw invalidProperty("properties.trigger.expression", "must be a cron expression of five fields (minute hour day month weekday)");
  } else {
    oneOf(trigger.frequency, FREQUENCIES, "properties.trigger.frequency");
    if (!Number.isInteger(trigger.interval) || (trigger.interval as number) < 1) throw invalidProperty("properties.trigger.interval", "must be a positive integer");
  }
}

/** Checks an action (`properties.action`). */
function checkAction(action: unknown): void {
  if (!isObject(action)) throw invalidProperty("properties.action", "is required and must be an object");
  const type = oneOf(action.actionType, ACTION_TYPES, "properties.action.actionType");
  if (type === "CreateJob" && !(isObject(action.jobDefinition) && typeof action.jobDefinition.jobType === "string")) {
    throw invalidProperty("properties.action.jobDefinition", "is required and must be a job's properties with its jobType");
  }
  if (type === "InvokeBatchEndpoint" && !isObject(action.endpointInvocationDefinition)) throw invalidProperty("properties.action.endpointInvocationDefinition", "is required and must be an object");
}

/** The schedule routes. */
export function scheduleRoutes(ctx: AzureMlContext): Route[] {
  return workspaceRoutes(
    ctx,
    lroResourceOperations(ctx, {
      collection: "schedules",
      param: "name",
      what: "schedule",
      tracked: false,
      shape(_req, properties): JsonObject {
        checkTrigger(properties.trigger);
        checkAction(properties.action);
        if (properties.isEnabled !== undefined && typeof properties.isEnabled !== "boolean") throw invalidProperty("properties.isEnabled", "must be true or false");
        return {
          ...properties,
          displayName: properties.displayName ?? null,
          ...resourceBase(properties),
          isEnabled: properties.isEnabled ?? true,
        };
      },
      filter(req, schedule) {
        const view = req.query.get("listViewType") ?? "EnabledOnly";
        const enabled = (schedule.body.properties as JsonObject).isEnabled === true;
        return view === "All" || (view === "EnabledOnly") === enabled;
      },
    }),
  );
}
