import * as assert from "node:assert/strict";
import { b64, notebook } from "../../support/databricksWire";
import { expectError, useEmulator } from "../../support/emulator";

describe("Databricks emulator: Workspace API", function () {
  this.timeout(30_000);
  const t = useEmulator();
  const importBody = (p: string, content: string, extra: Record<string, unknown> = {}) => ({ path: p, format: "SOURCE", language: "PYTHON", content: b64(content), ...extra });

  it("imports into existing folders only, refuses to overwrite without overwrite, and exports what it imported", async () => {
    const source = notebook('print("hello")');
    await expectError(t.call("POST", "/api/2.0/workspace/import", importBody("/Shared/ws/nb", source)), 404, {
      error_code: "RESOURCE_DOES_NOT_EXIST",
      message: "The parent folder (/Shared/ws) does not exist.",
    });
    assert.equal((await t.call("POST", "/api/2.0/workspace/mkdirs", { path: "/Shared/ws/sub" })).status, 200);
    const created = t.clock.now();
    assert.equal((await t.call("POST", "/api/2.0/workspace/import", importBody("/Shared/ws/nb", source))).status, 200);
    await expectError(t.call("POST", "/api/2.0/workspace/import", importBody("/Shared/ws/nb", source)), 400, {
      error_code: "RESOURCE_ALREADY_EXISTS",
      message: "Node named 'nb' already exists",
    });
    await t.clock.advance(5_000);
    assert.equal((await t.call("POST", "/api/2.0/workspace/import", importBody("/Workspace/Shared/ws/nb", source, { overwrite: true }))).status, 200);

    // Ids 1 to 4 are the folders every workspace has; /Shared/ws and /Shared/ws/sub are 5 and 6.
    assert.deepEqual((await t.call("GET", "/api/2.0/workspace/get-status?path=/Shared/ws/nb")).body, {
      object_type: "NOTEBOOK",
      path: "/Shared/ws/nb",
      language: "PYTHON",
      object_id: 7,
      resource_id: "7",
      created_at: created,
      modified_at: created + 5_000,
    });
    assert.deepEqual((await t.call("GET", "/api/2.0/workspace/export?path=/Shared/ws/nb&format=SOURCE")).body, { content: b64(source), file_type: "py" });
    const jupyter = JSON.parse(Buffer.from((await t.call("GET", "/api/2.0/workspace/export?path=/Shared/ws/nb&format=JUPYTER")).body.content, "base64").toString("utf8"));
    assert.deepEqual(jupyter.cells.map((c: { source: string[] }) => c.source.join("")), ['print("hello")']);
    const raw = await t.call("GET", "/api/2.0/workspace/export?path=/Shared/ws/nb&direct_download=true");
    assert.deepEqual([raw.status, raw.headers.get("content-disposition"), raw.text], [200, "attachment; filename=nb.py", source]);

    const listed = (await t.call("GET", "/api/2.0/workspace/list?path=/Shared/ws")).body.objects.map((o: { path: string; object_type: string }) => [o.path, o.object_type]);
    assert.deepEqual(listed, [["/Shared/ws/nb", "NOTEBOOK"], ["/Shared/ws/sub", "DIRECTORY"]]);
  });

  it("imports AUTO source files as notebooks without their extension and other files as FILE", async () => {
    await t.call("POST", "/api/2.0/workspace/mkdirs", { path: "/Shared/auto" });
    await t.call("POST", "/api/2.0/workspace/import", { path: "/Shared/auto/job.py", format: "AUTO", content: b64(notebook("x = 1")) });
    await t.call("POST", "/api/2.0/workspace/import", { path: "/Shared/auto/util.py", format: "AUTO", content: b64("def f():\n    return 1\n") });
    const types = (await t.call("GET", "/api/2.0/workspace/list?path=/Shared/auto")).body.objects.map((o: { path: string; object_type: string; size?: number }) => [o.path, o.object_type, o.size]);
    assert.deepEqual(types, [
      ["/Shared/auto/job", "NOTEBOOK", undefined],
      ["/Shared/auto/util.py", "FILE", 22],
    ]);
    await expectError(t.call("POST", "/api/2.0/workspace/import", { path: "/Shared/auto/x", format: "AUTO", content: "%%%" }), 400, {
      error_code: "INVALID_PARAMETER_VALUE",
      message: "The content is not valid base64.",
    });
  });

  it("deletes a non-empty folder only when recursive, and reports missing paths", async () => {
    await t.call("POST", "/api/2.0/workspace/mkdirs", { path: "/Shared/del/inner" });
    await expectError(t.call("POST", "/api/2.0/workspace/delete", { path: "/Shared/del" }), 400, { error_code: "DIRECTORY_NOT_EMPTY", message: "Folder (/Shared/del) is not empty" });
    assert.equal((await t.call("POST", "/api/2.0/workspace/delete", { path: "/Shared/del", recursive: true })).status, 200);
    await expectError(t.call("GET", "/api/2.0/workspace/get-status?path=/Shared/del"), 404, { error_code: "RESOURCE_DOES_NOT_EXIST", message: "Path (/Shared/del) doesn't exist." });
    await expectError(t.call("POST", "/api/2.0/workspace/delete", { path: "/Shared" }), 400, { error_code: "DIRECTORY_PROTECTED", message: "Folder Shared is protected" });
  });
});
