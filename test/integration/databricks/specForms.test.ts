import * as assert from "node:assert/strict";
import * as scope from "../../../src/databricks/secretScope/lifecycle";
import * as item from "../../../src/databricks/workspaceItem/lifecycle";
import * as dbfs from "../../../src/databricks/dbfsFile/lifecycle";
import { useDatabricksEmulator } from "../../support/databricksEmulator";

/** The Kubeflow "complete spec" form: the API's own JSON instead of named parameters. */
describe("complete spec form of the Databricks resources", function () {
  this.timeout(30_000);
  const db = useDatabricksEmulator("spec-form-token");

  it("creates a scope, a workspace notebook and a DBFS file from their API JSON", async () => {
    const s = await scope.check({}, { spec: { scope: "from-spec", initial_manage_principal: "users" } });
    assert.deepEqual(s.failures, []);
    await scope.create(s.inputs as unknown as scope.ScopeInputs);
    assert.deepEqual((await db.api.secrets.listScopes()).map((x) => x.name), ["from-spec"]);

    const content = Buffer.from("# Databricks notebook source\nprint(1)\n").toString("base64");
    const i = await item.check({}, { spec: { path: "/Shared/spec/nb", format: "SOURCE", language: "PYTHON", content } });
    assert.deepEqual(i.failures, []);
    await item.create(i.inputs as unknown as item.ItemInputs);
    assert.equal((await db.api.workspace.getStatus("/Shared/spec/nb")).object_type, "NOTEBOOK");

    const d = await dbfs.check({}, { spec: { path: "dbfs:/spec/data.txt", contents: Buffer.from("hello").toString("base64") } });
    assert.deepEqual(d.failures, []);
    await dbfs.create(d.inputs as unknown as dbfs.DbfsFileInputs);
    assert.equal((await db.api.dbfs.readAll("/spec/data.txt")).toString(), "hello");
  });
});
