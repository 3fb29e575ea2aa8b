import * as assert from "node:assert/strict";
import { createDatabricksApi, DatabricksApi } from "../../src/databricks";
import * as scope from "../../src/lifecycle/databricksSecretScope";
import * as item from "../../src/lifecycle/databricksWorkspaceItem";
import * as dbfs from "../../src/lifecycle/databricksDbfsFile";
import { RunningEmulator, startEmulator } from "../../src/emulator";

/** The Kubeflow "complete spec" form: the API's own JSON instead of named parameters. */
describe("complete spec form of the Databricks resources", function () {
  this.timeout(30_000);
  const token = "spec-form-token";
  let emulator: RunningEmulator;
  let api: DatabricksApi;
  const saved = { ...process.env };
  const realLog = console.log;
  before(async () => {
    emulator = await startEmulator({ port: 0, token, databricks: { lifecycle: "immediate" } });
    Object.assign(process.env, { AMLDB_TARGET: "local", AMLDB_LOCAL_TOKEN: token, DATABRICKS_HOST: emulator.url });
    api = createDatabricksApi({ host: emulator.url });
    console.log = () => undefined;
  });
  after(async () => {
    console.log = realLog;
    process.env = saved;
    await emulator?.close();
  });

  it("creates a scope, a workspace notebook and a DBFS file from their API JSON", async () => {
    const s = await scope.check({}, { spec: { scope: "from-spec", initial_manage_principal: "users" } });
    assert.deepEqual(s.failures, []);
    await scope.create(s.inputs as unknown as scope.ScopeInputs);
    assert.deepEqual((await api.secrets.listScopes()).map((x) => x.name), ["from-spec"]);

    const content = Buffer.from("# Databricks notebook source\nprint(1)\n").toString("base64");
    const i = await item.check({}, { spec: { path: "/Shared/spec/nb", format: "SOURCE", language: "PYTHON", content } });
    assert.deepEqual(i.failures, []);
    await item.create(i.inputs as unknown as item.ItemInputs);
    assert.equal((await api.workspace.getStatus("/Shared/spec/nb")).object_type, "NOTEBOOK");

    const d = await dbfs.check({}, { spec: { path: "dbfs:/spec/data.txt", contents: Buffer.from("hello").toString("base64") } });
    assert.deepEqual(d.failures, []);
    await dbfs.create(d.inputs as unknown as dbfs.DbfsFileInputs);
    assert.equal((await api.dbfs.readAll("/spec/data.txt")).toString(), "hello");
  });
});
