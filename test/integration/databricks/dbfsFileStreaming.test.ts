import * as assert from "node:assert/strict";
import { createHash, randomBytes } from "node:crypto";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { createDatabricksApi, DatabricksApi } from "../../../src/databricks/client";
import * as lifecycle from "../../../src/databricks/dbfsFile/lifecycle";
import { RunningEmulator, startEmulator } from "../../../src/emulator";

/** The DatabricksDbfsFile provider's operations against the emulator, with a file over 1 MB. */
describe("DatabricksDbfsFile provider operations against the emulator", function () {
  this.timeout(60_000);
  const token = "dbfs-lifecycle-token";
  let emulator: RunningEmulator;
  let api: DatabricksApi;
  let dir: string;
  const saved = { ...process.env };

  before(async () => {
    emulator = await startEmulator({ port: 0, token, databricks: { lifecycle: "immediate" } });
    Object.assign(process.env, { AMLDB_TARGET: "local", AMLDB_LOCAL_TOKEN: token, DATABRICKS_HOST: emulator.url });
    api = createDatabricksApi({ host: emulator.url });
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "amldb-dbfs-"));
  });
  after(async () => {
    process.env = saved;
    await emulator?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it("streams a 2.5 MB local file, reads it back, uploads a change, and deletes it", async () => {
    const file = path.join(dir, "big.bin");
    const bytes = randomBytes(2.5 * 1024 * 1024);
    fs.writeFileSync(file, bytes);
    const hash = (b: Buffer) => createHash("sha256").update(b).digest("hex");
    const { inputs, failures } = await lifecycle.check({}, { path: "dbfs:/FileStore/big.bin", source: file, contentHash: hash(bytes) });
    assert.deepEqual(failures, []);
    assert.equal(inputs.path, "/FileStore/big.bin");
    const { id, outs } = await lifecycle.create(inputs as unknown as lifecycle.DbfsFileInputs);
    assert.equal(id, "/FileStore/big.bin");
    assert.equal(outs.fileSize, bytes.length);
    assert.ok(!("contentBase64" in outs) || outs.contentBase64 === undefined);
    assert.ok((await api.dbfs.readAll("/FileStore/big.bin")).equals(bytes));
    const changed = Buffer.concat([bytes, Buffer.from("more")]);
    fs.writeFileSync(file, changed);
    const next = { ...(inputs as unknown as lifecycle.DbfsFileInputs), contentHash: hash(changed) };
    assert.deepEqual(await lifecycle.diff(id, outs as unknown as lifecycle.DbfsFileInputs, next), { changes: true, replaces: [], deleteBeforeReplace: false });
    const { outs: updated } = await lifecycle.update(id, outs as unknown as lifecycle.DbfsFileInputs, next);
    assert.equal(updated.fileSize, changed.length);
    await lifecycle.remove(id, next);
    assert.deepEqual(await lifecycle.read(id, next), { id: "", props: {} });
  });
});
