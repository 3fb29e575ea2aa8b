/** The index page at `/index`: everything the emulator holds, as listed by `./indexView`; never a secret's value. */
import type { EmulatorResponse } from "../core/service";
import { html, page, type Html, type HtmlValue } from "./html";
import type { AssetItem, IndexView } from "./indexView";

/** A section: a table of `rows`, or a note when there are none. */
function section(title: string, id: string, head: readonly string[], rows: readonly (readonly HtmlValue[])[], none: string): Html {
  return html`<h3 id="${id}">${title} <span class="note">(${rows.length})</span></h3>
${rows.length === 0 ? html`<p class="note">${none}</p>` : html`<table><tr>${head.map((h) => html`<th>${h}</th>`)}</tr>
${rows.map((r) => html`<tr>${r.map((cell) => html`<td>${cell}</td>`)}</tr>`)}
</table>`}`;
}

const link = (href: string | undefined, label: string): HtmlValue => (href ? html`<a href="${href}">${label}</a>` : label);
const assetRows = (items: readonly AssetItem[]): HtmlValue[][] => items.map((a) => [a.name, a.versions.join(", "), a.latest ?? "—", a.description ?? ""]);

/** The index page. */
export function indexPage(view: IndexView): EmulatorResponse {
  const aml = view.azureml;
  const body = html`<h1>Everything in the emulator</h1>
<p class="note">What the local emulator holds now. Secret scopes show the names of their keys, never a value.</p>
<h2>Databricks workspace</h2>
${section("Workspace items", "workspace", ["Path", "Type", "Language"], view.workspace.map((w) => [link(w.href, w.path), w.type, w.language ?? "—"]), "No notebooks or files.")}
${section("Secret scopes", "scopes", ["Scope", "Backend", "Keys"], view.scopes.map((s) => [s.name, s.vault ? html`${s.backend} <span class="note">(${s.vault})</span>` : s.backend, s.keys.length === 0 ? html`<span class="note">none</span>` : s.keys.join(", ")]), "No secret scopes.")}
${section("DBFS mounts", "mounts", ["Mount point", "Source"], view.mounts.map((m) => [m.point, m.source]), "No mounts.")}
${section("Jobs", "databricks-jobs", ["Job", "Name"], view.databricksJobs.map((j) => [link(j.href, String(j.jobId)), j.name ?? "—"]), "No jobs.")}
${
  aml
    ? html`<h2>Azure Machine Learning workspace</h2>
${section("Datastores", "datastores", ["Datastore", "Container"], aml.datastores.map((d) => [link(d.href, d.name), d.container]), "No datastores.")}
${section("Computes", "computes", ["Compute", "Type", "State", "Description"], aml.computes.map((c) => [c.name, c.type, c.state, c.description ?? ""]), "No computes.")}
${section("Components", "components", ["Component", "Versions", "Latest", "Description"], assetRows(aml.components), "No components.")}
${section("Environments", "environments", ["Environment", "Versions", "Latest", "Description"], assetRows(aml.environments), "No environments.")}
${section("Schedules", "schedules", ["Schedule", "Enabled", "Trigger", "Action", "Next firing"], aml.schedules.map((s) => [s.name, s.enabled ? "yes" : "no", s.trigger, s.action, s.next ?? "—"]), "No schedules.")}
${section("Jobs", "azureml-jobs", ["Job", "Display name", "Type", "Status"], aml.jobs.map((j) => [link(j.href, j.name), j.displayName, j.type, html`<span class="state">${j.status}</span>`]), "No jobs.")}`
    : ""
}`;
  return page("Everything in the emulator", body);
}
