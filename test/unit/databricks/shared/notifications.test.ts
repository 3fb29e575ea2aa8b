import * as assert from "node:assert/strict";
import { failureList } from "../../../../src/core/check";
import {
  checkEmailNotifications,
  checkWebhookNotifications,
  fromWireEmailNotifications,
  fromWireWebhookNotifications,
  toWireEmailNotifications,
  toWireWebhookNotifications,
} from "../../../../src/databricks/shared/notifications";

describe("Databricks notifications model", () => {
  it("converts email and webhook notifications to the API and back", () => {
    const email = { onStart: ["a@x"], onFailure: ["b@x"], noAlertForSkippedRuns: true };
    assert.deepEqual(toWireEmailNotifications(email), { on_start: ["a@x"], on_failure: ["b@x"], no_alert_for_skipped_runs: true });
    assert.deepEqual(fromWireEmailNotifications(toWireEmailNotifications(email)), email);
    const hooks = { onSuccess: [{ id: "d1" }] };
    assert.deepEqual(toWireWebhookNotifications(hooks), { on_success: [{ id: "d1" }] });
    assert.deepEqual(fromWireWebhookNotifications(toWireWebhookNotifications(hooks)), hooks);
  });

  it("names each malformed event list and the limit of three destinations", () => {
    const { failures, fail } = failureList();
    checkEmailNotifications({ onStart: "a@x", noAlertForSkippedRuns: 1 }, "emailNotifications", fail);
    checkWebhookNotifications({ onFailure: [{ id: "1" }, { id: "2" }, { id: "3" }, { id: "4" }], onStart: ["x"] }, "webhookNotifications", fail);
    assert.deepEqual(failures, [
      { property: "emailNotifications.onStart", reason: "emailNotifications.onStart must be a list of strings." },
      { property: "emailNotifications.noAlertForSkippedRuns", reason: "emailNotifications.noAlertForSkippedRuns must be true or false, not 1." },
      { property: "webhookNotifications.onStart", reason: 'webhookNotifications.onStart must be a list of { id: "<notification destination id>" }.' },
      { property: "webhookNotifications.onFailure", reason: "webhookNotifications.onFailure has 4 destinations; at most 3 are allowed." },
    ]);
  });
});
