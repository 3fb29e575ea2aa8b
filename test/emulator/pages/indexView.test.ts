import * as assert from "node:assert/strict";
import { readTrigger } from "../../../src/emulator/azureml/scheduling/trigger";
import { triggerText } from "../../../src/emulator/pages/indexView";

describe("Emulator pages: how the index words a schedule's trigger", () => {
  it("words a cron trigger and each kind of recurrence, in the zone the schedule names", () => {
    const cases: [unknown, string][] = [
      [{ triggerType: "Cron", expression: "0 2 * * *", timeZone: "UTC" }, "cron 0 2 * * * (UTC)"],
      [{ triggerType: "Recurrence", frequency: "Minute", interval: 15, timeZone: "UTC" }, "every 15 Minute (UTC)"],
      [{ triggerType: "Recurrence", frequency: "Day", interval: 1, schedule: { hours: [6, 18], minutes: [0, 30] }, timeZone: "UTC" }, "every 1 Day at 06:00, 06:30, 18:00, 18:30 (UTC)"],
      [{ triggerType: "Recurrence", frequency: "Week", interval: 2, schedule: { weekDays: ["Monday", "Friday"], hours: [7] }, timeZone: "W. Europe Standard Time" }, "every 2 Week on Monday, Friday at hours 7 (W. Europe Standard Time)"],
      [{ triggerType: "Recurrence", frequency: "Month", interval: 1, schedule: { monthDays: [1, 15], minutes: [5] }, timeZone: "UTC" }, "every 1 Month on day 1, 15 of the month at minutes 5 (UTC)"],
    ];
    for (const [trigger, text] of cases) assert.equal(triggerText(readTrigger(trigger), (trigger as { timeZone: string }).timeZone), text);
  });
});
