/**
 * The AmlPipelineRun provider's operations, called as the engine calls them, against the
 * emulator's Resource Manager with its local executor: pipeline jobs run for real (Python steps),
 * and the resource submits, adopts, waits, records failures, re-runs and cancels.
 */
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { createAzureMlApi } from "../../../src/azureml/client";
import { jobNameOf, PipelineRunInputs } from "../../../src/azureml/pipelineRun/inputs";
import * as run from "../../../src/azureml/pipelineRun/lifecycle";
import { pipelineFile } from "../../../src/azureml/pipelineRun/yaml";
import { until, useEmulator } from "../../support/emulator";
import { blobText, childJobs, datastoreContainer, registerComponent, uploadCode } from "../../emulator/azureml/executionFixture";
import { WS } from "../../emulator/azureml/fixture";

type Recorded = Error & { id: string; properties: run.PipelineRunOutputs; reasons: string[] };

/** Step `make` writes the numbers 1..n; step `sum` adds up what `make` wrote. */
const CODE = {
  "make.py": "import os, sys\nn, out = int(sys.argv[1]), sys.argv[2]\nopen(os.path.join(out, 'numbers.txt'), 'w').write('\\n'.join(str(i) for i in range(1, n + 1)))\n",
  "total.py": "import os, sys\ndata, out = sys.argv[1], sys.argv[2]\nnumbers = [int(x) for x in open(os.path.join(data, 'numbers.txt')).read().split()]\nopen(os.path.join(out, 'total.txt'), 'w').write(str(sum(numbers)))\n",
};
const MAKE = "python make.py ${{inputs.n}} ${{outputs.numbers}}";

describe("AmlPipelineRun provider operations against the emulator (jobs run locally)", function () {
  this.timeout(120_000);
  const t = useEmulator();
  const saved = { ...process.env };
  const realLog = console.log;
  let lines: string[];
  let ws: { subscriptionId: string; resourceGroupName: string; workspaceName: string; armEndpoint: string };
  let dir: string;

  before(() => {
    const e = t.emulator;
    Object.assign(process.env, { AMLDB_TARGET: "local", AMLDB_LOCAL_TOKEN: e.token, AMLDB_ARM_ENDPOINT: e.url });
    ws = { subscriptionId: e.azureml.subscriptionId, resourceGroupName: e.azureml.resourceGroup, workspaceName: e.azureml.workspace, armEndpoint: e.url };
  });
  beforeEach(() => {
    lines = [];
    console.log = (...args: unknown[]) => void lines.push(args.join(" "));
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "aml-pipeline-run-"));
  });
  afterEach(() => {
    console.log = realLog;
    fs.rmSync(dir, { recursive: true, force: true });
  });
  after(() => {
    process.env = saved;
  });

  const api = () => createAzureMlApi({ workspace: ws });

  /** Registers `make:<version>` (with `makeCommand`) and `total:1` over the code of {@link CODE}. */
  async function components(makeCommand = MAKE, version = "1"): Promise<void> {
    const code = await uploadCode(t, `numbers-${version}`, CODE);
    const make = { code, command: makeCommand, inputs: { n: { type: "integer" } }, outputs: { numbers: { type: "uri_folder" } } };
    if (version === "1") {
      await registerComponent(t, "make", make);
      await registerComponent(t, "total", { code, command: "python total.py ${{inputs.data}} ${{outputs.total}}", inputs: { data: { type: "uri_folder" } }, outputs: { total: { type: "uri_folder" } } });
    } else {
      const r = await t.call("PUT", `${WS}/components/make/versions/${version}?api-version=2025-12-01`, { properties: { componentSpec: { name: "make", version, type: "command", environment: "azureml://registries/azureml/environments/sklearn-1.5/versions/1", ...make } } });
      assert.equal(r.status, 201);
    }
  }

  /** The arguments of a two-step run: make(n) -> sum, whose total is the pipeline's output `final`. */
  function args(name: string, n: string | number = 4, make = "azureml:make:1", extra: Record<string, unknown> = {}): Record<string, unknown> {
    return {
      ...ws,
      identity: `proj/test/${name}`,
      inputs: { n_param: n },
      outputs: { final: { type: "uri_folder" } },
      settings: { defaultCompute: "azureml:cpu-cluster" },
      jobs: {
        make: { component: make, inputs: { n: "${{parent.inputs.n_param}}" } },
        sum: { component: `${WS}/components/total/versions/1`, inputs: { data: "${{parent.jobs.make.outputs.numbers}}" }, outputs: { total: "${{parent.outputs.final}}" } },
      },
      ...extra,
    };
  }

  async function checked(news: Record<string, unknown>, olds: Record<string, unknown> = {}): Promise<PipelineRunInputs> {
    const { inputs, failures } = await run.check(olds, news);
    assert.deepEqual(failures, []);
    return inputs as unknown as PipelineRunInputs;
  }

  /** The pipeline jobs of the workspace (children excluded). */
  async function pipelineJobs(): Promise<string[]> {
    const r = await t.call("GET", `${WS}/jobs?api-version=2025-12-01`);
    return (r.body.value as { name: string; properties: { jobType: string } }[]).filter((j) => j.properties.jobType === "Pipeline").map((j) => j.name).sort();
  }

  async function total(outs: run.PipelineRunOutputs): Promise<string> {
    // Where the run says the step's output is (bound to the pipeline's output `final`, it lands at that output's path).
    const folder = outs.steps.sum.outputs.total.uri.replace(/^azureml:\/\/datastores\/workspaceblobstore\/paths\//, "");
    return blobText(await datastoreContainer(t), `${folder}total.txt`);
  }

  it("submits, waits printing each step's status and the studio URL, and records steps and outputs (azureml:// and https)", async () => {
    await components();
    const inputs = await checked(args("numbers"));
    assert.deepEqual(inputs.componentIds, { make: `${WS}/components/make/versions/1`, sum: `${WS}/components/total/versions/1` });
    const { id, outs } = await run.create(inputs);
    assert.equal(id, outs.jobName);
    assert.match(outs.jobName, /^numbers_[0-9a-f]{20}$/);
    assert.equal(outs.status, "Completed");
    const studio = `${t.emulator.url}/runs/${outs.jobName}?wsid=/subscriptions/${ws.subscriptionId}/resourcegroups/${ws.resourceGroupName}/workspaces/${ws.workspaceName}`;
    assert.equal(outs.studioUrl, studio);
    const children = await childJobs(t, outs.jobName);
    assert.deepEqual(Object.keys(outs.steps).sort(), ["make", "sum"]);
    const ds = (await api().datastores.get("workspaceblobstore")).properties!;
    const blobBase = `${ds.properties!["emulator.blobServiceUrl"]}/${ds.containerName}`;
    const where = (job: string, output: string) => ({
      uri: `azureml://datastores/workspaceblobstore/paths/azureml/${job}/${output}/`,
      url: `${blobBase}/azureml/${job}/${output}/`,
    });
    // An output bound to the pipeline's output lands at that output's default path (azureml/<pipeline job>/<output>/).
    assert.deepEqual(outs.steps, {
      make: { jobName: children.make.name, status: "Completed", outputs: { numbers: where(children.make.name, "numbers") } },
      sum: { jobName: children.sum.name, status: "Completed", outputs: { total: where(outs.jobName, "final") } },
    });
    assert.deepEqual(outs.pipelineOutputs, { final: where(outs.jobName, "final") });
    assert.equal(await total(outs), "10");
    const label = 'Azure ML pipeline run "numbers"';
    assert.equal(lines[0], `${label}: submitted job ${outs.jobName}; studio: ${studio}`);
    for (const step of ["make", "sum"]) {
      // A line per status change of the step; the first names its child job.
      const stepLines = lines.filter((l) => l.startsWith(`${label}: step "${step}" `));
      assert.ok(stepLines.length > 0, lines.join("\n"));
      assert.ok(stepLines[0].endsWith(` (job ${children[step].name})`), stepLines[0]);
      assert.match(stepLines[stepLines.length - 1], new RegExp(`^${label}: step "${step}" Completed( \\(job ${children[step].name}\\))?$`));
    }
    assert.match(lines[lines.length - 1], new RegExp(`^${label}: job ${outs.jobName} Completed \\(\\d+\\.\\ds\\)$`));

    // Refresh reads the job back; a job the service no longer has keeps what state knew (a run is an event).
    assert.deepEqual(await run.read(id, outs), { id, props: outs });
    await run.remove(id, outs);
    await assert.rejects(api().jobs.get(outs.jobName), (err: { status?: number }) => err.status === 404);
    assert.deepEqual(await run.read(id, outs), { id, props: outs });
  });

  it("unchanged: diff finds nothing and no job is submitted; a changed input or a new component version runs again, naming the reason", async () => {
    await components();
    const first = await run.create(await checked(args("rerun", 4, "azureml:make@latest")));
    assert.deepEqual(await pipelineJobs(), [first.outs.jobName]);

    lines = [];
    const same = await checked(args("rerun", 4, "azureml:make@latest"), first.outs as never);
    assert.deepEqual(await run.diff(first.id, first.outs, same), { changes: false, replaces: [], deleteBeforeReplace: false });
    assert.deepEqual(lines, []);

    const changed = await checked(args("rerun", 5, "azureml:make@latest"));
    // What replaces is the program's property behind the new definition: the pipeline's inputs.
    assert.deepEqual(await run.diff(first.id, first.outs, changed), { changes: true, replaces: ["inputs"], deleteBeforeReplace: false });
    assert.deepEqual(lines, ['Azure ML pipeline run "rerun": will run again (replace): input "n_param" changed.']);
    const second = await run.create(changed);
    assert.notEqual(second.outs.jobName, first.outs.jobName);
    assert.equal(await total(second.outs), "15");
    await run.remove(first.id, first.outs);
    assert.deepEqual(await pipelineJobs(), [second.outs.jobName]);

    await components(MAKE, "2");
    lines = [];
    const newer = await checked(args("rerun", 5, "azureml:make@latest"));
    assert.equal(newer.componentIds?.make, `${WS}/components/make/versions/2`);
    assert.deepEqual(await run.diff(second.id, second.outs, newer), { changes: true, replaces: ["componentIds"], deleteBeforeReplace: false });
    assert.deepEqual(lines, ['Azure ML pipeline run "rerun": will run again (replace): step "make": component make:1 -> make:2 changed.']);

    lines = [];
    const retitled = await checked(args("rerun", 5, "azureml:make@latest", { displayName: "numbers, retitled", triggers: {} }));
    const settingsOnly = { ...second.outs, componentIds: newer.componentIds, pipelineJob: newer.pipelineJob };
    assert.deepEqual(await run.diff(second.id, settingsOnly, retitled), { changes: true, replaces: [], deleteBeforeReplace: false });
    assert.deepEqual(lines, ['Azure ML pipeline run "rerun": displayName changed; no new run (update).']);
    const updated = await run.update(second.id, second.outs, await checked(args("rerun", 5, "azureml:make:1", { displayName: "numbers, retitled" })));
    assert.equal(updated.outs.jobName, second.outs.jobName);
    assert.equal((await api().jobs.get(second.outs.jobName)).properties?.displayName, "numbers, retitled");
    assert.deepEqual(await pipelineJobs(), [second.outs.jobName]);
  });

  it("fails with the failing step's name, exit code and log tail; records the job; the next up runs it again under a new name and deletes the failed one", async () => {
    const gate = path.join(dir, "fixed");
    await components(`echo preparing; test -f ${gate} || { echo 'boom: no numbers' >&2; exit 3; }; ${MAKE}`);
    const inputs = await checked(args("fails"));
    const failure = (await run.create(inputs).then(() => assert.fail("create should fail"), (e: Error) => e)) as Recorded;
    const name = failure.properties.jobName;
    const children = await childJobs(t, name);
    const studio = failure.properties.studioUrl;
    const head = `Azure ML pipeline run "fails": job ${name} ended Failed\n  step "make" (job ${children.make.name}) Failed`;
    assert.equal(failure.message, `${head}: step make failed with exit code 3; the end of its log:\n    preparing\n    boom: no numbers\nStudio: ${studio}`);
    assert.deepEqual(failure.reasons, [`${head}\nThe steps' errors and log tails are printed above, not kept in the stack's state, as step output may hold secrets; the studio page has them too.\nStudio: ${studio}`]);
    assert.equal(lines[lines.length - 1], failure.message);
    assert.equal(failure.id, name);
    assert.equal(failure.properties.status, "Failed");
    assert.deepEqual(failure.properties.steps.make.status, "Failed");
    assert.deepEqual(failure.properties.steps.sum.status, "NotStarted");
    assert.ok(!JSON.stringify(failure.properties).includes("boom"), "the log tail is not kept in state");

    lines = [];
    assert.deepEqual(await run.diff(failure.id, failure.properties, inputs), { changes: true, replaces: [], deleteBeforeReplace: false });
    assert.deepEqual(lines, [`Azure ML pipeline run "fails": job ${name} ended Failed; will run again.`]);
    fs.writeFileSync(gate, "");
    const again = await run.update(failure.id, failure.properties, inputs);
    assert.equal(again.outs.status, "Completed");
    assert.equal(again.outs.jobName, jobNameOf(inputs, 1));
    assert.equal(await total(again.outs), "10");
    assert.deepEqual(await pipelineJobs(), [again.outs.jobName], "the failed job the run recorded is deleted (keepHistory keeps it)");
  });

  it("adopts the job an interrupted create submitted instead of submitting another", async () => {
    await components();
    const inputs = await checked(args("adopt"));
    const name = jobNameOf(inputs, 0);
    // What the interrupted create did before it was killed: the job is submitted under its name.
    const interrupted = await t.call("PUT", `${WS}/jobs/${name}?api-version=2025-12-01`, { properties: { ...inputs.pipelineJob, displayName: "adopt", tags: {} } });
    assert.equal(interrupted.status, 201);
    const { outs } = await run.create(inputs);
    assert.equal(outs.jobName, name);
    assert.equal(outs.status, "Completed");
    assert.match(lines[0], new RegExp(`^Azure ML pipeline run "adopt": found job ${name} \\((NotStarted|Preparing|Running|Completed)\\) from an earlier pulumi up with the same definition; adopting it\\. Studio: https://127\\.0\\.0\\.1:\\d+/runs/${name}\\?`));
    assert.deepEqual(await pipelineJobs(), [name]);
  });

  /** Registers components whose `make` step says it runs (its pid in `pidFile`) and then waits to be killed. */
  async function blockingComponents(pidFile: string): Promise<void> {
    await components(`echo $$ > ${pidFile}.tmp && mv ${pidFile}.tmp ${pidFile} && exec tail -f /dev/null`);
  }

  /** Waits until the blocking step's process runs; its pid. */
  async function runningStep(pidFile: string): Promise<number> {
    const pid = Number(await until("the step's process runs", () => fs.existsSync(pidFile) && fs.readFileSync(pidFile, "utf8").trim()));
    assert.equal(process.kill(pid, 0), true);
    return pid;
  }

  function gone(pid: number): Promise<boolean> {
    return until(`the step process ${pid} is gone`, () => {
      try {
        process.kill(pid, 0);
        return false;
      } catch {
        return true;
      }
    });
  }

  it("delete cancels the job while create waits for it: the step's process ends, create fails Canceled, the job stays with keepHistory", async () => {
    const pidFile = path.join(dir, "pid");
    await blockingComponents(pidFile);
    const inputs = await checked(args("cancel", 4, "azureml:make:1", { keepHistory: true }));
    const name = jobNameOf(inputs, 0);
    const creating = run.create(inputs).then(() => assert.fail("create should fail"), (e: Error) => e as Recorded);
    const pid = await runningStep(pidFile);
    await run.remove(name, { ...inputs, jobName: name, status: "Running", studioUrl: "", steps: {}, pipelineOutputs: {} });
    assert.ok(lines.includes(`Azure ML pipeline run "cancel": cancelling job ${name} (Running)`), lines.join("\n"));
    await gone(pid);
    const failure = await creating;
    const children = await childJobs(t, name);
    assert.equal(failure.message, `Azure ML pipeline run "cancel": job ${name} ended Canceled\n  step "make" (job ${children.make.name}) Canceled\nStudio: ${failure.properties.studioUrl}`);
    assert.equal((await api().jobs.get(name)).properties?.status, "Canceled");
    assert.equal(children.make.properties.status, "Canceled");
  });

  it("records a job still running when the wait times out; the next up adopts it, and delete cancels and deletes it", async () => {
    const pidFile = path.join(dir, "pid");
    await blockingComponents(pidFile);
    const inputs = await checked(args("slow", 4, "azureml:make:1", { timeoutSeconds: 1 }));
    const timedOut = (await run.create(inputs).then(() => assert.fail("create should time out"), (e: Error) => e)) as Recorded;
    const name = timedOut.properties.jobName;
    assert.match(timedOut.message, new RegExp(`^Azure ML pipeline run "slow": job ${name} is still (NotStarted|Preparing|Running) after \\d+ s; it keeps running\\. Raise timeoutSeconds, or run pulumi up again to adopt it and keep waiting\\. Studio: https://127\\.0\\.0\\.1:\\d+/runs/${name}\\?`));
    assert.deepEqual(timedOut.reasons, [timedOut.message]);
    const pid = await runningStep(pidFile);
    lines = [];
    const again = (await run.update(timedOut.id, timedOut.properties, inputs).then(() => assert.fail("update should time out"), (e: Error) => e)) as Recorded;
    assert.equal(again.properties.jobName, name);
    assert.match(lines[0], new RegExp(`^Azure ML pipeline run "slow": found job ${name} \\(Running\\) from an earlier pulumi up`));
    lines = [];
    await run.remove(again.id, again.properties);
    assert.equal(lines[0], `Azure ML pipeline run "slow": cancelling job ${name} (Running)`);
    await gone(pid);
    assert.deepEqual(await pipelineJobs(), []);
  });

  it("runs a CLI v2 pipeline YAML file; an edit of it is a reason to run again", async () => {
    await components();
    const file = path.join(dir, "pipeline.yml");
    const yaml = (n: number) =>
      [
        "$schema: https://azuremlschemas.azureedge.net/latest/pipelineJob.schema.json",
        "type: pipeline",
        "display_name: numbers from yaml",
        "inputs:",
        `  n_param: ${n}`,
        "outputs:",
        "  final:",
        "    type: uri_folder",
        "settings:",
        "  default_compute: azureml:cpu-cluster",
        "jobs:",
        "  make:",
        "    component: azureml:make:1",
        "    inputs:",
        "      n: ${{parent.inputs.n_param}}",
        "    outputs:",
        "      numbers:",
        "        type: uri_folder",
        "        mode: upload",
        "        path: azureml://datastores/workspaceblobstore/paths/from-yaml/numbers/",
        "  sum:",
        "    component: azureml:total:1",
        "    inputs:",
        "      data: ${{parent.jobs.make.outputs.numbers}}",
        "    outputs:",
        "      total: ${{parent.outputs.final}}",
        "",
      ].join("\n");
    fs.writeFileSync(file, yaml(3));
    const news = () => ({ ...ws, identity: "proj/test/from-yaml", ...pipelineFile(file) });
    const { id, outs } = await run.create(await checked(news()));
    assert.equal(outs.status, "Completed");
    assert.equal(await total(outs), "6");
    assert.deepEqual(outs.steps.make.outputs.numbers.uri, "azureml://datastores/workspaceblobstore/paths/from-yaml/numbers/");
    assert.equal(await blobText(await datastoreContainer(t), "from-yaml/numbers/numbers.txt"), "1\n2\n3");
    assert.equal((await api().jobs.get(outs.jobName)).properties?.displayName, "numbers from yaml");
    assert.deepEqual(await run.diff(id, outs, await checked(news())), { changes: false, replaces: [], deleteBeforeReplace: false });
    fs.writeFileSync(file, yaml(6));
    lines = [];
    const edited = await checked(news());
    assert.deepEqual(await run.diff(id, outs, edited), { changes: true, replaces: ["pipelineYaml"], deleteBeforeReplace: false });
    assert.deepEqual(lines, ['Azure ML pipeline run "from-yaml": will run again (replace): input "n_param" changed.']);
    assert.equal(await total((await run.create(edited)).outs), "21");
  });

  it("check refuses at preview what the service would refuse, naming the property, and submits nothing", async () => {
    await components();
    const bad = args("bad", 4, "azureml:make:9");
    (bad.jobs as Record<string, Record<string, unknown>>).sum.inputs = { data: "${{parent.jobs.make.outputs.rows}}", extra: "1" };
    const { failures } = await run.check({}, bad);
    const where = `Azure ML workspace "${ws.workspaceName}" (resource group "${ws.resourceGroupName}")`;
    assert.deepEqual(failures, [
      { property: "jobs.make.component", reason: `jobs.make.component azureml:make:9: component make:9 is not registered in ${where}: register it first (an AmlComponent, whose componentId or reference the step takes, so the run waits for it).` },
    ]);
    (bad.jobs as Record<string, Record<string, unknown>>).make.component = "azureml:make:1";
    assert.deepEqual((await run.check({}, bad)).failures, [
      { property: "jobs.sum.inputs.extra", reason: "jobs.sum.inputs.extra is not an input of component total:1 (it has data)." },
      { property: "jobs.sum.inputs.data", reason: "jobs.sum.inputs.data binds output rows of step make, whose component has no such output (it has numbers)." },
    ]);
    const file = path.join(dir, "broken.yml");
    fs.writeFileSync(file, "jobs:\n  make: [unclosed\n");
    const broken = await run.check({}, { ...ws, identity: "proj/test/broken", ...pipelineFile(file) });
    assert.deepEqual(broken.failures, [
      {
        property: "file",
        reason: `Pipeline job file ${file} is not valid YAML: Flow sequence in block collection must be sufficiently indented and end with a ]. Fix the file, or give the pipeline as arguments (jobs, inputs, outputs, settings).`,
      },
    ]);
    assert.deepEqual(await pipelineJobs(), []);
  });
});
