import * as assert from "node:assert/strict";
import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { UNKNOWN } from "../../../src/core/check";
import * as item from "../../../src/databricks/workspaceItem/lifecycle";

const host = "https://adb-1.2.azuredatabricks.net";
const sha = (b: Buffer | string) => createHash("sha256").update(b).digest("hex");
const b64 = (s: string) => Buffer.from(s).toString("base64");

describe("DatabricksWorkspaceItem check", () => {
  const saved = { ...process.env };
  let dir: string;
  before(() => {
    Object.assign(process.env, { AMLDB_TARGET: "azure", DATABRICKS_HOST: host, DATABRICKS_TOKEN: "dapi-test" });
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "amldb-item-check-"));
  });
  after(() => {
    process.env = saved;
    fs.rmSync(dir, { recursive: true, force: true });
  });
  const file = (name: string, content: string | Buffer) => {
    fs.writeFileSync(path.join(dir, name), content);
    return path.join(dir, name);
  };

  it("fills format SOURCE, language PYTHON, the host and a missing content hash", async () => {
    assert.deepEqual(await item.check({}, { path: "/Shared/etl/prepare", content: "print(1)\n" }), {
      inputs: { path: "/Shared/etl/prepare", content: "print(1)\n", contentHash: sha("print(1)\n"), format: "SOURCE", language: "PYTHON", host },
      failures: [],
    });
  });

  it("keeps the hash the program computed and takes no language for RAW files", async () => {
    const { inputs, failures } = await item.check({}, { path: "/Shared/data.csv", contentBase64: b64("a,b\n"), contentHash: "from-program", format: "RAW" });
    assert.deepEqual(failures, []);
    assert.deepEqual(inputs, { path: "/Shared/data.csv", contentBase64: b64("a,b\n"), contentHash: "from-program", format: "RAW", host });
  });

  it("reports every failure at once, each naming its property and the fix", async () => {
    const { failures } = await item.check({}, { path: "Shared/x/", content: "x", format: "TEXT", language: "JAVA", adopt: "yes" });
    assert.deepEqual(failures, [
      { property: "path", reason: 'path "Shared/x/" must be absolute (start with /) and name the item, not a folder.' },
      { property: "format", reason: 'format must be one of SOURCE, JUPYTER, AUTO, RAW, HTML, DBC, R_MARKDOWN, not "TEXT".' },
      { property: "language", reason: 'language must be one of PYTHON, SCALA, SQL, R, not "JAVA".' },
      { property: "adopt", reason: 'adopt must be true or false, not "yes".' },
    ]);
  });

  it("names adopt when a program still gives overwrite, the input it replaced", async () => {
    assert.deepEqual((await item.check({}, { path: "/Shared/x", content: "x", overwrite: true })).failures, [
      { property: "overwrite", reason: "overwrite is now adopt: set adopt: true to import over an object that is already at the path." },
    ]);
  });

  it("requires a path, refuses a language on RAW and AUTO imports and non-notebook JUPYTER content", async () => {
    assert.deepEqual((await item.check({}, { content: "x" })).failures, [{ property: "path", reason: "path is required: an absolute workspace path such as /Shared/etl/prepare." }]);
    assert.deepEqual((await item.check({}, { path: "/Shared/a", content: "x", format: "AUTO", language: "SQL" })).failures, [
      { property: "language", reason: "language applies to SOURCE and JUPYTER notebooks; with format AUTO the import takes it from the content: remove language." },
    ]);
    assert.deepEqual((await item.check({}, { path: "/Shared/nb", source: file("nb.ipynb", "print(1)"), format: "JUPYTER" })).failures, [
      { property: "source", reason: "the content is not a Jupyter notebook (.ipynb JSON with cells): use format SOURCE for a source file." },
    ]);
    assert.deepEqual((await item.check({}, { path: "/Shared/nb", contentBase64: b64('{"cells": [], "metadata": {}}'), format: "JUPYTER" })).failures, []);
  });

  it("refuses content over the 10 MB workspace import limit, naming where it came from", async () => {
    const big = file("big.py", Buffer.alloc(10 * 1024 * 1024 + 1, 97));
    assert.deepEqual((await item.check({}, { path: "/Shared/big", source: big, contentHash: "h" })).failures, [
      { property: "source", reason: "the content is 10485761 bytes; workspace import takes at most 10485760 bytes (10 MB): put large files in DBFS (DatabricksDbfsFile)." },
    ]);
    assert.deepEqual((await item.check({}, { path: "/Shared/ok", contentBase64: Buffer.alloc(10 * 1024 * 1024, 97).toString("base64"), contentHash: "h" })).failures, []);
  });

  it("takes exactly one kind of content, and a local source that can be read", async () => {
    assert.deepEqual((await item.check({}, { path: "/Shared/x", content: "a", contentBase64: "YQ==" })).failures, [
      { property: "contentBase64", reason: "content and contentBase64 are mutually exclusive: give the content once: a local file, text, or base64." },
    ]);
    assert.deepEqual((await item.check({}, { path: "/Shared/x" })).failures, [
      { property: "source", reason: "no content: set source (a local file), content (text), contentBase64, or spec.content." },
    ]);
    const missing = path.join(dir, "nope.py");
    assert.deepEqual((await item.check({}, { path: "/Shared/x", source: missing })).failures, [
      { property: "source", reason: `source "${missing}" is not a readable file: give the path of a local file, relative to the program's directory.` },
    ]);
    const ok = file("ok.py", "print(1)");
    assert.deepEqual(await item.check({}, { path: "/Shared/x", source: ok }), {
      inputs: { path: "/Shared/x", source: ok, contentHash: sha("print(1)"), format: "SOURCE", language: "PYTHON", host },
      failures: [],
    });
  });

  it("absorbs the complete workspace/import JSON, named parameters winning", async () => {
    const spec = { path: "/Shared/spec/nb", format: "SOURCE", language: "SCALA", content: b64("println(1)"), overwrite: true };
    assert.deepEqual(await item.check({}, { spec }), {
      inputs: { path: "/Shared/spec/nb", format: "SOURCE", language: "SCALA", contentBase64: b64("println(1)"), adopt: true, contentHash: sha("println(1)"), host },
      failures: [],
    });
    const named = await item.check({}, { spec, path: "/Shared/named", content: "print(2)", contentHash: sha("print(2)"), language: "PYTHON" });
    assert.deepEqual(named.inputs, { path: "/Shared/named", content: "print(2)", contentHash: sha("print(2)"), language: "PYTHON", format: "SOURCE", adopt: true, host });
    assert.deepEqual((await item.check({}, { spec: { path: "/Shared/x", content: b64("x"), dirs: true } })).failures, [
      { property: "spec.dirs", reason: "spec.dirs is not a field of workspace/import: use path, content, format, language and overwrite." },
    ]);
  });

  it("lets unknown preview values through", async () => {
    assert.deepEqual((await item.check({}, { path: UNKNOWN, content: UNKNOWN, contentHash: UNKNOWN, format: UNKNOWN, language: UNKNOWN })).failures, []);
    assert.deepEqual((await item.check({}, { spec: UNKNOWN, contentHash: UNKNOWN })).failures, []);
  });
});

describe("DatabricksWorkspaceItem diff", () => {
  const lines: string[] = [];
  const realLog = console.log;
  before(() => (console.log = (l: string) => lines.push(l)));
  after(() => (console.log = realLog));
  beforeEach(() => (lines.length = 0));
  const olds = { host, path: "/Shared/a", content: "x", contentHash: "h1", format: "SOURCE", language: "PYTHON", objectPath: "/Shared/a", objectType: "NOTEBOOK", objectId: 7, exportHash: "e1" };
  const news = { host, path: "/Shared/a", content: "x", contentHash: "h1", format: "SOURCE", language: "PYTHON" };

  const plain = async (d: Promise<object>) => ({ ...(await d) });

  it("reports no change for the same inputs, and prints nothing", async () => {
    assert.deepEqual(await plain(item.diff("/Shared/a", olds, news)), { changes: false, replaces: [], deleteBeforeReplace: false });
    assert.deepEqual(item.reviewItem(olds, news), { diff: { changes: false, replaces: [], deleteBeforeReplace: false, detailedDiff: {} } });
    assert.deepEqual(lines, []);
  });

  it("imports again when the content, format or language changes, showing the content's hash, never the content", async () => {
    assert.deepEqual(await plain(item.diff("/Shared/a", olds, { ...news, contentHash: "h2", content: "y" })), { changes: true, replaces: [], deleteBeforeReplace: false });
    assert.deepEqual(await plain(item.diff("/Shared/a", olds, { ...news, format: "JUPYTER", language: undefined })), { changes: true, replaces: [], deleteBeforeReplace: false });
    assert.deepEqual(lines, ["Workspace item /Shared/a: content changed; will import it again.", "Workspace item /Shared/a: format, language changed; will import it again."]);
    assert.deepEqual(item.reviewItem(olds, { ...news, contentHash: "h2", content: "y" }).diff.detailedDiff, { contentHash: "update" });
    assert.deepEqual(item.reviewItem(olds, { ...news, format: "JUPYTER", language: undefined }).diff.detailedDiff, { format: "update", language: "delete" });
  });

  it("names the source file whose content changed", () => {
    const fromFile = { ...olds, content: undefined, source: "/p/notebooks/a.py", codeFiles: { "notebooks/a.py": "h1" } };
    const edited = { ...news, content: undefined, source: "/p/notebooks/a.py", contentHash: "h2", codeFiles: { "notebooks/a.py": "h2" } };
    assert.deepEqual(item.reviewItem(fromFile, edited), {
      diff: { changes: true, replaces: [], deleteBeforeReplace: false, detailedDiff: { 'codeFiles["notebooks/a.py"]': "update" } },
      reason: "Workspace item /Shared/a: notebook file notebooks/a.py changed; will import it again.",
    });
    // A state written before files were named shows the content hash.
    const { codeFiles: _c, ...older } = fromFile;
    assert.deepEqual(item.reviewItem(older, edited).diff.detailedDiff, { contentHash: "update" });
    // The same content under a new relative path (the program moved) is no change.
    assert.equal(item.reviewItem(fromFile, { ...edited, contentHash: "h1", codeFiles: { "src/a.py": "h1" } }).diff.changes, false);
  });

  it("sees no change in adopt, which only matters at create, nor in the overwrite of older state", async () => {
    assert.deepEqual(await plain(item.diff("/Shared/a", olds, { ...news, adopt: true })), { changes: false, replaces: [], deleteBeforeReplace: false });
    assert.deepEqual(await plain(item.diff("/Shared/a", { ...olds, overwrite: true } as typeof olds, news)), { changes: false, replaces: [], deleteBeforeReplace: false });
    assert.deepEqual(lines, []);
  });

  it("replaces the item, deleting it first, when the path or workspace changes", async () => {
    assert.deepEqual(await plain(item.diff("/Shared/a", olds, { ...news, path: "/Shared/a/b", contentHash: "h2" })), { changes: true, replaces: ["path"], deleteBeforeReplace: true });
    assert.deepEqual(item.reviewItem(olds, { ...news, path: "/Shared/a/b", contentHash: "h2" }).diff.detailedDiff, { path: "update-replace", contentHash: "update" });
    assert.deepEqual(item.diffItem(olds, { ...news, host: "https://adb-9.azuredatabricks.net" }).replaces, ["host"]);
    assert.deepEqual(lines, ["Workspace item /Shared/a/b: path, content changed; will replace it."]);
  });

  it("re-imports after a refresh found the item edited in the workspace", () => {
    const edited = { ...olds, contentHash: `${item.WORKSPACE_EDIT_MARK}e2` };
    assert.deepEqual(item.diffItem(edited, news).changedKeys, ["contentHash"]);
    assert.equal(item.reviewItem(edited, news).reason, "Workspace item /Shared/a: content (edited in the workspace since the last import) changed; will import it again.");
  });

  it("treats unknown content (a hash not known until apply) as a change", () => {
    assert.deepEqual(item.diffItem(olds, { ...news, contentHash: UNKNOWN }).changedKeys, ["contentHash"]);
  });
});

describe("DatabricksWorkspaceItem resource (mocked engine)", () => {
  const created: pulumi.runtime.MockResourceArgs[] = [];
  let dir: string;
  before(() => {
    pulumi.runtime.setMocks({ newResource: (args) => (created.push(args), { id: String(args.inputs.path), state: { ...args.inputs, objectType: "NOTEBOOK" } }), call: () => ({}) }, "project", "stack", false);
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "amldb-item-"));
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));
  const inputsOf = (name: string) => created.find((c) => c.name === name)!.inputs;
  const value = <T>(o: pulumi.Output<T>) => new Promise<T>((resolve) => o.apply(resolve));

  it("hashes a local source in the program, keeping only its path and hash in state; format and language from the extension", async () => {
    const { DatabricksWorkspaceItem } = await import("../../../src");
    const sql = path.join(dir, "report.sql");
    const ipynb = path.join(dir, "train.ipynb");
    fs.writeFileSync(sql, "SELECT 1");
    fs.writeFileSync(ipynb, '{"cells": []}');
    const a = new DatabricksWorkspaceItem("sql", { host, path: "/Shared/report", source: sql });
    const b = new DatabricksWorkspaceItem("ipynb", { host, path: "/Shared/train", source: ipynb });
    assert.equal(await value(a.localContentHash), sha("SELECT 1"));
    assert.equal(await value(a.workspacePath), "/Shared/report");
    await Promise.all([value(a.urn), value(b.urn)]);
    const ia = inputsOf("sql");
    assert.deepEqual([ia.contentHash, ia.contentBase64, ia.content, ia.format, ia.language, ia.source], [sha("SELECT 1"), undefined, undefined, "SOURCE", "SQL", sql]);
    const ib = inputsOf("ipynb");
    assert.deepEqual([ib.format, ib.language], ["JUPYTER", undefined]);
  });

  it("hashes text, base64 and spec content, so the hash is known at preview", async () => {
    const { DatabricksWorkspaceItem } = await import("../../../src");
    const text = new DatabricksWorkspaceItem("text", { host, path: "/Shared/t", content: "print(2)" });
    const bytes = new DatabricksWorkspaceItem("bytes", { host, path: "/Shared/b", contentBase64: b64("print(3)") });
    const spec = new DatabricksWorkspaceItem("spec", { host, spec: { path: "/Shared/s", content: b64("print(4)"), language: "PYTHON" } });
    assert.deepEqual(
      await Promise.all([value(text.localContentHash), value(bytes.localContentHash), value(spec.localContentHash), value(spec.workspacePath)]),
      [sha("print(2)"), sha("print(3)"), sha("print(4)"), "/Shared/s"],
    );
  });

  it("leaves mutually exclusive arguments to check: an Output that resolves to undefined is legal", async () => {
    const { DatabricksWorkspaceItem } = await import("../../../src");
    const r = new DatabricksWorkspaceItem("maybe", { host, path: "/Shared/m", content: "x", contentBase64: pulumi.output(undefined) as unknown as pulumi.Output<string> });
    await value(r.urn);
    assert.deepEqual([inputsOf("maybe").content, inputsOf("maybe").contentBase64], ["x", undefined]);
  });
});
