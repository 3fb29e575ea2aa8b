/**
 * A schedule's trigger (`properties.trigger`) read into absolute times: `startTime` and `endTime`
 * are wall-clock times in the trigger's `timeZone` unless they carry an offset (default zone UTC).
 */
import { CronExpressionParser } from "cron-parser";
import { DateTime } from "luxon";
import { invalidProperty } from "../errors";
import { isObject, oneOf, requiredString } from "../routes";
import { ianaZoneOf } from "./timeZones";

/** Recurrence frequencies. */
export const FREQUENCIES = ["Minute", "Hour", "Day", "Week", "Month"] as const;
/** A recurrence frequency. */
export type Frequency = (typeof FREQUENCIES)[number];
/** Week days as a recurrence names them, in cron's order (0 = Sunday). */
export const WEEK_DAYS = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"] as const;

/** The pattern of a recurrence (`trigger.schedule`); empty lists are absent. */
export interface RecurrencePattern {
  readonly hours?: readonly number[];
  readonly minutes?: readonly number[];
  /** Cron week days (0 = Sunday). */
  readonly weekDays?: readonly number[];
  readonly monthDays?: readonly number[];
}

/** A checked trigger. */
export type Trigger = {
  /** IANA zone the trigger's times are in. */
  readonly zone: string;
  /** ms since the epoch; absent: from the schedule's creation. */
  readonly startTime?: number;
  /** ms since the epoch; absent: no end. */
  readonly endTime?: number;
} & ({ readonly type: "Cron"; readonly expression: string } | { readonly type: "Recurrence"; readonly frequency: Frequency; readonly interval: number; readonly pattern: RecurrencePattern });

/** ISO 8601 date-time, seconds and fraction optional, offset optional. */
const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})?$/;

/** Reads and checks `properties.trigger`; throws naming the property. */
export function readTrigger(trigger: unknown): Trigger {
  if (!isObject(trigger)) throw invalidProperty("properties.trigger", "is required and must be an object");
  const type = oneOf(trigger.triggerType, ["Cron", "Recurrence"] as const, "properties.trigger.triggerType");
  const zoneName = trigger.timeZone ?? "UTC";
  const zone = typeof zoneName === "string" ? ianaZoneOf(zoneName) : undefined;
  if (!zone) throw invalidProperty("properties.trigger.timeZone", "must be a Windows time zone name such as UTC or Pacific Standard Time");
  const time = (field: "startTime" | "endTime"): number | undefined => {
    const value = trigger[field];
    if (value === undefined || value === null) return undefined;
    const parsed = typeof value === "string" && DATE_TIME.test(value) ? DateTime.fromISO(value, { zone }) : undefined;
    if (!parsed?.isValid) throw invalidProperty(`properties.trigger.${field}`, "must be an ISO 8601 date and time");
    return parsed.toMillis();
  };
  const times = { zone, startTime: time("startTime"), endTime: time("endTime") };
  if (type === "Cron") {
    const expression = requiredString(trigger.expression, "properties.trigger.expression").trim();
    if (expression.split(/\s+/).length !== 5) throw invalidProperty("properties.trigger.expression", "must be a cron expression of five fields (minute hour day month weekday)");
    try {
      CronExpressionParser.parse(expression, { tz: zone });
    } catch (err) {
      throw invalidProperty("properties.trigger.expression", `is not a valid cron expression: ${(err as Error).message}`);
    }
    return { ...times, type, expression };
  }
  const frequency = oneOf(trigger.frequency, FREQUENCIES, "properties.trigger.frequency");
  if (!Number.isInteger(trigger.interval) || (trigger.interval as number) < 1) throw invalidProperty("properties.trigger.interval", "must be a positive integer");
  return { ...times, type, frequency, interval: trigger.interval as number, pattern: readPattern(trigger.schedule) };
}

/** Reads `trigger.schedule`. */
function readPattern(schedule: unknown): RecurrencePattern {
  if (schedule === undefined || schedule === null) return {};
  if (!isObject(schedule)) throw invalidProperty("properties.trigger.schedule", "must be an object");
  const numbers = (field: string, min: number, max: number): number[] | undefined => {
    const value = schedule[field];
    if (value === undefined || value === null) return undefined;
    if (!Array.isArray(value) || !value.every((v) => Number.isInteger(v) && v >= min && v <= max)) throw invalidProperty(`properties.trigger.schedule.${field}`, `must be a list of integers from ${min} to ${max}`);
    return value.length > 0 ? (value as number[]) : undefined;
  };
  const days = schedule.weekDays;
  if (days !== undefined && days !== null && !(Array.isArray(days) && days.every((d) => WEEK_DAYS.includes(d as (typeof WEEK_DAYS)[number])))) {
    throw invalidProperty("properties.trigger.schedule.weekDays", `must be a list of ${WEEK_DAYS.join(", ")}`);
  }
  const weekDays = Array.isArray(days) && days.length > 0 ? days.map((d) => WEEK_DAYS.indexOf(d as (typeof WEEK_DAYS)[number])) : undefined;
  return { hours: numbers("hours", 0, 23), minutes: numbers("minutes", 0, 59), monthDays: numbers("monthDays", 1, 31), weekDays };
}
