/**
 * The run page: a run's state and state timeline, parameters (secure ones masked), and each task's
 * notebook, attempts, output, logs and error, as built by `./runView`.
 */
import type { EmulatorResponse } from "../core/service";
import { html, page, type Html } from "./html";
import { jobPath, timeText } from "./links";
import type { AttemptView, RunView, TaskView } from "./runView";

/** Finds the page of a task's notebook: its path on the emulator, or `undefined` when it is not in the workspace. */
export type NotebookLink = (workspacePath: string) => string | undefined;

/** The run page; `highlight` is the run id of a task attempt the link named. */
export function runPage(view: RunView, notebookLink: NotebookLink, highlight?: number): EmulatorResponse {
  const run = view.run;
  const title = `${run.run_name} — run ${run.run_id}`;
  const body = html`<h1>${title}</h1>
<p class="note">Local emulator of an Azure Databricks workspace. <a href="${jobPath(run.job_id)}">Job ${run.job_id}</a> · <a href="/">All runs</a></p>
<table>
<tr><th>Run ID</th><td>${run.run_id}</td></tr>
<tr><th>Type</th><td>${run.run_type}</td></tr>
<tr><th>State</th><td class="state">${view.state}</td></tr>
<tr><th>Message</th><td>${run.state.state_message}</td></tr>
<tr><th>Started</th><td>${timeText(run.start_time)}</td></tr>
<tr><th>Ended</th><td>${run.end_time > 0 ? timeText(run.end_time) : "—"}</td></tr>
<tr><th>Created by</th><td>${run.creator_user_name}</td></tr>
</table>
<h2>State timeline</h2>
<table><tr><th>Time</th><th>What</th><th>State</th><th>Message</th></tr>
${view.timeline.map((e) => html`<tr><td>${e.at === undefined ? "now" : timeText(e.at)}</td><td>${e.subject}</td><td class="state">${e.state}</td><td>${e.message}</td></tr>`)}
</table>
<h2>Parameters</h2>
${
  view.parameters.length === 0
    ? html`<p class="note">None.</p>`
    : html`<table><tr><th>Task</th><th>Kind</th><th>Name</th><th>Value</th></tr>
${view.parameters.map((p) => html`<tr><td>${p.task ?? "—"}</td><td>${p.kind}</td><td>${p.name}</td><td>${p.value === undefined ? html`<span class="masked">••••• (secure)</span>` : p.value}</td></tr>`)}
</table>`
}
${view.tasks.map((t) => taskSection(t, notebookLink, highlight))}`;
  return page(title, body);
}

function taskSection(task: TaskView, notebookLink: NotebookLink, highlight?: number): Html {
  const link = task.notebookPath !== undefined && task.notebookSource !== "GIT" ? notebookLink(task.notebookPath) : undefined;
  const notebook =
    task.notebookPath === undefined
      ? ""
      : html`<p>Notebook: ${link ? html`<a href="${link}">${task.notebookPath}</a>` : html`${task.notebookPath} <span class="note">(${task.notebookSource === "GIT" ? "from Git" : "not in the workspace"})</span>`}</p>`;
  return html`<h2 id="task-${task.key}">Task ${task.key} <span class="note">(${task.type})</span></h2>
${notebook}
${task.attempts.map((a) => attemptSection(a, a.runId === highlight))}`;
}

function attemptSection(a: AttemptView, highlighted: boolean): Html {
  const block = (label: string, text: string | undefined, note?: string) => (text ? html`<h3>${label}${note ? html` <span class="note">${note}</span>` : ""}</h3><pre>${text}</pre>` : "");
  return html`<h3 id="run-${a.runId}">Attempt ${a.attemptNumber} — run ${a.runId}${highlighted ? " (the run this link names)" : ""}: <span class="state">${a.state}</span></h3>
${a.message ? html`<p>${a.message}</p>` : ""}
${block("Output", a.result, a.resultTruncated ? "(truncated)" : undefined)}
${block("Error", a.error)}
${block("Error trace", a.errorTrace)}
${block("Logs", a.logs, a.logsTruncated ? "(the last part only)" : undefined)}`;
}
