import * as assert from "node:assert/strict";
import { b64, finishedRun, importNotebook, notebook, runOutput, seedWorkspace, submitRun } from "../../support/databricksWire";
import { WELL_KNOWN_ACCOUNT_KEY } from "../../../src/emulator";
import { expectError, until, useEmulator } from "../../support/emulator";

describe("Databricks emulator: Command Execution API 1.2", function () {
  this.timeout(30_000);
  const t = useEmulator();
  let clusterId: string;
  let contextId: string;
  let ctx: string;

  beforeEach(async () => {
    await seedWorkspace(t.call);
    clusterId = (await t.call("POST", "/api/2.0/clusters/create", { cluster_name: "commands", spark_version: "15.4.x-scala2.12", num_workers: 0 })).body.cluster_id;
    contextId = (await t.call("POST", "/api/1.2/contexts/create", { clusterId, language: "python" })).body.id;
    ctx = `clusterId=${clusterId}&contextId=${contextId}`;
    await until("the execution context runs", async () => (await t.call("GET", `/api/1.2/contexts/status?${ctx}`)).body.status === "Running");
  });

  async function execute(code: string): Promise<string> {
    const r = await t.call("POST", "/api/1.2/commands/execute", { clusterId, contextId, language: "python", command: code });
    assert.equal(r.status, 200, r.text);
    return r.body.id;
  }

  async function commandWhen(id: string, statuses: string[]): Promise<any> {
    let last: unknown;
    return until(
      () => `command ${id} is ${statuses.join(" or ")} (last: ${JSON.stringify(last)})`,
      async () => {
        last = (await t.call("GET", `/api/1.2/commands/status?${ctx}&commandId=${id}`)).body;
        return statuses.includes((last as { status: string }).status) ? last : undefined;
      },
    );
  }

  const finished = async (code: string): Promise<any> => commandWhen(await execute(code), ["Finished", "Error", "Cancelled"]);

  it("makes a mount that later runs and the DBFS API see, and dies with its cluster", async () => {
    assert.match(contextId, /^\d+$/);
    const mounted = await finished(
      [
        'key = dbutils.secrets.get(scope="emu", key="token")',
        `dbutils.fs.mount(source="wasbs://data@devstoreaccount1.blob.core.windows.net/", mount_point="/mnt/data", extra_configs={"fs.azure.account.key.devstoreaccount1.blob.core.windows.net": "${WELL_KNOWN_ACCOUNT_KEY}"})`,
        'dbutils.fs.put("/mnt/data/hello.txt", "hello from a mount", True)',
        "print(key)",
        "[m.mountPoint for m in dbutils.fs.mounts()][0]",
      ].join("\n"),
    );
    assert.deepEqual([mounted.status, mounted.results], ["Finished", { resultType: "text", data: "Wrote 18 bytes.\n[REDACTED]\n'/mnt/data'" }]);
    const failed = await finished("1/0");
    assert.deepEqual([failed.status, failed.results.resultType, failed.results.summary], ["Finished", "error", "ZeroDivisionError: division by zero"]);
    assert.equal((await t.call("POST", "/api/1.2/contexts/destroy", { clusterId, contextId })).status, 200);
    assert.deepEqual((await t.call("GET", `/api/1.2/contexts/status?${ctx}`)).body, { error: `ContextNotFound: Context ${contextId} does not exist on cluster ${clusterId}.` });

    await importNotebook(t.call, "/Shared/emu/mounts", notebook('points = [m.mountPoint for m in dbutils.fs.mounts()]\ndbutils.notebook.exit(f"{points[0]}|{dbutils.fs.head(\'/mnt/data/hello.txt\')}")'));
    const run = await finishedRun(t.call, await submitRun(t.call, { run_name: "sees mounts", tasks: [{ task_key: "main", notebook_task: { notebook_path: "/Shared/emu/mounts" } }] }));
    assert.deepEqual((await runOutput(t.call, run.tasks[0].run_id)).notebook_output, { result: "/mnt/data|hello from a mount", truncated: false });
    assert.deepEqual((await t.call("GET", "/api/2.0/dbfs/read?path=dbfs:/mnt/data/hello.txt")).body, { bytes_read: 18, data: b64("hello from a mount") });
    assert.deepEqual((await t.call("GET", "/api/2.0/dbfs/list?path=/mnt")).body.files.map((f: { path: string; is_dir: boolean }) => [f.path, f.is_dir]), [["/mnt/data", true]]);

    await t.call("POST", "/api/2.0/clusters/delete", { cluster_id: clusterId });
    assert.deepEqual((await t.call("POST", "/api/1.2/contexts/create", { clusterId, language: "python" })).body, { error: `Cluster ${clusterId} is not running; its state is Terminated.` });
    await expectError(t.call("POST", "/api/1.2/contexts/create", { clusterId: "0101-000000-nothere1", language: "python" }), 400, {
      error_code: "INVALID_PARAMETER_VALUE",
      message: "Cluster 0101-000000-nothere1 does not exist",
    });
  });

  it("cancels a running command by restarting the context's Python, which stays usable", async () => {
    assert.equal((await finished("x = 41")).status, "Finished");
    const id = await execute("import time\ntime.sleep(30)");
    await commandWhen(id, ["Running"]);
    assert.deepEqual((await t.call("POST", "/api/1.2/commands/cancel", { clusterId, contextId, commandId: id })).body, { id });
    assert.deepEqual(await commandWhen(id, ["Cancelled"]), { id, status: "Cancelled" });
    await until("the context runs again", async () => (await t.call("GET", `/api/1.2/contexts/status?${ctx}`)).body.status === "Running");
    const fresh = await finished("'x' in globals()");
    assert.deepEqual([fresh.status, fresh.results], ["Finished", { resultType: "text", data: "False" }]);
    await expectError(t.call("POST", "/api/1.2/commands/cancel", { clusterId, contextId, commandId: "nope" }), 400, { error: `Command nope does not exist in context ${contextId}.` });
  });
});
