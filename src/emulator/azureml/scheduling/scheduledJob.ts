/**
 * The job a schedule's firing submits: its `jobDefinition`, tagged with the schedule's name the
 * way the service tags the jobs a schedule triggers (`scheduleTag.ts`), in the schedule's name as
 * experiment unless the definition names one (the CLI's schedule YAML reference: "If omitted,
 * we'll take schedule name as default value").
 */
import { submitJob, type JobExecutor } from "../jobs";
import { isObject, type AzureMlContext } from "../routes";
import type { JsonObject, StoredResource } from "../state";
import { SCHEDULE_NAME_TAG } from "./scheduleTag";

/** The properties of the job `schedule` submits from its `jobDefinition`. */
export function scheduledJobProperties(schedule: string, jobDefinition: JsonObject): JsonObject {
  return {
    ...jobDefinition,
    experimentName: jobDefinition.experimentName ?? schedule,
    tags: { ...(isObject(jobDefinition.tags) ? jobDefinition.tags : {}), [SCHEDULE_NAME_TAG]: schedule },
  };
}

/**
 * A job name for the firing of `schedule` at `at`: `<schedule>-<yyyyMMddTHHmmssZ>`, with a
 * counter when `taken` (a schedule deleted and made again within the same second).
 */
export function scheduledJobName(schedule: string, at: number, taken: (name: string) => boolean): string {
  const stamp = new Date(at).toISOString().replace(/[-:]|\.\d+/g, "");
  const base = `${schedule.slice(0, 230)}-${stamp}`;
  let name = base;
  for (let n = 2; taken(name); n++) name = `${base}-${n}`;
  return name;
}

/**
 * Submits the job of the firing of `schedule` at `at`, as a PUT of a job does. A job the service
 * refuses (its definition names a component since deleted) is told to `log`; the schedule fires
 * again next time.
 */
export function submitScheduledJob(ctx: AzureMlContext, executor: JobExecutor | undefined, schedule: StoredResource, at: number, log?: (message: string) => void): void {
  const name = schedule.path.slice(schedule.path.lastIndexOf("/") + 1);
  const action = (schedule.body.properties as JsonObject).action as JsonObject;
  const jobName = scheduledJobName(name, at, (n) => ctx.resources.find(`jobs/${n}`) !== undefined);
  try {
    submitJob(ctx, executor, jobName, scheduledJobProperties(name, action.jobDefinition as JsonObject));
  } catch (err) {
    log?.(`schedule ${name}: its job ${jobName} was refused: ${(err as Error).message}`);
  }
}
