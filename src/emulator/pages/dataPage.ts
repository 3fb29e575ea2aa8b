/** The data page at `/data?uri=<datastore URI>`: a folder's blobs, or one blob's text (see `./dataView`). */
import type { EmulatorResponse } from "../core/service";
import type { DataView } from "./dataView";
import { html, page } from "./html";
import { dataPath } from "./links";

/** The page of a folder or a blob. */
export function dataPage(view: DataView): EmulatorResponse {
  const title = view.uri;
  if (view.kind === "file") {
    return page(
      title,
      html`<h1>${view.uri}</h1>
<p class="note">A blob of datastore ${view.datastore}, ${view.size} bytes · <a href="${dataPath(view.folder)}">its folder</a></p>
${view.text === undefined ? html`<p class="note">Not shown: ${view.why}.</p>` : html`<pre>${view.text}</pre>`}`,
    );
  }
  const list =
    view.blobs.length === 0
      ? html`<p class="note">Nothing is there (yet).</p>`
      : html`<table><tr><th>Blob</th><th>Bytes</th></tr>
${view.blobs.map((b) => html`<tr><td><a href="${dataPath(b.uri)}">${b.name}</a></td><td>${b.size}</td></tr>`)}
</table>${view.more ? html`<p class="note">The first ${view.blobs.length} blobs only.</p>` : ""}`;
  return page(title, html`<h1>${view.uri}</h1>
<p class="note">A folder of datastore ${view.datastore}.</p>
${list}`);
}
