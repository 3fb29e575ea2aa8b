/** The page of a notebook: its path, language and source (a Jupyter notebook as its cells' source). */
import type { EmulatorResponse } from "../core/service";
import type { StoredWorkspaceObject } from "../databricks/workspace/models";
import { isNotebookLanguage, jupyterToSource } from "../execution/notebookFormats";
import { html, page } from "./html";

/** The notebook's page; `content` is the stored file. */
export function notebookPage(object: StoredWorkspaceObject, content: Buffer): EmulatorResponse {
  const language = object.language && isNotebookLanguage(object.language) ? object.language : undefined;
  const source = object.format === "JUPYTER" && language ? jupyterToSource(content, language) : content.toString("utf8");
  return page(
    object.path,
    html`<h1>${object.path}</h1>
<p class="note">Notebook${language ? html` · ${language}` : ""} · object ${object.object_id} · <a href="/">All runs</a></p>
<pre>${source}</pre>`,
  );
}
