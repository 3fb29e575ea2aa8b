import * as assert from "node:assert/strict";
import { useAzureMlEmulator, V, WS } from "./fixture";
import { blobText, childJobs, datastoreContainer, ENVIRONMENT, jobPageHtml, registerComponent, submitJob, untilStatus, uploadCode } from "./executionFixture";

/** Writes the run-context and MLflow variables a step sees, and its inputs, as JSON to its output. */
const SHOW_ENV =
  "import json, os, sys\n" +
  "names = ['AZUREML_RUN_ID', 'AZUREML_ROOT_RUN_ID', 'AZUREML_ARM_SUBSCRIPTION', 'AZUREML_ARM_RESOURCEGROUP', 'AZUREML_ARM_WORKSPACE_NAME', 'AZUREML_ARM_PROJECT_NAME', 'AZUREML_WORKSPACE_SCOPE', 'AZUREML_EXPERIMENT_SCOPE', 'MLFLOW_TRACKING_URI', 'MLFLOW_RUN_ID', 'MLFLOW_EXPERIMENT_NAME', 'GREETING']\n" +
  "seen = {n: os.environ.get(n) for n in names}\n" +
  "seen['context'] = json.loads(os.environ['AZUREML_CR_AZUREML_CONTEXT'])\n" +
  "seen['workspace id is a guid'] = len(os.environ['AZUREML_WORKSPACE_ID']) == 36\n" +
  "seen['args'] = sys.argv[1:2]\n" +
  "seen['data'] = open(os.path.join(sys.argv[2], 'in.txt')).read()\n" +
  "open(os.path.join(sys.argv[3], 'env.json'), 'w').write(json.dumps(seen, sort_keys=True))\n" +
  "print('written')\n";

const TRACKING = `azureml://westeurope.api.azureml.ms/mlflow/v1.0${WS}?`;

describe("Azure ML emulator: command jobs run like steps, with the variables of Azure ML compute", function () {
  this.timeout(90_000);
  const t = useAzureMlEmulator();

  /** The variables a job `job` (of `root`, experiment `experiment`) sees, as SHOW_ENV writes them. */
  const expected = (job: string, root: string, experiment: string) => ({
    AZUREML_RUN_ID: job,
    AZUREML_ROOT_RUN_ID: root,
    AZUREML_ARM_SUBSCRIPTION: "00000000-0000-0000-0000-0000000000a1",
    AZUREML_ARM_RESOURCEGROUP: "rg-local",
    AZUREML_ARM_WORKSPACE_NAME: "local-aml",
    AZUREML_ARM_PROJECT_NAME: experiment,
    AZUREML_WORKSPACE_SCOPE: WS,
    AZUREML_EXPERIMENT_SCOPE: `${WS}/experiments/${experiment}`,
    MLFLOW_TRACKING_URI: TRACKING,
    MLFLOW_RUN_ID: job,
    MLFLOW_EXPERIMENT_NAME: experiment,
    context: { subscription_id: "00000000-0000-0000-0000-0000000000a1", resource_group: "rg-local", workspace_name: "local-aml", experiment_name: experiment, root_run_id: root, run_id: job },
    "workspace id is a guid": true,
  });

  it("runs a command job (command, codeId, environmentId, inputs, outputs, environmentVariables): its outputs at their paths, its log, Completed", async () => {
    const container = await datastoreContainer(t);
    await container.getBlockBlobClient("data/in/in.txt").upload("from the datastore", 18);
    const code = await uploadCode(t, "show-code", { "show.py": SHOW_ENV });
    await submitJob(t, "cmd_job", {
      jobType: "Command",
      experimentName: "exp-cmd",
      command: "python show.py ${{inputs.word}} ${{inputs.data}} ${{outputs.report}}",
      codeId: code,
      environmentId: ENVIRONMENT,
      computeId: `${WS}/computes/cpu-cluster`,
      environmentVariables: { GREETING: "hello" },
      inputs: { word: { jobInputType: "literal", value: "w1" }, data: { jobInputType: "uri_folder", uri: "azureml://datastores/workspaceblobstore/paths/data/in/", mode: "Download" } },
      outputs: { report: { jobOutputType: "uri_folder", mode: "Upload" } },
    });
    const job = await untilStatus(t, "cmd_job", "Completed");
    assert.deepEqual(job.outputs, { report: { jobOutputType: "uri_folder", mode: "Upload", uri: "azureml://datastores/workspaceblobstore/paths/azureml/cmd_job/report/" } });
    const seen = JSON.parse(await blobText(container, "azureml/cmd_job/report/env.json"));
    const { context, ...rest } = seen;
    delete context.workspace_id;
    assert.deepEqual({ ...rest, context }, { ...expected("cmd_job", "cmd_job", "exp-cmd"), GREETING: "hello", args: ["w1"], data: "from the datastore" });
    assert.equal(await blobText(container, "azureml/cmd_job/user_logs/std_log.txt"), "written\n");
    assert.deepEqual(Object.keys(await childJobs(t, "cmd_job")), [], "a command job has no child jobs");
    assert.deepEqual(Object.keys(job.properties).sort(), ["EndTimeUtc", "StartTimeUtc"]);
  });

  it("a pipeline step sees the same variables, its run the child job and its root the pipeline", async () => {
    const container = await datastoreContainer(t);
    await container.getBlockBlobClient("data/in/in.txt").upload("from the datastore", 18);
    const code = await uploadCode(t, "show-code", { "show.py": SHOW_ENV });
    const show = await registerComponent(t, "show", {
      code,
      command: "python show.py ${{inputs.word}} ${{inputs.data}} ${{outputs.report}}",
      environment_variables: { GREETING: "from the component" },
      inputs: { word: { type: "string" }, data: { type: "uri_folder" } },
      outputs: { report: { type: "uri_folder" } },
    });
    await submitJob(t, "env_pipe", {
      jobType: "Pipeline",
      experimentName: "exp-pipe",
      jobs: { show: { type: "command", componentId: show, inputs: { word: { job_input_type: "literal", value: "w2" }, data: { job_input_type: "uri_folder", uri: "azureml://datastores/workspaceblobstore/paths/data/in/" } } } },
    });
    await untilStatus(t, "env_pipe", "Completed");
    const child = (await childJobs(t, "env_pipe")).show.name;
    const seen = JSON.parse(await blobText(container, `azureml/${child}/report/env.json`));
    delete seen.context.workspace_id;
    assert.deepEqual(seen, { ...expected(child, "env_pipe", "exp-pipe"), GREETING: "from the component", args: ["w2"], data: "from the datastore" });
  });

  it("a failing command job ends Failed with its exit code and log tail; its page shows the error", async () => {
    await submitJob(t, "cmd_fails", { jobType: "Command", command: "echo about to fail; exit 7", environmentId: ENVIRONMENT });
    const job = await untilStatus(t, "cmd_fails", "Failed");
    assert.equal(job.properties["azureml.error"], "step cmd_fails failed with exit code 7; the end of its log:\nabout to fail");
    assert.ok((await jobPageHtml(t, "cmd_fails")).includes("<pre>step cmd_fails failed with exit code 7; the end of its log:\nabout to fail</pre>"));
    assert.equal((await t.call("GET", `${WS}/jobs/cmd_fails?${V}`)).body.properties.status, "Failed");
  });
});
