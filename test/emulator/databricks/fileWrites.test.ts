import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { b64, importNotebook, notebook } from "../../support/databricksWire";
import { withEmulator } from "../../support/emulator";

const MB = 1024 * 1024;

/** Reads what an open descriptor still shows, from the start. */
function readOpen(fd: number): Buffer {
  const size = fs.fstatSync(fd).size;
  const out = Buffer.alloc(size);
  fs.readSync(fd, out, 0, size, 0);
  return out;
}

describe("Databricks emulator: files are replaced whole", function () {
  this.timeout(30_000);
  let stateDir: string;
  beforeEach(() => {
    stateDir = fs.mkdtempSync(path.join(os.tmpdir(), "dbx-files-"));
  });
  afterEach(() => fs.rmSync(stateDir, { recursive: true, force: true }));

  it("replaces a DBFS file (put and streaming upload) and a workspace notebook instead of rewriting them in place", async () => {
    await withEmulator({ stateDir }, async ({ call }) => {
      const dbfsFile = path.join(stateDir, "databricks", "dbfs", "big.bin");
      const first = Buffer.alloc(MB, 1);
      assert.equal((await call("POST", "/api/2.0/dbfs/put", { path: "/big.bin", contents: b64(first) })).status, 200);
      // A reader holding the old file (a notebook, a crash's witness) keeps every byte of it.
      const reader = fs.openSync(dbfsFile, "r");
      try {
        assert.equal((await call("POST", "/api/2.0/dbfs/put", { path: "/big.bin", contents: b64(Buffer.alloc(MB, 2)), overwrite: true })).status, 200);
        assert.deepEqual(readOpen(reader), first);
      } finally {
        fs.closeSync(reader);
      }
      assert.deepEqual(fs.readFileSync(dbfsFile), Buffer.alloc(MB, 2));

      const streamed = fs.openSync(dbfsFile, "r");
      try {
        const handle = (await call("POST", "/api/2.0/dbfs/create", { path: "/big.bin", overwrite: true })).body.handle;
        assert.equal((await call("POST", "/api/2.0/dbfs/add-block", { handle, data: b64(Buffer.alloc(MB, 3)) })).status, 200);
        assert.equal((await call("POST", "/api/2.0/dbfs/close", { handle })).status, 200);
        assert.deepEqual(readOpen(streamed), Buffer.alloc(MB, 2));
      } finally {
        fs.closeSync(streamed);
      }
      assert.deepEqual(fs.readFileSync(dbfsFile), Buffer.alloc(MB, 3));

      await importNotebook(call, "/Shared/nb", notebook("x = 1"));
      const notebookFile = path.join(stateDir, "databricks", "workspace", "Shared", "nb");
      const held = fs.openSync(notebookFile, "r");
      try {
        await importNotebook(call, "/Shared/nb", notebook("x = 2"));
        assert.equal(readOpen(held).toString("utf8"), notebook("x = 1"));
      } finally {
        fs.closeSync(held);
      }
      assert.equal(fs.readFileSync(notebookFile, "utf8"), notebook("x = 2"));
      assert.deepEqual((await call("GET", "/api/2.0/dbfs/list?path=/")).body.files.map((f: { path: string }) => f.path), ["/big.bin"]);
    });
  });

  it("removes the temporary files of interrupted writes and the uploads of a previous process at start", async () => {
    const data = path.join(stateDir, "databricks");
    await withEmulator({ stateDir }, async ({ call }) => {
      assert.equal((await call("POST", "/api/2.0/dbfs/put", { path: "/in/kept.txt", contents: b64("kept") })).status, 200);
      await importNotebook(call, "/Shared/nb", notebook("x = 1"));
      assert.equal((await call("POST", "/api/2.0/dbfs/create", { path: "/in/never.bin" })).status, 200);
    });
    // What a killed emulator leaves: half-written temporary files, and the blocks of open uploads.
    const leftovers = [path.join(data, "dbfs", "in", ".~emulator-write-99-0123456789ab"), path.join(data, "workspace", "Shared", ".~emulator-write-99-ba9876543210")];
    for (const f of leftovers) fs.writeFileSync(f, "half");
    fs.writeFileSync(path.join(data, "uploads", "7-99.part"), "blocks");
    await withEmulator({ stateDir }, async ({ call }) => {
      for (const f of leftovers) assert.equal(fs.existsSync(f), false, f);
      assert.deepEqual(fs.readdirSync(path.join(data, "uploads")), []);
      assert.deepEqual((await call("GET", "/api/2.0/dbfs/list?path=/in")).body.files.map((f: { path: string }) => f.path), ["/in/kept.txt"]);
      assert.deepEqual((await call("GET", "/api/2.0/workspace/list?path=/Shared")).body.objects.map((o: { path: string }) => o.path), ["/Shared/nb"]);
    });
  });
});
