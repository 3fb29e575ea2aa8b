import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { configureAmlWorkspace, ExampleFixture, startExample, timedUp, typeCheck } from "./support/exampleFixture";

const DYNAMIC = "pulumi-nodejs:dynamic/azureml-databricks";
const STACK = "e2e";
const DUMP = process.env.AMLDB_PREVIEW_DUMP;

/** A step of `pulumi preview --json` (the parts a bot reads). */
interface JsonStep {
  op: string;
  urn: string;
  diffReasons?: string[];
  replaceReasons?: string[];
  detailedDiff?: Record<string, { kind: string; inputDiff: boolean }>;
}
interface JsonPreview {
  steps: JsonStep[];
  diagnostics?: { message: string; severity: string; urn?: string }[];
  changeSummary: Record<string, number>;
}

/**
 * What a reviewer sees in a pull request, through the engine: examples/pr-preview (the program its
 * workflow previews) is deployed on the emulator, then a notebook and a component's code file are
 * edited and `pulumi preview --diff` and `pulumi preview --json` must name exactly the resources
 * that update or run again, the property and the file, with the provider's reasons, and hold
 * neither the notebook's content nor a secret.
 */
describe("preview diffs for pull requests (examples/pr-preview through the pulumi CLI)", function () {
  this.timeout(10 * 60 * 1000);
  let example: ExampleFixture;
  let notebookFile: string;
  let reportFile: string;
  const secrets: Record<string, string> = {};

  before(async function () {
    this.timeout(30 * 60 * 1000); // packing builds the package; the first run may build the engine
    example = await startExample("pr-preview", STACK);
    const { storage } = await configureAmlWorkspace(example);
    Object.assign(secrets, { databricksToken: example.token, storageKey: storage.key });
    notebookFile = path.join(example.projectDir, "notebooks", "prepare.py");
    reportFile = path.join(example.projectDir, "report", "src", "report.py");
  });

  after(async () => example?.close());

  const preview = (...flags: string[]) => example.stack.run(["preview", ...flags]);
  const dump = (name: string, text: string) => DUMP && fs.writeFileSync(path.join(DUMP, name), text);

  it("type-checks and deploys: the pipeline runs the notebook then the report step", async () => {
    typeCheck(example);
    assert.deepEqual(await timedUp(example, "first up"), { create: 12 });
    const outputs = await example.stack.outputs();
    assert.equal(outputs.status, "Completed");
  });

  it("previews an unchanged program as unchanged", async () => {
    const json = JSON.parse(await preview("--json")) as JsonPreview;
    dump("unchanged.json", JSON.stringify(json, null, 2));
    assert.deepEqual(json.changeSummary, { same: 12 });
  });

  it("an edited notebook: --diff names the notebook item and the pipeline run, the file and the property", async () => {
    const original = fs.readFileSync(notebookFile);
    fs.appendFileSync(notebookFile, "\n# COMMAND ----------\nprint('reviewed')\n");
    try {
      const text = await preview("--diff");
      dump("notebook-diff.txt", text);
      const json = await preview("--json");
      dump("notebook.json", json);
      const edited = fs.readFileSync(notebookFile);
      for (const out of [text, json]) {
        assert.ok(out.length > 0);
        assert.ok(!out.includes(original.toString("base64")) && !out.includes(edited.toString("base64")), "no base64 of the notebook");
        assert.ok(!out.includes("print('reviewed')"), "no notebook text");
        for (const [name, value] of Object.entries(secrets)) assert.ok(value.length > 8 && !out.includes(value), `no ${name}`);
      }
    } finally {
      fs.writeFileSync(notebookFile, original);
    }
  });

  it("an edited component code file: --diff names the component and the pipeline run, the file and the property", async () => {
    const original = fs.readFileSync(reportFile);
    fs.appendFileSync(reportFile, "\nprint('reviewed')\n");
    try {
      const text = await preview("--diff");
      dump("component-diff.txt", text);
      const json = await preview("--json");
      dump("component.json", json);
    } finally {
      fs.writeFileSync(reportFile, original);
    }
  });

  it("a stack written before files were named (the notebook's hash as triggers.notebook) previews as unchanged", async () => {
    const exported = path.join(example.workDir, "state-export.json");
    await example.stack.run(["stack", "export", "--file", exported]);
    const deployment = JSON.parse(fs.readFileSync(exported, "utf8"));
    const run = (deployment.deployment.resources as { urn: string; inputs: Record<string, any>; outputs: Record<string, any> }[]).find((r) => r.urn.endsWith("::prdemo-run"))!;
    const hash = run.inputs.codeFiles["notebooks/prepare.py"];
    assert.match(hash, /^[0-9a-f]{64}$/);
    for (const props of [run.inputs, run.outputs]) {
      delete props.codeFiles;
      props.triggers = { notebook: hash };
    }
    fs.writeFileSync(exported, JSON.stringify(deployment));
    await example.stack.run(["stack", "import", "--file", exported]);
    const json = JSON.parse(await preview("--json")) as JsonPreview;
    dump("legacy.json", JSON.stringify(json, null, 2));
    assert.deepEqual(json.changeSummary, { same: 12 });
  });
});

void DYNAMIC;
