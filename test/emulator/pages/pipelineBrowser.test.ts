import * as assert from "node:assert/strict";
import type { Page } from "puppeteer-core";
import { saveScreenshot, useChromium } from "../../support/browser";
import { DEFAULT_WAIT_LIMIT_MS, useEmulator } from "../../support/emulator";
import { childJobs, jobOf, registerComponent, submitJob, untilStatus } from "../azureml/executionFixture";

const DISPLAY_NAME = "browser <script>alert(1)</script> pipeline";

describe("Emulator pages in a real browser: headless Chromium opens a pipeline job's Studio link, its step graph, outputs and the index", function () {
  this.timeout(120_000);
  const t = useEmulator();
  const { freshPage } = useChromium(t);

  /** Runs the two-step pipeline `name` (prepare writes rows, train counts them) to its end. */
  async function runPipeline(name: string): Promise<void> {
    const prepare = await registerComponent(t, "prepare", { command: "printf 'a,1\\nb,2\\nc,3\\n' > ${{outputs.rows}}/rows.csv && echo prepared 3 rows", outputs: { rows: { type: "uri_folder" } } });
    const train = await registerComponent(t, "train", {
      command: 'n=$(wc -l < ${{inputs.data}}/rows.csv) && echo "model of $n rows" > ${{outputs.model}}/model.txt && echo "trained on $n rows"',
      inputs: { data: { type: "uri_folder" } },
      outputs: { model: { type: "uri_folder" } },
    });
    await submitJob(t, name, {
      jobType: "Pipeline",
      displayName: DISPLAY_NAME,
      jobs: {
        prepare: { type: "command", componentId: prepare },
        train: { type: "command", componentId: train, inputs: { data: { job_input_type: "literal", value: "${{parent.jobs.prepare.outputs.rows}}" } } },
      },
    });
    await untilStatus(t, name, "Completed");
  }

  /** Evaluates `expression` in the page (the tests are compiled without the DOM's types). */
  const inPage = <T>(page: Page, expression: string): Promise<T> => page.evaluate(expression) as Promise<T>;

  it("signs in from the Studio link and shows the step graph with each step's status and edge, each step's outputs and log; the outputs open", async () => {
    await runPipeline("browser_pipeline");
    const studio = (await jobOf(t, "browser_pipeline")).services.Studio.endpoint as string;
    const children = await childJobs(t, "browser_pipeline");
    const { page, problems } = await freshPage();

    await page.goto(studio);
    await page.waitForSelector('input[name="token"]', { timeout: DEFAULT_WAIT_LIMIT_MS });
    assert.ok(page.url().startsWith(`${t.emulator.url}/login.html?next=%2Fruns%2Fbrowser_pipeline`), page.url());
    await page.type('input[name="token"]', t.emulator.token);
    await Promise.all([page.waitForNavigation(), page.click('button[type="submit"]')]);
    assert.equal(page.url(), studio.replace(/\?.*$/, "") + "?" + new URL(studio).searchParams.toString());
    assert.equal(await page.title(), `${DISPLAY_NAME} — Pipeline job browser_pipeline`, "the name shows as text");

    // The graph as drawn: both steps, Completed, in two columns, the edge from prepare to train, coloured by the page's style.
    const nodes = await inPage<[string, string, string, number, string][]>(
      page,
      `[...document.querySelectorAll("svg.graph a.node")].map((a) => { const r = a.querySelector("rect"); return [a.dataset.step, a.querySelector("text.status").textContent, a.getAttribute("class"), r.getBoundingClientRect().x, getComputedStyle(r).fill]; })`,
    );
    assert.deepEqual(
      nodes.map(([step, status, cls, , fill]) => [step, status, cls, fill]),
      [
        ["prepare", "Completed", "node st-done", "rgb(227, 244, 230)"],
        ["train", "Completed", "node st-done", "rgb(227, 244, 230)"],
      ],
    );
    assert.ok(nodes[1][3] > nodes[0][3] + 150, `train is drawn right of prepare: ${JSON.stringify(nodes)}`);
    assert.deepEqual(await inPage(page, `[...document.querySelectorAll("svg.graph path.edge title")].map((e) => e.textContent)`), ["prepare.outputs.rows → train.inputs.data"]);
    const lines = ((await inPage<string>(page, "document.body.innerText")).split("\n"));
    assert.ok(lines.includes(`prepare\t${children.prepare.name}\tCompleted\t${children.prepare.properties.properties.StartTimeUtc}\t${children.prepare.properties.properties.EndTimeUtc}`), lines.join("\n"));
    assert.ok(lines.includes("prepared 3 rows"), "prepare's log shows");
    assert.ok(lines.includes("trained on 3 rows"), "train's log shows");
    const modelUri = `azureml://datastores/workspaceblobstore/paths/azureml/${children.train.name}/model/`;
    assert.ok(lines.includes(`model\t${modelUri}`), lines.join("\n"));
    const screenshot = await saveScreenshot(page, "pipeline-job");

    // A step box leads to the step's section; its output link to what the step wrote.
    await page.click('svg.graph a.node[data-step="train"]');
    assert.equal(new URL(page.url()).hash, "#step-train");
    await Promise.all([page.waitForNavigation(), page.click(`a[href="/data?uri=${encodeURIComponent(modelUri)}"]`)]);
    assert.deepEqual((await inPage<string>(page, "document.body.innerText")).split("\n").slice(-2), ["Blob\tBytes", "model.txt\t16"]);
    await Promise.all([page.waitForNavigation(), page.click("table a")]);
    assert.ok((await inPage<string>(page, "document.body.innerText")).trimEnd().endsWith("\nmodel of 3 rows"), "the output's text");
    await saveScreenshot(page, "pipeline-output");
    assert.deepEqual(problems, [], "no script ran, no error");
    assert.ok(screenshot.endsWith("test-artifacts/screenshots/pipeline-job.png"));
  });

  it("the header's index link lists what the pipeline made: components, its compute and the job with its status", async () => {
    await runPipeline("indexed_pipeline");
    const { page, problems } = await freshPage();
    await page.goto(`${t.emulator.url}/login.html?next=%2Findex`);
    await page.type('input[name="token"]', t.emulator.token);
    await Promise.all([page.waitForNavigation(), page.click('button[type="submit"]')]);
    assert.equal(page.url(), `${t.emulator.url}/index`);
    const lines = (await inPage<string>(page, "document.body.innerText")).split("\n");
    const after = (heading: string, n: number) => lines.slice(lines.indexOf(heading) + 1, lines.indexOf(heading) + 1 + n);
    assert.deepEqual(after("Components (2)", 3), ["Component\tVersions\tLatest\tDescription", "prepare\t1\t1\t", "train\t1\t1\t"]);
    assert.deepEqual(after("Computes (1)", 2), ["Compute\tType\tState\tDescription", "cpu-cluster\tAmlCompute\tSucceeded\tCompute cluster for pipeline steps (emulated)."]);
    // "Jobs" is the heading of both workspaces' jobs: the Azure ML one is the last.
    const jobs = lines.lastIndexOf("Jobs (1)");
    assert.deepEqual(lines.slice(jobs + 1, jobs + 3), ["Job\tDisplay name\tType\tStatus", `indexed_pipeline\t${DISPLAY_NAME}\tPipeline\tCompleted`]);
    await saveScreenshot(page, "index");
    await Promise.all([page.waitForNavigation(), page.click('a[href="/runs/indexed_pipeline"]')]);
    assert.equal(await page.title(), `${DISPLAY_NAME} — Pipeline job indexed_pipeline`);
    await Promise.all([page.waitForNavigation(), page.click('header a[href="/index"]')]);
    assert.equal(page.url(), `${t.emulator.url}/index`, "every page's header leads back to the index");
    assert.deepEqual(problems, []);
  });
});
