import * as assert from "node:assert/strict";
import { finishedRun, importNotebook, notebook, SMALL_CLUSTER, submitRun } from "../../support/databricksWire";
import { useEmulator } from "../../support/emulator";
import { childJobs, jobPageHtml, registerComponent, submitJob, untilStatus } from "../azureml/executionFixture";

const WORKSPACE_ID = "1234567890123456";

describe("Emulator pages: a pipeline job's step graph, outputs and the Databricks runs its steps name", function () {
  this.timeout(90_000);
  const t = useEmulator();

  it("draws an edge for each binding to another step's output, and each step's latest status: Failed, and NotStarted after it", async () => {
    const make = await registerComponent(t, "make", { command: "echo made > ${{outputs.out}}/x.txt; exit 3", outputs: { out: { type: "uri_folder" } } });
    const read = await registerComponent(t, "read", { command: "cat ${{inputs.one}}/x.txt", inputs: { one: { type: "uri_folder" }, two: { type: "uri_folder", optional: true } }, outputs: { out: { type: "uri_folder" } } });
    await submitJob(t, "diamond", {
      jobType: "Pipeline",
      jobs: {
        first: { type: "command", componentId: make },
        second: { type: "command", componentId: read, inputs: { one: { job_input_type: "literal", value: "${{parent.jobs.first.outputs.out}}" } } },
        third: {
          type: "command",
          componentId: read,
          inputs: { one: { job_input_type: "literal", value: "${{parent.jobs.first.outputs.out}}" }, two: { job_input_type: "literal", value: "${{parent.jobs.second.outputs.out}}" } },
        },
      },
    });
    await untilStatus(t, "diamond", "Failed");
    const html = await jobPageHtml(t, "diamond");
    const nodes = [...html.matchAll(/<a href="#step-(\w+)" class="node ([\w-]+)" data-step="\w+"><title>[^<]*<\/title><rect x="(\d+)" y="(\d+)"/g)].map((m) => [m[1], m[2], Number(m[3]), Number(m[4])]);
    assert.deepEqual(nodes, [
      ["first", "st-failed", 12, 12],
      ["second", "st-waiting", 312, 12],
      ["third", "st-waiting", 612, 12],
    ]);
    assert.ok(
      html.includes(
        '<ul class="edges"><li>first → second <span class="note">(out → one)</span></li><li>first → third <span class="note">(out → one)</span></li><li>second → third <span class="note">(out → two)</span></li></ul>',
      ),
      html,
    );
    const children = await childJobs(t, "diamond");
    const uri = `azureml://datastores/workspaceblobstore/paths/azureml/${children.first.name}/out/`;
    assert.ok(html.includes(`<h3>Outputs</h3>\n<table><tr><th>Output</th><th>URI</th></tr>\n<tr><td>out</td><td><a href="/data?uri=${encodeURIComponent(uri)}">${uri}</a></td></tr>\n</table>`), html);
  });

  it("links a step to the Databricks runs whose pages its log names, when the workspace has them", async () => {
    await importNotebook(t.call, "/Shared/linked", notebook('dbutils.notebook.exit("ok")'));
    const runId = await submitRun(t.call, { run_name: "linked", tasks: [{ task_key: "main", new_cluster: SMALL_CLUSTER, notebook_task: { notebook_path: "/Shared/linked" } }] });
    const run = await finishedRun(t.call, runId);
    const talk = await registerComponent(t, "talk", { command: `echo "run page: ${run.run_page_url}"; echo "again: ${run.run_page_url}"; echo "elsewhere: ${t.emulator.url}/?o=${WORKSPACE_ID}#job/${run.job_id}/run/999"` });
    await submitJob(t, "talker", { jobType: "Pipeline", jobs: { talk: { type: "command", componentId: talk } } });
    await untilStatus(t, "talker", "Completed");
    const html = await jobPageHtml(t, "talker");
    assert.ok(html.includes(`<p>Databricks run: <a href="/jobs/${run.job_id}/runs/${runId}?o=${WORKSPACE_ID}">run ${runId}</a></p>\n<h3>std_log.txt</h3>`), html);
    assert.equal(html.split("Databricks run").length - 1, 1, "each run once; a run the workspace does not have is not linked");
  });
});
