import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import type { ContainerClient } from "@azure/storage-blob";
import { downloadFolder } from "../../../src/emulator/azureml/execution/datastorePaths";
import { V, WS, useAzureMlEmulator } from "./fixture";
import { registerComponent, submitJob, untilStatus } from "./executionFixture";

const RULE = "use letters, digits, '_' and '-', starting with a letter or '_'";

/**
 * Names that would be paths: a job's or a step's input and output names name the step's folders,
 * and a blob name any string, so neither may lead a step's files outside its own folder.
 */
describe("Azure ML emulator: jobs whose names would be paths", function () {
  this.timeout(60_000);
  const t = useAzureMlEmulator();

  it("refuses at submission an input or output named like a path, in the job or in a step, and stores nothing", async () => {
    const component = await registerComponent(t, "plain", { command: "echo hi" });
    const cases: [string, Record<string, unknown>, string][] = [
      ["command-escape", { jobType: "Command", command: "echo hi", environmentId: "azureml://registries/azureml/environments/sklearn-1.5/versions/1", outputs: { "../../escape": { jobOutputType: "uri_folder" } } }, 'properties.outputs has the name "../../escape"'],
      ["pipeline-escape", { jobType: "Pipeline", inputs: { "a/b": { jobInputType: "literal", value: "1" } }, jobs: { s: { type: "command", componentId: component } } }, 'properties.inputs has the name "a/b"'],
      ["step-escape", { jobType: "Pipeline", jobs: { s: { type: "command", componentId: component, outputs: { "..": { job_output_type: "uri_folder" } } } } }, 'properties.jobs.s.outputs has the name ".."'],
    ];
    for (const [name, properties, problem] of cases) {
      const r = await t.call("PUT", `${WS}/jobs/${name}?${V}`, { properties });
      assert.deepEqual([r.status, r.body], [400, { error: { code: "UserError", message: `Invalid request: ${problem}: ${RULE}.` } }], name);
      assert.equal((await t.call("GET", `${WS}/jobs/${name}?${V}`)).status, 404, name);
    }
  });

  it("fails a step whose component declares an output named like a path, writing nothing outside the step's folder", async () => {
    const escapeName = `escape-${process.pid}-${Date.now()}`;
    const outside = path.join(os.tmpdir(), escapeName);
    const component = await registerComponent(t, "escaper", { command: "echo hi", outputs: { [`../../${escapeName}`]: { type: "uri_folder" } } });
    await submitJob(t, "escaper_run", { jobType: "Pipeline", jobs: { s: { type: "command", componentId: component } } });
    const parent = await untilStatus(t, "escaper_run", "Failed");
    assert.equal(parent.properties["azureml.error"], `step s could not run: output name "../../${escapeName}" is not valid: ${RULE}`);
    assert.equal(fs.existsSync(outside), false);
  });

  it("runs steps named __proto__ and constructor like any other, and keeps them apart", async () => {
    const component = await registerComponent(t, "named", { command: "echo ran" });
    await submitJob(t, "proto_names", { jobType: "Pipeline", jobs: JSON.parse(`{"__proto__": {"type": "command", "componentId": "${component}"}, "constructor": {"type": "command", "componentId": "${component}"}}`) });
    const parent = await untilStatus(t, "proto_names", "Completed");
    assert.deepEqual(Object.keys(parent.jobs).sort(), ["__proto__", "constructor"]);
  });

  it("refuses to download a blob whose name has a '..' segment (it would land outside the step's input folder)", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "aml-download-"));
    try {
      const downloaded: string[] = [];
      const blobs = ["in/ok.txt", "in/../../escape.txt"];
      const container = {
        listBlobsFlat: async function* () {
          for (const name of blobs) yield { name };
        },
        getBlockBlobClient: (name: string) => ({ downloadToFile: async (file: string) => (downloaded.push(name), fs.writeFileSync(file, name)) }),
      } as unknown as ContainerClient;
      await assert.rejects(downloadFolder(container, "in/", path.join(dir, "input")), { message: `blob "in/../../escape.txt" cannot be downloaded: its path has an empty, '.' or '..' segment` });
      assert.deepEqual(downloaded, ["in/ok.txt"]);
      assert.equal(fs.existsSync(path.join(dir, "escape.txt")), false);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
