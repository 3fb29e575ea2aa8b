import * as assert from "node:assert/strict";
import type { Page } from "puppeteer-core";
import { type BrowserTab, saveScreenshot, useChromium } from "../../support/browser";
import { b64, finishedRun, importNotebook, notebook, SMALL_CLUSTER, submitRunWithSecureParameters } from "../../support/databricksWire";
import { DEFAULT_WAIT_LIMIT_MS, useEmulator } from "../../support/emulator";

const WORKSPACE_ID = "1234567890123456";
const SECURE_VALUE = "canary-secure-value-5e07";

describe("Emulator pages in a real browser: headless Chromium follows run_page_url, signs in and reads the run page", function () {
  this.timeout(60_000);
  const t = useEmulator();
  const chromium = useChromium(t);

  /** A browser tab, the problems of its pages and the documents it loaded. */
  interface Tab extends BrowserTab {
    documents: string[];
  }

  /** A fresh browser profile (no session cookie) whose problems and loaded documents are kept. */
  async function freshPage(): Promise<Tab> {
    const tab = await chromium.freshPage();
    const documents: string[] = [];
    // Every document the tab loads, with its method and status: the trail of redirects and scripts.
    tab.page.on("response", (response) => {
      const request = response.request();
      if (request.isNavigationRequest() && request.frame() === tab.page.mainFrame()) documents.push(`${request.method()} ${response.status()} ${request.url().slice(t.emulator.url.length)}`);
    });
    return { ...tab, documents };
  }

  /**
   * Opens `pageUrl` as a person would: the landing page's script goes on to the run's page, which
   * sends a visitor without a session to the sign-in form; the token typed there leads back to it.
   * Asserts the whole trail and returns the run page's HTML as served.
   */
  async function openSignedIn({ page, problems, documents }: Tab, pageUrl: string, runPath: string): Promise<string> {
    await page.goto(pageUrl);
    await page.waitForSelector('input[name="token"]', { timeout: DEFAULT_WAIT_LIMIT_MS }).catch((err: Error) => {
      assert.fail(`no sign-in form after ${JSON.stringify(documents)}; page errors: ${JSON.stringify(problems)} (${err.message})`);
    });
    const loginPath = `/login.html?next=${encodeURIComponent(runPath)}`;
    assert.equal(page.url(), `${t.emulator.url}${loginPath}`);
    await page.type('input[name="token"]', t.emulator.token);
    const [response] = await Promise.all([page.waitForNavigation(), page.click('button[type="submit"]')]);
    assert.equal(page.url(), `${t.emulator.url}${runPath}`);
    assert.deepEqual(documents, [
      `GET 200 ${pageUrl.slice(t.emulator.url.length)}`,
      `GET 303 ${runPath}`,
      `GET 200 ${loginPath}`,
      `POST 303 /login.html`,
      `GET 200 ${runPath}`,
    ]);
    assert.ok(response, "the sign-in leads to a document");
    return response.text();
  }

  /**
   * Asserts that the secure value is in neither the HTML the server sent nor the page's document
   * now, both first shown to hold `shown`, a text the page does show.
   */
  async function assertNoSecureValue(page: Page, served: string, shown: string): Promise<void> {
    for (const html of [served, await page.content()]) {
      assert.ok(html.includes(shown), `the page is not empty: ${html}`);
      assert.ok(!html.includes(SECURE_VALUE), "the secure value appears nowhere in the page");
    }
  }

  /** The page's text as rendered, one line per row or block (table cells joined by tabs). */
  async function renderedLines(page: Page): Promise<string[]> {
    // Strings run in the page (the tests are compiled without the DOM's types).
    return ((await page.evaluate("document.body.innerText")) as string).split("\n");
  }

  it("shows a successful run: state, parameters with the secure one masked, output and logs; the secure value is nowhere in the HTML", async () => {
    await importNotebook(t.call, "/Shared/browser-report", notebook('dbutils.notebook.exit("<b>done</b> for " + dbutils.widgets.get("plain") + ", key " + dbutils.widgets.get("api_key"))'));
    const script = 'import sys\nprint("<i>counted</i> " + " ".join(sys.argv[1:]) + " rows")\n';
    assert.equal((await t.call("POST", "/api/2.0/dbfs/put", { path: "/browser/count.py", contents: b64(script), overwrite: true })).status, 200);
    const runId = await submitRunWithSecureParameters(
      t,
      {
        run_name: "browser report",
        tasks: [
          { task_key: "main", new_cluster: SMALL_CLUSTER, notebook_task: { notebook_path: "/Shared/browser-report", base_parameters: { plain: "visible-value", api_key: SECURE_VALUE } } },
          { task_key: "count", new_cluster: SMALL_CLUSTER, spark_python_task: { python_file: "dbfs:/browser/count.py", parameters: ["3"] } },
        ],
      },
      ["api_key"],
    );
    const run = await finishedRun(t.call, runId);
    assert.equal(run.state.result_state, "SUCCESS", JSON.stringify(run.state));
    const runPath = `/jobs/${run.job_id}/runs/${runId}?o=${WORKSPACE_ID}`;
    assert.equal(run.run_page_url, `${t.emulator.url}/?o=${WORKSPACE_ID}#job/${run.job_id}/run/${runId}`);

    const tab = await freshPage();
    const { page, problems } = tab;
    const served = await openSignedIn(tab, run.run_page_url, runPath);
    const lines = await renderedLines(page);
    assert.equal(await page.title(), `browser report — run ${runId}`);
    assert.ok(lines.includes("State\tTERMINATED SUCCESS"), lines.join("\n"));
    assert.ok(lines.includes("main\tnotebook\tplain\tvisible-value"), "a plain parameter shows its value");
    assert.ok(lines.includes("main\tnotebook\tapi_key\t••••• (secure)"), "the secure parameter is masked");
    assert.ok(lines.includes("count\tpython\t[0]\t3"), "the script's parameters show");
    assert.deepEqual(lines.slice(lines.indexOf("Output"), lines.indexOf("Output") + 2), ["Output", "<b>done</b> for visible-value, key [REDACTED]"], "the notebook's output shows as text, the secure value taken out");
    assert.deepEqual(lines.slice(lines.indexOf("Logs"), lines.indexOf("Logs") + 2), ["Logs", "<i>counted</i> 3 rows"], "the script's logs show as text");

    await assertNoSecureValue(page, served, "visible-value");
    assert.deepEqual(problems, [], "the pages log no errors: the landing page's script ran under its CSP");
    const screenshot = await saveScreenshot(page, "databricks-run");
    assert.ok(screenshot.endsWith("test-artifacts/screenshots/databricks-run.png"));

    // The task's notebook is a link to its page.
    assert.ok(lines.includes("Notebook: /Shared/browser-report"), lines.join("\n"));
    await Promise.all([page.waitForNavigation(), page.click('a[href^="/editor/notebooks/"]')]);
    assert.equal(await page.title(), "/Shared/browser-report");
    assert.ok(((await page.evaluate("document.body.innerText")) as string).includes('dbutils.notebook.exit("<b>done</b> for "'), "the notebook's source shows as text");
    await page.goBack();

    // The listener does catch what the page's CSP blocks: a script injected into the run page is refused.
    await page.evaluate(`document.head.append(Object.assign(document.createElement("script"), { textContent: "document.title = 'injected'" }))`);
    assert.equal(await page.title(), `browser report — run ${runId}`);
    assert.equal(problems.length, 1, problems.join("\n"));
    assert.match(problems[0], /^console error: Executing inline script violates the following Content Security Policy directive 'script-src 'none''/);
  });

  it("shows a failed run: its state, error and trace, the secure parameter masked", async () => {
    await importNotebook(t.call, "/Shared/browser-fails", notebook('raise ValueError("<bad> input")'));
    const runId = await submitRunWithSecureParameters(
      t,
      { run_name: "browser fails", tasks: [{ task_key: "main", new_cluster: SMALL_CLUSTER, notebook_task: { notebook_path: "/Shared/browser-fails", base_parameters: { api_key: SECURE_VALUE } } }] },
      ["api_key"],
    );
    const run = await finishedRun(t.call, runId);
    assert.equal(run.state.result_state, "FAILED", JSON.stringify(run.state));
    const runPath = `/jobs/${run.job_id}/runs/${runId}?o=${WORKSPACE_ID}`;

    const tab = await freshPage();
    const { page, problems } = tab;
    const served = await openSignedIn(tab, run.run_page_url, runPath);
    const lines = await renderedLines(page);
    assert.ok(lines.includes("State\tTERMINATED FAILED"), lines.join("\n"));
    assert.ok(lines.includes("main\tnotebook\tapi_key\t••••• (secure)"), "the secure parameter is masked");
    assert.ok(lines.includes("Message\tTask main failed with message: Workload failed, see run output for details."), lines.join("\n"));
    assert.deepEqual(lines.slice(lines.indexOf("Error"), lines.indexOf("Error") + 2), ["Error", "ValueError: <bad> input"], "the error shows as text");
    assert.deepEqual(
      lines.slice(lines.indexOf("Error trace"), lines.indexOf("Error trace") + 5),
      ["Error trace", "Traceback (most recent call last):", '  File "<notebook cell 1>", line 1, in <module>', '    raise ValueError("<bad> input")', "ValueError: <bad> input"],
      "the trace shows as text",
    );
    await assertNoSecureValue(page, served, "ValueError: &lt;bad&gt; input");
    assert.deepEqual(problems, [], "the pages log no errors: the landing page's script ran under its CSP");
  });
});
