import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { TEST_CLOCK_START, until } from "../../support/emulator";
import { useAzureMlEmulator } from "./fixture";
import { childJobs, jobOf, jobPageHtml, registerComponent, submitJob, untilStatus } from "./executionFixture";

const AT_START = new Date(TEST_CLOCK_START).toISOString();

describe("Azure ML emulator: the job's page behind its Studio link", function () {
  this.timeout(60_000);
  const t = useAzureMlEmulator();

  /** Fetches `url` (redirects not followed) with a session cookie or the bearer token. */
  async function get(url: string, opts: { cookie?: string; auth?: boolean } = {}): Promise<{ status: number; location: string | null; text: string }> {
    const headers: Record<string, string> = {};
    if (opts.cookie) headers.Cookie = opts.cookie;
    if (opts.auth) headers.Authorization = `Bearer ${t.emulator.token}`;
    const res = await fetch(url, { headers, redirect: "manual" });
    return { status: res.status, location: res.headers.get("location"), text: await res.text() };
  }

  /** Signs in with the emulator's token; the session cookie. */
  async function signIn(next: string): Promise<string> {
    const res = await fetch(`${t.emulator.url}/login.html`, {
      method: "POST",
      redirect: "manual",
      headers: { "Content-Type": "application/x-www-form-urlencoded", Origin: t.emulator.url },
      body: new URLSearchParams({ token: t.emulator.token, next }).toString(),
    });
    assert.equal(res.status, 303);
    assert.equal(res.headers.get("location"), next);
    return (res.headers.get("set-cookie") ?? "").split(";")[0];
  }

  it("the Studio link leads to the emulator's page of the job: sign-in first, then statuses, times, the error and each step's log, escaped", async () => {
    const talk = await registerComponent(t, "talk", { command: `echo '<b>bold</b> & "quoted"'`, outputs: { out: { type: "uri_folder" } } });
    const fail = await registerComponent(t, "fail", { command: "echo '<script>alert(1)</script>' >&2; exit 4", inputs: { data: { type: "uri_folder" } } });
    await submitJob(t, "paged", {
      jobType: "Pipeline",
      displayName: "paged <pipeline>",
      jobs: { talk: { type: "command", componentId: talk }, later: { type: "command", componentId: fail, inputs: { data: { job_input_type: "literal", value: "${{parent.jobs.talk.outputs.out}}" } } } },
    });
    await untilStatus(t, "paged", "Failed");
    const studio = (await jobOf(t, "paged")).services.Studio.endpoint as string;
    const wsid = "/subscriptions/00000000-0000-0000-0000-0000000000a1/resourcegroups/rg-local/workspaces/local-aml";
    assert.equal(studio, `${t.emulator.url}/runs/paged?wsid=${wsid}`);
    // The sign-in page's `next` keeps the query as the server re-encodes it.
    const pagePath = `/runs/paged?${new URLSearchParams({ wsid })}`;

    const anonymous = await get(studio);
    assert.deepEqual([anonymous.status, anonymous.location], [303, `/login.html?next=${encodeURIComponent(pagePath)}`]);
    assert.equal((await get(studio, { cookie: "amldb_pages=made-up" })).status, 303);
    const page = await get(studio, { cookie: await signIn(pagePath) });
    assert.equal(page.status, 200, page.text);
    assert.deepEqual((await get(studio, { auth: true })).text, page.text, "a program with the bearer token sees the same page");

    const children = await childJobs(t, "paged");
    const error = "step later failed with exit code 4; the end of its log:\n&lt;script&gt;alert(1)&lt;/script&gt;";
    const text = page.text;
    assert.ok(text.includes("<title>paged &lt;pipeline&gt; — Pipeline job paged</title>"), "the job's name is escaped");
    assert.ok(text.includes(`<tr><th>Status</th><td class="state">Failed</td></tr>\n<tr><th>Started</th><td>${AT_START}</td></tr>\n<tr><th>Ended</th><td>${AT_START}</td></tr>`), text);
    assert.ok(text.includes(`<h3>Error</h3><pre>${error}</pre>`), "the pipeline's error names the failing step");
    assert.ok(text.includes(`<tr><td><a href="#step-talk">talk</a></td><td>${children.talk.name}</td><td class="state">Completed</td><td>${AT_START}</td><td>${AT_START}</td></tr>`), text);
    assert.ok(text.includes(`<tr><td><a href="#step-later">later</a></td><td>${children.later.name}</td><td class="state">Failed</td><td>${AT_START}</td><td>${AT_START}</td></tr>`), text);
    assert.ok(text.includes("<pre>&lt;b&gt;bold&lt;/b&gt; &amp; &quot;quoted&quot;\n</pre>"), "the step's std_log.txt, escaped");
    assert.ok(text.includes("<pre>&lt;script&gt;alert(1)&lt;/script&gt;\n</pre>"), "the failing step's log, escaped");
    assert.equal(text.split(`<h3>Error</h3><pre>${error}</pre>`).length - 1, 2, "the error shows on the pipeline and on its step");
    assert.ok(!/<script>alert|<b>bold/.test(text), "no markup from a step reaches the page");
  });

  it("shows a running step's log so far, then the uploaded one", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "aml-page-"));
    try {
      const go = path.join(dir, "go");
      const step = await registerComponent(t, "chatty", { command: `echo 'so <far>'; for i in $(seq 300); do [ -e ${go} ] && break; sleep 0.1; done; echo done` });
      await submitJob(t, "live", { jobType: "Pipeline", jobs: { chatty: { type: "command", componentId: step } } });
      const running = await until("the page shows the step's first line", async () => {
        const text = await jobPageHtml(t, "live");
        return text.includes("<pre>so &lt;far&gt;\n</pre>") && text;
      });
      assert.ok(running.includes('<h3>std_log.txt <span class="note">(running: the log so far)</span></h3>'), running);
      assert.ok(running.includes('<tr><th>Status</th><td class="state">Running</td></tr>'), running);
      fs.writeFileSync(go, "");
      await untilStatus(t, "live", "Completed");
      const ended = await jobPageHtml(t, "live");
      assert.ok(ended.includes("<h3>std_log.txt</h3>\n<pre>so &lt;far&gt;\ndone\n</pre>"), ended);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it("answers 404 for a job that does not exist", async () => {
    const missing = await get(`${t.emulator.url}/runs/nope`, { auth: true });
    assert.equal(missing.status, 404);
    assert.ok(missing.text.includes("Azure ML job nope does not exist in this workspace."));
  });
});
