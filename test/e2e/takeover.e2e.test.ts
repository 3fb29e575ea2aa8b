import * as assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import * as pulumi from "@pulumi/pulumi";
import { DatabricksDbfsFile, DatabricksSecret, DatabricksSecretScope, DatabricksWorkspaceItem, KeyVaultSecret } from "../../src";
import { takeoverHint } from "../../src/core/takeover";
import { Call, httpCaller } from "../support/emulator";
import { useInlineStack } from "./support/inlineFixture";

const b64 = (s: string) => Buffer.from(s).toString("base64");

/**
 * Objects that exist before the stack does, made through the services' APIs: `pulumi up` refuses
 * to take any of them over, changing none, until the program sets adopt: true; then it manages
 * them, and `pulumi destroy` deletes them.
 */
describe("The takeover policy through the Pulumi engine", function () {
  this.timeout(10 * 60 * 1000);
  const ours = `ours-${randomBytes(8).toString("hex")}`;
  let call: Call;

  const program = async () => {
    const config = new pulumi.Config();
    const adopt = config.requireBoolean("adopt");
    const value = config.requireSecret("value");
    new KeyVaultSecret("kv", { vaultUrl: config.require("vaultUrl"), name: "taken-secret", value, purgeOnDelete: true, adopt });
    new DatabricksWorkspaceItem("item", { path: "/Shared/taken/notebook", content: "print('ours')\n", adopt });
    new DatabricksDbfsFile("file", { path: "dbfs:/FileStore/taken.txt", contentBase64: b64("ours"), adopt });
    new DatabricksSecretScope("scope", { name: "taken-scope", adopt });
    // The scope by name, not by the scope's output: this secret's create must not wait for the scope's.
    new DatabricksSecret("secret", { scope: "taken-scope", key: "taken-key", stringValue: value, adopt });
    return {};
  };

  /** What each object holds now, read through the services' APIs. */
  async function contents(): Promise<Record<string, unknown>> {
    const kv = await call("GET", "/secrets/taken-secret?api-version=7.5");
    const nb = await call("GET", "/api/2.0/workspace/export?path=/Shared/taken/notebook&format=SOURCE");
    const file = await call("GET", "/api/2.0/dbfs/read?path=/FileStore/taken.txt");
    const secret = await call("GET", "/api/2.0/secrets/get?scope=taken-scope&key=taken-key");
    const scopes = await call("GET", "/api/2.0/secrets/scopes/list");
    const text = (r: { status: number; body: { content?: string; data?: string; value?: string } }, field: "content" | "data" | "value") =>
      r.status === 200 ? Buffer.from(r.body[field] ?? "", "base64").toString("utf8").trim() : r.status;
    return {
      kv: kv.status === 200 ? kv.body.value : kv.status,
      notebook: text(nb, "content"),
      file: text(file, "data"),
      secret: text(secret, "value"),
      scopes: (scopes.body?.scopes ?? []).map((s: { name: string }) => s.name),
    };
  }

  const e2e = useInlineStack("e2e-takeover", program);

  before(async () => {
    call = httpCaller(e2e.emulator.url, e2e.token);
    await e2e.stack.setConfig("vaultUrl", { value: e2e.emulator.keyVaultUrl });
    await e2e.stack.setConfig("value", { value: ours, secret: true });

    // The objects someone else made.
    for (const [method, route, body] of [
      ["PUT", "/secrets/taken-secret?api-version=7.5", { value: "theirs" }],
      ["POST", "/api/2.0/workspace/mkdirs", { path: "/Shared/taken" }],
      ["POST", "/api/2.0/workspace/import", { path: "/Shared/taken/notebook", format: "SOURCE", language: "PYTHON", content: b64("print('theirs')") }],
      ["POST", "/api/2.0/dbfs/put", { path: "/FileStore/taken.txt", contents: b64("theirs") }],
      ["POST", "/api/2.0/secrets/scopes/create", { scope: "taken-scope" }],
      ["POST", "/api/2.0/secrets/put", { scope: "taken-scope", key: "taken-key", string_value: "theirs" }],
    ] as const) {
      assert.equal((await call(method, route, body)).status, 200, `${method} ${route}`);
    }
  });

  it("refuses every existing object at up, naming it, the opt-in and what destroy would do, and changes none", async () => {
    await e2e.stack.setConfig("adopt", { value: "false" });
    const before = await contents();
    assert.deepEqual(before, { kv: "theirs", notebook: "# Databricks notebook source\nprint('theirs')", file: "theirs", secret: "theirs", scopes: ["taken-scope"] });
    const failure = await e2e.stack.up({ continueOnError: true }).then(() => assert.fail("up should fail"), (e: Error) => e);
    const url = e2e.emulator.url;
    const refusals = [
      [`Key Vault secret "taken-secret" in ${e2e.emulator.keyVaultUrl}`, "writes a new version of it", "deletes and purges it, with all its versions", "choose another name"],
      [`Workspace object /Shared/taken/notebook in ${url}`, "imports the content over it", "deletes it", "choose another path"],
      [`DBFS file /FileStore/taken.txt in ${url}`, "uploads the content over it", "deletes it", "choose another path"],
      [`Secret scope "taken-scope" in ${url}`, "keeps it as it is (a scope cannot be edited)", "deletes it with all its secrets", "choose another name"],
      [`Databricks secret "taken-scope/taken-key" in ${url}`, "writes the program's value over it", "deletes it", "choose another key"],
    ];
    for (const [object, adopting, destroy, otherwise] of refusals) {
      const text = `${object} already exists. ${takeoverHint({ object, adopting, destroy, otherwise })}`;
      assert.ok(failure.message.includes(text), `the output names ${object}:\n${failure.message}`);
    }
    assert.deepEqual(await contents(), before);
    const resources = (await e2e.stack.exportStack()).deployment.resources ?? [];
    assert.deepEqual(resources.map((r: { type: string }) => r.type), ["pulumi:pulumi:Stack", "pulumi:providers:pulumi-nodejs"], "no resource of the program was created");
  });

  it("takes every object over with adopt: true, writing the program's content", async () => {
    await e2e.stack.setConfig("adopt", { value: "true" });
    const up = await e2e.stack.up();
    assert.deepEqual(up.summary.resourceChanges, { same: 1, create: 5 });
    assert.deepEqual(await contents(), { kv: ours, notebook: "# Databricks notebook source\nprint('ours')", file: "ours", secret: ours, scopes: ["taken-scope"] });
  });

  it("destroy then deletes the adopted objects", async () => {
    const destroy = await e2e.stack.destroy();
    assert.deepEqual(destroy.summary.resourceChanges, { delete: 6 });
    assert.deepEqual(await contents(), { kv: 404, notebook: 404, file: 404, secret: 404, scopes: [] });
    assert.equal((await call("GET", "/deletedsecrets/taken-secret?api-version=7.5")).status, 404, "purged, not only soft-deleted");
  });
});
