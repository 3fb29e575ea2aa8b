/**
 * Schedules (S1, S2): a cron or recurrence trigger whose action submits a job (or invokes a batch
 * endpoint). PUT and DELETE are long-running; `isEnabled` (default true) enables and disables it.
 * Every change is told to the {@link ScheduleRunner}, which fires them (`scheduling/`).
 */
import type { Route } from "../core/service";
import { invalidProperty } from "./errors";
import { lroResourceOperations } from "./lroResources";
import { isObject, oneOf, resourceBase, workspaceRoutes, type AzureMlContext, type MlOperation } from "./routes";
import type { ScheduleRunner } from "./scheduling/scheduleRunner";
import { readTrigger } from "./scheduling/trigger";
import type { JsonObject } from "./state";

const ACTION_TYPES = ["CreateJob", "InvokeBatchEndpoint", "CreateMonitor"] as const;

/** Checks an action (`properties.action`). */
function checkAction(action: unknown): void {
  if (!isObject(action)) throw invalidProperty("properties.action", "is required and must be an object");
  const type = oneOf(action.actionType, ACTION_TYPES, "properties.action.actionType");
  if (type === "CreateJob" && !(isObject(action.jobDefinition) && typeof action.jobDefinition.jobType === "string")) {
    throw invalidProperty("properties.action.jobDefinition", "is required and must be a job's properties with its jobType");
  }
  if (type === "InvokeBatchEndpoint" && !isObject(action.endpointInvocationDefinition)) throw invalidProperty("properties.action.endpointInvocationDefinition", "is required and must be an object");
}

/** The schedule routes; each PUT and DELETE has `runner` plan again. */
export function scheduleRoutes(ctx: AzureMlContext, runner: ScheduleRunner): Route[] {
  const operations = lroResourceOperations(ctx, {
    collection: "schedules",
    param: "name",
    what: "schedule",
    tracked: false,
    shape(_req, properties): JsonObject {
      readTrigger(properties.trigger);
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
  });
  const replanning = operations.map(([method, path, name, handle]): MlOperation =>
    method === "GET"
      ? [method, path, name, handle]
      : [
          method,
          path,
          name,
          async (req) => {
            const answer = await handle(req);
            runner.plan();
            return answer;
          },
        ],
  );
  return workspaceRoutes(ctx, replanning);
}
