import * as assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { DatabricksRun, DatabricksWorkspaceItem } from "../../src";
import { filesUnder, useInlineStack } from "./support/inlineFixture";

/** A notebook that prints its secure input, then returns it or raises an exception holding it. */
const NOTEBOOK = [
  "# Databricks notebook source",
  'key = dbutils.widgets.get("api_key")',
  'print("the key is " + key)',
  'if dbutils.widgets.get("fail") == "yes":',
  '    raise RuntimeError("refused key " + key)',
  'dbutils.notebook.exit("echo " + key)',
  "",
].join("\n");

/**
 * A canary secure input that a notebook prints, returns (a run that succeeds) and puts in its
 * exception (a run that fails): it reaches none of what the engine keeps or prints: the stack's
 * state files (current, history, backups), the CLI output, nor the emulator's request log.
 */
describe("Secure inputs of runs through the Pulumi engine", function () {
  this.timeout(10 * 60 * 1000);
  const canary = `canary-${randomBytes(12).toString("hex")}`;
  const cliOutput: string[] = [];
  const onOutput = (out: string) => cliOutput.push(out);

  const program = async () => {
    const config = new pulumi.Config();
    const apiKey = config.requireSecret("apiKey");
    const item = new DatabricksWorkspaceItem("notebook", { path: "/Shared/canary/notebook", content: NOTEBOOK });
    const cluster = { sparkVersion: "15.4.x-scala2.12", nodeTypeId: "Standard_DS3_v2", numWorkers: 1 };
    const run = (name: string, fail: string) =>
      new DatabricksRun(name, { notebookTask: { notebookPath: item.workspacePath, baseParameters: { fail } }, newCluster: cluster, secureInput: { api_key: apiKey } });
    const echo = run("echo", "no");
    if (config.requireBoolean("withFailure")) run("leak", "yes");
    return { result: echo.notebookOutput };
  };

  const e2e = useInlineStack("e2e-canary", program);

  before(async () => {
    await e2e.stack.setConfig("apiKey", { value: canary, secret: true });
    await e2e.stack.setConfig("withFailure", { value: "false" });
  });

  it("keeps the exit value of a run with a secure input secret, without secureOutput", async () => {
    const up = await e2e.stack.up({ onOutput });
    assert.deepEqual(up.summary.resourceChanges, { create: 3 });
    assert.deepEqual(up.outputs.result, { value: `echo ${canary}`, secret: true });
  });

  it("fails up with the task's exception, the secure input taken out", async () => {
    await e2e.stack.setConfig("withFailure", { value: "true" });
    const failure = await e2e.stack.up({ onOutput }).then(() => assert.fail("up should fail"), (e: Error) => e);
    assert.match(failure.message, /Databricks run "leak" \(run \d+\) ended TERMINATED FAILED/);
    assert.match(failure.message, /RuntimeError: refused key \[REDACTED\]/);
  });

  it("keeps the canary out of the state files, the CLI output and the request log, each shown to hold the run", async () => {
    const backend = path.join(e2e.backendDir, ".pulumi");
    const files = filesUnder(backend);
    const kinds = { current: /\/stacks\/e2e-canary\/e2e\.json$/, history: /\/history\/e2e-canary\/e2e\//, backups: /\/backups\/e2e-canary\/e2e\// };
    const sinks: Record<string, string> = {};
    for (const [kind, pattern] of Object.entries(kinds)) {
      const matching = files.filter((f) => pattern.test(f));
      assert.ok(matching.length > 0, `no ${kind} state files under ${backend}: ${files.join(", ")}`);
      sinks[`state (${kind})`] = matching.map((f) => fs.readFileSync(f, "utf8")).join("\n");
    }
    sinks["state (every file)"] = files.map((f) => fs.readFileSync(f, "utf8")).join("\n");
    sinks["CLI output"] = cliOutput.join("");
    sinks["request log"] = e2e.requestLog();

    // Each sink holds what the scan is about: the failed run and its error, told without the canary.
    assert.match(sinks["state (current)"], /Databricks run \\"leak\\" \(run \d+\) ended TERMINATED FAILED/);
    assert.match(sinks["state (history)"], /DatabricksRun::leak/);
    assert.match(sinks["state (backups)"], /DatabricksRun::echo/);
    assert.match(sinks["CLI output"], /RuntimeError: refused key \[(REDACTED|secret)\]/);
    assert.match(sinks["request log"], /"POST","path":"\/api\/2\.1\/jobs\/runs\/submit"/);
    for (const [sink, text] of Object.entries(sinks)) {
      for (const form of [canary, Buffer.from(canary).toString("base64")]) assert.ok(!text.includes(form), `${sink} holds the canary`);
    }
    assert.match(sinks["state (current)"], /The tasks' errors are printed above, not kept in the stack's state/);
  });

  it("destroys both runs and the notebook", async () => {
    const destroy = await e2e.stack.destroy({ onOutput });
    assert.deepEqual(destroy.summary.resourceChanges, { delete: 4 });
  });
});

