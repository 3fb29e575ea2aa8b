/**
 * What the executor writes on jobs: status changes with their start and end times, the error of a
 * failed job, and the child job of each pipeline step. Times and the error are kept in the job's
 * `properties` map (`StartTimeUtc`, `EndTimeUtc`, `azureml.error`), string values as the service's:
 * the REST model of a job (`JobBase`) has no time fields, and `az ml job show` shows this map.
 * Each status change is also kept in the job's status history (`../jobHistory`).
 */
import { keyOf, type Resources } from "../resources";
import type { JsonObject } from "../state";
import { recordStatus } from "../jobHistory";
import type { JobStatus } from "../jobs";
import { TERMINAL_JOB_STATUSES } from "../operations";

/** The `properties` map key of the time a job started running. */
export const START_TIME = "StartTimeUtc";
/** The `properties` map key of the time a job ended. */
export const END_TIME = "EndTimeUtc";
/** The `properties` map key of a failed job's error. */
export const ERROR = "azureml.error";
/** The `properties` map key naming a child job's pipeline job. */
export const PARENT_RUN_ID = "azureml.parentrunid";
/** The `properties` map key naming a child job's step. */
export const NODE_ID = "azureml.nodeid";

/** The job's stored properties, or undefined when it is gone. */
export function jobProperties(resources: Resources, name: string): JsonObject | undefined {
  return resources.find(`jobs/${name}`)?.body.properties as JsonObject | undefined;
}

/**
 * Moves a job to `status` (recording the start on `Running`, the end on a terminal status, and
 * `error` if given); false when the job is gone or already ended (a cancelled job stays Canceled).
 */
export function moveJob(resources: Resources, name: string, status: JobStatus, error?: string): boolean {
  const now = new Date(resources.clock.now()).toISOString();
  return resources.store.update((s) => {
    const job = s.resources[keyOf(`jobs/${name}`)];
    if (!job) return false;
    const p = job.body.properties as JsonObject;
    if (TERMINAL_JOB_STATUSES.includes(String(p.status))) return false;
    const map = { ...((p.properties ?? {}) as Record<string, string>) };
    if (status === "Running" && !map[START_TIME]) map[START_TIME] = now;
    if (TERMINAL_JOB_STATUSES.includes(status)) map[END_TIME] = now;
    if (error !== undefined) map[ERROR] = error;
    p.status = status;
    p.properties = map;
    job.modifiedAt = resources.clock.now();
    recordStatus(s, name, status, job.modifiedAt);
    return true;
  });
}

/** Writes the child job of a step (status `NotStarted`). */
export function createChildJob(resources: Resources, child: string, parent: string, step: string, properties: JsonObject): void {
  const parentProps = jobProperties(resources, parent) ?? {};
  resources.put(`jobs/${child}`, {
    properties: {
      jobType: "Command",
      displayName: step,
      experimentName: parentProps.experimentName ?? "Default",
      isArchived: false,
      tags: {},
      ...properties,
      properties: { [PARENT_RUN_ID]: parent, [NODE_ID]: step },
      status: "NotStarted",
    },
  });
}

/** A job's outputs as its record shows them (`{jobOutputType, uri, mode}`), once the executor knows where they go. */
export function setJobOutputs(resources: Resources, name: string, outputs: JsonObject): void {
  resources.store.update((s) => {
    const job = s.resources[keyOf(`jobs/${name}`)];
    if (job) (job.body.properties as JsonObject).outputs = outputs;
  });
}

/**
 * The child jobs of pipeline `parent` for `step` in the order they were made (a step run again
 * after the emulator stopped has several); not by creation time, which another clock may have set.
 */
export function childJobsOf(resources: Resources, parent: string, step: string): { name: string; properties: JsonObject }[] {
  return resources
    .all(/^jobs\/[^/]+$/)
    .map((j) => ({ name: j.path.slice("jobs/".length), properties: j.body.properties as JsonObject }))
    .filter((j) => {
      const map = (j.properties.properties ?? {}) as JsonObject;
      return map[PARENT_RUN_ID] === parent && map[NODE_ID] === step;
    });
}
