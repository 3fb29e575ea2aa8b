import * as assert from "node:assert/strict";
import { b64 } from "../../support/databricksWire";
import { expectError, useEmulator } from "../../support/emulator";

const MB = 1024 * 1024;

describe("Databricks emulator: DBFS API", function () {
  this.timeout(30_000);
  const t = useEmulator();

  it("refuses a put over 1 MB with MAX_BLOCK_SIZE_EXCEEDED", async () => {
    await expectError(t.call("POST", "/api/2.0/dbfs/put", { path: "/tmp/big.bin", contents: b64(Buffer.alloc(MB + 1)) }), 400, {
      error_code: "MAX_BLOCK_SIZE_EXCEEDED",
      message: "The 'contents' data cannot exceed 1048576 bytes. Found: 1048577 bytes. You might want to use streaming upload instead.",
    });
  });

  it("puts, reads, lists, moves and deletes files", async () => {
    assert.equal((await t.call("POST", "/api/2.0/dbfs/put", { path: "dbfs:/data/in/a.txt", contents: b64("hello dbfs") })).status, 200);
    await expectError(t.call("POST", "/api/2.0/dbfs/put", { path: "/data/in/a.txt", contents: b64("again") }), 400, {
      error_code: "RESOURCE_ALREADY_EXISTS",
      message: "A file or directory already exists at the input path dbfs:/data/in/a.txt.",
    });
    assert.deepEqual((await t.call("GET", "/api/2.0/dbfs/read?path=/data/in/a.txt&offset=6&length=4")).body, { bytes_read: 4, data: b64("dbfs") });
    const status = (await t.call("GET", "/api/2.0/dbfs/get-status?path=dbfs:/data/in/a.txt")).body;
    assert.deepEqual({ path: status.path, is_dir: status.is_dir, file_size: status.file_size }, { path: "/data/in/a.txt", is_dir: false, file_size: 10 });
    assert.deepEqual((await t.call("GET", "/api/2.0/dbfs/list?path=/data")).body.files.map((f: { path: string; is_dir: boolean }) => [f.path, f.is_dir]), [["/data/in", true]]);
    assert.equal((await t.call("POST", "/api/2.0/dbfs/move", { source_path: "/data/in/a.txt", destination_path: "/data/out/b.txt" })).status, 200);
    await expectError(t.call("GET", "/api/2.0/dbfs/get-status?path=/data/in/a.txt"), 404, {
      error_code: "RESOURCE_DOES_NOT_EXIST",
      message: "No file or directory exists on path /data/in/a.txt.",
    });
    await expectError(t.call("POST", "/api/2.0/dbfs/delete", { path: "/data/out" }), 400, {
      error_code: "IO_ERROR",
      message: "Directory dbfs:/data/out is not empty; use recursive to delete it with its content.",
    });
    assert.equal((await t.call("POST", "/api/2.0/dbfs/delete", { path: "/data", recursive: true })).status, 200);
    assert.equal((await t.call("GET", "/api/2.0/dbfs/get-status?path=/data")).status, 404);
  });

  it("uploads a large file as a stream of 1 MB blocks and reads it back", async () => {
    const data = Buffer.alloc(2.5 * MB);
    for (let i = 0; i < data.length; i++) data[i] = (i * 7) % 251;
    const handle: number = (await t.call("POST", "/api/2.0/dbfs/create", { path: "/stream/big.bin" })).body.handle;
    assert.equal(handle, 1);
    for (let offset = 0; offset < data.length; offset += MB) {
      assert.equal((await t.call("POST", "/api/2.0/dbfs/add-block", { handle, data: b64(data.subarray(offset, offset + MB)) })).status, 200);
    }
    assert.equal((await t.call("POST", "/api/2.0/dbfs/close", { handle })).status, 200);
    await expectError(t.call("POST", "/api/2.0/dbfs/close", { handle }), 404, { error_code: "RESOURCE_DOES_NOT_EXIST", message: `The handle ${handle} does not exist.` });
    const parts: Buffer[] = [];
    for (let offset = 0; offset < data.length; offset += MB) {
      const r = (await t.call("GET", `/api/2.0/dbfs/read?path=/stream/big.bin&offset=${offset}&length=${MB}`)).body;
      parts.push(Buffer.from(r.data, "base64"));
    }
    assert.ok(Buffer.concat(parts).equals(data));
    assert.deepEqual((await t.call("GET", `/api/2.0/dbfs/read?path=/stream/big.bin&offset=${data.length}`)).body, { bytes_read: 0, data: "" });
    await expectError(t.call("GET", "/api/2.0/dbfs/read?path=/stream/big.bin&length=1048577"), 400, {
      error_code: "MAX_READ_SIZE_EXCEEDED",
      message: "Cannot read more than 1048576 bytes at a time: length 1048577.",
    });
  });

  it("expires an upload handle left unused for 10 minutes of the emulator's time", async () => {
    const kept: number = (await t.call("POST", "/api/2.0/dbfs/create", { path: "/stream/kept.bin" })).body.handle;
    const idle: number = (await t.call("POST", "/api/2.0/dbfs/create", { path: "/stream/idle.bin" })).body.handle;
    await t.clock.advance(6 * 60_000);
    assert.equal((await t.call("POST", "/api/2.0/dbfs/add-block", { handle: kept, data: b64("still here") })).status, 200);
    await t.clock.advance(4 * 60_000 + 1);
    assert.equal((await t.call("POST", "/api/2.0/dbfs/close", { handle: kept })).status, 200);
    await expectError(t.call("POST", "/api/2.0/dbfs/close", { handle: idle }), 404, { error_code: "RESOURCE_DOES_NOT_EXIST", message: `The handle ${idle} does not exist.` });
    assert.deepEqual((await t.call("GET", "/api/2.0/dbfs/read?path=/stream/kept.bin")).body, { bytes_read: 10, data: b64("still here") });
  });
});
