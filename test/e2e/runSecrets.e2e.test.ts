import * as assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { Stack } from "@pulumi/pulumi/automation";
import { DatabricksRun, DatabricksWorkspaceItem } from "../../src";
import { RunningEmulator, startEmulator } from "../../src/emulator";
import { LOCAL_TOKEN_ENV, TARGET_ENV } from "../../src/core/target";
import { ensureEngine, inlineStack, offlineEnv, REPO_ROOT } from "../../scripts/localEngine";

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
  const token = randomBytes(16).toString("hex");
  const canary = `canary-${randomBytes(12).toString("hex")}`;
  let workDir: string;
  let emulator: RunningEmulator;
  let stack: Stack;
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

  before(async function () {
    this.timeout(60 * 60 * 1000);
    const engineBin = ensureEngine();
    fs.mkdirSync(path.join(REPO_ROOT, ".local"), { recursive: true });
    workDir = fs.mkdtempSync(path.join(REPO_ROOT, ".local", "e2e-canary-"));
    fs.writeFileSync(path.join(workDir, "Pulumi.yaml"), "name: e2e-canary\nruntime: nodejs\n");
    emulator = await startEmulator({ port: 0, stateDir: path.join(workDir, "emulator"), token, databricks: { lifecycle: "immediate" } });
    const env = offlineEnv({
      engineBin,
      backendDir: path.join(workDir, "state"),
      passphrase: randomBytes(16).toString("hex"),
      extra: { [TARGET_ENV]: "local", [LOCAL_TOKEN_ENV]: token, DATABRICKS_HOST: emulator.url },
    });
    stack = await inlineStack({ stackName: "e2e", workDir, program, env, engineBin });
    await stack.setConfig("apiKey", { value: canary, secret: true });
    await stack.setConfig("withFailure", { value: "false" });
  });

  after(async () => {
    await emulator?.close();
    if (workDir) fs.rmSync(workDir, { recursive: true, force: true });
  });

  it("keeps the exit value of a run with a secure input secret, without secureOutput", async () => {
    const up = await stack.up({ onOutput });
    assert.deepEqual(up.summary.resourceChanges, { create: 3 });
    assert.deepEqual(up.outputs.result, { value: `echo ${canary}`, secret: true });
  });

  it("fails up with the task's exception, the secure input taken out", async () => {
    await stack.setConfig("withFailure", { value: "true" });
    const failure = await stack.up({ onOutput }).then(() => assert.fail("up should fail"), (e: Error) => e);
    assert.match(failure.message, /Databricks run "leak" \(run \d+\) ended TERMINATED FAILED/);
    assert.match(failure.message, /RuntimeError: refused key \[REDACTED\]/);
  });

  it("keeps the canary out of the state files, the CLI output and the request log, each shown to hold the run", async () => {
    const backend = path.join(workDir, "state", ".pulumi");
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
    sinks["request log"] = fs.readFileSync(path.join(workDir, "emulator", "requests.log"), "utf8");

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
    const destroy = await stack.destroy({ onOutput });
    assert.deepEqual(destroy.summary.resourceChanges, { delete: 4 });
  });
});

function filesUnder(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true, recursive: true }).filter((e) => e.isFile()).map((e) => path.join(e.parentPath, e.name));
}
