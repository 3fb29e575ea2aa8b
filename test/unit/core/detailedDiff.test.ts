import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import * as providerProto from "@pulumi/pulumi/proto/provider_pb";
import { codeFileHashes, describeFiles, reviewPath } from "../../../src/core/codeFiles";
import { changedEntries, keyDetail, kindOf, mapDetail, pathOf, reviewedDiff, topLevelKeys } from "../../../src/core/detailedDiff";
import { installHook, ProviderProto, toEngineDiff } from "../../../src/core/engineDiff";
import { UNKNOWN } from "../../../src/core/check";
import { sha256 } from "../../../src/core/localFile";

describe("detailed diffs", () => {
  it("names property paths as the engine parses them: bare identifiers, else quoted keys", () => {
    assert.equal(pathOf("codeFiles", "notebooks/to_parquet.py"), 'codeFiles["notebooks/to_parquet.py"]');
    assert.equal(pathOf("jobs", "summarize"), "jobs.summarize");
    assert.equal(pathOf("triggers", 'say "hi"'), 'triggers["say \\"hi\\""]');
    assert.equal(pathOf("codeHash"), "codeHash");
  });

  it("tells adds, deletes and updates apart, replacing or not", () => {
    assert.equal(kindOf(undefined, "b", false), "add");
    assert.equal(kindOf("a", undefined, true), "delete-replace");
    assert.equal(kindOf("a", "b", true), "update-replace");
    assert.equal(kindOf("a", UNKNOWN, false), "update");
  });

  it("lists only the keys and map entries that changed", () => {
    const olds = { host: "h", contentHash: "1", format: "SOURCE", runId: 4 };
    const news = { host: "h", contentHash: "2", format: "SOURCE", language: "PYTHON" };
    assert.deepEqual(keyDetail(olds, news, ["host", "contentHash", "format", "language"], ["contentHash"]), { contentHash: "update-replace", language: "add" });
    assert.deepEqual(keyDetail(olds, { ...news, host: UNKNOWN }, ["host"], []), { host: "update" });
    const a = { "nb/a.py": "1", "nb/b.py": "2", "gone.py": "3" };
    const b = { "nb/a.py": "1", "nb/b.py": "9", "new.py": "4" };
    assert.deepEqual(mapDetail("codeFiles", a, b, true), { 'codeFiles["gone.py"]': "delete-replace", 'codeFiles["nb/b.py"]': "update-replace", 'codeFiles["new.py"]': "add-replace" });
    assert.deepEqual(changedEntries(a, b), ["gone.py", "nb/b.py", "new.py"]);
    assert.deepEqual(changedEntries(undefined, {}), []);
    assert.deepEqual(topLevelKeys({ 'codeFiles["a.py"]': "update", "jobs.summarize": "update-replace", triggers: "update" }), ["codeFiles", "jobs", "triggers"]);
  });

  it("deletes before replacing only when something replaces", () => {
    assert.deepEqual(reviewedDiff({ content: "update" }, [], true), { changes: true, replaces: [], deleteBeforeReplace: false, detailedDiff: { content: "update" } });
    assert.deepEqual(reviewedDiff({ path: "update-replace" }, ["path"], true).deleteBeforeReplace, true);
    assert.equal(reviewedDiff({}, [], false).changes, false);
    assert.equal(reviewedDiff({}, [], false, true).changes, true);
  });
});

describe("code files by review path", () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "amldb-codefiles-"));
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it("hashes each file under its path relative to the program, with / separators", () => {
    fs.mkdirSync(path.join(dir, "notebooks"));
    fs.writeFileSync(path.join(dir, "notebooks", "to_parquet.py"), "print(1)\n");
    fs.writeFileSync(path.join(dir, "job.sql"), "select 1\n");
    assert.deepEqual(codeFileHashes([path.join(dir, "notebooks", "to_parquet.py"), "job.sql"], dir), {
      "notebooks/to_parquet.py": sha256("print(1)\n"),
      "job.sql": sha256("select 1\n"),
    });
    assert.equal(reviewPath(path.join(dir, "..", "x.py"), dir), "../x.py");
    assert.equal(codeFileHashes(["missing.py"], dir), undefined);
    assert.equal(codeFileHashes([], dir), undefined);
  });

  it("names changed files in words", () => {
    assert.equal(describeFiles("notebook", ["notebooks/a.py"]), "notebook file notebooks/a.py");
    assert.equal(describeFiles("code", ["a.py", "b.py"]), "code files a.py and b.py");
    assert.equal(describeFiles("code", ["a.py", "b.py", "c.py"]), "code files a.py, b.py and c.py");
  });
});

/**
 * The dynamic-provider host's diff handler, step by step as `@pulumi/pulumi` 3.x writes it
 * (cmd/dynamic-provider/index.js): read `changes`, set it, then `replaces` and `deleteBeforeReplace`.
 */
function hostResponse(result: { changes: boolean; replaces: string[]; deleteBeforeReplace: boolean }): providerProto.DiffResponse {
  const resp = new providerProto.DiffResponse();
  if (result.changes === true) resp.setChanges(providerProto.DiffResponse.DiffChanges.DIFF_SOME);
  else if (result.changes === false) resp.setChanges(providerProto.DiffResponse.DiffChanges.DIFF_NONE);
  else resp.setChanges(providerProto.DiffResponse.DiffChanges.DIFF_UNKNOWN);
  if (result.replaces && result.replaces.length !== 0) resp.setReplacesList(result.replaces);
  if (result.deleteBeforeReplace) resp.setDeletebeforereplace(result.deleteBeforeReplace);
  return resp;
}

describe("the detailed diff in the host's DiffResponse", () => {
  before(() => assert.equal(installHook(providerProto as unknown as ProviderProto), true));

  it("carries the changed keys and each path's kind, read from inputs", () => {
    const resp = hostResponse(toEngineDiff(reviewedDiff({ 'codeFiles["notebooks/a.py"]': "update-replace", keepHistory: "update" }, ["codeFiles"], false)));
    assert.equal(resp.getChanges(), providerProto.DiffResponse.DiffChanges.DIFF_SOME);
    assert.deepEqual(resp.getReplacesList(), ["codeFiles"]);
    assert.deepEqual(resp.getDiffsList(), ["codeFiles", "keepHistory"]);
    assert.equal(resp.getHasdetaileddiff(), true);
    const detail = Object.fromEntries(resp.getDetaileddiffMap().getEntryList().map(([k, v]) => [k, v]));
    assert.deepEqual(detail, {
      'codeFiles["notebooks/a.py"]': [providerProto.PropertyDiff.Kind.UPDATE_REPLACE, true],
      keepHistory: [providerProto.PropertyDiff.Kind.UPDATE, true],
    });
  });

  it("leaves a diff without changes, and the next resource's response, untouched", async () => {
    const none = hostResponse(toEngineDiff(reviewedDiff({}, [], false)));
    assert.equal(none.getChanges(), providerProto.DiffResponse.DiffChanges.DIFF_NONE);
    assert.equal(none.getHasdetaileddiff(), false);
    // A `changes` read that no response takes (any other reader) is gone by the next microtask.
    void toEngineDiff(reviewedDiff({ content: "update" }, [], false)).changes;
    await Promise.resolve();
    const other = new providerProto.DiffResponse();
    other.setChanges(providerProto.DiffResponse.DiffChanges.DIFF_SOME);
    assert.equal(other.getHasdetaileddiff(), false);
    assert.deepEqual(other.getDiffsList(), []);
  });

  it("wraps the host's setChanges once", () => {
    const wrapped = providerProto.DiffResponse.prototype.setChanges;
    assert.equal(installHook(providerProto as unknown as ProviderProto), true);
    assert.equal(providerProto.DiffResponse.prototype.setChanges, wrapped);
  });
});
