import * as assert from "node:assert/strict";
import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { UNKNOWN } from "../../../src/core/check";
import * as dbfs from "../../../src/databricks/dbfsFile/lifecycle";
import { hashFile } from "../../../src/core/localFile";

const host = "https://adb-1.2.azuredatabricks.net";
const sha = (b: Buffer | string) => createHash("sha256").update(b).digest("hex");
const b64 = (s: string) => Buffer.from(s).toString("base64");

describe("DatabricksDbfsFile check", () => {
  const saved = { ...process.env };
  let dir: string;
  let file: string;
  before(() => {
    Object.assign(process.env, { AMLDB_TARGET: "azure", DATABRICKS_HOST: host, DATABRICKS_TOKEN: "dapi-test" });
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "amldb-dbfs-unit-"));
    file = path.join(dir, "data.csv");
    fs.writeFileSync(file, "a,b\n1,2\n");
  });
  after(() => {
    process.env = saved;
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it("strips dbfs: from the path, fills the host and hashes inline content", async () => {
    assert.deepEqual(await dbfs.check({}, { path: "dbfs:/FileStore/x.txt", contentBase64: b64("hello") }), {
      inputs: { path: "/FileStore/x.txt", contentBase64: b64("hello"), contentHash: sha("hello"), host },
      failures: [],
    });
  });

  it("hashes a local source when the program did not", async () => {
    const { inputs, failures } = await dbfs.check({}, { path: "/FileStore/data.csv", source: file });
    assert.deepEqual(failures, []);
    assert.equal(inputs.contentHash, sha("a,b\n1,2\n"));
    assert.equal(hashFile(file), sha("a,b\n1,2\n"));
  });

  it("reports every failure at once, each naming its property and the fix", async () => {
    assert.deepEqual((await dbfs.check({}, { path: "FileStore/x/", source: path.join(dir, "missing.csv") })).failures, [
      { property: "path", reason: 'path "FileStore/x/" must be an absolute DBFS file path such as dbfs:/FileStore/data/input.csv.' },
      { property: "source", reason: `source "${path.join(dir, "missing.csv")}" is not a readable file: give the path of a local file, relative to the program's directory.` },
    ]);
    assert.deepEqual((await dbfs.check({}, { path: "dbfs:/a//b", contentBase64: "***" })).failures, [
      { property: "path", reason: 'path "dbfs:/a//b" must be an absolute DBFS file path such as dbfs:/FileStore/data/input.csv.' },
      { property: "contentBase64", reason: 'contentBase64 must be base64 (A-Z, a-z, 0-9, +, / and = padding), e.g. Buffer.from(data).toString("base64").' },
    ]);
  });

  it("requires a path and exactly one kind of content", async () => {
    assert.deepEqual((await dbfs.check({}, {})).failures, [
      { property: "path", reason: "path is required: a DBFS path such as dbfs:/FileStore/data/input.csv." },
      { property: "source", reason: "give the content: source (a local file) or contentBase64 (or spec.contents)." },
    ]);
    assert.deepEqual((await dbfs.check({}, { path: "/x", source: file, contentBase64: b64("x") })).failures, [
      { property: "contentBase64", reason: "source and contentBase64 are mutually exclusive: upload a local file or inline content, not both." },
    ]);
  });

  it("takes adopt as a boolean", async () => {
    assert.deepEqual((await dbfs.check({}, { path: "/x", contentBase64: b64("x"), adopt: 1 })).failures, [{ property: "adopt", reason: "adopt must be true or false, not 1." }]);
  });

  it("absorbs the complete dbfs/put JSON, named parameters winning", async () => {
    assert.deepEqual(await dbfs.check({}, { spec: { path: "dbfs:/spec/x", contents: b64("x"), overwrite: true } }), {
      inputs: { path: "/spec/x", contentBase64: b64("x"), contentHash: sha("x"), adopt: true, host },
      failures: [],
    });
    assert.deepEqual((await dbfs.check({}, { spec: { path: "dbfs:/spec/x", contents: b64("x") }, path: "/named", source: file })).inputs, {
      path: "/named",
      source: file,
      contentHash: sha("a,b\n1,2\n"),
      host,
    });
    assert.deepEqual((await dbfs.check({}, { spec: { path: "/x", contents: b64("x"), handle: 1 } })).failures, [
      { property: "spec.handle", reason: "spec.handle is not a field of dbfs/put: use path, contents and overwrite." },
    ]);
  });

  it("lets unknown preview values through", async () => {
    assert.deepEqual((await dbfs.check({}, { path: UNKNOWN, contentBase64: UNKNOWN, contentHash: UNKNOWN })).failures, []);
    assert.deepEqual((await dbfs.check({}, { spec: UNKNOWN })).failures, []);
  });
});

describe("DatabricksDbfsFile diff", () => {
  const lines: string[] = [];
  const realLog = console.log;
  before(() => (console.log = (l: string) => lines.push(l)));
  after(() => (console.log = realLog));
  beforeEach(() => (lines.length = 0));
  const olds = { host, path: "/FileStore/x.csv", source: "/home/a/x.csv", contentHash: "h1", dbfsPath: "dbfs:/FileStore/x.csv", fileSize: 10 };
  const news = { host, path: "/FileStore/x.csv", source: "/home/a/x.csv", contentHash: "h1" };

  it("reports no change for the same content wherever the local file now lies, and prints nothing", async () => {
    assert.deepEqual(await dbfs.diff("/FileStore/x.csv", olds, { ...news, source: "/ci/checkout/x.csv" }), { changes: false, replaces: [], deleteBeforeReplace: false });
    assert.deepEqual(lines, []);
  });

  it("uploads again when the content changes", async () => {
    assert.deepEqual(await dbfs.diff("/FileStore/x.csv", olds, { ...news, contentHash: "h2" }), { changes: true, replaces: [], deleteBeforeReplace: false });
    assert.deepEqual(lines, ["DBFS file /FileStore/x.csv: content changed; will upload it again."]);
  });

  it("replaces the file, uploading the new one first, when the path or workspace changes", async () => {
    assert.deepEqual(await dbfs.diff("/FileStore/x.csv", olds, { ...news, path: "/FileStore/y.csv" }), { changes: true, replaces: ["path"], deleteBeforeReplace: false });
    assert.deepEqual(dbfs.diffDbfsFile(olds, { ...news, host: "https://adb-9.azuredatabricks.net", contentHash: "h2" }).changedKeys, ["host", "content"]);
    assert.deepEqual(lines, ["DBFS file /FileStore/y.csv: path changed; will replace it."]);
  });

  it("uploads again after a refresh found the file changed in DBFS", () => {
    assert.deepEqual(dbfs.diffDbfsFile({ ...olds, contentHash: `${dbfs.DBFS_CHANGE_MARK}99` }, news).changedKeys, ["content"]);
  });
});

describe("DatabricksDbfsFile resource (mocked engine)", () => {
  const created: pulumi.runtime.MockResourceArgs[] = [];
  let dir: string;
  before(() => {
    pulumi.runtime.setMocks({ newResource: (args) => (created.push(args), { id: String(args.inputs.path), state: { ...args.inputs, fileSize: 1 } }), call: () => ({}) }, "project", "stack", false);
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "amldb-dbfs-mock-"));
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it("keeps only the path and hash of a local source in state", async () => {
    const { DatabricksDbfsFile } = await import("../../../src");
    const file = path.join(dir, "big.bin");
    const bytes = Buffer.alloc(3 * 1024 * 1024 + 5, 7);
    fs.writeFileSync(file, bytes);
    const f = new DatabricksDbfsFile("file", { host, path: "dbfs:/FileStore/big.bin", source: path.relative(process.cwd(), file) });
    await new Promise((resolve) => f.urn.apply(resolve));
    const args = created.find((c) => c.name === "file")!;
    assert.equal(args.type, "pulumi-nodejs:dynamic/azureml-databricks:DatabricksDbfsFile");
    const { __provider: _p, ...inputs } = args.inputs;
    assert.deepEqual(inputs, { host, path: "dbfs:/FileStore/big.bin", source: file, contentHash: sha(bytes) });
  });

});
