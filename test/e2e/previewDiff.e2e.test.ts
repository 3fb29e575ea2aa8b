import * as assert from "node:assert/strict";
import { createHash } from "node:crypto";
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

  /** `pulumi preview <flags>`: its standard output and error (with `--diff`, the diagnostics are on standard error). */
  async function preview(...flags: string[]): Promise<{ stdout: string; stderr: string }> {
    let stderr = "";
    const stdout = await example.stack.run(["preview", ...flags], { onStderr: (c) => (stderr += c) });
    return { stdout, stderr };
  }
  const dump = (name: string, text: string) => DUMP && fs.writeFileSync(path.join(DUMP, name), text);
  const sha256 = (bytes: Buffer) => createHash("sha256").update(bytes).digest("hex");
  const urn = (type: string, name: string) => `urn:pulumi:${STACK}::pr-preview::azureml-databricks:index:DatabricksPipeline$${DYNAMIC}:${type}::${name}`;
  /** The run's id is a hash of its definition: the same in both previews, checked by its shape. */
  const runId = (text: string) => text.replace(/\[id=prdemo-run_[0-9a-f]{20}\]/g, "[id=prdemo-run_<hash>]");
  /** The lines of the provider's reasons (diagnostics), without blank lines. */
  const lines = (text: string) => text.split("\n").map((l) => l.trim()).filter((l) => l !== "");
  /** The steps that change something, as a bot reads them. */
  const changes = (json: JsonPreview) =>
    json.steps.filter((s) => s.op !== "same").map((s) => ({ op: s.op, name: s.urn.split("::").pop(), diffReasons: s.diffReasons, replaceReasons: s.replaceReasons, detailedDiff: s.detailedDiff }));

  /** Neither a file's content (as text or base64) nor a secret value is in `text`, which is not empty. */
  function assertClean(text: string, files: { text: string; bytes: Buffer[] }): void {
    assert.ok(text.length > 500, "the scanned output is there");
    for (const bytes of files.bytes) assert.ok(!text.includes(bytes.toString("base64")), "a file's content as base64");
    assert.ok(!text.includes(files.text), "a file's text");
    for (const [name, value] of Object.entries(secrets)) {
      assert.ok(value.length >= 16, `${name} is a real secret`);
      assert.ok(!text.includes(value), `the secret ${name}`);
    }
  }

  it("type-checks and deploys: the pipeline runs the notebook then the report step", async () => {
    typeCheck(example);
    assert.deepEqual(await timedUp(example, "first up"), { create: 12 });
    const outputs = await example.stack.outputs();
    assert.deepEqual([outputs.status, outputs.stepStatuses], ["Completed", { report: "Completed" }]);
  });

  it("previews the unchanged program as unchanged, its secret configuration masked", async () => {
    const json = JSON.parse((await preview("--json")).stdout) as JsonPreview & { config: Record<string, string> };
    dump("unchanged.json", JSON.stringify(json, null, 2));
    assert.deepEqual(json.changeSummary, { same: 12 });
    assert.deepEqual([json.config["pr-preview:databricksToken"], json.config["pr-preview:storageKey"]], ["[secret]", "[secret]"]);
  });

  it("an edited notebook: the notebook item updates and the pipeline runs again, both naming the file", async () => {
    const original = fs.readFileSync(notebookFile);
    const added = "\n# COMMAND ----------\nprint('reviewed in a pull request')\n";
    fs.appendFileSync(notebookFile, added);
    try {
      const edited = fs.readFileSync(notebookFile);
      const [before, after] = [sha256(original), sha256(edited)];
      const text = await preview("--diff");
      dump("notebook-diff.txt", text.stdout + "\n--- stderr\n" + text.stderr);
      const codeFiles = ["      ~ codeFiles: {", `          ~ notebooks/prepare.py: "${before}" => "${after}"`, "        }"];
      assert.equal(
        runId(text.stdout),
        [
          `Previewing update (${STACK}):`,
          "  pulumi:pulumi:Stack: (same)",
          `    [urn=urn:pulumi:${STACK}::pr-preview::pulumi:pulumi:Stack::pr-preview-${STACK}]`,
          `    ~ ${DYNAMIC}:DatabricksWorkspaceItem: (update)`,
          "        [id=/Shared/prdemo/prepare]",
          `        [urn=${urn("DatabricksWorkspaceItem", "prdemo-notebook")}]`,
          ...codeFiles,
          `    +-${DYNAMIC}:AmlPipelineRun: (replace)`,
          "        [id=prdemo-run_<hash>]",
          `        [urn=${urn("AmlPipelineRun", "prdemo-run")}]`,
          ...codeFiles,
          "Resources:",
          "    ~ 1 to update",
          "    +-1 to replace",
          "    2 changes. 10 unchanged",
          "",
        ].join("\n"),
      );
      const reasons = [
        "Workspace item /Shared/prdemo/prepare: notebook file notebooks/prepare.py changed; will import it again.",
        'Azure ML pipeline run "prdemo-run": will run again (replace): notebook file notebooks/prepare.py changed.',
      ];
      assert.deepEqual(lines(text.stderr).sort(), [...reasons].sort());

      const raw = (await preview("--json")).stdout;
      dump("notebook.json", raw);
      const json = JSON.parse(raw) as JsonPreview;
      assert.deepEqual(json.changeSummary, { same: 10, update: 1, replace: 1 });
      assert.deepEqual(changes(json), [
        { op: "update", name: "prdemo-notebook", diffReasons: ["codeFiles"], replaceReasons: undefined, detailedDiff: { 'codeFiles["notebooks/prepare.py"]': { kind: "update", inputDiff: true } } },
        { op: "replace", name: "prdemo-run", diffReasons: ["codeFiles"], replaceReasons: ["codeFiles"], detailedDiff: { 'codeFiles["notebooks/prepare.py"]': { kind: "update-replace", inputDiff: true } } },
      ]);
      assert.deepEqual(json.diagnostics?.map((d) => [d.severity, d.message.trim()]).sort(), reasons.map((r) => ["info", r]).sort());
      for (const out of [text.stdout + text.stderr, raw]) assertClean(out, { text: added.trim(), bytes: [original, edited] });
    } finally {
      fs.writeFileSync(notebookFile, original);
    }
  });

  it("an edited component code file: the component's new version and the pipeline's step that runs it, naming the file", async () => {
    const original = fs.readFileSync(reportFile);
    const added = "\nprint('reviewed in a pull request')\n";
    fs.appendFileSync(reportFile, added);
    try {
      const edited = fs.readFileSync(reportFile);
      const component = example.resources().find((r) => r.urn.endsWith("::prdemo-report"))!;
      const oldVersion = String(component.outputs?.version);
      const text = await preview("--diff");
      dump("component-diff.txt", text.stdout + "\n--- stderr\n" + text.stderr);
      const newVersion = /~ version {2}: "[0-9a-f]{16}" => "([0-9a-f]{16})"/.exec(text.stdout)?.[1];
      assert.ok(newVersion && newVersion !== oldVersion, text.stdout);
      assert.equal(
        runId(text.stdout),
        [
          `Previewing update (${STACK}):`,
          "  pulumi:pulumi:Stack: (same)",
          `    [urn=urn:pulumi:${STACK}::pr-preview::pulumi:pulumi:Stack::pr-preview-${STACK}]`,
          `    +-${DYNAMIC}:AmlComponent: (replace)`,
          `        [id=${component.outputs?.componentId}]`,
          `        [urn=${urn("AmlComponent", "prdemo-report")}]`,
          "      ~ codeFiles: {",
          `          ~ report/src/report.py: "${sha256(original)}" => "${sha256(edited)}"`,
          "        }",
          `      ~ version  : "${oldVersion}" => "${newVersion}"`,
          `    +-${DYNAMIC}:AmlPipelineRun: (replace)`,
          "        [id=prdemo-run_<hash>]",
          `        [urn=${urn("AmlPipelineRun", "prdemo-run")}]`,
          "      ~ jobs: {",
          "          ~ report: {",
          `              ~ component: "azureml:report_rows:${oldVersion}" => [unknown]`,
          "                inputs   : {",
          '                    data: "${{parent.jobs.databricks.outputs.output_path}}"',
          "                }",
          "            }",
          "        }",
          "Resources:",
          "    +-2 to replace",
          "    10 unchanged",
          "",
        ].join("\n"),
      );
      const reasons = [
        `Azure ML component report_rows:${newVersion}: version (from the content: code file report/src/report.py) changed; will replace it.`,
        'Azure ML pipeline run "prdemo-run": will run again (replace): step "report": its component (a new version, registered in this update) changed.',
      ];
      assert.deepEqual(lines(text.stderr).sort(), [...reasons].sort());

      const raw = (await preview("--json")).stdout;
      dump("component.json", raw);
      const json = JSON.parse(raw) as JsonPreview;
      assert.deepEqual(json.changeSummary, { same: 10, replace: 2 });
      assert.deepEqual(changes(json), [
        {
          op: "replace",
          name: "prdemo-report",
          diffReasons: ["version", "codeFiles"],
          replaceReasons: ["version"],
          detailedDiff: { version: { kind: "update-replace", inputDiff: true }, 'codeFiles["report/src/report.py"]': { kind: "update-replace", inputDiff: true } },
        },
        { op: "replace", name: "prdemo-run", diffReasons: ["jobs"], replaceReasons: ["jobs"], detailedDiff: { "jobs.report": { kind: "update-replace", inputDiff: true } } },
      ]);
      assert.deepEqual(json.diagnostics?.map((d) => [d.severity, d.message.trim()]).sort(), reasons.map((r) => ["info", r]).sort());
      for (const out of [text.stdout + text.stderr, raw]) assertClean(out, { text: added.trim(), bytes: [original, edited] });
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
    const json = JSON.parse((await preview("--json")).stdout) as JsonPreview;
    dump("legacy.json", JSON.stringify(json, null, 2));
    assert.deepEqual(json.changeSummary, { same: 12 });
    // ... and a notebook edit on it names the file, compared with the old trigger's hash.
    const original = fs.readFileSync(notebookFile);
    fs.appendFileSync(notebookFile, "\n# edited\n");
    try {
      const edited = JSON.parse((await preview("--json")).stdout) as JsonPreview;
      assert.deepEqual(changes(edited).map((c) => [c.op, c.name, c.detailedDiff]), [
        ["update", "prdemo-notebook", { 'codeFiles["notebooks/prepare.py"]': { kind: "update", inputDiff: true } }],
        ["replace", "prdemo-run", { 'codeFiles["notebooks/prepare.py"]': { kind: "update-replace", inputDiff: true } }],
      ]);
    } finally {
      fs.writeFileSync(notebookFile, original);
    }
  });
});
