import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import type { EngineEvent } from "@pulumi/pulumi/automation";
import { DatabricksRun, DatabricksWorkspaceItem } from "../../src";
import { stateFilePath } from "../../scripts/cliStack";
import { useInlineStack } from "./support/inlineFixture";

const NOTEBOOK = '# Databricks notebook source\ndbutils.notebook.exit("imported before the run")\n';
const ITEM = "pulumi-nodejs:dynamic/azureml-databricks:DatabricksWorkspaceItem";
const RUN = "pulumi-nodejs:dynamic/azureml-databricks:DatabricksRun";

/**
 * A run that names its notebook by the item's `workspacePath` (and its code by the item's
 * `localContentHash`), with no dependsOn: the engine must know the run depends on the item,
 * create it after the import, and still show the path at preview.
 */
describe("A DatabricksRun using a workspace item's outputs, through the Pulumi engine", function () {
  this.timeout(10 * 60 * 1000);
  const program = async () => {
    const item = new DatabricksWorkspaceItem("notebook", { path: "/Shared/edge/notebook", content: NOTEBOOK });
    const run = new DatabricksRun("run", {
      notebookTask: { notebookPath: item.workspacePath },
      newCluster: { sparkVersion: "15.4.x-scala2.12", nodeTypeId: "Standard_DS3_v2", numWorkers: 1 },
      codeHashes: [item.localContentHash],
      secureOutput: false,
    });
    return { workspacePath: item.workspacePath, result: run.notebookOutput };
  };

  const e2e = useInlineStack("e2e-edge", program);

  it("shows the run's notebook path and code hash, and the item's outputs, known at preview", async () => {
    const lines: string[] = [];
    const preview = await e2e.stack.preview({ diff: true, onOutput: (o) => lines.push(o) });
    assert.deepEqual(preview.changeSummary, { create: 3 });
    const text = lines.join("");
    const run = text.slice(text.indexOf(`+ ${RUN}: (create)`), text.indexOf("--outputs:--"));
    assert.match(run, /\n {8}codeHash +: "[0-9a-f]{64}"\n/);
    assert.match(run, /\n {8}notebookTask: \{\n {12}notebookPath: "\/Shared\/edge\/notebook"\n {8}\}\n/);
    assert.match(text, /\n {4}workspacePath: "\/Shared\/edge\/notebook"\n/);
    assert.doesNotMatch(run, /unknown|output</);
  });

  it("creates the run after the import: the engine records the dependency and orders the steps", async () => {
    const events: EngineEvent[] = [];
    const up = await e2e.stack.up({ onEvent: (e) => events.push(e) });
    assert.deepEqual(up.summary.resourceChanges, { create: 3 });
    assert.equal(up.outputs.result.value, "imported before the run");

    // The state: the run depends on the item, though the program named no dependency.
    const state = JSON.parse(fs.readFileSync(stateFilePath(e2e.backendDir, e2e.workDir, "e2e"), "utf8")) as {
      checkpoint: { latest: { resources: { urn: string; type: string; dependencies?: string[]; propertyDependencies?: Record<string, string[]> }[] } };
    };
    const byType = (type: string) => state.checkpoint.latest.resources.find((r) => r.type === type)!;
    const item = byType(ITEM);
    const run = byType(RUN);
    assert.deepEqual(run.dependencies, [item.urn]);
    assert.deepEqual(run.propertyDependencies?.notebookTask, [item.urn]);
    assert.deepEqual(run.propertyDependencies?.codeHash, [item.urn]);

    // The engine's order: the item's create finished before the run's began.
    const steps = events.flatMap((e) =>
      e.resourcePreEvent ? [`start ${e.resourcePreEvent.metadata.urn}`] : e.resOutputsEvent ? [`done ${e.resOutputsEvent.metadata.urn}`] : [],
    );
    assert.ok(steps.indexOf(`done ${item.urn}`) >= 0 && steps.indexOf(`done ${item.urn}`) < steps.indexOf(`start ${run.urn}`), steps.join("\n"));

    // The workspace's order: the import was answered before the submit arrived.
    const requests = e2e
      .requestLog()
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l) as { at: string; method: string; path: string; status: number })
      .filter((r) => r.method === "POST");
    assert.deepEqual(
      requests.map((r) => `${r.method} ${r.path} ${r.status}`),
      ["POST /api/2.0/workspace/mkdirs 200", "POST /api/2.0/workspace/import 200", "POST /api/2.1/jobs/runs/submit 200"],
    );
    assert.ok(Date.parse(requests[1].at) <= Date.parse(requests[2].at));
  });

  it("destroys the run before the item", async () => {
    const events: EngineEvent[] = [];
    const destroy = await e2e.stack.destroy({ onEvent: (e) => events.push(e) });
    assert.deepEqual(destroy.summary.resourceChanges, { delete: 3 });
    const deletes = events.flatMap((e) => (e.resOutputsEvent ? [e.resOutputsEvent.metadata.type] : []));
    assert.ok(deletes.indexOf(RUN) >= 0 && deletes.indexOf(RUN) < deletes.indexOf(ITEM), deletes.join("\n"));
  });
});
