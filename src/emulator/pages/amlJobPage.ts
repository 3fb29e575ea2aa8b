/**
 * The page of an Azure ML job, where its Studio link leads on the emulator (`/runs/<job>`): the
 * job's status, times, error, status history and outputs; a pipeline's step graph; and each step's
 * status, times, error, history, outputs, log and the Databricks runs its log names, as built by
 * `./amlJobView`.
 */
import type { EmulatorResponse } from "../core/service";
import { html, page, type Html } from "./html";
import type { AmlJobSummary, AmlJobView, AmlStepView, OutputView } from "./amlJobView";
import { timeText } from "./links";
import { graphSvg, layoutGraph } from "./pipelineGraph";

/** The page of the job. */
export function amlJobPage(view: AmlJobView): EmulatorResponse {
  const { job } = view;
  const title = `${job.displayName} — ${job.jobType} job ${job.name}`;
  const body = html`<h1>${title}</h1>
<p class="note">Local emulator of an Azure Machine Learning workspace; experiment ${view.experiment}.</p>
${statusTable(job)}
${view.graph ? html`<h2>Step graph</h2>
${graphSvg(layoutGraph(view.graph.steps, view.graph.edges))}` : ""}
${historyAndOutputs(job)}
${view.steps.length === 0 ? "" : html`<h2>Steps</h2>
<table><tr><th>Step</th><th>Job</th><th>Status</th><th>Started</th><th>Ended</th></tr>
${view.steps.map((s) => html`<tr><td><a href="#step-${s.step}">${s.step}</a></td><td>${s.job.name}</td><td class="state">${s.job.status}</td><td>${s.job.startTime ?? "—"}</td><td>${s.job.endTime ?? "—"}</td></tr>`)}
</table>`}
${view.steps.map(stepSection)}`;
  return page(title, body);
}

/** A job's status, times, error, status history and outputs. */
function jobTable(job: AmlJobSummary): Html {
  return html`${statusTable(job)}
${historyAndOutputs(job)}`;
}

/** A job's status, times and error. */
function statusTable(job: AmlJobSummary): Html {
  return html`<table>
<tr><th>Status</th><td class="state">${job.status}</td></tr>
<tr><th>Started</th><td>${job.startTime ?? "—"}</td></tr>
<tr><th>Ended</th><td>${job.endTime ?? "—"}</td></tr>
</table>
${job.error ? html`<h3>Error</h3><pre>${job.error}</pre>` : ""}`;
}

/** A job's status history and outputs. */
function historyAndOutputs(job: AmlJobSummary): Html {
  return html`<h3>Status history</h3>
<table><tr><th>Time</th><th>Status</th></tr>
${job.history.map((h) => html`<tr><td>${timeText(h.at)}</td><td class="state">${h.status}</td></tr>`)}
</table>
${outputsTable(job.outputs)}`;
}

function outputsTable(outputs: readonly OutputView[]): Html | string {
  if (outputs.length === 0) return "";
  return html`<h3>Outputs</h3>
<table><tr><th>Output</th><th>URI</th></tr>
${outputs.map((o) => html`<tr><td>${o.name}</td><td>${o.uri === undefined ? html`<span class="note">not known yet</span>` : o.href ? html`<a href="${o.href}">${o.uri}</a>` : o.uri}</td></tr>`)}
</table>`;
}

function stepSection(s: AmlStepView): Html {
  return html`<h2 id="step-${s.step}">Step ${s.step} <span class="note">(job ${s.job.name})</span></h2>
${jobTable(s.job)}
${s.databricksRuns.length === 0 ? "" : html`<p>Databricks ${s.databricksRuns.length === 1 ? "run" : "runs"}: ${s.databricksRuns.map((r, i) => html`${i > 0 ? ", " : ""}<a href="${r.href}">run ${r.runId}</a>`)}</p>`}
<h3>std_log.txt${s.live ? html` <span class="note">(running: the log so far)</span>` : ""}${s.logTruncated ? html` <span class="note">(the last part only)</span>` : ""}</h3>
${s.log === undefined ? html`<p class="note">No log yet.</p>` : html`<pre>${s.log}</pre>`}`;
}
