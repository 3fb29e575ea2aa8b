import * as assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { ServiceError } from "../../../src/core/errors";
import * as item from "../../../src/databricks/workspaceItem/lifecycle";
import { captureEachTest, checkedBy, useDatabricksEmulator } from "../../support/databricksEmulator";

const sha = (b: Buffer | string) => createHash("sha256").update(b).digest("hex");
const b64 = (s: string) => Buffer.from(s).toString("base64");

/** The DatabricksWorkspaceItem provider's operations, called as the engine would, against the emulator. */
describe("DatabricksWorkspaceItem provider operations against the emulator", function () {
  this.timeout(30_000);
  const db = useDatabricksEmulator("item-lifecycle-token");
  const lines = captureEachTest(db);

  const checked = checkedBy<item.ItemInputs>(item.check);
  const exported = async (p: string, format = "SOURCE") => Buffer.from((await db.api.workspace.export(p, format)).content ?? "", "base64").toString("utf8");
  const notebook = "print('hello')\n";

  it("creates the parent folders and imports a SOURCE notebook", async () => {
    const { id, outs } = await item.create(await checked({ path: "/Shared/etl/daily/prepare", content: notebook }));
    assert.equal(id, "/Shared/etl/daily/prepare");
    const status = await db.api.workspace.getStatus("/Shared/etl/daily/prepare");
    assert.deepEqual([status.object_type, status.language], ["NOTEBOOK", "PYTHON"]);
    assert.deepEqual(outs, {
      host: db.emulator.url,
      path: "/Shared/etl/daily/prepare",
      content: notebook,
      contentHash: sha(notebook),
      format: "SOURCE",
      language: "PYTHON",
      objectPath: "/Shared/etl/daily/prepare",
      objectType: "NOTEBOOK",
      objectId: status.object_id,
      exportHash: sha(await exported("/Shared/etl/daily/prepare")),
    });
    assert.match(await exported("/Shared/etl/daily/prepare"), /print\('hello'\)/);
  });

  it("imports again with overwrite when the content changes", async () => {
    const { id, outs } = await item.create(await checked({ path: "/Shared/nb", content: notebook }));
    const news = await checked({ path: "/Shared/nb", content: "print('v2')\n" });
    // An update: delete-before-replace only matters for a replacement.
    assert.deepEqual({ ...(await item.diff(id, outs, news)) }, { changes: true, replaces: [], deleteBeforeReplace: false });
    const { outs: updated } = await item.update(id, outs, news);
    assert.match(await exported("/Shared/nb"), /print\('v2'\)/);
    assert.equal(updated.contentHash, sha("print('v2')\n"));
    assert.notEqual(updated.exportHash, outs.exportHash);
    assert.deepEqual(lines, ["Workspace item /Shared/nb: content changed; will import it again."]);
  });

  it("finds an edit made in the workspace, and the next up imports the program's content again", async () => {
    const { id, outs } = await item.create(await checked({ path: "/Shared/nb", content: notebook }));
    const unchanged = await item.read(id, outs);
    assert.deepEqual(unchanged.props, outs);
    assert.deepEqual(lines, []);
    await db.api.workspace.import({ path: "/Shared/nb", content: "print('edited in the UI')\n", format: "SOURCE", language: "PYTHON", overwrite: true });
    const edited = await item.read(id, outs);
    const mark = `${item.WORKSPACE_EDIT_MARK}${sha(await exported("/Shared/nb"))}`;
    assert.equal(edited.props.contentHash, mark);
    assert.equal(edited.inputs?.contentHash, mark);
    assert.deepEqual(lines, ["Workspace item /Shared/nb was edited in the workspace since Pulumi imported it; the next pulumi up imports the program's content again."]);
    const news = await checked({ path: "/Shared/nb", content: notebook });
    assert.deepEqual(item.diffItem(edited.props, news).changedKeys, ["contentHash"]);
    await item.update(id, edited.props as item.ItemOutputs, news);
    assert.match(await exported("/Shared/nb"), /print\('hello'\)/);
  });

  it("turns a notebook into a file when the format changes, deleting the notebook first", async () => {
    const { id, outs } = await item.create(await checked({ path: "/Shared/data.csv", content: "a,b\n" }));
    assert.equal(outs.objectType, "NOTEBOOK");
    const { outs: updated } = await item.update(id, outs, await checked({ path: "/Shared/data.csv", content: "a,b\n", format: "RAW" }));
    assert.equal(updated.objectType, "FILE");
    assert.equal((await db.api.workspace.getStatus("/Shared/data.csv")).object_type, "FILE");
  });

  it("records a change of adopt without importing", async () => {
    const { id, outs } = await item.create(await checked({ path: "/Shared/nb", content: notebook }));
    const before = db.emulator.requests().length;
    const { outs: updated } = await item.update(id, outs, await checked({ path: "/Shared/nb", content: notebook, adopt: true }));
    assert.equal(db.emulator.requests().length, before);
    assert.deepEqual(updated, { ...outs, adopt: true });
  });

  it("imports a Jupyter notebook", async () => {
    const ipynb = JSON.stringify({ cells: [{ cell_type: "code", source: ["print(1)"], metadata: {}, outputs: [], execution_count: null }], metadata: { language_info: { name: "python" } }, nbformat: 4, nbformat_minor: 5 });
    const { outs } = await item.create(await checked({ path: "/Shared/train", contentBase64: b64(ipynb), format: "JUPYTER" }));
    assert.equal(outs.objectType, "NOTEBOOK");
    assert.equal(outs.language, undefined);
    assert.equal((await db.api.workspace.getStatus("/Shared/train")).language, "PYTHON");
  });

  it("finds an AUTO import of a .py source where the workspace puts it, without the extension, and deletes it there", async () => {
    const { id, outs } = await item.create(await checked({ path: "/Shared/auto/job.py", content: "# Databricks notebook source\nprint(1)\n", format: "AUTO" }));
    assert.equal(outs.objectPath, "/Shared/auto/job");
    assert.equal(outs.objectType, "NOTEBOOK");
    assert.equal((await item.read(id, outs)).id, id);
    await item.remove(id, outs);
    await assert.rejects(db.api.workspace.getStatus("/Shared/auto/job"), { code: "RESOURCE_DOES_NOT_EXIST" });
  });

  it("refuses an object already at the path, naming it, the opt-in and what destroy would do, and leaves it as it was", async () => {
    await db.api.workspace.import({ path: "/Shared/taken", content: "print('theirs')\n", format: "SOURCE", language: "PYTHON" });
    const err = await item.create(await checked({ path: "/Shared/taken", content: notebook })).then(() => assert.fail("create should fail"), (e: unknown) => e);
    assert.ok(err instanceof ServiceError);
    assert.equal(err.code, "RESOURCE_ALREADY_EXISTS");
    assert.equal(
      err.message,
      `import /Shared/taken failed: 400 RESOURCE_ALREADY_EXISTS: ${err.serviceMessage}\n` +
        `Workspace object /Shared/taken in ${db.emulator.url} already exists. pulumi up does not take over an existing object unless told to: ` +
        "set adopt: true on this resource to manage it from now on (up imports the content over it, and destroy then deletes it), or choose another path.",
    );
    assert.match(await exported("/Shared/taken"), /print\('theirs'\)/);
  });

  it("imports over an object already at the path with adopt: true (or the spec's overwrite), and destroy then deletes it", async () => {
    await db.api.workspace.import({ path: "/Shared/left-over", content: "old", format: "SOURCE", language: "PYTHON" });
    const { id, outs } = await item.create(await checked({ path: "/Shared/left-over", content: notebook, adopt: true }));
    assert.match(await exported("/Shared/left-over"), /print\('hello'\)/);
    await item.remove(id, outs);
    await assert.rejects(db.api.workspace.getStatus("/Shared/left-over"), { code: "RESOURCE_DOES_NOT_EXIST" });
    await db.api.workspace.import({ path: "/Shared/left-over", content: "old", format: "SOURCE", language: "PYTHON" });
    await item.create(await checked({ spec: { path: "/Shared/left-over", content: b64(notebook), overwrite: true } }));
    assert.match(await exported("/Shared/left-over"), /print\('hello'\)/);
  });

  it("reports the item gone when deleted out of band, and deletes it not recursively", async () => {
    const { id, outs } = await item.create(await checked({ path: "/Shared/etl/nb", content: notebook }));
    await item.remove(id, outs);
    await assert.rejects(db.api.workspace.getStatus("/Shared/etl/nb"), { code: "RESOURCE_DOES_NOT_EXIST" });
    assert.equal((await db.api.workspace.getStatus("/Shared/etl")).object_type, "DIRECTORY", "parent folders stay");
    assert.deepEqual(await item.read(id, outs), { id: "", props: {} });
    await item.remove(id, outs);
  });

  it("creates from the complete workspace/import JSON", async () => {
    const { outs } = await item.create(await checked({ spec: { path: "/Shared/spec/q", format: "SOURCE", language: "SQL", content: b64("SELECT 1") } }));
    assert.deepEqual([outs.language, outs.contentHash], ["SQL", sha("SELECT 1")]);
    assert.equal((await db.api.workspace.getStatus("/Shared/spec/q")).language, "SQL");
  });
});
