import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { CODE_HASH_VERSION, codeAssetName, codeFiles, hashCode } from "../../../src/azureml/component/codeFolder";
import { checkComponent, contentVersion, diffComponent } from "../../../src/azureml/component/inputs";
import { componentDocument, readComponentSource } from "../../../src/azureml/component/source";
import { componentProperties, toComponentSpec } from "../../../src/azureml/component/spec";
import { useTempDirs } from "../../support/tempDirs";

const FIXTURES = path.join(__dirname, "../../fixtures/azureml");
const SEED = path.join(FIXTURES, "seed001/databricks-component.yml");
const WS_ID = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg/providers/Microsoft.MachineLearningServices/workspaces/ws1";
const ws = { subscriptionId: "00000000-0000-0000-0000-000000000000", resourceGroupName: "rg", workspaceName: "ws1" };

function news(file: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { ...ws, ...readComponentSource(file), ...extra };
}

describe("AmlComponent inputs", () => {
  const tempDir = useTempDirs();
  it("reads the seed's YAML unchanged: name from the file, version given as az ml component create --version", () => {
    const { inputs, failures } = checkComponent({}, news(SEED, { version: "1" }), "azure", {});
    assert.deepEqual(failures, []);
    assert.equal(inputs.name, "execute_databricks_notebook");
    assert.equal(inputs.version, "1");
    assert.equal(inputs.codeRoot, path.join(FIXTURES, "seed001/src"));
    assert.equal(inputs.content, fs.readFileSync(SEED, "utf8"));
  });

  it("maps the seed's YAML to componentSpec as the CLI does", () => {
    const doc = componentDocument(fs.readFileSync(SEED, "utf8"), SEED);
    const spec = toComponentSpec(doc, { name: "execute_databricks_notebook", version: "1", code: `azureml:${WS_ID}/codes/c/versions/1`, environment: `azureml:${WS_ID}/environments/databricks/versions/1` });
    const str = { type: "string" };
    assert.deepEqual(spec, {
      $schema: "https://azuremlschemas.azureedge.net/latest/commandComponent.schema.json",
      type: "command",
      name: "execute_databricks_notebook",
      version: "1",
      display_name: "Execute Databricks Notebook",
      description: "Execute a notebook as a Spark job in databricks",
      code: `azureml:${WS_ID}/codes/c/versions/1`,
      environment: `azureml:${WS_ID}/environments/databricks/versions/1`,
      command:
        "python databricks_control.py --databricks-host ${{inputs.databricks_host}} --notebook_path ${{inputs.notebook_path}} --keyvault-url ${{inputs.kv_url}} --keyvault-secret-name ${{inputs.kv_secret_name}} --num-workers ${{inputs.num_workers}} --node-type-id ${{inputs.node_type_id}} --spark-version ${{inputs.spark_version}}",
      inputs: { databricks_host: str, notebook_path: str, kv_url: str, kv_secret_name: str, num_workers: { type: "integer" }, node_type_id: str, spark_version: str },
      outputs: { output_path: { type: "uri_folder", mode: "direct" } },
      is_deterministic: true,
      _source: "YAML.COMPONENT",
    });
    assert.deepEqual(componentProperties(doc, spec), { componentSpec: spec, description: "Execute a notebook as a Spark job in databricks", tags: {}, isAnonymous: false, isArchived: false, properties: {} });
  });

  it("maps the azureml-examples train component: defaults as strings, a registry environment kept", () => {
    const file = path.join(FIXTURES, "examples/train.yml");
    const { inputs, failures } = checkComponent({}, news(file, { version: "2" }), "azure", {});
    assert.deepEqual(failures, []);
    const doc = componentDocument(String(inputs.content), file);
    const spec = toComponentSpec(doc, { name: "fit_model", version: "2", environment: String(doc.environment) });
    assert.deepEqual(spec.inputs, {
      train_data: { type: "uri_folder" },
      epochs: { type: "integer", min: 1, max: 50 },
      rate: { type: "number", default: "0.05" },
      schedule: { type: "string", default: "linear", enum: ["linear", "cosine"] },
    });
    assert.equal(spec.environment, "azureml://registries/azureml/environments/sklearn-1.5/labels/latest");
    assert.equal("code" in spec, false);
  });

  it("names the YAML path of every schema violation", () => {
    const dir = tempDir("amlcomp-");
    const file = path.join(dir, "bad.yml");
    fs.writeFileSync(file, "name: Bad-Name\ntype: commando\ncommand: run\nenvironment: databricks:1\ninputs:\n  n:\n    type: int\n    defualt: 3\noutputs:\n  o: {}\nresource: {}\n");
    const { failures } = checkComponent({}, news(file, { version: "1" }), "azure", {});
    assert.deepEqual(failures.map((f) => f.reason), [
      `${file}: resource is not a key of a command component.`,
      `${file}: type must be "command" (AmlComponent registers command components).`,
      `${file}: name must start with a lowercase letter and hold only lowercase letters, digits and _ (at most 255).`,
      `${file}: inputs.n.defualt is not allowed here.`,
      `${file}: inputs.n.type must be one of number, integer, boolean, string, uri_file, uri_folder, mltable, mlflow_model, custom_model, triton_model.`,
      `${file}: outputs.o.type is required.`,
      `${file}: environment "databricks:1" is not an environment reference: use azureml:<name>:<version>, azureml:<name>@latest, an environment version's ARM id (azureml:/subscriptions/...) or azureml://registries/...`,
    ]);
    assert.ok(failures.every((f) => f.property === "file"));
  });

  it("catches a changed YAML or code under a registered version at preview, naming the component", () => {
    const olds = checkComponent({}, news(SEED, { version: "1" }), "azure", {}).inputs;
    const edited = { ...olds, content: `${String(olds.content)}\n# edited\n` };
    assert.deepEqual(checkComponent(olds, edited, "azure", {}).failures, [
      {
        property: "version",
        reason:
          "Component execute_databricks_notebook with version 1 is already registered and cannot be changed (the YAML file changed): Azure ML versions are immutable; give a new version (in the file or the version argument), or set versionFromContent: true to derive it from the content.",
      },
    ]);
    const newCode = { ...olds, codeHash: "0".repeat(64) };
    assert.match(checkComponent(olds, newCode, "azure", {}).failures[0].reason, /\(the code changed\)/);
    assert.deepEqual(checkComponent(olds, { ...edited, version: "2" }, "azure", {}).failures, []);
  });

  it("derives the version from the content when asked: a change is a new version, so a replacement", () => {
    const first = checkComponent({}, news(SEED, { versionFromContent: true }), "azure", {}).inputs;
    assert.equal(first.version, contentVersion(String(first.content), first.codeHash as string, undefined));
    assert.match(String(first.version), /^[0-9a-f]{16}$/);
    const edited = checkComponent(first, { ...first, version: undefined, content: `${String(first.content)}\n# edited\n` }, "azure", {});
    assert.deepEqual(edited.failures, []);
    assert.notEqual(edited.inputs.version, first.version);
    assert.deepEqual(diffComponent(first, edited.inputs), {
      changes: true,
      replaces: ["version"],
      deleteBeforeReplace: false,
      changedKeys: ["version"],
      detail: { version: "update-replace", content: "update-replace" },
      causes: [`version (from the content: component file ${path.relative(process.cwd(), SEED)})`],
    });
    assert.deepEqual(checkComponent({}, news(SEED, { versionFromContent: true, version: "1" }), "azure", {}).failures, [
      { property: "version", reason: "version and versionFromContent are mutually exclusive: give a version, or let the content decide it." },
    ]);
  });

  it("names the code files behind a new version derived from the content", () => {
    const first = { ...ws, file: SEED, content: "c", codeHash: "a", codeFiles: { "src/a.py": "1", "src/b.py": "2" }, name: "x", version: "v1", versionFromContent: true };
    const edited = { ...first, codeHash: "b", codeFiles: { "src/a.py": "1", "src/b.py": "3" }, version: "v2" };
    const d = diffComponent(first, edited);
    assert.deepEqual([d.replaces, d.detail, d.causes], [["version"], { version: "update-replace", 'codeFiles["src/b.py"]': "update-replace" }, ["version (from the content: code file src/b.py)"]]);
    // A state written before files were named: the combined hash.
    const { codeFiles: _c, ...older } = first;
    assert.deepEqual(diffComponent(older, edited).detail, { version: "update-replace", codeHash: "update-replace" });
  });

  it("needs a version from the file, the argument or the content", () => {
    assert.deepEqual(checkComponent({}, news(SEED), "azure", {}).failures, [
      { property: "version", reason: `version is required: set it in ${SEED}, pass version (like az ml component create --version), or set versionFromContent: true.` },
    ]);
  });
});

describe("component code folder", () => {
  const tempDir = useTempDirs();
  it("uploads what .amlignore (else .gitignore) leaves, per folder, and hashes it by path and content", () => {
    const dir = tempDir("amlcode-");
    fs.mkdirSync(path.join(dir, "pkg/__pycache__"), { recursive: true });
    fs.mkdirSync(path.join(dir, "data"));
    fs.writeFileSync(path.join(dir, "main.py"), "print(1)\n");
    fs.writeFileSync(path.join(dir, ".amlignore"), "data/\n*.log\n");
    fs.writeFileSync(path.join(dir, ".gitignore"), "main.py\n");
    fs.writeFileSync(path.join(dir, "run.log"), "x");
    fs.writeFileSync(path.join(dir, "data/big.csv"), "x");
    fs.writeFileSync(path.join(dir, "pkg/.gitignore"), "__pycache__/\n");
    fs.writeFileSync(path.join(dir, "pkg/util.py"), "x = 1\n");
    fs.writeFileSync(path.join(dir, "pkg/__pycache__/util.pyc"), "x");
    const files = codeFiles(dir);
    assert.deepEqual(files.map((f) => f.relative), [".amlignore", ".gitignore", "main.py", "pkg/.gitignore", "pkg/util.py"]);
    const hash = hashCode(files);
    fs.writeFileSync(path.join(dir, "run.log"), "changed, but ignored");
    assert.equal(hashCode(codeFiles(dir)), hash);
    fs.writeFileSync(path.join(dir, "pkg/util.py"), "x = 2\n");
    assert.notEqual(hashCode(codeFiles(dir)), hash);
    assert.match(codeAssetName(hash), /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
  });

  it("follows symbolic links as the CLI does, without walking a folder link into its own ancestor", () => {
    const outside = tempDir("amllinked-");
    fs.mkdirSync(path.join(outside, "lib"));
    fs.writeFileSync(path.join(outside, "shared.py"), "s = 1\n");
    fs.writeFileSync(path.join(outside, "lib/helpers.py"), "h = 1\n");
    const dir = tempDir("amlcode-");
    fs.writeFileSync(path.join(dir, "main.py"), "print(1)\n");
    fs.symlinkSync(path.join(outside, "shared.py"), path.join(dir, "shared.py"));
    fs.symlinkSync(path.join(outside, "lib"), path.join(dir, "lib"));
    fs.symlinkSync(dir, path.join(dir, "self"));
    fs.symlinkSync(path.join(outside, "gone.py"), path.join(dir, "dangling.py"));
    assert.deepEqual(codeFiles(dir).map((f) => f.relative), ["lib/helpers.py", "main.py", "shared.py"]);
    const withCopies = tempDir("amlcode-");
    fs.mkdirSync(path.join(withCopies, "lib"));
    for (const [from, to] of [[path.join(dir, "main.py"), "main.py"], [path.join(outside, "shared.py"), "shared.py"], [path.join(outside, "lib/helpers.py"), "lib/helpers.py"]]) fs.copyFileSync(from, path.join(withCopies, to));
    assert.equal(hashCode(codeFiles(dir)), hashCode(codeFiles(withCopies)));
    // azure-ai-ml 1.35.2's get_content_hash of the same tree with the same (absolute) links.
    assert.equal(hashCode(codeFiles(dir)), "a47618bd1c48a4dabab2d338d92d6141ce993f56739deb47b8f4c22550b063b7");
  });

  // Expected values: azure-ai-ml 1.35.2's get_content_hash (hash version 202208) of the same files.
  it("hashes as the CLI does (hash version 202208), so a lookup by hash finds what either uploaded", () => {
    assert.equal(CODE_HASH_VERSION, "202208");
    assert.equal(hashCode(codeFiles(path.join(FIXTURES, "seed001/src"))), "6624531b617065c2d566ae78fa26806fac3aaedacf74bfb6da3c77a8ac6cd4c6");
    assert.equal(hashCode(codeFiles(path.join(FIXTURES, "examples/train_src/fit.py"))), "ef5e4aec211c38c93e969f03b6922e1a1ed797df639da94e83072fd5891b4892");
    const dir = tempDir("amlhash-");
    fs.mkdirSync(path.join(dir, "a"));
    fs.writeFileSync(path.join(dir, "B.py"), "b\n");
    fs.writeFileSync(path.join(dir, "a/x.txt"), "x");
    fs.writeFileSync(path.join(dir, "a/Y.txt"), "yy");
    fs.writeFileSync(path.join(dir, "c.md"), "");
    const files = codeFiles(dir);
    assert.deepEqual(files.map((f) => f.relative), ["B.py", "a/Y.txt", "a/x.txt", "c.md"]);
    assert.equal(hashCode(files), "b80060e2ded58a47fe556b86eb8061561540324f158f8e6a182c2f11ffb7576c");
    // __pycache__ is never part of a component's code (azure-ai-ml's ComponentIgnoreFile), with no ignore file.
    const cached = tempDir("amlhash-");
    fs.mkdirSync(path.join(cached, "pkg/__pycache__"), { recursive: true });
    fs.mkdirSync(path.join(cached, "__pycache__"));
    fs.writeFileSync(path.join(cached, "main.py"), "print(1)\n");
    fs.writeFileSync(path.join(cached, "pkg/u.py"), "y\n");
    fs.writeFileSync(path.join(cached, "pkg/__pycache__/u.cpython-311.pyc"), "c");
    fs.writeFileSync(path.join(cached, "__pycache__/m.pyc"), "c");
    assert.deepEqual(codeFiles(cached).map((f) => f.relative), ["main.py", "pkg/u.py"]);
    assert.equal(hashCode(codeFiles(cached)), "70794abb1b05b60d27a509b93363fe7dd876bf4507836dd1e59f9edf46f11a14");
  });
});
