import * as assert from "node:assert/strict";
import * as path from "node:path";
import { CheckFailure, failureList, UNKNOWN } from "../../../src/core/check";
import { checkPipelineRun, diffPipelineRun, legacyNotebookTrigger, jobBody, jobNameOf, parseComponentRef, pipelineDocument, PipelineRunInputs, restPipelineJob } from "../../../src/azureml/pipelineRun/inputs";
import { pipelineFile } from "../../../src/azureml/pipelineRun/yaml";

const FIXTURES = path.join(__dirname, "../../fixtures/azureml/examples");
const ws = { subscriptionId: "00000000-0000-0000-0000-000000000000", resourceGroupName: "rg", workspaceName: "ws1" };
const WS_ID = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg/providers/Microsoft.MachineLearningServices/workspaces/ws1";
const ARM = { ...ws, armEndpoint: "https://management.azure.com" };

/** A two-step run: prep reads the pipeline's input, train reads prep's output and writes the pipeline's output. */
function twoSteps(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    ...ws,
    identity: "proj/dev/train",
    inputs: { rows: 10, raw: { type: "uri_folder", path: "azureml://datastores/workspaceblobstore/paths/raw/", mode: "download" } },
    outputs: { model: { type: "uri_folder" } },
    settings: { defaultCompute: "azureml:cpu-cluster" },
    jobs: {
      prep: { component: "azureml:prep:1", inputs: { n: "${{parent.inputs.rows}}", data: "${{parent.inputs.raw}}" } },
      train: { component: `${WS_ID}/components/train/versions/3`, inputs: { data: "${{parent.jobs.prep.outputs.out}}" }, outputs: { model: "${{parent.outputs.model}}" }, compute: "azureml:gpu" },
    },
    ...overrides,
  };
}

function failuresOf(news: Record<string, unknown>): CheckFailure[] {
  const { failures, fail } = failureList();
  checkPipelineRun({ ...news }, fail, "azure", {});
  return failures;
}

/** Checked inputs with the REST job built as the lifecycle's check builds it (components resolved as given). */
function built(news: Record<string, unknown>, componentIds: Record<string, string>): PipelineRunInputs {
  const inputs = { ...news };
  const { failures, fail } = failureList();
  const document = checkPipelineRun(inputs, fail, "azure", {});
  assert.deepEqual(failures, []);
  const { job, problems } = restPipelineJob(document!.doc, componentIds, inputs as unknown as PipelineRunInputs);
  assert.deepEqual(problems, []);
  return { ...(inputs as unknown as PipelineRunInputs), componentIds, pipelineJob: job };
}

const IDS = { prep: `${WS_ID}/components/prep/versions/1`, train: `${WS_ID}/components/train/versions/3` };

describe("AmlPipelineRun inputs", () => {
  it("reads component references: name and version, @latest, ARM ids with or without azureml:", () => {
    assert.deepEqual(parseComponentRef("azureml:prep:1"), { kind: "version", name: "prep", version: "1" });
    assert.deepEqual(parseComponentRef("azureml:prep@latest"), { kind: "latest", name: "prep" });
    assert.deepEqual(parseComponentRef(IDS.train), { kind: "id", id: IDS.train });
    assert.deepEqual(parseComponentRef(`azureml:${IDS.train}`), { kind: "id", id: IDS.train });
    assert.equal(parseComponentRef("./train.yml"), undefined);
    assert.equal(parseComponentRef(`${WS_ID}/environments/e/versions/1`), undefined);
  });

  it("maps typed arguments to the REST pipeline job azure-ai-ml sends (bindings as literals, ARM ids, snake_case inside jobs)", () => {
    const inputs = built(twoSteps({ displayName: "train it", tags: { team: "ml" }, experimentName: "exp" }), IDS);
    assert.deepEqual(inputs.pipelineJob, {
      jobType: "Pipeline",
      experimentName: "exp",
      properties: {},
      isArchived: false,
      inputs: { rows: { jobInputType: "literal", value: "10" }, raw: { jobInputType: "uri_folder", uri: "azureml://datastores/workspaceblobstore/paths/raw/", mode: "Download" } },
      outputs: { model: { jobOutputType: "uri_folder" } },
      settings: { default_compute: `${WS_ID}/computes/cpu-cluster`, _source: "YAML.JOB" },
      jobs: {
        prep: {
          name: "prep",
          type: "command",
          componentId: IDS.prep,
          _source: "REMOTE.WORKSPACE.COMPONENT",
          inputs: { n: { job_input_type: "literal", value: "${{parent.inputs.rows}}" }, data: { job_input_type: "literal", value: "${{parent.inputs.raw}}" } },
        },
        train: {
          name: "train",
          type: "command",
          componentId: IDS.train,
          _source: "REMOTE.WORKSPACE.COMPONENT",
          compute: `${WS_ID}/computes/gpu`,
          inputs: { data: { job_input_type: "literal", value: "${{parent.jobs.prep.outputs.out}}" } },
          outputs: { model: { type: "literal", value: "${{parent.outputs.model}}" } },
        },
      },
    });
    assert.deepEqual(jobBody(inputs), { ...inputs.pipelineJob, displayName: "train it", tags: { team: "ml" } });
    assert.deepEqual(jobBody({ ...inputs, displayName: undefined, tags: undefined }), { ...inputs.pipelineJob, displayName: "train", tags: {} });
  });

  it("puts the arguments over the YAML file: steps, inputs, outputs and settings by key, the rest whole", () => {
    const file = pipelineFile(path.join(FIXTURES, "pipeline.yml"));
    const { doc, steps } = pipelineDocument({ ...file, inputs: { workers: 4 }, settings: { continueOnStepFailure: true }, displayName: "mine", jobs: { extra: { component: "azureml:x:1" } } } as never);
    assert.deepEqual(steps, { adb: { fromArgs: false }, extra: { fromArgs: true } });
    assert.deepEqual(doc.inputs, { workers: 4 });
    assert.deepEqual(doc.settings, { default_compute: "azureml:cpu-cluster", default_datastore: "azureml:workspaceblobstore", continue_on_step_failure: true });
    assert.equal(doc.display_name, "mine");
    assert.equal(doc.experiment_name, "nightly");
    assert.deepEqual(Object.keys(doc.jobs as object), ["adb", "extra"]);
    assert.deepEqual((doc.jobs as Record<string, unknown>).extra, { type: "command", component: "azureml:x:1" });
  });

  it("fails at check on every bad input at once, naming the property and the fix", () => {
    const bad = twoSteps({
      settings: { defaultCompute: "azureml:cpu", retries: 2 },
      timeoutSeconds: 0,
      jobs: {
        prep: { inputs: { n: "${{parent.inputs.count}}" } },
        train: { component: "./train.yml", inputs: { data: "${{parent.jobs.clean.outputs.out}}", self: "${{parent.jobs.train.outputs.model}}", odd: "${{parent.whatever}}" }, outputs: { model: "${{parent.outputs.weights}}" } },
      },
    });
    assert.deepEqual(failuresOf(bad), [
      { property: "timeoutSeconds", reason: "timeoutSeconds must be a whole number >= 1, not 0." },
      { property: "settings.retries", reason: "settings.retries is not a setting: use defaultCompute, defaultDatastore, continueOnStepFailure." },
      { property: "jobs.prep.component", reason: "jobs.prep.component is required: the registered component the step runs, azureml:<name>:<version>, azureml:<name>@latest, or an AmlComponent's componentId or reference." },
      { property: "jobs.prep.inputs.n", reason: "jobs.prep.inputs.n binds ${{parent.inputs.count}}, but the pipeline has no input count: add it to inputs (it has rows, raw)." },
      {
        property: "jobs.train.component",
        reason: `jobs.train.component "./train.yml" is not a registered component: use azureml:<name>:<version>, azureml:<name>@latest, or an AmlComponent's componentId or reference (a local component file is not supported; register it with an AmlComponent).`,
      },
      { property: "jobs.train.inputs.data", reason: "jobs.train.inputs.data binds ${{parent.jobs.clean.outputs.out}}, but the pipeline has no step clean (its steps: prep, train)." },
      { property: "jobs.train.inputs.self", reason: "jobs.train.inputs.self binds the step's own output model: a step reads outputs of other steps." },
      { property: "jobs.train.inputs.odd", reason: "jobs.train.inputs.odd binds ${{parent.whatever}}, which is neither ${{parent.inputs.<input>}} nor ${{parent.jobs.<step>.outputs.<output>}}." },
      { property: "jobs.train.outputs.model", reason: "jobs.train.outputs.model binds ${{parent.outputs.weights}}, but the pipeline has no output weights: add it to outputs." },
    ]);
    assert.deepEqual(failuresOf({ ...ws, identity: "p/s/r" }), [{ property: "jobs", reason: "The pipeline has no steps: give jobs (a map of steps, each with a component), or a file whose jobs: has them." }]);
  });

  it("names a cycle of steps once; a step of the YAML file is reported against file, with its path", () => {
    const cycle = twoSteps({ jobs: { a: { component: "azureml:a:1", inputs: { x: "${{parent.jobs.b.outputs.o}}" } }, b: { component: "azureml:b:1", inputs: { x: "${{parent.jobs.a.outputs.o}}" } } } });
    assert.deepEqual(failuresOf(cycle), [{ property: "jobs.a.inputs", reason: "The steps read each other's outputs in a cycle: a -> b -> a; a step can only read outputs of steps before it." }]);
    const file = pipelineFile(path.join(FIXTURES, "pipeline.yml"));
    const doc = file.pipelineYaml as Record<string, Record<string, Record<string, unknown>>>;
    const broken = { ...file, pipelineYaml: { ...doc, jobs: { adb: { ...doc.jobs.adb, component: undefined, inputs: { num_workers: "${{parent.inputs.nodes}}" } } } } };
    assert.deepEqual(failuresOf({ ...ws, identity: "p/s/r", ...broken }), [
      { property: "file", reason: `${file.file}: jobs.adb.component is required: the registered component the step runs, azureml:<name>:<version>, azureml:<name>@latest, or an AmlComponent's componentId or reference.` },
      { property: "file", reason: `${file.file}: jobs.adb.inputs.num_workers binds \${{parent.inputs.nodes}}, but the pipeline has no input nodes: add it to inputs (it has workers).` },
    ]);
  });

  it("lets unknown values through at preview", () => {
    assert.deepEqual(failuresOf(twoSteps({ jobs: UNKNOWN, triggers: UNKNOWN })), []);
    assert.deepEqual(failuresOf(twoSteps({ jobs: { prep: { component: UNKNOWN, inputs: { n: UNKNOWN } } } })), []);
  });

  it("names the job deterministically from identity, definition and triggers; each attempt gets its own name", () => {
    const inputs = { ...built(twoSteps(), IDS), ...ARM };
    const name = jobNameOf(inputs, 0);
    assert.match(name, /^train_[0-9a-f]{20}$/);
    assert.equal(jobNameOf({ ...inputs, displayName: "other", timeoutSeconds: 5 }, 0), name, "settings do not change the name");
    const others = [jobNameOf(inputs, 1), jobNameOf({ ...inputs, triggers: { v: "2" } }, 0), jobNameOf({ ...inputs, identity: "proj/prod/train" }, 0), jobNameOf(built(twoSteps({ inputs: { rows: 11, raw: 1 } }), IDS), 0)];
    assert.equal(new Set([name, ...others]).size, 5);
    assert.match(jobNameOf({ ...inputs, identity: "p/s/..my run!" }, 0), /^my_run__[0-9a-f]{20}$/);
  });

  it("diff: definition, component version and triggers run again, with the reasons; display settings only update", () => {
    const olds = { ...built(twoSteps(), IDS), ...ARM };
    const same = diffPipelineRun(olds, { ...built(twoSteps(), IDS), ...ARM });
    assert.deepEqual(same, { changes: false, replaces: [], reasons: [], updates: [], detail: {} });
    const newer = { ...built(twoSteps({ inputs: { rows: 20, raw: { type: "uri_folder", path: "azureml://datastores/workspaceblobstore/paths/raw/", mode: "download" } } }), { ...IDS, train: `${WS_ID}/components/train/versions/4` }), ...ARM, triggers: { data: "v2" } };
    assert.deepEqual(diffPipelineRun(olds, newer), {
      changes: true,
      // The program's properties behind the new definition, as a preview lists them.
      replaces: ["inputs", "componentIds", "triggers"],
      reasons: ['step "train": component train:3 -> train:4', 'input "rows"', 'trigger "data"'],
      updates: [],
      // What a preview lists: the program's own inputs that changed, not the REST job built from them.
      detail: { inputs: "update-replace", "componentIds.train": "update-replace", 'triggers.data': "add-replace" },
    });
    const renamed = { ...olds, displayName: "x", tags: { a: "b" }, timeoutSeconds: 60 };
    assert.deepEqual(diffPipelineRun(olds, renamed), {
      changes: true,
      replaces: [],
      reasons: [],
      updates: ["displayName", "tags", "timeoutSeconds"],
      detail: { displayName: "add", tags: "add", timeoutSeconds: "add" },
    });
    assert.deepEqual(diffPipelineRun(olds, { ...olds, pipelineJob: UNKNOWN as never }).reasons, ["the pipeline's definition (not known until apply)"]);
    assert.deepEqual(diffPipelineRun(olds, { ...olds, workspaceName: "ws2" }).replaces, ["workspaceName"]);
    assert.deepEqual(diffPipelineRun({ ...olds, triggers: { a: "1", b: "1" } }, { ...olds, triggers: { a: "2", b: "1", c: UNKNOWN } }).reasons, ['trigger "a"', 'trigger "c" (not known until apply)']);
    assert.deepEqual(diffPipelineRun(olds, { ...olds, triggers: UNKNOWN as never }).reasons, ["triggers (not known until apply)"]);
    const moreSteps = { ...olds, pipelineJob: { ...olds.pipelineJob, jobs: { ...(olds.pipelineJob!.jobs as object), eval: {} }, settings: {} } };
    assert.deepEqual(diffPipelineRun(olds, moreSteps).reasons, ['step "eval" added', "settings"]);
  });

  it("diff: an edited code file runs again and is named; a component being registered again names its step", () => {
    const olds = { ...built(twoSteps(), IDS), ...ARM, codeFiles: { "notebooks/to_parquet.py": "h1" } };
    assert.deepEqual(diffPipelineRun(olds, { ...olds, codeFiles: { "notebooks/to_parquet.py": "h2" } }), {
      changes: true,
      replaces: ["codeFiles"],
      reasons: ["notebook file notebooks/to_parquet.py"],
      updates: [],
      detail: { 'codeFiles["notebooks/to_parquet.py"]': "update-replace" },
    });
    // In preview a replaced component's reference is unknown: the step's component is what changes.
    const registering = { ...olds, jobs: { ...olds.jobs, train: { ...olds.jobs!.train, component: UNKNOWN } }, componentIds: UNKNOWN as never, pipelineJob: UNKNOWN as never };
    const d = diffPipelineRun(olds, registering);
    assert.deepEqual([d.replaces, d.reasons, d.detail], [["jobs"], ['step "train": its component (a new version, registered in this update)'], { "jobs.train": "update-replace" }]);
  });

  it("diff: a state written when the notebook's hash was triggers.notebook reads as the same code", () => {
    const legacy = { ...built(twoSteps(), IDS), ...ARM, triggers: { notebook: "h1" } };
    const current = { ...built(twoSteps(), IDS), ...ARM, codeFiles: { "notebooks/to_parquet.py": "h1" } };
    assert.deepEqual(diffPipelineRun(legacy, current), { changes: false, replaces: [], reasons: [], updates: [], detail: {} });
    assert.deepEqual(diffPipelineRun(legacy, { ...current, codeFiles: { "notebooks/to_parquet.py": "h2" } }).detail, { 'codeFiles["notebooks/to_parquet.py"]': "update-replace" });
    // Any other trigger is still a trigger.
    assert.deepEqual(diffPipelineRun({ ...legacy, triggers: { notebook: "h1", data: "v1" } }, { ...current, triggers: { data: "v2" } }).reasons, ['trigger "data"']);
    assert.deepEqual(legacyNotebookTrigger({ triggers: { notebook: "h1" } }, { codeFiles: { "a.py": "h1", "b.py": "h2" } }), { triggers: { notebook: "h1" } });
  });
});
