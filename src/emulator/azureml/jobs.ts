/**
 * Jobs (J1 to J4): a PUT submits a job (synchronous, 201, status `NotStarted`, with the Studio
 * and Tracking services); GET and list read it; cancel is 202 + `Location` (`CancelRequested`,
 * then `Canceled`); DELETE is 202 + `Location` (a pipeline job's step jobs go with it). Running
 * jobs is not this file's: a {@link JobExecutor} given to the provider is told of every submission
 * and cancellation and moves the job on through {@link setJobStatus}; without one a job stays
 * `NotStarted`.
 */
import { isDeepStrictEqual } from "node:util";
import type { Route } from "../core/service";
import { resolveAssetReference } from "./assetReferences";
import { invalidProperty, notFound, userError } from "./errors";
import { recordStatus } from "./jobHistory";
import { TERMINAL_JOB_STATUSES } from "./operations";
import { keyOf, listBody, type Resources } from "./resources";
import { checkName, isObject, mustExist, oneOf, putAnswer, readProperties, requiredString, resourceBase, workspaceRoutes, type AzureMlContext } from "./routes";
import type { AzureMlConfig } from "./config";
import { DATA_NAME_RULE, isDataName } from "./dataNames";
import { triggeringSchedule } from "./scheduling/scheduleTag";
import { workspaceArmId } from "./scope";
import type { JsonObject, StoredResource } from "./state";

/** `jobType` values. */
export const JOB_TYPES = ["AutoML", "Command", "Sweep", "Pipeline", "Spark"] as const;
/** `status` values (the same in every api-version). */
export const JOB_STATUSES = ["NotStarted", "Starting", "Provisioning", "Preparing", "Queued", "Running", "Finalizing", "CancelRequested", "Completed", "Failed", "Canceled", "NotResponding", "Paused", "Unknown"] as const;
/** A job's status. */
export type JobStatus = (typeof JOB_STATUSES)[number];
/** Fields a PUT on an existing job may change. */
const MUTABLE = ["displayName", "description", "tags", "properties", "isArchived"];
/** Fields the service sets. */
const READ_ONLY = ["status", "services"];

/** What runs jobs (the next step of the emulator); it moves a job on with {@link setJobStatus}. */
export interface JobExecutor {
  /** A job was submitted (its status is `NotStarted`). */
  submitted(jobName: string): void;
  /** Cancellation was asked (its status is `CancelRequested`); it ends `Canceled` when the cancel operation completes. */
  cancelRequested(jobName: string): void;
}

/** The path of a job below the workspace. */
const jobPath = (name: string): string => `jobs/${name}`;

/** Sets a job's status (from its executor); false when the job is gone. */
export function setJobStatus(resources: Resources, jobName: string, status: JobStatus): boolean {
  return resources.store.update((s) => {
    const job = s.resources[keyOf(`jobs/${jobName}`)];
    if (!job) return false;
    (job.body.properties as JsonObject).status = status;
    job.modifiedAt = resources.clock.now();
    return true;
  });
}

/** A submitted job's properties with the service's defaults. */
function withDefaults(name: string, properties: JsonObject): JsonObject {
  return {
    ...properties,
    displayName: properties.displayName ?? name,
    ...resourceBase(properties),
    experimentName: properties.experimentName ?? "Default",
    isArchived: properties.isArchived ?? false,
  };
}

/** The fields of a job no PUT may change. */
function fixedPart(properties: JsonObject): JsonObject {
  return Object.fromEntries(Object.entries(properties).filter(([k, v]) => ![...MUTABLE, ...READ_ONLY].includes(k) && v !== undefined && v !== null));
}

/** The workspace's MLflow tracking URI, as the service gives it (the Tracking service of a job, `MLFLOW_TRACKING_URI` of a step). */
export function trackingUri(config: AzureMlConfig): string {
  return `azureml://${config.location}.api.azureml.ms/mlflow/v1.0${workspaceArmId(config)}?`;
}

/** The path of a job's page on the emulator (the Studio link's, with the service's `wsid`). */
export function jobPagePath(config: AzureMlConfig, name: string): string {
  const { subscriptionId, resourceGroup, workspace } = config;
  return `/runs/${encodeURIComponent(name)}?wsid=/subscriptions/${subscriptionId}/resourcegroups/${resourceGroup}/workspaces/${workspace}`;
}

/** The stored job without the output paths its executor filled in where `submitted` gives none (a re-PUT of the same job is the same job). */
function withoutFilledPaths(stored: JsonObject, submitted: JsonObject): JsonObject {
  if (!isObject(stored.outputs)) return stored;
  const given = isObject(submitted.outputs) ? submitted.outputs : {};
  const outputs = Object.fromEntries(
    Object.entries(stored.outputs).map(([name, output]) => {
      if (!isObject(output) || (isObject(given[name]) && given[name].uri !== undefined)) return [name, output];
      const { uri: _filled, ...rest } = output;
      return [name, rest];
    }),
  );
  return { ...stored, outputs };
}

/** The services a job shows: the Studio link (to the emulator at `baseUrl`, which serves the job's page) and the MLflow tracking URI. */
function jobServices(ctx: AzureMlContext, name: string, baseUrl: string): JsonObject {
  return {
    Studio: { jobServiceType: "Studio", endpoint: `${baseUrl}${jobPagePath(ctx.config, name)}`, status: null },
    Tracking: { jobServiceType: "Tracking", endpoint: trackingUri(ctx.config), status: null },
  };
}

/** The job's properties with its short asset references resolved (and every reference checked). */
function resolveReferences(ctx: AzureMlContext, properties: JsonObject): JsonObject {
  const resolved: JsonObject = { ...properties };
  for (const [field, collection] of [["componentId", "components"], ["codeId", "codes"], ["environmentId", "environments"]] as const) {
    if (properties[field] !== undefined) resolved[field] = resolveAssetReference(ctx, collection, properties[field], `properties.${field}`);
  }
  if (isObject(properties.jobs)) {
    resolved.jobs = Object.fromEntries(
      Object.entries(properties.jobs).map(([step, definition]) => {
        if (!isObject(definition)) throw invalidProperty(`properties.jobs.${step}`, "must be an object");
        mustExist(ctx, definition.compute, `properties.jobs.${step}.compute`);
        const componentId = resolveAssetReference(ctx, "components", definition.componentId, `properties.jobs.${step}.componentId`);
        return [step, definition.componentId === undefined ? definition : { ...definition, componentId }];
      }),
    );
  }
  return resolved;
}

/** Refuses input and output names that are not identifiers, in the job and in each of its steps. */
function checkDataNames(properties: JsonObject): void {
  const scopes: [string, JsonObject][] = [["properties", properties]];
  if (isObject(properties.jobs)) for (const [step, d] of Object.entries(properties.jobs)) if (isObject(d)) scopes.push([`properties.jobs.${step}`, d]);
  for (const [where, scope] of scopes) {
    for (const kind of ["inputs", "outputs"] as const) {
      const bad = Object.keys(isObject(scope[kind]) ? scope[kind] : {}).find((n) => !isDataName(n));
      if (bad !== undefined) throw invalidProperty(`${where}.${kind}`, `has the name ${JSON.stringify(bad)}: ${DATA_NAME_RULE}`);
    }
  }
}

/**
 * Submits (or updates) the job `name` with `properties`, as a PUT of a job does: checked, stored
 * `NotStarted` and handed to `executor`. Schedules and batch endpoint invocations submit through it.
 */
export function submitJob(ctx: AzureMlContext, executor: JobExecutor | undefined, name: string, properties: JsonObject): "created" | "updated" {
  const { resources } = ctx;
  checkName(name, "job");
  const jobType = oneOf(properties.jobType, JOB_TYPES, "properties.jobType");
  checkDataNames(properties);
  if (jobType === "Command") {
    requiredString(properties.command, "properties.command");
    requiredString(properties.environmentId, "properties.environmentId");
  }
  if (jobType === "Pipeline" && properties.jobs !== undefined && !isObject(properties.jobs)) throw invalidProperty("properties.jobs", "must be an object");
  mustExist(ctx, properties.computeId, "properties.computeId");
  mustExist(ctx, isObject(properties.settings) ? properties.settings.default_compute : undefined, "properties.settings.default_compute");
  const submitted = withDefaults(name, resolveReferences(ctx, properties));
  const existing = resources.find(jobPath(name));
  if (existing) {
    const before = existing.body.properties as JsonObject;
    if (!isDeepStrictEqual(fixedPart(withoutFilledPaths(before, submitted)), fixedPart(submitted))) {
      throw userError(409, `Job ${name} already exists; only its displayName, description, tags, properties and isArchived can change.`);
    }
    const changed = Object.fromEntries(MUTABLE.filter((k) => properties[k] !== undefined).map((k) => [k, properties[k]]));
    resources.put(jobPath(name), { properties: { ...before, ...changed } });
    return "updated";
  }
  // Its services (the Studio link names the emulator's address) are added when it is shown.
  const stored = { properties: { ...submitted, status: "NotStarted" } };
  resources.put(jobPath(name), stored);
  executor?.submitted(name);
  return "created";
}

/** The job routes; `executor` runs them (default: none, jobs stay `NotStarted`). */
export function jobRoutes(ctx: AzureMlContext, executor?: JobExecutor): Route[] {
  const { resources, operations } = ctx;
  const path = jobPath;
  const get = (name: string): StoredResource => {
    const found = resources.find(path(name));
    if (!found) throw notFound(`job ${name}`);
    return found;
  };
  /** A job as the service shows it, its services naming the emulator at `baseUrl`. */
  const show = (job: StoredResource, baseUrl: string): JsonObject => {
    const view = resources.view(job);
    const name = job.path.slice(job.path.lastIndexOf("/") + 1);
    return { ...view, properties: { ...(view.properties as JsonObject), services: jobServices(ctx, name, baseUrl) } };
  };
  return workspaceRoutes(ctx, [
    [
      "GET",
      "jobs",
      "list jobs",
      (req) => {
        const jobType = req.query.get("jobType");
        const tag = req.query.get("tag");
        // azure-ai-ml's jobs.list(schedule_defined=, scheduled_job_name=) sends scheduled and scheduleId.
        const scheduled = req.query.get("scheduled");
        const scheduleId = req.query.get("scheduleId");
        const view = req.query.get("listViewType") ?? "ActiveOnly";
        const jobs = resources.list("jobs").filter((j) => {
          const p = j.body.properties as JsonObject;
          if (jobType !== null && String(p.jobType).toLowerCase() !== jobType.toLowerCase()) return false;
          if (tag !== null && !(isObject(p.tags) && tag in p.tags)) return false;
          if (scheduled !== null && (scheduled.toLowerCase() === "true") !== (triggeringSchedule(p) !== undefined)) return false;
          if (scheduleId !== null && triggeringSchedule(p) !== scheduleId) return false;
          return view === "All" || (view === "ArchivedOnly") === (p.isArchived === true);
        });
        return { status: 200, body: listBody(jobs.map((j) => show(j, req.baseUrl))) };
      },
    ],
    ["GET", "jobs/{id}", "get job", (req) => ({ status: 200, body: show(get(req.params.id), req.baseUrl) })],
    [
      "PUT",
      "jobs/{id}",
      "create or update job",
      async (req) => {
        const name = req.params.id;
        checkName(name, "job");
        const { properties } = await readProperties(req);
        return putAnswer(submitJob(ctx, executor, name, properties), show(get(name), req.baseUrl));
      },
    ],
    [
      "POST",
      "jobs/{id}/cancel",
      "cancel job",
      (req) => {
        const name = req.params.id;
        const status = String((get(name).body.properties as JsonObject).status);
        if (TERMINAL_JOB_STATUSES.includes(status)) return { status: 200 };
        const op = resources.store.update((s) => {
          const job = s.resources[keyOf(path(name))];
          (job.body.properties as JsonObject).status = "CancelRequested";
          job.modifiedAt = resources.clock.now();
          recordStatus(s, name, "CancelRequested", job.modifiedAt);
          return operations.start(s, "mfe", { kind: "jobCanceled", path: path(name) });
        });
        executor?.cancelRequested(name);
        return { status: 202, headers: operations.headers(req, op, "location") };
      },
    ],
    [
      "DELETE",
      "jobs/{id}",
      "delete job",
      (req) => {
        const name = req.params.id;
        if (!resources.find(path(name))) return { status: 204 };
        const op = resources.store.update((s) => operations.start(s, "mfe", { kind: "removed", path: path(name) }));
        return { status: 202, headers: operations.headers(req, op, "location") };
      },
    ],
  ]);
}
