/**
 * What the index page lists, read from the emulator's state only (the Databricks workspace's
 * records, its mount table, the Azure ML workspace's resources and the names of the Key Vault's
 * secrets): workspace notebooks and files, secret scopes with their key names (never a value),
 * DBFS mounts, Databricks jobs, and the Azure ML workspace's datastores, computes, components,
 * environments, schedules (with their next firing) and jobs. Nothing is read from folders on disk
 * but the mount table, so a file put beside the state is never listed.
 */
import { readTrigger, WEEK_DAYS, type Trigger } from "../azureml/scheduling/trigger";
import { nextFiring } from "../azureml/scheduling/nextFiring";
import { PARENT_RUN_ID } from "../azureml/execution/jobRecords";
import type { Resources } from "../azureml/resources";
import type { JsonObject, StoredResource } from "../azureml/state";
import type { ScopeVault } from "../databricks/secrets/vault";
import type { DatabricksStore } from "../databricks/store";
import { amlJobPath, dataPath, jobPath, notebookPath } from "./links";

/** Where the index reads. */
export interface IndexSources {
  readonly store: DatabricksStore;
  /** The vault behind Key Vault-backed scopes: the names of its secrets are their keys. */
  readonly vault?: ScopeVault;
  /** The DBFS mount table: mount point to source. Default: no mounts. */
  readonly mounts?: () => Record<string, string>;
  /** The Azure ML workspace's resources (its clock gives the schedules' next firing). */
  readonly resources?: Resources;
}

/** A notebook or file of the workspace. */
export interface WorkspaceItem {
  readonly path: string;
  readonly type: "NOTEBOOK" | "FILE";
  readonly language?: string;
  /** Its page (notebooks). */
  readonly href?: string;
}

/** A secret scope: its keys' names, never their values. */
export interface ScopeItem {
  readonly name: string;
  readonly backend: string;
  /** The vault a Key Vault-backed scope reads. */
  readonly vault?: string;
  readonly keys: readonly string[];
}

/** A versioned asset (component, environment) and its versions. */
export interface AssetItem {
  readonly name: string;
  readonly versions: readonly string[];
  readonly latest?: string;
  readonly description?: string;
}

/** A schedule and when it fires next. */
export interface ScheduleItem {
  readonly name: string;
  readonly enabled: boolean;
  readonly trigger: string;
  /** What it does: the job type it submits or the endpoint invocation. */
  readonly action: string;
  /** ISO time of its next firing; `undefined` when it is disabled or fires no more. */
  readonly next?: string;
}

/** Everything the index lists. */
export interface IndexView {
  readonly workspace: readonly WorkspaceItem[];
  readonly scopes: readonly ScopeItem[];
  readonly mounts: readonly { readonly point: string; readonly source: string }[];
  readonly databricksJobs: readonly { readonly jobId: number; readonly name?: string; readonly href: string }[];
  /** `undefined` when the emulator serves no Azure ML workspace. */
  readonly azureml?: {
    readonly datastores: readonly { readonly name: string; readonly container: string; readonly href: string }[];
    readonly computes: readonly { readonly name: string; readonly type: string; readonly state: string; readonly description?: string }[];
    readonly components: readonly AssetItem[];
    readonly environments: readonly AssetItem[];
    readonly schedules: readonly ScheduleItem[];
    /** Top-level jobs (not a pipeline's steps), most recent first. */
    readonly jobs: readonly { readonly name: string; readonly displayName: string; readonly type: string; readonly status: string; readonly href: string }[];
  };
}

const byText = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
const text = (value: unknown): string | undefined => (typeof value === "string" && value !== "" ? value : undefined);

/** The index's content. */
export function indexView(sources: IndexSources): IndexView {
  const { store, vault, resources } = sources;
  const { objects, scopes, jobs } = store.read((s) => ({
    objects: Object.values(s.workspace).filter((o) => o.object_type !== "DIRECTORY"),
    scopes: Object.values(s.scopes).map((scope) => ({ name: scope.name, backend: scope.backend_type, vault: scope.keyvault_metadata?.dns_name, own: Object.keys(scope.secrets) })),
    jobs: Object.values(s.jobs).map((j) => ({ jobId: j.job_id, name: text(j.settings.name), href: jobPath(j.job_id) })),
  }));
  const vaultKeys = (): string[] => (vault?.secrets() ?? []).map((v) => v.name);
  return {
    workspace: objects
      .map((o): WorkspaceItem => ({ path: o.path, type: o.object_type as WorkspaceItem["type"], language: o.language, href: o.object_type === "NOTEBOOK" ? notebookPath(o.object_id) : undefined }))
      .sort((a, b) => byText(a.path, b.path)),
    scopes: scopes
      .map((s): ScopeItem => ({
        name: s.name,
        backend: s.backend,
        vault: s.vault,
        keys: (s.backend === "AZURE_KEYVAULT" ? (s.vault !== undefined && vault?.serves(s.vault) ? vaultKeys() : []) : s.own).sort(byText),
      }))
      .sort((a, b) => byText(a.name, b.name)),
    mounts: Object.entries(sources.mounts?.() ?? {})
      .map(([point, source]) => ({ point, source }))
      .sort((a, b) => byText(a.point, b.point)),
    databricksJobs: jobs.sort((a, b) => a.jobId - b.jobId),
    azureml: resources && azuremlItems(resources),
  };
}

function azuremlItems(resources: Resources): IndexView["azureml"] {
  const props = (r: StoredResource): JsonObject => (r.body.properties ?? {}) as JsonObject;
  const nameOf = (r: StoredResource): string => r.path.slice(r.path.lastIndexOf("/") + 1);
  const now = resources.clock.now();
  const assets = (collection: string): AssetItem[] =>
    resources
      .list(collection)
      .map((c) => ({
        name: nameOf(c),
        versions: resources.list(`${c.path}/versions`).map(nameOf),
        latest: text(props(c).latestVersion),
        description: text(props(c).description),
      }))
      .sort((a, b) => byText(a.name, b.name));
  return {
    datastores: resources
      .list("datastores")
      .map((d) => ({ name: nameOf(d), container: `${String(props(d).accountName)}/${String(props(d).containerName)}`, href: dataPath(`azureml://datastores/${nameOf(d)}/paths/`) }))
      .sort((a, b) => byText(a.name, b.name)),
    computes: resources
      .list("computes")
      .map((c) => ({ name: nameOf(c), type: String(props(c).computeType), state: String(props(c).provisioningState), description: text(props(c).description) }))
      .sort((a, b) => byText(a.name, b.name)),
    components: assets("components"),
    environments: assets("environments"),
    schedules: resources
      .list("schedules")
      .map((s) => scheduleItem(nameOf(s), props(s), s.createdAt, now))
      .sort((a, b) => byText(a.name, b.name)),
    jobs: resources
      .list("jobs")
      .filter((j) => ((props(j).properties ?? {}) as JsonObject)[PARENT_RUN_ID] === undefined)
      .reverse()
      .map((j) => ({ name: nameOf(j), displayName: text(props(j).displayName) ?? nameOf(j), type: String(props(j).jobType), status: String(props(j).status), href: amlJobPath(nameOf(j)) })),
  };
}

function scheduleItem(name: string, p: JsonObject, createdAt: number, now: number): ScheduleItem {
  const action = (p.action ?? {}) as JsonObject;
  const what = action.actionType === "CreateJob" ? `submits a ${String(((action.jobDefinition ?? {}) as JsonObject).jobType)} job` : `${String(action.actionType)}`;
  const enabled = p.isEnabled === true;
  let trigger: Trigger | undefined;
  try {
    trigger = readTrigger(p.trigger);
  } catch {
    trigger = undefined;
  }
  const next = enabled && trigger ? nextFiring(trigger, now, createdAt) : undefined;
  const zone = String(((p.trigger ?? {}) as JsonObject).timeZone ?? "UTC");
  return { name, enabled, trigger: trigger ? triggerText(trigger, zone) : "a trigger this emulator does not take", action: what, next: next === undefined ? undefined : new Date(next).toISOString() };
}

/** `cron 0 6 * * * (UTC)`, `every 1 Day at 06:30 (UTC)`; `zone` as the schedule names it. */
export function triggerText(trigger: Trigger, zone: string): string {
  if (trigger.type === "Cron") return `cron ${trigger.expression} (${zone})`;
  const { hours, minutes, weekDays, monthDays } = trigger.pattern;
  const two = (n: number): string => String(n).padStart(2, "0");
  const parts = [`every ${trigger.interval} ${trigger.frequency}`];
  if (weekDays) parts.push(`on ${weekDays.map((d) => WEEK_DAYS[d] ?? String(d)).join(", ")}`);
  if (monthDays) parts.push(`on day ${monthDays.join(", ")} of the month`);
  if (hours && minutes) parts.push(`at ${hours.flatMap((h) => minutes.map((m) => `${two(h)}:${two(m)}`)).join(", ")}`);
  else if (hours) parts.push(`at hours ${hours.join(", ")}`);
  else if (minutes) parts.push(`at minutes ${minutes.join(", ")}`);
  return `${parts.join(" ")} (${zone})`;
}
