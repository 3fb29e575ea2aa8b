/**
 * What an AmlSchedule is made of, as the provider sees it, and the rules that decide whether
 * inputs are valid and what a change does. Pure functions: no network.
 */
import { CheckFailure, checkBoolean, checkString, checkStringMap, checkWhole, failureList, Fail, isObject, known, UNKNOWN } from "../../core/check";
import { checkAdopt } from "../../core/takeover";
import { currentTarget, Target } from "../../core/target";
import type { ScheduleTrigger } from "../client";
import { amlDiff, AmlDiff, changedKeys } from "../shared/diff";
import { pipelineJobFromYaml } from "../shared/pipelineJob";
import { changedWorkspaceKeys, checkRequiredName, checkWorkspace, WorkspaceInputs } from "../shared/workspace";

/** Inputs as they reach the provider (after check: the trigger and the job in their REST form). */
export interface ScheduleInputs extends WorkspaceInputs {
  file?: string;
  name: string;
  displayName?: string;
  description?: string;
  tags?: Record<string, string>;
  enabled?: boolean;
  /** The trigger as given (arguments or YAML). */
  trigger: Record<string, unknown>;
  /** The trigger as Azure ML takes it. */
  restTrigger: ScheduleTrigger;
  /** The pipeline job as REST properties. */
  pipelineJob: Record<string, unknown>;
  /** The pipeline job YAML document, when it came from a file. */
  pipelineYaml?: Record<string, unknown>;
  adopt?: boolean;
}

/** What state holds besides the inputs. */
export interface ScheduleOutputs extends ScheduleInputs {
  scheduleId: string;
  provisioningState: string;
}

const NAME = /^[a-zA-Z0-9][a-zA-Z0-9_-]{0,254}$/;
const FREQUENCIES = ["Minute", "Hour", "Day", "Week", "Month"];
const WEEK_DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"];
const LOCAL_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?$/;

/** Validates the inputs and builds the REST trigger and pipeline job; every failure at once. */
export function checkSchedule(news: Record<string, unknown>, target: Target = currentTarget(), env: NodeJS.ProcessEnv = process.env): { inputs: Record<string, unknown>; failures: CheckFailure[] } {
  const inputs: Record<string, unknown> = { ...news };
  const { failures, fail } = failureList();
  checkWorkspace(inputs, fail, target, env);
  checkRequiredName(inputs, "name", fail, "the schedule's name (or name: in the schedule file)", NAME, "letters, digits, '_' and '-', starting with a letter or digit");
  checkString(inputs.displayName, "displayName", fail, "a string");
  checkString(inputs.description, "description", fail, "a string");
  checkStringMap(inputs.tags, "tags", fail);
  checkBoolean(inputs.enabled, "enabled", fail);
  checkAdopt(inputs, fail);
  if (inputs.trigger === undefined) fail("trigger", "trigger is required: { type: \"cron\", expression: \"0 2 * * *\" } or { type: \"recurrence\", frequency: \"day\", interval: 1 } (or trigger: in the schedule file).");
  else if (known(inputs.trigger)) {
    const trigger = restTrigger(inputs.trigger, fail);
    if (trigger) inputs.restTrigger = trigger;
  }
  checkJob(inputs, fail);
  return { inputs, failures };
}

/** The REST trigger of a trigger argument; undefined (with failures) when it is not valid. */
export function restTrigger(given: unknown, report: Fail): ScheduleTrigger | undefined {
  const { failures, fail } = failureList();
  const trigger = buildTrigger(given, fail);
  for (const f of failures) report(f.property, f.reason);
  return failures.length === 0 ? trigger : undefined;
}

function buildTrigger(given: unknown, fail: Fail): ScheduleTrigger | undefined {
  if (!isObject(given)) {
    fail("trigger", "trigger must be an object: { type, expression | frequency + interval, startTime?, endTime?, timeZone? }.");
    return undefined;
  }
  if (Object.values(given).includes(UNKNOWN)) return undefined;
  const type = typeof given.type === "string" ? given.type.toLowerCase() : undefined;
  const trigger: ScheduleTrigger = { triggerType: type === "cron" ? "Cron" : "Recurrence", timeZone: typeof given.timeZone === "string" ? given.timeZone : "UTC" };
  if (type === "cron") {
    if (typeof given.expression !== "string" || given.expression.trim().split(/\s+/).length !== 5) fail("trigger.expression", `trigger.expression must be a cron expression of five fields (minute hour day month weekday), e.g. "0 2 * * *"; got ${JSON.stringify(given.expression)}.`);
    else trigger.expression = given.expression.trim();
  } else if (type === "recurrence") {
    const frequency = typeof given.frequency === "string" ? FREQUENCIES.find((f) => f.toLowerCase() === (given.frequency as string).toLowerCase()) : undefined;
    if (!frequency) fail("trigger.frequency", `trigger.frequency must be one of ${FREQUENCIES.map((f) => f.toLowerCase()).join(", ")}; got ${JSON.stringify(given.frequency)}.`);
    else trigger.frequency = frequency as ScheduleTrigger["frequency"];
    if (given.interval === undefined) fail("trigger.interval", "trigger.interval is required for a recurrence: every how many frequency units, e.g. 1.");
    else checkWhole(given.interval, "trigger.interval", fail, 1);
    if (Number.isInteger(given.interval)) trigger.interval = given.interval as number;
    if (given.schedule !== undefined) trigger.schedule = recurrenceSchedule(given.schedule, fail);
  } else {
    fail("trigger.type", `trigger.type must be cron or recurrence; got ${JSON.stringify(given.type)}.`);
  }
  for (const key of ["startTime", "endTime"] as const) {
    const v = given[key];
    if (v === undefined) continue;
    if (typeof v !== "string" || !LOCAL_TIME.test(v)) fail(`trigger.${key}`, `trigger.${key} must be an ISO 8601 local time without offset (the time zone is timeZone), e.g. "2027-01-01T02:00:00"; got ${JSON.stringify(v)}.`);
    else trigger[key] = v;
  }
  if (given.timeZone !== undefined && (typeof given.timeZone !== "string" || given.timeZone.trim() === "")) fail("trigger.timeZone", `trigger.timeZone must be a Windows time zone name such as "UTC" or "Pacific Standard Time"; got ${JSON.stringify(given.timeZone)}.`);
  if (trigger.startTime && trigger.endTime && trigger.startTime >= trigger.endTime) fail("trigger.endTime", `trigger.endTime (${trigger.endTime}) must be later than trigger.startTime (${trigger.startTime}).`);
  return trigger;
}

function recurrenceSchedule(given: unknown, fail: Fail): NonNullable<ScheduleTrigger["schedule"]> {
  if (!isObject(given)) {
    fail("trigger.schedule", "trigger.schedule must be an object: { hours?, minutes?, weekDays?, monthDays? }.");
    return {};
  }
  const out: NonNullable<ScheduleTrigger["schedule"]> = {};
  const numbers = (key: "hours" | "minutes" | "monthDays", min: number, max: number) => {
    const v = given[key];
    if (v === undefined) return;
    if (!Array.isArray(v) || v.some((x) => !Number.isInteger(x) || x < min || x > max)) fail(`trigger.schedule.${key}`, `trigger.schedule.${key} must be a list of whole numbers from ${min} to ${max}.`);
    else out[key] = v as number[];
  };
  numbers("hours", 0, 23);
  numbers("minutes", 0, 59);
  numbers("monthDays", 1, 31);
  const days = given.weekDays;
  if (days !== undefined) {
    const mapped = Array.isArray(days) ? days.map((d) => WEEK_DAYS.find((w) => typeof d === "string" && w.toLowerCase() === d.toLowerCase())) : [undefined];
    if (mapped.includes(undefined)) fail("trigger.schedule.weekDays", `trigger.schedule.weekDays must be a list of ${WEEK_DAYS.map((d) => d.toLowerCase()).join(", ")}.`);
    else out.weekDays = mapped as string[];
  }
  return out;
}

function checkJob(inputs: Record<string, unknown>, fail: Fail): void {
  const { pipelineJob, pipelineYaml } = inputs;
  if (pipelineJob === UNKNOWN || pipelineYaml === UNKNOWN) return;
  if (pipelineJob !== undefined) {
    if (!isObject(pipelineJob) || pipelineJob.jobType !== "Pipeline" || !isObject(pipelineJob.jobs)) fail("pipelineJob", 'pipelineJob must be the REST PipelineJob properties: { jobType: "Pipeline", jobs: { ... }, settings?, inputs?, outputs? }.');
    return;
  }
  if (!isObject(pipelineYaml)) {
    fail("pipelineJob", "pipelineJob is required: the REST pipeline job each firing submits (or create_job: in the schedule file).");
    return;
  }
  if ([inputs.subscriptionId, inputs.resourceGroupName, inputs.workspaceName].some((v) => !known(v))) return;
  const { job, problems } = pipelineJobFromYaml(pipelineYaml, inputs as unknown as WorkspaceInputs);
  for (const p of problems) fail("file", `${String(inputs.file ?? "the schedule file")}: create_job: ${p.path} ${p.message}.`);
  if (problems.length === 0) inputs.pipelineJob = job;
}

/** Another workspace or name replaces the schedule; anything else (trigger, job, enabled) updates it. */
export function diffSchedule(olds: Partial<ScheduleOutputs>, news: Partial<ScheduleInputs>): AmlDiff {
  const replaces = [...changedWorkspaceKeys(olds, news), ...changedKeys(olds, news, ["name"])];
  const updates = changedKeys(olds, news, ["displayName", "description", "tags", "restTrigger", "pipelineJob", "enabled"]);
  return amlDiff(replaces, updates, false);
}
