import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { expectError, withEmulator, type TestEmulator } from "../../support/emulator";

const KV = "api-version=7.5";
/** Deep enough to overflow a recursive removal, shallow enough to be named by one path. */
const DEPTH = 2000;

/** A chain of DEPTH folders under the DBFS root, as a notebook can leave one. */
function deepChain(stateDir: string): string {
  const top = path.join(stateDir, "databricks", "dbfs", "deep");
  fs.mkdirSync(path.join(top, ...Array<string>(DEPTH - 1).fill("d")), { recursive: true });
  return top;
}

async function someState({ call }: TestEmulator): Promise<void> {
  assert.equal((await call("PUT", `/secrets/kept?${KV}`, { value: "v" })).status, 200);
  assert.equal((await call("POST", "/api/2.0/workspace/mkdirs", { path: "/Shared/mine" })).status, 200);
}

describe("emulator reset", function () {
  this.timeout(60_000);
  let stateDir: string;
  beforeEach(() => {
    stateDir = fs.mkdtempSync(path.join(os.tmpdir(), "emu-reset-"));
  });
  afterEach(() => fs.rmSync(stateDir, { recursive: true, force: true }));

  it("removes a DBFS tree thousands of folders deep, by reset and by dbfs/delete", async () => {
    await withEmulator({ stateDir }, async (t) => {
      await someState(t);
      const top = deepChain(stateDir);
      assert.equal((await t.call("POST", "/api/2.0/dbfs/delete", { path: "/deep", recursive: true })).status, 200);
      assert.equal(fs.existsSync(top), false);

      deepChain(stateDir);
      assert.equal((await t.control("POST", "/_emulator/reset")).status, 204);
      assert.equal(fs.existsSync(top), false);
      assert.equal((await t.call("GET", "/api/2.0/workspace/get-status?path=/Shared")).status, 200);
      await expectError(t.call("GET", "/api/2.0/workspace/get-status?path=/Shared/mine"), 404, { error_code: "RESOURCE_DOES_NOT_EXIST", message: "Path (/Shared/mine) doesn't exist." });
      assert.equal((await t.call("GET", `/secrets/kept?${KV}`)).status, 404);
      assert.deepEqual((await t.control("GET", "/_emulator/health")).body, { status: "ok" });
    });
  });

  it("resets every service when one cannot be reset, and names what failed", async () => {
    await withEmulator({ stateDir }, async (t) => {
      await someState(t);
      // The Databricks data folder becomes a file: nothing of it can be written any more.
      const dataDir = path.join(stateDir, "databricks");
      fs.rmSync(dataDir, { recursive: true });
      fs.writeFileSync(dataDir, "");
      const reset = await t.control("POST", "/_emulator/reset");
      assert.equal(reset.status, 500);
      assert.deepEqual(reset.body, {
        error: {
          code: "ResetFailed",
          message:
            "The reset did not clear everything; every other part was cleared. " +
            [
              `databricks: emptying the state: EEXIST: file already exists, mkdir '${dataDir}'`,
              `databricks: emptying DBFS and the workspace files: creating the data folders: EEXIST: file already exists, mkdir '${dataDir}'`,
              `databricks: creating the workspace's folders: ENOTDIR: not a directory, mkdir '${path.join(dataDir, "workspace")}'`,
            ].join("; "),
        },
      });
      assert.equal((await t.call("GET", `/secrets/kept?${KV}`)).status, 404, "Key Vault was reset all the same");
      const health = await t.control("GET", "/_emulator/health");
      assert.deepEqual([health.status, health.body], [
        503,
        {
          status: "unhealthy",
          problems: [`databricks: ${path.join(dataDir, "state.journal")} cannot be reached (ENOTDIR)`, `databricks: the state folder ${dataDir} cannot be written (ENOTDIR)`],
        },
      ]);

      // Once the folder can be written again, a reset mends the store.
      fs.rmSync(dataDir);
      assert.equal((await t.control("POST", "/_emulator/reset")).status, 204);
      assert.deepEqual((await t.control("GET", "/_emulator/health")).body, { status: "ok" });
      assert.equal((await t.call("POST", "/api/2.0/workspace/mkdirs", { path: "/Shared/after" })).status, 200);
    });
    await withEmulator({ stateDir }, async ({ call }) => {
      assert.deepEqual(
        (await call("GET", "/api/2.0/workspace/list?path=/Shared")).body.objects.map((o: { path: string }) => o.path),
        ["/Shared/after"],
      );
    });
  });
});
