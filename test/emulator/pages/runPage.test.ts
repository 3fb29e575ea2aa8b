import * as assert from "node:assert/strict";
import * as vm from "node:vm";
import { FRAGMENT_SCRIPT } from "../../../src/emulator/pages/listPages";
import { b64, importNotebook, notebook, runWhen, SMALL_CLUSTER, submitRun, submitRunWithSecureParameters, TERMINAL_STATES } from "../../support/databricksWire";
import { rawRequest, useEmulator, type Reply } from "../../support/emulator";

const WORKSPACE_ID = "1234567890123456";
const SECURE_VALUE = "canary-secure-value-9d41";

describe("Emulator pages: the run page behind run_page_url", function () {
  this.timeout(60_000);
  const t = useEmulator();

  /** Fetches a page; `auth` adds the bearer token, `cookie` a Cookie header; redirects are not followed. */
  async function get(route: string, opts: { auth?: boolean; cookie?: string; headers?: Record<string, string> } = {}): Promise<Reply> {
    const headers: Record<string, string> = { ...opts.headers };
    if (opts.auth) headers.Authorization = `Bearer ${t.emulator.token}`;
    if (opts.cookie) headers.Cookie = opts.cookie;
    const res = await fetch(`${t.emulator.url}${route}`, { headers, redirect: "manual" });
    const text = await res.text();
    return { status: res.status, headers: res.headers, body: undefined, text };
  }

  /** Runs a notebook that prints and returns markup, with a plain and a secure parameter; returns the run. */
  async function markupRun(): Promise<{ runId: number; jobId: number; pageUrl: string }> {
    assert.equal((await t.call("POST", "/api/2.0/workspace/mkdirs", { path: "/Shared/pages" })).status, 200);
    await importNotebook(t.call, "/Shared/pages/markup", notebook('dbutils.notebook.exit("<b>" + dbutils.widgets.get("plain") + "</b> key=" + dbutils.widgets.get("api_key"))'));
    const script = 'import sys\nprint("<script>alert(\\"x\\")</script> args=" + " ".join(sys.argv[1:]))\n';
    assert.equal((await t.call("POST", "/api/2.0/dbfs/put", { path: "/pages/print.py", contents: b64(script), overwrite: true })).status, 200);
    const runId = await submitRunWithSecureParameters(
      t,
      {
        run_name: "markup <run>",
        tasks: [
          { task_key: "main", new_cluster: SMALL_CLUSTER, notebook_task: { notebook_path: "/Shared/pages/markup", base_parameters: { plain: "visible-value", api_key: SECURE_VALUE } } },
          { task_key: "printer", new_cluster: SMALL_CLUSTER, spark_python_task: { python_file: "dbfs:/pages/print.py", parameters: ["<i>arg</i>"] } },
        ],
      },
      ["api_key"],
    );
    const run = await runWhen(t.call, runId, "ends", (r) => TERMINAL_STATES.includes(r.state.life_cycle_state));
    assert.equal(run.state.result_state, "SUCCESS", JSON.stringify(run.state));
    return { runId, jobId: run.job_id, pageUrl: run.run_page_url };
  }

  it("opens the run_page_url: the landing page shows nothing of the workspace and its script goes on to the run's path", async () => {
    const { runId, jobId, pageUrl } = await markupRun();
    assert.equal(pageUrl, `${t.emulator.url}/?o=${WORKSPACE_ID}#job/${jobId}/run/${runId}`);
    const landing = await fetch(pageUrl, { redirect: "manual" });
    const text = await landing.text();
    assert.equal(landing.status, 200);
    assert.equal(landing.headers.get("content-type"), "text/html; charset=utf-8");
    assert.ok(text.includes(`<script>${FRAGMENT_SCRIPT}</script>`), text);
    assert.match(landing.headers.get("content-security-policy") ?? "", /script-src 'sha256-[A-Za-z0-9+/=]+'; form-action 'self'; frame-ancestors 'none'/);
    assert.equal(landing.headers.get("referrer-policy"), "same-origin", "not no-referrer, under which a browser posts the sign-in form with Origin: null");
    assert.ok(!text.includes("markup"), "a visitor who has not signed in sees no run");

    // The script, run as a browser would with the link's fragment and query.
    const went: string[] = [];
    const location = { hash: `#job/${jobId}/run/${runId}`, search: `?o=${WORKSPACE_ID}`, replace: (u: string) => went.push(u) };
    vm.runInNewContext(FRAGMENT_SCRIPT, { location });
    assert.deepEqual(went, [`/jobs/${jobId}/runs/${runId}?o=${WORKSPACE_ID}`]);
    vm.runInNewContext(FRAGMENT_SCRIPT, { location: { ...location, hash: `#job/${jobId}` } });
    assert.deepEqual(went.slice(1), [`/jobs/${jobId}?o=${WORKSPACE_ID}`], "a job link goes to the job's page");
    vm.runInNewContext(FRAGMENT_SCRIPT, { location: { ...location, hash: "#notebook/5" } });
    assert.equal(went.length, 2, "other fragments stay on the landing page");
  });

  it("renders the run's state, timeline, parameters with the secure one masked, escaped output and logs, and its notebook", async () => {
    const { runId, jobId } = await markupRun();
    const runPath = `/jobs/${jobId}/runs/${runId}?o=${WORKSPACE_ID}`;
    const anonymous = await get(runPath);
    assert.equal(anonymous.status, 303);
    assert.equal(anonymous.headers.get("location"), `/login.html?next=${encodeURIComponent(runPath)}`);

    const page = await get(runPath, { auth: true });
    assert.equal(page.status, 200, page.text);
    const text = page.text;
    assert.ok(text.includes("<title>markup &lt;run&gt; — run"), "the run's name is escaped");
    assert.ok(text.includes('<td class="state">TERMINATED SUCCESS</td>'), text);
    for (const state of ["PENDING", "RUNNING", "TERMINATED SUCCESS"]) {
      assert.ok(text.includes(`Task main, attempt 0 (run ${runId + 1})</td><td class="state">${state}</td>`), `timeline shows the task ${state}`);
    }
    assert.ok(text.includes("<td>main</td><td>notebook</td><td>plain</td><td>visible-value</td>"), "a plain parameter shows its value");
    assert.ok(text.includes('<td>main</td><td>notebook</td><td>api_key</td><td><span class="masked">••••• (secure)</span></td>'), "the secure parameter is masked");
    assert.ok(!text.includes(SECURE_VALUE), "the secure value appears nowhere on the page, the logs included");
    assert.ok(text.includes("<td>printer</td><td>python</td><td>[0]</td><td>&lt;i&gt;arg&lt;/i&gt;</td>"), "a script's parameters are listed, escaped");
    assert.ok(text.includes("<pre>&lt;b&gt;visible-value&lt;/b&gt; key=[REDACTED]</pre>"), "the notebook's exit value is escaped and the secure value taken out");
    assert.ok(text.includes("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; args=&lt;i&gt;arg&lt;/i&gt;"), "the script's logs are escaped");
    assert.ok(!/<script>alert|<b>visible|<i>arg/.test(text), "no markup from the run reaches the page");

    const link = /Notebook: <a href="(\/editor\/notebooks\/\d+\?o=\d+)">\/Shared\/pages\/markup<\/a>/.exec(text);
    assert.ok(link, "the task links to its notebook");
    const source = await get(link[1].replace(/&amp;/g, "&"), { auth: true });
    assert.equal(source.status, 200);
    assert.ok(source.text.includes("dbutils.notebook.exit(&quot;&lt;b&gt;&quot; + dbutils.widgets.get(&quot;plain&quot;)"), source.text);

    const taskPage = await get(`/jobs/${jobId}/runs/${runId + 1}?o=${WORKSPACE_ID}`, { auth: true });
    assert.ok(taskPage.text.includes(`Attempt 0 — run ${runId + 1} (the run this link names)`), "a task run's link opens its run with the attempt marked");
  });

  it("renders a failed run's state, error and trace, escaped", async () => {
    await importNotebook(t.call, "/Shared/fails", notebook('raise ValueError("<bad> input")'));
    const runId = await submitRun(t.call, { run_name: "fails", tasks: [{ task_key: "main", new_cluster: SMALL_CLUSTER, notebook_task: { notebook_path: "/Shared/fails" } }] });
    const run = await runWhen(t.call, runId, "ends", (r) => TERMINAL_STATES.includes(r.state.life_cycle_state));
    assert.equal(run.state.result_state, "FAILED", JSON.stringify(run.state));
    assert.equal(run.run_page_url, `${t.emulator.url}/?o=${WORKSPACE_ID}#job/${run.job_id}/run/${runId}`);
    const page = await get(`/jobs/${run.job_id}/runs/${runId}?o=${WORKSPACE_ID}`, { auth: true });
    assert.equal(page.status, 200, page.text);
    assert.ok(page.text.includes('<td class="state">TERMINATED FAILED</td>'), page.text);
    assert.ok(page.text.includes("<h3>Error</h3><pre>ValueError: &lt;bad&gt; input</pre>"), page.text);
    assert.match(page.text, /<h3>Error trace<\/h3><pre>[^<]*ValueError: &lt;bad&gt; input[^<]*<\/pre>/);
    assert.ok(!page.text.includes("<bad>"), "the error's markup does not reach the page");
  });

  it("lets a person sign in with the emulator's token for a session that ends with the emulator", async () => {
    const { runId, jobId } = await markupRun();
    const next = `/jobs/${jobId}/runs/${runId}?o=${WORKSPACE_ID}`;
    const form = await get(`/login.html?next=${encodeURIComponent(next)}`);
    assert.equal(form.status, 200);
    assert.ok(form.text.includes(`<input type="hidden" name="next" value="${next}">`));
    assert.ok(!form.text.includes(t.emulator.token), "the page never shows the token");

    const post = (token: string, origin?: string) =>
      fetch(`${t.emulator.url}/login.html`, {
        method: "POST",
        redirect: "manual",
        headers: { "Content-Type": "application/x-www-form-urlencoded", ...(origin ? { Origin: origin } : {}) },
        body: new URLSearchParams({ token, next }).toString(),
      });
    const wrong = await post("not-the-token", t.emulator.url);
    assert.equal(wrong.status, 401);
    assert.ok((await wrong.text()).includes("That is not the emulator's token."));
    assert.equal(wrong.headers.get("set-cookie"), null);

    const foreign = await post(t.emulator.token, "http://evil.example");
    assert.equal(foreign.status, 403, "a sign-in posted from another site is refused");

    const signedIn = await post(t.emulator.token, t.emulator.url);
    assert.equal(signedIn.status, 303);
    assert.equal(signedIn.headers.get("location"), next);
    const cookie = signedIn.headers.get("set-cookie") ?? "";
    assert.match(cookie, /^amldb_pages=[A-Za-z0-9_-]{43}; Path=\/; HttpOnly; SameSite=Strict; Secure$/);
    assert.ok(!cookie.includes(t.emulator.token), "the cookie is not the token");
    const session = cookie.split(";")[0];
    assert.equal((await get(next, { cookie: session, headers: { "Sec-Fetch-Site": "none" } })).status, 200, "a link opened from a terminal carries the session");
    assert.equal((await get(next, { cookie: "amldb_pages=made-up" })).status, 303, "an unknown session signs nothing in");
    const listed = await get("/", { cookie: session });
    assert.ok(listed.text.includes(`href="/jobs/${jobId}/runs/${runId}?o=${WORKSPACE_ID}"`), "the landing page lists the runs for a signed-in person");
  });

  it("keeps the browser guard: foreign hosts and cross-site requests are refused before anything", async () => {
    const { runId, jobId } = await markupRun();
    const route = `/jobs/${jobId}/runs/${runId}`;
    const auth = { Authorization: `Bearer ${t.emulator.token}` };
    assert.equal((await rawRequest(t.emulator.url, { method: "GET", path: route, headers: { ...auth, Host: "evil.example" } })).status, 403);
    assert.equal((await rawRequest(t.emulator.url, { method: "GET", path: route, headers: { ...auth, "Sec-Fetch-Site": "cross-site" } })).status, 403);
    assert.equal((await rawRequest(t.emulator.url, { method: "GET", path: "/", headers: { "Sec-Fetch-Site": "same-site" } })).status, 403);
  });

  it("answers missing, deleted and mismatched runs with a 404 page, and takes no injected faults", async () => {
    const { runId, jobId } = await markupRun();
    assert.equal((await get(`/jobs/${jobId}/runs/999`, { auth: true })).status, 404);
    assert.equal((await get(`/jobs/${jobId + 1}/runs/${runId}`, { auth: true })).status, 404, "the job id must be the run's");
    assert.equal((await get(`/jobs/x/runs/${runId}`, { auth: true })).status, 404);

    assert.equal((await t.control("POST", "/_emulator/faults", [{ status: 503, count: 1 }])).status, 200);
    assert.equal((await get(`/jobs/${jobId}/runs/${runId}`, { auth: true })).status, 200, "a page view takes no fault");
    assert.equal((await t.call("GET", `/api/2.1/jobs/runs/get?run_id=${runId}`)).status, 503, "the fault is still there for the API");

    assert.equal((await t.call("POST", "/api/2.1/jobs/runs/delete", { run_id: runId })).status, 200);
    const gone = await get(`/jobs/${jobId}/runs/${runId}`, { auth: true });
    assert.equal(gone.status, 404);
    assert.ok(gone.text.includes(`Run ${runId} does not exist in this workspace.`));
  });
});
