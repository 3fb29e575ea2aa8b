import * as assert from "node:assert/strict";
import * as util from "node:util";
import { createDatabricksApi, CreateDatabricksApiOptions, DatabricksApi, DatabricksApiError } from "../../../src/databricks/client";
import { RunningEmulator, systemClock } from "../../../src/emulator";
import { answered, injectFaults, setFaultPlan } from "../../support/emulatorFaults";
import { recordingSleep, rejectionOf } from "../../support/http";
import { startTestEmulator } from "../../support/emulator";

/** The Databricks client's retries and errors against the emulator's injected faults. */
describe("Databricks client against the emulator's faults", () => {
  const token = "dbx-client-token";
  let emulator: RunningEmulator;
  let waits: number[];

  const connect = (options: Partial<CreateDatabricksApiOptions> = {}): DatabricksApi => {
    const recorder = recordingSleep();
    waits = recorder.waits;
    return createDatabricksApi({ host: emulator.url, token, env: { AMLDB_TARGET: "local" }, sleep: recorder.sleep, ...options });
  };

  before(async () => {
    emulator = (await startTestEmulator({ token, clock: systemClock })).emulator;
  });
  beforeEach(() => emulator.reset());
  after(() => emulator.close());

  const failure = (promise: Promise<unknown>) => rejectionOf(promise, DatabricksApiError);

  it("retries a non-idempotent create through 503s and a 429, creating the job once", async () => {
    const api = connect();
    const create = { method: "POST", path: "/api/2.1/jobs/create" };
    await setFaultPlan(emulator, { rules: [{ kind: "unavailable", count: 2, retryAfterSeconds: 0, ...create }, { kind: "throttle", count: 1, retryAfterSeconds: 3, ...create }] });
    const { job_id } = await api.jobs.jobsCreate({ name: "nightly" });
    assert.deepEqual(waits, [0, 0, 3000]);
    // The jobs of the name are listed first, to tell after a lost answer whether the create applied.
    assert.deepEqual(answered(emulator), ["GET /api/2.1/jobs/list 200", "POST /api/2.1/jobs/create 503", "POST /api/2.1/jobs/create 503", "POST /api/2.1/jobs/create 429", "POST /api/2.1/jobs/create 200"]);
    const { jobs } = await api.jobs.jobsList();
    assert.deepEqual(
      jobs?.map((j) => [j.job_id, j.settings?.name]),
      [[job_id, "nightly"]],
    );
  });

  it("gives up after its retries with the emulator's REQUEST_LIMIT_EXCEEDED and Retry-After", async () => {
    await injectFaults(emulator, [{ status: 429, count: 2, retryAfterSeconds: 5 }]);
    const err = await failure(connect({ retry: { maxRetries: 1 } }).clusters.list());
    assert.equal(err.message, "list clusters failed: 429 REQUEST_LIMIT_EXCEEDED: Too many requests. Please wait a moment and try again. (Injected by the emulator.)");
    assert.deepEqual([err.retryAfter, waits], ["5", [5000]]);
  });

  it("fails on a wrong token with the emulator's 403 and no token anywhere", async () => {
    const wrong = "dapi-not-the-emulator-token";
    const err = await failure(connect({ token: wrong }).secrets.listScopes());
    assert.equal(err.message, "list secret scopes failed: 403 PERMISSION_DENIED: Invalid access token.");
    for (const text of [err.message, JSON.stringify(err), util.inspect(err, { depth: 20, showHidden: true })]) {
      assert.equal(text.includes(wrong), false, text);
    }
    assert.deepEqual(waits, []);
  });
});
