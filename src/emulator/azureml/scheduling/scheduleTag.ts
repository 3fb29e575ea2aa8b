/**
 * How a job tells which schedule triggered it: the tag `azureml.scheduleTrigger.scheduleName`
 * the service sets on the jobs a schedule triggers (the tag users filter `az ml job list` on).
 */
import { isObject } from "../routes";
import type { JsonObject } from "../state";

/** The tag naming the schedule that triggered a job. */
export const SCHEDULE_NAME_TAG = "azureml.scheduleTrigger.scheduleName";

/** The name of the schedule that triggered the job of `properties`; `undefined` for a job submitted otherwise. */
export function triggeringSchedule(properties: JsonObject): string | undefined {
  const name = isObject(properties.tags) ? properties.tags[SCHEDULE_NAME_TAG] : undefined;
  return typeof name === "string" ? name : undefined;
}
