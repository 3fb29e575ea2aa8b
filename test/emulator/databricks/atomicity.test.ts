import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { b64, importNotebook, notebook } from "../../support/databricksWire";
import { expectError, withEmulator } from "../../support/emulator";

const INTERNAL = { error_code: "INTERNAL_ERROR", message: "The emulator failed to process the request; see its log." };

describe("Databricks emulator: a change happens whole or not at all", function () {
  this.timeout(30_000);
  let stateDir: string;
  beforeEach(() => {
    stateDir = fs.mkdtempSync(path.join(os.tmpdir(), "dbx-atomic-"));
  });
  afterEach(() => fs.rmSync(stateDir, { recursive: true, force: true }));

  it("leaves no folder behind when workspace/mkdirs fails on disk, in memory or after a restart", async () => {
    await withEmulator({ stateDir }, async ({ call }) => {
      // A file on disk where the folder goes, unknown to the workspace: creating the folder fails.
      fs.writeFileSync(path.join(stateDir, "databricks", "workspace", "Shared", "blocked"), "");
      await expectError(call("POST", "/api/2.0/workspace/mkdirs", { path: "/Shared/blocked/inner" }), 500, INTERNAL);
      await expectError(call("GET", "/api/2.0/workspace/get-status?path=/Shared/blocked"), 404, { error_code: "RESOURCE_DOES_NOT_EXIST", message: "Path (/Shared/blocked) doesn't exist." });
      // The next change persists itself only.
      assert.equal((await call("POST", "/api/2.0/workspace/mkdirs", { path: "/Shared/fine" })).status, 200);
    });
    await withEmulator({ stateDir }, async ({ call }) => {
      assert.deepEqual(
        (await call("GET", "/api/2.0/workspace/list?path=/Shared")).body.objects.map((o: { path: string }) => o.path),
        ["/Shared/fine"],
      );
    });
  });

  it("refuses a change it cannot persist, keeping the state as it was, and says so in its health", async () => {
    await withEmulator({ stateDir }, async ({ call, control }) => {
      assert.equal((await call("POST", "/api/2.1/jobs/create", { name: "kept" })).status, 200);
      // The state folder goes away (a disk unmounted, a user's rm -rf): nothing can be persisted.
      const dataDir = path.join(stateDir, "databricks");
      fs.rmSync(dataDir, { recursive: true });
      await expectError(call("POST", "/api/2.1/jobs/create", { name: "lost" }), 500, INTERNAL);
      assert.deepEqual(
        (await call("GET", "/api/2.1/jobs/list")).body.jobs.map((j: { settings: { name: string } }) => j.settings.name),
        ["kept"],
      );
      const health = await control("GET", "/_emulator/health");
      assert.equal(health.status, 503);
      assert.deepEqual(health.body, {
        status: "unhealthy",
        problems: [`databricks: ${path.join(dataDir, "state.journal")} cannot be reached (ENOENT)`, `databricks: the state folder ${dataDir} cannot be written (ENOENT)`],
      });
    });
  });

  it("writes a workspace notebook and its metadata together: a refused import changes neither", async () => {
    await withEmulator({ stateDir }, async ({ call }) => {
      await importNotebook(call, "/Shared/nb", notebook("x = 1"));
      const local = path.join(stateDir, "databricks", "workspace", "Shared", "nb");
      await expectError(call("POST", "/api/2.0/workspace/import", { path: "/Shared/nb", format: "SOURCE", language: "PYTHON", content: b64(notebook("x = 2")) }), 400, {
        error_code: "RESOURCE_ALREADY_EXISTS",
        message: "Node named 'nb' already exists",
      });
      assert.equal(fs.readFileSync(local, "utf8"), notebook("x = 1"));
    });
  });
});
