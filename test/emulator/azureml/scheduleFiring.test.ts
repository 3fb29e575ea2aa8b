import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { ManualClock, systemClock } from "../../../src/emulator";
import { TEST_CLOCK_START, until, withEmulator, type TestEmulator } from "../../support/emulator";
import { V, WS } from "./fixture";

const TAG = "azureml.scheduleTrigger.scheduleName";
const JOB = { jobType: "Pipeline", description: "the scheduled pipeline", jobs: {}, tags: { team: "data" }, settings: { default_compute: `${WS}/computes/cpu-cluster` } };
const MINUTE = 60_000;

/** A schedule's properties: `trigger` creating {@link JOB}. */
function scheduleOf(trigger: Record<string, unknown>, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { trigger, action: { actionType: "CreateJob", jobDefinition: JOB }, ...extra };
}

async function putSchedule(t: TestEmulator, name: string, properties: Record<string, unknown>): Promise<void> {
  const put = await t.call("PUT", `${WS}/schedules/${name}?${V}`, { properties });
  assert.ok([200, 201].includes(put.status), put.text);
}

/** The jobs `schedule` triggered (as azure-ai-ml's `jobs.list(schedule_defined=True, scheduled_job_name=...)` asks), by name, oldest first, each checked to be exactly its job definition with the tag. */
async function jobsOf(t: TestEmulator, schedule: string): Promise<string[]> {
  const list = await t.call("GET", `${WS}/jobs?${V}&scheduled=true&scheduleId=${schedule}`);
  assert.equal(list.status, 200, list.text);
  const jobs = list.body.value as { name: string; properties: Record<string, unknown> }[];
  for (const job of jobs) {
    const { services, status, ...properties } = job.properties;
    assert.deepEqual(
      properties,
      { ...JOB, displayName: job.name, experimentName: schedule, isArchived: false, properties: {}, tags: { team: "data", [TAG]: schedule } },
      "the job is the schedule's job definition, tagged",
    );
    assert.deepEqual([status, typeof services], ["NotStarted", "object"]);
  }
  return jobs.map((j) => j.name);
}

/** Advances the clock to `iso`. */
async function advanceTo(t: TestEmulator, iso: string): Promise<void> {
  await t.clock.advance(Date.parse(iso) - t.clock.now());
}

/** Runs `test` with an emulator of its own whose manual clock starts at {@link TEST_CLOCK_START} (2026-01-15T12:00Z); jobs do not run. */
function firing(test: (t: TestEmulator) => Promise<void>): () => Promise<void> {
  return () => withEmulator({ azureml: { runJobs: false } }, test);
}

describe("Azure ML emulator: schedules fire on the emulator's clock", function () {
  this.timeout(60_000);

  it("fires a cron schedule every 5 minutes in Pacific Standard Time across the switch to daylight time, from its startTime up to its endTime (wall times of the zone)", firing(async (t) => {
    // 2026-03-08 02:00 PST becomes 03:00 PDT (10:00Z): 01:50 and 01:55 PST, then 03:00 and 03:05 PDT.
    await putSchedule(t, "every5", scheduleOf({ triggerType: "Cron", expression: "*/5 * * * *", timeZone: "Pacific Standard Time", startTime: "2026-03-08T01:50:00", endTime: "2026-03-08T03:05:00" }));
    await putSchedule(t, "daily0130", scheduleOf({ triggerType: "Cron", expression: "30 1 * * *", timeZone: "Pacific Standard Time", startTime: "2026-03-07T00:00:00", endTime: "2026-03-09T12:00:00" }));
    await advanceTo(t, "2026-03-08T09:49:00Z");
    assert.deepEqual(await jobsOf(t, "every5"), [], "nothing before the startTime");
    await advanceTo(t, "2026-03-10T00:00:00Z");
    assert.deepEqual(await jobsOf(t, "every5"), ["every5-20260308T095000Z", "every5-20260308T095500Z", "every5-20260308T100000Z", "every5-20260308T100500Z"]);
    assert.deepEqual(await jobsOf(t, "daily0130"), ["daily0130-20260307T093000Z", "daily0130-20260308T093000Z", "daily0130-20260309T083000Z"], "01:30 PST, PST, then PDT");
    assert.equal(t.clock.pending, 0, "both schedules ended: nothing waits on the clock");
  }));

  it("fires a recurrence every second week on Monday and Thursday at 09:00 and 09:30 in W. Europe Standard Time", firing(async (t) => {
    const trigger = { triggerType: "Recurrence", frequency: "Week", interval: 2, schedule: { weekDays: ["Monday", "Thursday"], hours: [9], minutes: [0, 30] }, timeZone: "W. Europe Standard Time", startTime: "2026-01-19T00:00:00" };
    await putSchedule(t, "fortnightly", scheduleOf(trigger));
    await advanceTo(t, "2026-02-03T00:00:00Z");
    assert.deepEqual(await jobsOf(t, "fortnightly"), [
      "fortnightly-20260119T080000Z",
      "fortnightly-20260119T083000Z",
      "fortnightly-20260122T080000Z",
      "fortnightly-20260122T083000Z",
      "fortnightly-20260202T080000Z",
      "fortnightly-20260202T083000Z",
    ]);
  }));

  it("fires monthly on day 31 only in months that have one, daily at the startTime's time of day every 3 days, and every second hour at given minutes", firing(async (t) => {
    await putSchedule(t, "monthly", scheduleOf({ triggerType: "Recurrence", frequency: "Month", interval: 1, schedule: { monthDays: [31], hours: [6], minutes: [0] }, startTime: "2026-01-15T00:00:00" }));
    await putSchedule(t, "daily", scheduleOf({ triggerType: "Recurrence", frequency: "Day", interval: 3, startTime: "2026-01-16T07:45:00", endTime: "2026-01-23T00:00:00" }));
    await putSchedule(t, "hourly", scheduleOf({ triggerType: "Recurrence", frequency: "Hour", interval: 2, schedule: { minutes: [10, 40] }, startTime: "2026-01-15T13:00:00", endTime: "2026-01-15T18:00:00" }));
    await advanceTo(t, "2026-04-01T00:00:00Z");
    assert.deepEqual(await jobsOf(t, "monthly"), ["monthly-20260131T060000Z", "monthly-20260331T060000Z"]);
    assert.deepEqual(await jobsOf(t, "daily"), ["daily-20260116T074500Z", "daily-20260119T074500Z", "daily-20260122T074500Z"]);
    assert.deepEqual(await jobsOf(t, "hourly"), ["hourly-20260115T131000Z", "hourly-20260115T134000Z", "hourly-20260115T151000Z", "hourly-20260115T154000Z", "hourly-20260115T171000Z", "hourly-20260115T174000Z"]);
  }));

  it("fires a recurrence without startTime at once and then every interval; one with a future startTime from then", firing(async (t) => {
    await putSchedule(t, "now", scheduleOf({ triggerType: "Recurrence", frequency: "Minute", interval: 15 }));
    await putSchedule(t, "later", scheduleOf({ triggerType: "Recurrence", frequency: "Hour", interval: 1, startTime: "2026-01-15T13:00:00Z" }));
    await t.clock.advance(0);
    assert.deepEqual(await jobsOf(t, "now"), ["now-20260115T120000Z"]);
    await t.clock.advance(59 * MINUTE);
    assert.deepEqual(await jobsOf(t, "later"), []);
    await t.clock.advance(MINUTE);
    assert.deepEqual(await jobsOf(t, "later"), ["later-20260115T130000Z"]);
    assert.deepEqual(await jobsOf(t, "now"), ["now-20260115T120000Z", "now-20260115T121500Z", "now-20260115T123000Z", "now-20260115T124500Z", "now-20260115T130000Z"]);
  }));

  it("on real time too: a recurrence without startTime fires at its creation, however long the request took", async () => {
    await withEmulator({ azureml: { runJobs: false }, clock: systemClock }, async (t) => {
      const created = Date.now();
      await putSchedule(t, "now", scheduleOf({ triggerType: "Recurrence", frequency: "Hour", interval: 1 }));
      const [name] = await until("the creation's firing made its job", async () => {
        const jobs = await jobsOf(t, "now");
        return jobs.length > 0 && jobs;
      });
      const stamp = /^now-(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(name);
      assert.ok(stamp, name);
      const firedAt = Date.UTC(+stamp[1], +stamp[2] - 1, +stamp[3], +stamp[4], +stamp[5], +stamp[6]);
      assert.ok(firedAt >= Math.floor(created / 1000) * 1000 && firedAt <= Date.now(), `${name} is the creation's time`);
    });
  });

  it("never fires a schedule whose endTime is past, nor waits on the clock for it", firing(async (t) => {
    await putSchedule(t, "over", scheduleOf({ triggerType: "Cron", expression: "* * * * *", endTime: "2026-01-15T11:00:00" }));
    assert.equal(t.clock.pending, 0);
    await t.clock.advance(24 * 60 * MINUTE);
    assert.deepEqual(await jobsOf(t, "over"), []);
  }));

  it("stops firing a disabled schedule and fires it again once enabled (from then on, without the missed firings)", firing(async (t) => {
    const properties = scheduleOf({ triggerType: "Cron", expression: "*/10 * * * *" });
    await putSchedule(t, "toggled", properties);
    await t.clock.advance(10 * MINUTE);
    await putSchedule(t, "toggled", { ...properties, isEnabled: false });
    await t.clock.advance(30 * MINUTE);
    assert.deepEqual(await jobsOf(t, "toggled"), ["toggled-20260115T121000Z"]);
    await putSchedule(t, "toggled", { ...properties, isEnabled: true });
    await t.clock.advance(10 * MINUTE);
    // Enabled at 12:40, a time the expression matches: that firing is due at once; 12:20 and 12:30 are never fired.
    assert.deepEqual(await jobsOf(t, "toggled"), ["toggled-20260115T121000Z", "toggled-20260115T124000Z", "toggled-20260115T125000Z"]);
  }));

  it("never fires a deleted schedule; an updated one fires on its new trigger", firing(async (t) => {
    await putSchedule(t, "gone", scheduleOf({ triggerType: "Cron", expression: "*/10 * * * *" }));
    await putSchedule(t, "changed", scheduleOf({ triggerType: "Cron", expression: "0 * * * *" }));
    await t.clock.advance(10 * MINUTE);
    assert.equal((await t.call("DELETE", `${WS}/schedules/gone?${V}`)).status, 202);
    await putSchedule(t, "changed", scheduleOf({ triggerType: "Cron", expression: "*/20 * * * *" }));
    await t.clock.advance(60 * MINUTE);
    assert.deepEqual(await jobsOf(t, "gone"), ["gone-20260115T121000Z"]);
    assert.equal((await t.call("PUT", `${WS}/jobs/by-hand?${V}`, { properties: JOB })).status, 201);
    const names = async (query: string): Promise<string[]> => (await t.call("GET", `${WS}/jobs?${V}&${query}`)).body.value.map((j: { name: string }) => j.name);
    assert.deepEqual(await names("scheduled=false"), ["by-hand"]);
    assert.deepEqual((await names("scheduled=true")).length, 4);
    assert.deepEqual(await names(`tag=${TAG}`), await names("scheduled=true"));
    assert.deepEqual(await jobsOf(t, "changed"), ["changed-20260115T122000Z", "changed-20260115T124000Z", "changed-20260115T130000Z"]);
  }));

  it("refuses a trigger whose time zone or cron expression the service would not take, naming the property", firing(async (t) => {
    const bad = async (trigger: Record<string, unknown>, message: string): Promise<void> => {
      const put = await t.call("PUT", `${WS}/schedules/bad?${V}`, { properties: scheduleOf(trigger) });
      assert.deepEqual([put.status, put.body], [400, { error: { code: "UserError", message } }]);
    };
    await bad({ triggerType: "Cron", expression: "* * * * *", timeZone: "Mars Standard Time" }, "Invalid request: properties.trigger.timeZone must be a Windows time zone name such as UTC or Pacific Standard Time.");
    await bad({ triggerType: "Cron", expression: "61 * * * *" }, "Invalid request: properties.trigger.expression is not a valid cron expression: Constraint error, got value 61 expected range 0-59.");
    await bad({ triggerType: "Recurrence", frequency: "Week", interval: 1, schedule: { weekDays: ["Funday"] } }, "Invalid request: properties.trigger.schedule.weekDays must be a list of Sunday, Monday, Tuesday, Wednesday, Thursday, Friday, Saturday.");
    await bad({ triggerType: "Recurrence", frequency: "Day", interval: 1, schedule: { hours: [24] } }, "Invalid request: properties.trigger.schedule.hours must be a list of integers from 0 to 23.");
  }));

  it("does not replay the firings missed while the emulator was stopped: the schedule goes on from the restart", async () => {
    const stateDir = fs.mkdtempSync(path.join(os.tmpdir(), "aml-sched-"));
    try {
      await withEmulator({ stateDir, azureml: { runJobs: false } }, async (t) => {
        await putSchedule(t, "every5", scheduleOf({ triggerType: "Cron", expression: "*/5 * * * *" }));
        await t.clock.advance(5 * MINUTE);
        assert.deepEqual(await jobsOf(t, "every5"), ["every5-20260115T120500Z"]);
      });
      const restart = new ManualClock(TEST_CLOCK_START + 60 * MINUTE + 1000);
      await withEmulator({ stateDir, azureml: { runJobs: false }, clock: restart }, async (t) => {
        await t.clock.advance(0);
        assert.deepEqual(await jobsOf(t, "every5"), ["every5-20260115T120500Z"], "an hour later, nothing missed is fired");
        await t.clock.advance(5 * MINUTE);
        assert.deepEqual(await jobsOf(t, "every5"), ["every5-20260115T120500Z", "every5-20260115T130500Z"]);
      });
    } finally {
      fs.rmSync(stateDir, { recursive: true, force: true });
    }
  });
});
