import * as assert from "node:assert/strict";
import type { ContainerClient } from "@azure/storage-blob";
import { useAzureMlEmulator } from "./fixture";
import { blobText, childJobs, datastoreContainer, ENVIRONMENT, registerComponent, submitJob, untilStatus } from "./executionFixture";

const SEED = "azureml://datastores/workspaceblobstore/paths/seed/";

/** The names of the blobs below `prefix`. */
async function blobsBelow(container: ContainerClient, prefix: string): Promise<string[]> {
  const names: string[] = [];
  for await (const b of container.listBlobsFlat({ prefix })) names.push(b.name);
  return names.sort();
}

describe("Azure ML emulator: input and output modes", function () {
  this.timeout(90_000);
  const t = useAzureMlEmulator();
  let container: ContainerClient;
  beforeEach(async () => {
    container = await datastoreContainer(t);
    await container.getBlockBlobClient("seed/words.txt").upload("alpha", 5);
  });

  /** Submits a command job reading `seed/` as input `data` with `mode` and writing outputs `out` (`outMode`) and `report` (rw_mount). */
  async function run(name: string, command: string, mode: string, outMode = "ReadWriteMount"): Promise<void> {
    await submitJob(t, name, {
      jobType: "Command",
      command,
      environmentId: ENVIRONMENT,
      inputs: { data: { jobInputType: "uri_folder", uri: SEED, mode } },
      outputs: { out: { jobOutputType: "uri_folder", mode: outMode }, report: { jobOutputType: "uri_folder" } },
    });
  }

  it("direct: the command gets the input's and the output's azureml:// URIs; nothing is uploaded for a direct output", async () => {
    await run("direct", 'echo "${{inputs.data}} $AZURE_ML_INPUT_data ${{outputs.out}} $AZURE_ML_OUTPUT_out" > ${{outputs.report}}/uris.txt', "Direct", "Direct");
    await untilStatus(t, "direct", "Completed");
    const out = "azureml://datastores/workspaceblobstore/paths/azureml/direct/out/";
    assert.equal(await blobText(container, "azureml/direct/report/uris.txt"), `${SEED} ${SEED} ${out} ${out}\n`);
    assert.deepEqual(await blobsBelow(container, "azureml/direct/"), ["azureml/direct/report/uris.txt", "azureml/direct/user_logs/std_log.txt"]);
  });

  it("a component's output declared `mode: direct` (as the shipped Databricks component's output_path): the step gets its azureml:// URI", async () => {
    const component = await registerComponent(t, "direct_out", {
      command: "echo ${{outputs.output_path}} > ${{outputs.report}}/uri.txt",
      outputs: { output_path: { type: "uri_folder", mode: "direct" }, report: { type: "uri_folder" } },
    });
    await submitJob(t, "direct_step", { jobType: "Pipeline", jobs: { dbx: { type: "command", componentId: component } } });
    await untilStatus(t, "direct_step", "Completed");
    const child = (await childJobs(t, "direct_step")).dbx.name;
    assert.equal(await blobText(container, `azureml/${child}/report/uri.txt`), `azureml://datastores/workspaceblobstore/paths/azureml/${child}/output_path/\n`);
    assert.deepEqual(await blobsBelow(container, `azureml/${child}/output_path/`), [], "nothing uploaded for it");
  });

  it("ro_mount (the default): a folder with the data; a command that changes it fails the step, naming what changed", async () => {
    await run("reads", "cat ${{inputs.data}}/words.txt > ${{outputs.out}}/copy.txt", "ReadOnlyMount");
    await untilStatus(t, "reads", "Completed");
    assert.equal(await blobText(container, "azureml/reads/out/copy.txt"), "alpha");
    await submitJob(t, "writes", {
      jobType: "Command",
      command: "echo changed > ${{inputs.data}}/words.txt; touch ${{inputs.data}}/new.txt",
      environmentId: ENVIRONMENT,
      inputs: { data: { jobInputType: "uri_folder", uri: SEED } },
    });
    const job = await untilStatus(t, "writes", "Failed");
    assert.equal(job.properties["azureml.error"], "step writes could not run: the command changed its read-only input data (mode ro_mount): new.txt, words.txt");
    assert.equal(await blobText(container, "seed/words.txt"), "alpha", "the datastore is unchanged");
  });

  it("rw_mount: what the command writes to the input folder goes back to the datastore; download: it does not", async () => {
    await run("rw", "echo beta > ${{inputs.data}}/more.txt", "ReadWriteMount");
    await untilStatus(t, "rw", "Completed");
    assert.equal(await blobText(container, "seed/more.txt"), "beta\n");
    await run("dl", "echo gamma > ${{inputs.data}}/local.txt && cat ${{inputs.data}}/words.txt > ${{outputs.out}}/copy.txt", "Download");
    await untilStatus(t, "dl", "Completed");
    assert.equal(await blobText(container, "azureml/dl/out/copy.txt"), "alpha");
    assert.deepEqual(await blobsBelow(container, "seed/"), ["seed/more.txt", "seed/words.txt"]);
  });

  it("a failing step: its rw_mount output is uploaded (written through the mount), its upload output is not", async () => {
    await run("partial", "echo part > ${{outputs.out}}/a.txt; echo part > ${{outputs.report}}/b.txt; exit 2", "ReadOnlyMount", "Upload");
    await untilStatus(t, "partial", "Failed");
    assert.deepEqual(await blobsBelow(container, "azureml/partial/"), ["azureml/partial/report/b.txt", "azureml/partial/user_logs/std_log.txt"]);
  });

  it("refuses a mode the service does not have, naming the input", async () => {
    await run("bad_mode", "true", "Sideways");
    const job = await untilStatus(t, "bad_mode", "Failed");
    assert.equal(job.properties["azureml.error"], "step bad_mode could not run: input data has mode 'Sideways'; it may be ro_mount, rw_mount, download, direct");
  });
});
