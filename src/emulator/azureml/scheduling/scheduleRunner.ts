/**
 * Fires the workspace's schedules on the emulator's clock: one wake-up, at the earliest next
 * firing of the enabled `CreateJob` schedules, so a manual clock fires them as a test advances it
 * and the system clock as time passes. The next firings live in memory: a new schedule, or one
 * whose trigger changed or that was enabled again, counts from that change; a disabled,
 * deleted or deleting one is dropped. Missed firings are never replayed: after a restart a schedule
 * counts from the restart, and a wake-up that comes late (the machine slept) fires each due
 * schedule once, then counts from then (the service, too, runs no backlog of missed triggers).
 */
import { keyOf } from "../resources";
import type { AzureMlContext } from "../routes";
import { isObject } from "../routes";
import type { JsonObject, StoredResource } from "../state";
import { nextFiring } from "./nextFiring";
import { readTrigger } from "./trigger";

/** Submits the job of one firing of `schedule` (due at `at`). */
export type FireSchedule = (schedule: StoredResource, at: number) => void;

interface Planned {
  /** The trigger it was planned from (a changed trigger plans anew). */
  readonly signature: string;
  /** The next firing; `Infinity` once it has none (past its end), until its trigger changes. */
  at: number;
}

/** True for a schedule that fires: enabled, not being deleted, and creating jobs. */
function fires(properties: JsonObject): boolean {
  return properties.isEnabled === true && properties.provisioningState !== "Deleting" && isObject(properties.action) && properties.action.actionType === "CreateJob";
}

/**
 * The next firing of `schedule` at or after `from`; `undefined` when there is none, or when its
 * stored trigger is one this emulator no longer takes (state of an older version): it never fires
 * rather than failing every request that plans.
 */
function firingOf(schedule: StoredResource, from: number): number | undefined {
  let trigger;
  try {
    trigger = readTrigger((schedule.body.properties as JsonObject).trigger);
  } catch {
    return undefined;
  }
  return nextFiring(trigger, from, schedule.createdAt);
}

/** Fires schedules; {@link plan} after every change of a schedule. */
export class ScheduleRunner {
  private readonly planned = new Map<string, Planned>();
  private cancelWakeUp?: () => void;
  /** When this runner started: a schedule last changed before then counts from now (no replay). */
  private readonly since: number;

  constructor(
    private readonly ctx: AzureMlContext,
    private readonly fire: FireSchedule,
  ) {
    this.since = ctx.resources.clock.now();
  }

  /** Reads the schedules again and sets the wake-up. */
  plan(): void {
    this.refresh();
    this.arm();
  }

  /** Forgets every planned firing and the wake-up. */
  stop(): void {
    this.cancelWakeUp?.();
    this.cancelWakeUp = undefined;
    this.planned.clear();
  }

  private refresh(): void {
    const now = this.ctx.resources.clock.now();
    const seen = new Set<string>();
    for (const schedule of this.ctx.resources.list("schedules")) {
      const properties = schedule.body.properties as JsonObject;
      if (!fires(properties)) continue;
      const key = keyOf(schedule.path);
      const signature = JSON.stringify(properties.trigger);
      if (this.planned.get(key)?.signature !== signature) {
        // Counted from its change (a recurrence's first firing at its creation is not lost to the
        // moments the request took), unless it changed before this runner started.
        const at = firingOf(schedule, schedule.modifiedAt >= this.since ? Math.min(schedule.modifiedAt, now) : now);
        this.planned.set(key, { signature, at: at ?? Infinity });
      }
      seen.add(key);
    }
    for (const key of this.planned.keys()) if (!seen.has(key)) this.planned.delete(key);
  }

  private arm(): void {
    this.cancelWakeUp?.();
    this.cancelWakeUp = undefined;
    const earliest = Math.min(...[...this.planned.values()].map((p) => p.at));
    if (!Number.isFinite(earliest)) return;
    this.cancelWakeUp = this.ctx.resources.clock.schedule(earliest - this.ctx.resources.clock.now(), () => this.wake());
  }

  private wake(): void {
    this.cancelWakeUp = undefined;
    this.ctx.operations.settle();
    this.refresh();
    const now = this.ctx.resources.clock.now();
    for (const [key, planned] of this.planned) {
      if (planned.at > now) continue;
      const schedule = this.ctx.resources.find(key);
      if (!schedule) continue;
      this.fire(schedule, planned.at);
      planned.at = firingOf(schedule, Math.max(planned.at, now) + 1) ?? Infinity;
    }
    this.arm();
  }
}
