/**
 * When a trigger fires next. Cron expressions are NCronTab's five fields, evaluated by
 * `cron-parser` in the trigger's zone. A recurrence fires every `interval` minutes or hours from
 * its start, or, with a pattern (or at day, week or month frequency), at the pattern's times in the
 * periods (hours, days, weeks from Monday, months) that are a multiple of `interval` periods after
 * the start's; a missing part of the pattern is taken from the start (Azure's rule: a daily
 * recurrence without hours fires at the start's time of day).
 */
import { CronExpressionParser } from "cron-parser";
import { DateTime } from "luxon";
import type { Trigger } from "./trigger";

/** Most candidate times looked at for one firing (a pattern no period of the interval can meet). */
const MAX_CANDIDATES = 100_000;
const MINUTE_MS = 60_000;

type Recurrence = Extract<Trigger, { type: "Recurrence" }>;

/**
 * The first firing of `trigger` at or after `from` (ms since the epoch), not before its start nor
 * after its end; `undefined` when there is none. `createdAt` is the start of a trigger without
 * `startTime`.
 */
export function nextFiring(trigger: Trigger, from: number, createdAt: number): number | undefined {
  if (trigger.type === "Cron") {
    // A cron time that matches the creation's very instant has passed already.
    return withinEnd(trigger, cronFiring(trigger.expression, trigger.zone, Math.max(from, trigger.startTime ?? createdAt + 1), () => true));
  }
  // A recurrence without startTime starts at its creation: "the first job will run instantly".
  const start = trigger.startTime ?? createdAt;
  return withinEnd(trigger, recurrenceFiring(trigger, start, Math.max(from, start)));
}

function withinEnd(trigger: Trigger, at: number | undefined): number | undefined {
  return at !== undefined && (trigger.endTime === undefined || at <= trigger.endTime) ? at : undefined;
}

/** The first time of `expression` at or after `lower` that `accept`s. */
function cronFiring(expression: string, zone: string, lower: number, accept: (at: number) => boolean): number | undefined {
  const times = CronExpressionParser.parse(expression, { tz: zone, currentDate: new Date(lower - 1) });
  for (let i = 0; i < MAX_CANDIDATES && times.hasNext(); i++) {
    const at = times.next().getTime();
    if (accept(at)) return at;
  }
  return undefined;
}

function recurrenceFiring(trigger: Recurrence, start: number, lower: number): number | undefined {
  const { frequency, interval, pattern, zone } = trigger;
  const plain = frequency === "Minute" || (frequency === "Hour" && !pattern.minutes);
  if (plain) {
    const step = interval * (frequency === "Minute" ? 1 : 60) * MINUTE_MS;
    return start + Math.max(0, Math.ceil((lower - start) / step)) * step;
  }
  const first = DateTime.fromMillis(start, { zone });
  const list = (values: readonly number[] | undefined, fallback: number): string => (values ?? [fallback]).join(",");
  const fields = [
    list(pattern.minutes, first.minute),
    frequency === "Hour" ? "*" : list(pattern.hours, first.hour),
    frequency === "Month" ? list(pattern.monthDays, first.day) : "*",
    "*",
    frequency === "Week" ? list(pattern.weekDays, first.weekday % 7) : "*",
  ];
  const unit = ({ Hour: "hour", Day: "day", Week: "week", Month: "month" } as const)[frequency];
  const origin = first.startOf(unit);
  const inStep = (at: number): boolean => Math.round(DateTime.fromMillis(at, { zone }).startOf(unit).diff(origin, unit).as(unit)) % interval === 0;
  return cronFiring(fields.join(" "), zone, lower, inStep);
}
