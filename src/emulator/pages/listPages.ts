/**
 * The landing page at `/` and the page of a job's runs. The landing page is where the API's
 * `run_page_url` (`/?o=<id>#job/<job>/run/<run>`) and a job's link (`/#job/<job>`) lead: a
 * browser does not send the fragment, so the page's one script reads it and goes on to the
 * page's path. It shows nothing of the workspace to a visitor who has not signed in.
 */
import type { EmulatorResponse } from "../core/service";
import type { StoredRun } from "../databricks/runs/models";
import { html, page } from "./html";
import { jobPath, runPath, timeText } from "./links";
import { stateText } from "./runView";

/** Turns the fragment of a run or job link into the page's path, keeping the query (`?o=`). */
export const FRAGMENT_SCRIPT =
  '(function(){var m=/^#job\\/(\\d+)(?:\\/run\\/(\\d+))?$/.exec(location.hash);if(m){location.replace("/jobs/"+m[1]+(m[2]?"/runs/"+m[2]:"")+location.search);}})();';

/** The landing page; `runs` (most recent first) only for a visitor who signed in. */
export function landingPage(runs: readonly StoredRun[] | undefined): EmulatorResponse {
  const content = runs
    ? runTable(runs)
    : html`<p><a href="/login.html?next=%2F">Sign in</a> with the emulator's token to see its runs.</p>`;
  const body = html`<h1>Local Databricks workspace</h1>
<p class="note">The local emulator of an Azure Databricks workspace. A run or job link (<code>/?o=…#job/N/run/M</code>) opens its page from here.</p>
<noscript><p>This link names its run after <code>#</code>, which only a script can read: open <code>/jobs/&lt;job id&gt;/runs/&lt;run id&gt;</code> instead.</p></noscript>
${content}`;
  return page("Local Databricks workspace", body, { script: FRAGMENT_SCRIPT });
}

/** The runs of one job, most recent first. */
export function jobPage(jobId: number, jobName: string | undefined, runs: readonly StoredRun[]): EmulatorResponse {
  const title = jobName ? `${jobName} — job ${jobId}` : `Job ${jobId}`;
  return page(title, html`<h1>${title}</h1><p class="note"><a href="/">All runs</a></p>${runTable(runs)}`);
}

/** Most runs a list shows. */
export const MAX_LISTED_RUNS = 100;

function runTable(runs: readonly StoredRun[]) {
  if (runs.length === 0) return html`<p class="note">No runs.</p>`;
  const shown = runs.slice(0, MAX_LISTED_RUNS);
  return html`<table><tr><th>Run</th><th>Name</th><th>Job</th><th>State</th><th>Started</th></tr>
${shown.map((r) => html`<tr><td><a href="${runPath(r.job_id, r.run_id)}">${r.run_id}</a></td><td>${r.run_name}</td><td><a href="${jobPath(r.job_id)}">${r.job_id}</a></td><td class="state">${stateText(r.state)}</td><td>${timeText(r.start_time)}</td></tr>`)}
</table>${runs.length > shown.length ? html`<p class="note">The ${MAX_LISTED_RUNS} most recent of ${runs.length} runs.</p>` : ""}`;
}
