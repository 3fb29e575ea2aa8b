import * as assert from "node:assert/strict";
import type { Route } from "../../../src/emulator";
import { clusterRoutes } from "../../../src/emulator/databricks/clusters/routes";
import { commandRoutes } from "../../../src/emulator/databricks/commands/routes";
import { dbfsRoutes } from "../../../src/emulator/databricks/dbfs/routes";
import { jobRoutes } from "../../../src/emulator/databricks/jobs/routes";
import { runRoutes } from "../../../src/emulator/databricks/runs/routes";
import { scimRoutes } from "../../../src/emulator/databricks/scim/routes";
import { secretRoutes } from "../../../src/emulator/databricks/secrets/routes";
import { workspaceRoutes } from "../../../src/emulator/databricks/workspace/routes";
import { finishedRun, seedWorkspace, submitRun } from "../../support/databricksWire";
import { expectError, useEmulator } from "../../support/emulator";

describe("Databricks emulator: what every API group shares", function () {
  this.timeout(30_000);
  const t = useEmulator();

  it("answers 401 UNAUTHENTICATED without a bearer token and 403 for another token", async () => {
    await expectError(t.call("GET", "/api/2.0/clusters/list", undefined, { token: null }), 401, {
      error_code: "UNAUTHENTICATED",
      message: "Credential was not sent or was of an unsupported type for this API.",
    });
    await expectError(t.call("GET", "/api/2.0/clusters/list", undefined, { token: "dapi-not-the-token" }), 403, {
      error_code: "PERMISSION_DENIED",
      message: "Invalid access token.",
    });
  });

  it("answers unknown API paths, and known paths with another method, with ENDPOINT_NOT_FOUND", async () => {
    await expectError(t.call("GET", "/api/2.1/jobs/runs/nope"), 404, { error_code: "ENDPOINT_NOT_FOUND", message: "No API found for 'GET /jobs/runs/nope'" });
    await expectError(t.call("GET", "/api/2.1/jobs/runs/submit"), 404, { error_code: "ENDPOINT_NOT_FOUND", message: "No API found for 'GET /jobs/runs/submit'" });
    await expectError(t.call("POST", "/api/2.1/jobs/runs/submit", "not an object"), 400, {
      error_code: "MALFORMED_REQUEST",
      message: "Invalid JSON given in the body of the request - expected a map",
    });
  });

  it("applies injected 429 faults in its own format with an integer Retry-After", async () => {
    const set = await t.control("POST", "/_emulator/faults", [{ status: 429, count: 1, retryAfterSeconds: 3 }]);
    assert.equal(set.status, 200);
    const throttled = await t.call("GET", "/api/2.0/clusters/list");
    assert.equal(throttled.status, 429);
    assert.equal(throttled.headers.get("retry-after"), "3");
    assert.deepEqual(throttled.body, { error_code: "REQUEST_LIMIT_EXCEEDED", message: "Too many requests. Please wait a moment and try again. (Injected by the emulator.)" });
    assert.equal((await t.call("GET", "/api/2.0/clusters/list")).status, 200);
  });

  it("names the current user as SCIM Me does", async () => {
    const me = await t.call("GET", "/api/2.0/preview/scim/v2/Me");
    assert.deepEqual(me.body, {
      id: "1000000000000001",
      userName: "emulator@localhost",
      displayName: "Local Emulator",
      active: true,
      emails: [{ value: "emulator@localhost", type: "work", primary: true }],
      schemas: ["urn:ietf:params:scim:schemas:core:2.0:User"],
    });
  });

  it("lists runs on the control plane and forgets every run, scope, notebook and file on reset", async () => {
    await seedWorkspace(t.call);
    const runId = await submitRun(t.call, { run_name: "listed", idempotency_token: "listed-1", tasks: [{ task_key: "main", notebook_task: { notebook_path: "/Shared/emu/ok", base_parameters: { rows: "1" } } }] });
    const run = await finishedRun(t.call, runId);
    const start = t.clock.now();
    assert.deepEqual((await t.control("GET", "/_emulator/databricks/runs")).body, {
      runs: [
        {
          run_id: runId,
          job_id: run.job_id,
          run_name: "listed",
          run_type: "SUBMIT_RUN",
          deleted: false,
          idempotency_token: "listed-1",
          state: { life_cycle_state: "TERMINATED", result_state: "SUCCESS", state_message: "", user_cancelled_or_timedout: false },
          start_time: start,
          end_time: start,
          tasks: [{ task_key: "main", run_id: run.tasks[0].run_id, attempt_number: 0, state: { life_cycle_state: "TERMINATED", result_state: "SUCCESS", state_message: "", user_cancelled_or_timedout: false } }],
        },
      ],
    });
    assert.equal((await t.call("GET", "/api/2.0/dbfs/get-status?path=/emu/out.txt")).status, 200);

    assert.equal((await t.control("POST", "/_emulator/reset")).status, 204);
    assert.deepEqual((await t.control("GET", "/_emulator/databricks/runs")).body, { runs: [] });
    assert.deepEqual((await t.call("GET", "/api/2.0/secrets/scopes/list")).body, {});
    assert.deepEqual((await t.call("GET", "/api/2.0/workspace/list?path=/")).body.objects.map((o: { path: string }) => o.path), ["/Shared", "/Users"]);
    assert.equal((await t.call("GET", "/api/2.0/dbfs/get-status?path=/emu/out.txt")).status, 404);
    assert.deepEqual((await t.call("GET", "/api/2.1/jobs/runs/list")).body, { has_more: false });
  });

  describe("route tables: each API group routes its own paths", () => {
    // Handlers are not called here: every name resolves to the same stub.
    const stub = new Proxy({}, { get: () => () => ({ status: 200 }) }) as never;
    const tables: Record<string, Route[]> = {
      jobs: jobRoutes(stub),
      runs: runRoutes(stub),
      clusters: clusterRoutes(stub),
      secrets: secretRoutes(stub),
      workspace: workspaceRoutes(stub),
      dbfs: dbfsRoutes(stub),
      commands: commandRoutes(stub),
      scim: scimRoutes(stub),
    };
    const prefixes: Record<string, RegExp> = {
      jobs: /^\/api\/2\.[012]\/jobs\/(?!runs\/)[a-z-]+$/,
      runs: /^\/api\/2\.[012]\/jobs\/runs\/[a-z-]+$/,
      clusters: /^\/api\/2\.[01]\/clusters\/[a-z-]+$/,
      secrets: /^\/api\/2\.0\/secrets\/[a-z/-]+$/,
      workspace: /^\/api\/2\.0\/workspace\/[a-z-]+$/,
      dbfs: /^\/api\/2\.0\/dbfs\/[a-z-]+$/,
      commands: /^\/api\/1\.2\/(contexts|commands)\/[a-z]+$/,
      scim: /^\/api\/2\.0\/preview\/scim\/v2\/Me$/,
    };

    it("keeps every path under its group's prefix, runs/submit among the runs", () => {
      for (const [group, routes] of Object.entries(tables)) {
        assert.ok(routes.length > 0, `${group} has routes`);
        assert.deepEqual(routes.filter((r) => !prefixes[group].test(r.path)).map((r) => r.path), [], `${group} routes outside its prefix`);
      }
      assert.ok(tables.runs.some((r) => r.method === "POST" && r.path === "/api/2.1/jobs/runs/submit"));
    });

    it("answers each method and path once", () => {
      const all = Object.values(tables).flatMap((routes) => routes.map((r) => `${r.method} ${r.path}`));
      assert.deepEqual(all.filter((key, i) => all.indexOf(key) !== i), []);
    });
  });
});
