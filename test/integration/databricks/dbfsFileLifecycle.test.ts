import * as assert from "node:assert/strict";
import { createHash, randomBytes } from "node:crypto";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { ServiceError } from "../../../src/core/errors";
import * as dbfs from "../../../src/databricks/dbfsFile/lifecycle";
import { checkedBy, useDatabricksEmulator } from "../../support/databricksEmulator";

const sha = (b: Buffer | string) => createHash("sha256").update(b).digest("hex");

/** The DatabricksDbfsFile provider's operations, called as the engine would, against the emulator. */
describe("DatabricksDbfsFile provider operations against the emulator", function () {
  this.timeout(60_000);
  const db = useDatabricksEmulator("dbfs-lifecycle-token");
  const lines: string[] = [];
  let previousLog: typeof console.log;
  let dir: string;
  before(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), "amldb-dbfs-it-"))));
  after(() => fs.rmSync(dir, { recursive: true, force: true }));
  beforeEach(() => {
    db.emulator.reset();
    lines.length = 0;
    previousLog = console.log;
    console.log = (l: string) => lines.push(l);
  });
  afterEach(() => (console.log = previousLog));

  const checked = checkedBy<dbfs.DbfsFileInputs>(dbfs.check);
  const dbfsCalls = () => db.emulator.requests().map((r) => `${r.method} ${r.path}`).filter((p) => p.includes("/dbfs/"));

  it("uploads small inline content with one put and reads its size back", async () => {
    const { id, outs } = await dbfs.create(await checked({ path: "dbfs:/FileStore/hello.txt", contentBase64: Buffer.from("hello").toString("base64") }));
    assert.equal(id, "/FileStore/hello.txt");
    assert.deepEqual(dbfsCalls(), ["POST /api/2.0/dbfs/put", "GET /api/2.0/dbfs/get-status"]);
    assert.deepEqual(outs, {
      host: db.emulator.url,
      path: "/FileStore/hello.txt",
      contentBase64: Buffer.from("hello").toString("base64"),
      contentHash: sha("hello"),
      dbfsPath: "dbfs:/FileStore/hello.txt",
      fileSize: 5,
      modificationTime: (await db.api.dbfs.getStatus("/FileStore/hello.txt")).modification_time,
    });
    assert.equal(typeof outs.modificationTime, "number");
    assert.equal((await db.api.dbfs.readAll("/FileStore/hello.txt")).toString(), "hello");
  });

  it("streams a 2.5 MB local file in 1 MB blocks, keeping only its path and hash", async () => {
    const file = path.join(dir, "big.bin");
    const bytes = randomBytes(2.5 * 1024 * 1024);
    fs.writeFileSync(file, bytes);
    const { outs } = await dbfs.create(await checked({ path: "/FileStore/big.bin", source: file, contentHash: sha(bytes) }));
    const modificationTime = (await db.api.dbfs.getStatus("/FileStore/big.bin")).modification_time;
    assert.deepEqual(outs, { host: db.emulator.url, path: "/FileStore/big.bin", source: file, contentHash: sha(bytes), dbfsPath: "dbfs:/FileStore/big.bin", fileSize: bytes.length, modificationTime });
    assert.ok((await db.api.dbfs.readAll("/FileStore/big.bin")).equals(bytes));
    assert.deepEqual(dbfsCalls().slice(0, 5), ["POST /api/2.0/dbfs/create", "POST /api/2.0/dbfs/add-block", "POST /api/2.0/dbfs/add-block", "POST /api/2.0/dbfs/add-block", "POST /api/2.0/dbfs/close"]);
    assert.deepEqual(lines, [`DBFS file /FileStore/big.bin: uploading ${file} (2.5 MB) in 1 MB blocks.`]);
  });

  it("records the hash of what it uploaded when the file changed after the program hashed it", async () => {
    const file = path.join(dir, "moving.txt");
    fs.writeFileSync(file, "v1");
    const inputs = await checked({ path: "/FileStore/moving.txt", source: file });
    fs.writeFileSync(file, "v2, written between preview and up");
    const { outs } = await dbfs.create(inputs);
    assert.equal(outs.contentHash, sha("v2, written between preview and up"));
  });

  it("uploads again over the file when the content changes", async () => {
    const file = path.join(dir, "data.csv");
    fs.writeFileSync(file, "a,b\n");
    const { id, outs } = await dbfs.create(await checked({ path: "/FileStore/data.csv", source: file }));
    fs.writeFileSync(file, "a,b\n1,2\n");
    const news = await checked({ path: "/FileStore/data.csv", source: file, contentHash: sha("a,b\n1,2\n") });
    assert.deepEqual(await dbfs.diff(id, outs, news), { changes: true, replaces: [], deleteBeforeReplace: false });
    const { outs: updated } = await dbfs.update(id, outs, news);
    assert.equal(updated.fileSize, 8);
    assert.equal((await db.api.dbfs.readAll("/FileStore/data.csv")).toString(), "a,b\n1,2\n");
  });

  it("notices a file resized outside Pulumi or deleted", async () => {
    const { id, outs } = await dbfs.create(await checked({ path: "/FileStore/x.txt", contentBase64: Buffer.from("abc").toString("base64") }));
    assert.deepEqual(await dbfs.read(id, outs), { id, props: outs, inputs: { host: db.emulator.url, path: "/FileStore/x.txt", contentBase64: outs.contentBase64, contentHash: sha("abc") } });
    await db.api.dbfs.put("/FileStore/x.txt", Buffer.from("abcdef"), true);
    const changed = await dbfs.read(id, outs);
    assert.equal(changed.props.fileSize, 6);
    assert.equal(changed.props.contentHash, `${dbfs.DBFS_CHANGE_MARK}6`);
    assert.equal(changed.inputs?.contentHash, `${dbfs.DBFS_CHANGE_MARK}6`);
    assert.deepEqual(lines, ["DBFS file /FileStore/x.txt is 6 bytes, not the 3 uploaded: it was changed outside Pulumi; the next pulumi up uploads it again."]);
    await db.api.dbfs.delete("/FileStore/x.txt");
    assert.deepEqual(await dbfs.read(id, outs), { id: "", props: {} });
  });

  it("notices a file rewritten outside Pulumi with content of the same size, by its later modification time", async () => {
    const { id, outs } = await dbfs.create(await checked({ path: "/FileStore/same.txt", contentBase64: Buffer.from("abc").toString("base64") }));
    const uploaded = outs.modificationTime as number;
    assert.equal(typeof uploaded, "number");
    // DBFS keeps milliseconds: wait until a write lands in a later one.
    while (Date.now() <= uploaded) await new Promise((r) => setImmediate(r));
    await db.api.dbfs.put("/FileStore/same.txt", Buffer.from("xyz"), true);
    const modified = (await db.api.dbfs.getStatus("/FileStore/same.txt")).modification_time as number;
    assert.ok(modified > uploaded);
    const changed = await dbfs.read(id, outs);
    assert.equal(changed.props.fileSize, 3);
    assert.equal(changed.props.contentHash, `${dbfs.DBFS_MODIFIED_MARK}${modified}`);
    assert.equal(changed.inputs?.contentHash, `${dbfs.DBFS_MODIFIED_MARK}${modified}`);
    assert.deepEqual(lines, [`DBFS file /FileStore/same.txt was written outside Pulumi at ${new Date(modified).toISOString()} (after the upload); the next pulumi up uploads it again.`]);
    assert.deepEqual(dbfs.diffDbfsFile(changed.props, { ...outs }).changedKeys, ["content"]);
  });

  it("deletes the file, and treats a file already gone as deleted", async () => {
    const { id, outs } = await dbfs.create(await checked({ path: "/FileStore/x.txt", contentBase64: Buffer.from("abc").toString("base64") }));
    await dbfs.remove(id, outs);
    await assert.rejects(db.api.dbfs.getStatus("/FileStore/x.txt"), { code: "RESOURCE_DOES_NOT_EXIST" });
    await dbfs.remove(id, outs);
  });

  it("refuses a file already at the path, small or streamed, naming it, the opt-in and what destroy would do, and leaves it as it was", async () => {
    await db.api.dbfs.put("/FileStore/taken.bin", Buffer.from("theirs"), false);
    const big = path.join(dir, "taken.bin");
    fs.writeFileSync(big, randomBytes(1024 * 1024 + 1));
    const hint =
      `DBFS file /FileStore/taken.bin in ${db.emulator.url} already exists. pulumi up does not take over an existing object unless told to: ` +
      "set adopt: true on this resource to manage it from now on (up uploads the content over it, and destroy then deletes it), or choose another path.";
    for (const [content, operation] of [[{ contentBase64: Buffer.from("ours").toString("base64") }, "upload /FileStore/taken.bin"], [{ source: big }, "open upload of /FileStore/taken.bin"]] as const) {
      const err = await dbfs.create(await checked({ path: "/FileStore/taken.bin", ...content })).then(() => assert.fail("create should fail"), (e: unknown) => e);
      assert.ok(err instanceof ServiceError);
      assert.equal(err.code, "RESOURCE_ALREADY_EXISTS");
      assert.equal(err.message, `${operation} failed: 400 RESOURCE_ALREADY_EXISTS: ${err.serviceMessage}\n${hint}`);
    }
    assert.equal((await db.api.dbfs.readAll("/FileStore/taken.bin")).toString(), "theirs");
  });

  it("uploads over a file already at the path with adopt: true (or the spec's overwrite), and destroy then deletes it", async () => {
    await db.api.dbfs.put("/FileStore/left-over.txt", Buffer.from("theirs"), false);
    const { id, outs } = await dbfs.create(await checked({ path: "/FileStore/left-over.txt", contentBase64: Buffer.from("ours").toString("base64"), adopt: true }));
    assert.equal((await db.api.dbfs.readAll("/FileStore/left-over.txt")).toString(), "ours");
    assert.equal(outs.adopt, true);
    await dbfs.remove(id, outs);
    await assert.rejects(db.api.dbfs.getStatus("/FileStore/left-over.txt"), { code: "RESOURCE_DOES_NOT_EXIST" });
  });

  it("uploads from the complete dbfs/put JSON", async () => {
    await db.api.dbfs.put("/spec/data.txt", Buffer.from("theirs"), false);
    const { outs } = await dbfs.create(await checked({ spec: { path: "dbfs:/spec/data.txt", contents: Buffer.from("from spec").toString("base64"), overwrite: true } }));
    assert.equal(outs.path, "/spec/data.txt");
    assert.equal((await db.api.dbfs.readAll("/spec/data.txt")).toString(), "from spec");
  });
});
