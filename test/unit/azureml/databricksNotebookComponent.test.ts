import { createHash } from "node:crypto";
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { parse } from "yaml";
import { DATABRICKS_NOTEBOOK_COMPONENT_DIR, DATABRICKS_NOTEBOOK_COMPONENT_FILE } from "../../../src/azureml";
import { checkComponent, contentVersion } from "../../../src/azureml/component/inputs";
import { validateCommandComponent } from "../../../src/azureml/component/schema";
import { hashCode, codeFiles } from "../../../src/azureml/component/codeFolder";

const SEED_YAML = path.join(__dirname, "../../fixtures/azureml/seed001/databricks-component.yml");
const WS = { subscriptionId: "00000000-0000-0000-0000-0000000000a1", resourceGroupName: "rg", workspaceName: "aml-ws", armEndpoint: "https://management.azure.com" };

type Doc = { command: string; inputs: Record<string, Record<string, unknown>>; outputs: Record<string, unknown> };
const shipped = () => parse(fs.readFileSync(DATABRICKS_NOTEBOOK_COMPONENT_FILE, "utf8")) as Doc;

describe("The shipped execute_databricks_notebook component's YAML", () => {
  it("is a valid command component, with the seed's inputs and output and four optional inputs", () => {
    const doc = shipped();
    assert.deepEqual(validateCommandComponent(doc), []);
    const seed = parse(fs.readFileSync(SEED_YAML, "utf8")) as Doc;
    const types = (d: Doc) => Object.fromEntries(Object.entries(d.inputs).map(([k, v]) => [k, { type: v.type, ...(v.optional ? { optional: true } : {}) }]));
    const seedTypes = types(seed);
    assert.deepEqual(types(doc), {
      ...seedTypes,
      kv_url: { type: "string", optional: true },
      kv_secret_name: { type: "string", optional: true },
      parameters: { type: "string", optional: true },
      libraries: { type: "string", optional: true },
      mount_point: { type: "string", optional: true },
    });
    assert.deepEqual(Object.keys(seedTypes).sort(), ["databricks_host", "kv_secret_name", "kv_url", "node_type_id", "notebook_path", "num_workers", "spark_version"]);
    assert.deepEqual(doc.outputs, { output_path: { type: "uri_folder", mode: "direct", description: "The folder the notebook writes (its output_path parameter)." } });
  });

  it("names every input in its command, each optional one inside a $[[ ]] part of its own", () => {
    const doc = shipped();
    const optionalParts = [...doc.command.matchAll(/\$\[\[([^\]]*)\]\]/g)].map((m) => [...m[1].matchAll(/\$\{\{inputs\.(\w+)\}\}/g)].map((n) => n[1]));
    const optional = Object.keys(doc.inputs).filter((k) => doc.inputs[k].optional);
    assert.deepEqual(optionalParts, optional.map((k) => [k]));
    for (const name of Object.keys(doc.inputs)) assert.ok(doc.command.includes(`\${{inputs.${name}}}`), name);
    assert.ok(doc.command.includes("--output-path ${{outputs.output_path}}"));
  });
});

describe("DatabricksNotebookComponent (mocked engine)", () => {
  const created: Record<string, Record<string, unknown>> = {};
  before(() => {
    pulumi.runtime.setMocks(
      {
        newResource: (args) => {
          created[args.name] = args.inputs;
          return { id: undefined, state: {} };
        },
        call: () => ({}),
      },
      "project",
      "stack",
      true,
    );
  });

  it("registers the shipped YAML as an AmlComponent, its version derived from the content unless given", async () => {
    const { DatabricksNotebookComponent, AmlComponent } = await import("../../../src");
    const derived = new DatabricksNotebookComponent("adb", WS);
    const pinned = new DatabricksNotebookComponent("adb-pinned", { ...WS, version: "2" });
    assert.ok(derived instanceof AmlComponent);
    await new Promise<void>((resolve) => pulumi.all([derived.urn, pinned.urn]).apply(() => resolve()));
    const code = path.join(DATABRICKS_NOTEBOOK_COMPONENT_DIR, "code");
    const content = fs.readFileSync(DATABRICKS_NOTEBOOK_COMPONENT_FILE, "utf8");
    const codeHash = hashCode(codeFiles(code));
    // Each code file's hash by its path from the program (here the test's working directory).
    const perFile = Object.fromEntries(codeFiles(code).map((f) => [path.relative(process.cwd(), f.absolute), createHash("sha256").update(fs.readFileSync(f.absolute)).digest("hex")]));
    assert.deepEqual(Object.keys(perFile), ["src/azureml/databricksNotebookComponent/component/code/execute_databricks_notebook.py"]);
    const given = (name: string) => Object.fromEntries(Object.entries(created[name]).filter(([k]) => k !== "__provider"));
    assert.deepEqual(given("adb"), { ...WS, file: DATABRICKS_NOTEBOOK_COMPONENT_FILE, content, codeRoot: code, codeHash, codeFiles: perFile, versionFromContent: true });
    assert.deepEqual(given("adb-pinned"), { ...WS, file: DATABRICKS_NOTEBOOK_COMPONENT_FILE, content, codeRoot: code, codeHash, codeFiles: perFile, version: "2", versionFromContent: false });
    const checked = checkComponent({}, given("adb"));
    assert.deepEqual(checked.failures, []);
    assert.deepEqual([checked.inputs.name, checked.inputs.version], ["execute_databricks_notebook", contentVersion(content, codeHash, undefined)]);
  });
});
