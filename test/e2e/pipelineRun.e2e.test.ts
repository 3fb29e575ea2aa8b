import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import type { EngineEvent } from "@pulumi/pulumi/automation";
import { AmlComponent, AmlPipelineRun } from "../../src";
import { AzureMlApi, createAzureMlApi } from "../../src/azureml/client";
import { useInlineStack } from "./support/inlineFixture";

const ENVIRONMENT = "azureml://registries/azureml/environments/sklearn-1.5/versions/1";

/** A command component YAML over `./<code>`, named and versioned, with one integer input `n` or one folder input `data`. */
function componentYaml(name: string, code: string, input: "n" | "data", output: string, command: string): string {
  return [
    "$schema: https://azuremlschemas.azureedge.net/latest/commandComponent.schema.json",
    `name: ${name}`,
    'version: "1"',
    "type: command",
    "inputs:",
    `  ${input}:`,
    `    type: ${input === "n" ? "integer" : "uri_folder"}`,
    "outputs:",
    `  ${output}:`,
    "    type: uri_folder",
    `code: ./${code}`,
    `environment: ${ENVIRONMENT}`,
    `command: ${JSON.stringify(command)}`,
    "",
  ].join("\n");
}

/**
 * AmlPipelineRun through the real engine against the emulator, whose executor runs the steps:
 * two AmlComponents from CLI v2 YAML (code uploaded) → a two-step pipeline run waiting for them;
 * an unchanged up runs nothing; a changed input previews as a re-run naming the input; a failing
 * step fails the up naming the step, its exit code and log tail, and the next up runs it again;
 * destroy deletes the jobs.
 */
describe("AmlPipelineRun through the Pulumi engine", function () {
  this.timeout(10 * 60 * 1000);
  const cliOutput: string[] = [];
  let dir: string;
  let gate: string;
  let api: AzureMlApi;

  const program = async () => {
    const config = new pulumi.Config();
    const ws = { subscriptionId: config.require("subscriptionId"), resourceGroupName: config.require("resourceGroupName"), workspaceName: config.require("workspaceName"), armEndpoint: config.require("armEndpoint") };
    const make = new AmlComponent("make", { ...ws, file: path.join(dir, "make.yml") });
    const total = new AmlComponent("total", { ...ws, file: path.join(dir, "total.yml") });
    const run = new AmlPipelineRun("numbers", {
      ...ws,
      displayName: "numbers",
      inputs: { n_param: config.requireNumber("n") },
      outputs: { final: { type: "uri_folder" } },
      settings: { defaultCompute: "azureml:cpu-cluster" },
      jobs: {
        make: { component: make.reference, inputs: { n: "${{parent.inputs.n_param}}" } },
        sum: { component: total.componentId, inputs: { data: `\${{parent.jobs.${config.get("readsStep") ?? "make"}.outputs.numbers}}` }, outputs: { total: "${{parent.outputs.final}}" } },
      },
      triggers: { attempt: config.require("attempt") },
    });
    return { jobName: run.jobName, status: run.status, studioUrl: run.studioUrl, steps: run.steps, pipelineOutputs: run.pipelineOutputs };
  };

  const e2e = useInlineStack("e2e-pipeline-run", program);

  /** The pipeline jobs of the workspace (child jobs left out). */
  async function pipelineJobs(): Promise<string[]> {
    const r = await fetch(`${e2e.emulator.url}${api.workspaceId}/jobs?api-version=2025-12-01`, { headers: { Authorization: `Bearer ${e2e.token}` } });
    const body = (await r.json()) as { value: { name: string; properties: { jobType: string } }[] };
    return body.value.filter((j) => j.properties.jobType === "Pipeline").map((j) => j.name).sort();
  }

  /** What the `sum` step wrote, read through the datastore's https URL of its output. */
  async function totalWritten(steps: Record<string, { outputs: Record<string, { url: string }> }>): Promise<string> {
    const store = await api.datastores.get("workspaceblobstore");
    const key = (await api.datastores.listSecrets("workspaceblobstore")).key as string;
    const { StorageSharedKeyCredential, BlockBlobClient } = await import("@azure/storage-blob");
    const url = `${steps.sum.outputs.total.url}total.txt`;
    const blob = new BlockBlobClient(url, new StorageSharedKeyCredential(String(store.properties?.accountName), key));
    return (await blob.downloadToBuffer()).toString();
  }

  before(async () => {
    dir = path.join(e2e.workDir, "aml");
    gate = path.join(dir, "gate");
    // One code folder per component, as its YAML names it.
    for (const code of ["make_src", "total_src"]) fs.mkdirSync(path.join(dir, code), { recursive: true });
    fs.writeFileSync(path.join(dir, "make_src", "make.py"), "import os, sys\nn, out = int(sys.argv[1]), sys.argv[2]\nopen(os.path.join(out, 'numbers.txt'), 'w').write('\\n'.join(str(i) for i in range(1, n + 1)))\n");
    fs.writeFileSync(path.join(dir, "total_src", "total.py"), "import os, sys\ndata, out = sys.argv[1], sys.argv[2]\nopen(os.path.join(out, 'total.txt'), 'w').write(str(sum(int(x) for x in open(os.path.join(data, 'numbers.txt')).read().split())))\n");
    fs.writeFileSync(path.join(dir, "make.yml"), componentYaml("make_numbers", "make_src", "n", "numbers", `test -f ${gate} || { echo 'the gate is closed' >&2; exit 3; }; python make.py \${{inputs.n}} \${{outputs.numbers}}`));
    fs.writeFileSync(path.join(dir, "total.yml"), componentYaml("add_numbers", "total_src", "data", "total", "python total.py ${{inputs.data}} ${{outputs.total}}"));
    fs.writeFileSync(gate, "");
    const aml = e2e.emulator.azureml;
    for (const [key, value] of Object.entries({ subscriptionId: aml.subscriptionId, resourceGroupName: aml.resourceGroup, workspaceName: aml.workspace, armEndpoint: e2e.emulator.url, n: "4", attempt: "1" })) {
      await e2e.stack.setConfig(key, { value });
    }
    api = createAzureMlApi({ workspace: { subscriptionId: aml.subscriptionId, resourceGroupName: aml.resourceGroup, workspaceName: aml.workspace }, endpoint: e2e.emulator.url, target: "local", env: { AMLDB_LOCAL_TOKEN: e2e.token } });
  });

  it("up registers the components and runs the pipeline, printing the studio URL and the steps' statuses; outputs name the steps' jobs and output URLs", async () => {
    const lines: string[] = [];
    const up = await e2e.stack.up({ onOutput: (o) => (lines.push(o), cliOutput.push(o)) });
    assert.deepEqual(up.summary.resourceChanges, { create: 4 });
    const jobName = up.outputs.jobName.value as string;
    assert.match(jobName, /^numbers_[0-9a-f]{20}$/);
    assert.equal(up.outputs.status.value, "Completed");
    assert.deepEqual(await pipelineJobs(), [jobName]);
    const output = lines.join("");
    assert.ok(output.includes(`Azure ML pipeline run "numbers": submitted job ${jobName}; studio: ${up.outputs.studioUrl.value}`), output);
    assert.ok(output.includes('Azure ML pipeline run "numbers": step "sum" Completed'), output);
    const steps = up.outputs.steps.value;
    assert.deepEqual(Object.keys(steps).sort(), ["make", "sum"]);
    assert.deepEqual(up.outputs.pipelineOutputs.value, { final: steps.sum.outputs.total });
    assert.equal(await totalWritten(steps), "10");
  });

  it("an unchanged up runs nothing; a changed input previews as a re-run naming it, and up runs again", async () => {
    const same = await e2e.stack.up({ onOutput: (o) => cliOutput.push(o) });
    assert.deepEqual(same.summary.resourceChanges, { same: 4 });
    assert.equal((await pipelineJobs()).length, 1);
    await e2e.stack.setConfig("n", { value: "5" });
    const lines: string[] = [];
    const events: EngineEvent[] = [];
    const preview = await e2e.stack.preview({ onOutput: (o) => lines.push(o), onEvent: (e) => events.push(e) });
    assert.deepEqual(preview.changeSummary, { same: 3, replace: 1 });
    assert.ok(lines.join("").includes('Azure ML pipeline run "numbers": will run again (replace): input "n_param" changed.'), lines.join(""));
    const up = await e2e.stack.up({ onOutput: (o) => cliOutput.push(o) });
    assert.deepEqual(up.summary.resourceChanges, { same: 3, replace: 1 });
    assert.equal(await totalWritten(up.outputs.steps.value), "15");
    assert.deepEqual(await pipelineJobs(), [up.outputs.jobName.value], "the replaced run's job is deleted");
  });

  it("a failing step fails up naming the step, its exit code and log tail; the next up runs it again", async () => {
    fs.rmSync(gate);
    await e2e.stack.setConfig("attempt", { value: "2" });
    const lines: string[] = [];
    await assert.rejects(e2e.stack.up({ onOutput: (o) => (lines.push(o), cliOutput.push(o)) }), (err: Error) => {
      assert.match(err.message, /Azure ML pipeline run "numbers": job numbers_[0-9a-f]{20} ended Failed\n\s*step "make" \(job [0-9a-f-]{36}\) Failed/);
      return true;
    });
    const output = lines.join("");
    assert.match(output, /step "make" \(job [0-9a-f-]{36}\) Failed: step make failed with exit code 3; the end of its log:\n\s*the gate is closed\n/);
    fs.writeFileSync(gate, "");
    const again: string[] = [];
    const up = await e2e.stack.up({ onOutput: (o) => (again.push(o), cliOutput.push(o)) });
    assert.deepEqual(up.summary.resourceChanges, { same: 3, update: 1 });
    assert.match(again.join(""), /Azure ML pipeline run "numbers": job numbers_[0-9a-f]{20} ended Failed; will run again\./);
    assert.equal(up.outputs.status.value, "Completed");
    assert.equal(await totalWritten(up.outputs.steps.value), "15");
  });

  it("a binding to a step the pipeline does not have fails the preview, naming the property; nothing is submitted", async () => {
    const before = await pipelineJobs();
    await e2e.stack.setConfig("readsStep", { value: "prep" });
    try {
      await assert.rejects(e2e.stack.preview({ onOutput: (o) => cliOutput.push(o) }), (err: Error) => {
        assert.match(err.message, /AmlPipelineRun resource 'numbers': property jobs\.sum\.inputs\.data value \{<nil>\} has a problem: jobs\.sum\.inputs\.data binds \$\{\{parent\.jobs\.prep\.outputs\.numbers\}\}, but the pipeline has no step prep \(its steps: make, sum\)\./);
        return true;
      });
    } finally {
      await e2e.stack.removeConfig("readsStep");
    }
    assert.deepEqual(await pipelineJobs(), before);
  });

  it("destroy deletes the run's jobs and the components", async () => {
    assert.ok((await pipelineJobs()).length > 0);
    const destroy = await e2e.stack.destroy({ onOutput: (o) => cliOutput.push(o) });
    assert.deepEqual(destroy.summary.resourceChanges, { delete: 4 });
    assert.deepEqual(await pipelineJobs(), []);
    await assert.rejects(api.components.getVersion("make_numbers", "1"), { status: 404 });
  });
});
