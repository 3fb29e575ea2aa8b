/**
 * The DatabricksWorkspaceItem provider's operations: import a notebook or file (content hash
 * drives updates), detect drift by exporting and hashing, delete.
 */
import { createHash } from "node:crypto";
import * as path from "node:path";
import { CheckFailure, known } from "../checks";
import { isNotFound } from "../databricks";
import type { WorkspaceFormat, WorkspaceLanguage } from "../databricks/types";
import { checkHost, databricksApi, ignoreGone, progress } from "./connection";
import { applySpec } from "./specForm";

/** Inputs as they reach the provider. */
export interface ItemInputs {
  host: string;
  path: string;
  contentBase64: string;
  contentHash: string;
  format: WorkspaceFormat;
  language?: WorkspaceLanguage;
}

const MAX_BASE64 = 10 * 1024 * 1024;

export async function check(_olds: Record<string, unknown>, news: Record<string, unknown>): Promise<{ inputs: Record<string, unknown>; failures: CheckFailure[] }> {
  const inputs = { ...news };
  const failures: CheckFailure[] = [];
  applySpec(inputs, { path: "path", format: "format", language: "language", content: "contentBase64" });
  if (inputs.contentHash === undefined && typeof inputs.contentBase64 === "string") inputs.contentHash = sha256(Buffer.from(inputs.contentBase64, "base64"));
  if (inputs.format === undefined) inputs.format = "SOURCE";
  if (inputs.contentBase64 === undefined && known(inputs.spec)) failures.push({ property: "source", reason: "give the content: source (a local file), content, or spec.content (base64)." });
  if (inputs.path === undefined || inputs.path === "") failures.push({ property: "path", reason: "path is required: an absolute workspace path such as /Shared/etl/prepare." });
  else if (known(inputs.path) && (typeof inputs.path !== "string" || !inputs.path.startsWith("/") || inputs.path.endsWith("/"))) {
    failures.push({ property: "path", reason: `path "${String(inputs.path)}" must be absolute (start with /) and name the item, not a folder.` });
  }
  if (known(inputs.contentBase64) && typeof inputs.contentBase64 === "string" && inputs.contentBase64.length > MAX_BASE64) {
    failures.push({ property: "source", reason: "the content is over the 10 MB (base64) that workspace import accepts; put large files in DBFS (DatabricksDbfsFile)." });
  }
  checkHost(inputs, failures);
  return { inputs, failures };
}

export async function diff(_id: string, olds: ItemInputs, news: ItemInputs): Promise<{ changes: boolean; replaces: string[]; deleteBeforeReplace: boolean }> {
  const replaces = (["host", "path"] as const).filter((k) => olds[k] !== news[k]);
  const updates = (["contentHash", "format", "language"] as const).filter((k) => olds[k] !== news[k]);
  if (replaces.length + updates.length > 0) {
    const what = [...replaces, ...updates].map((k) => (k === "contentHash" ? "content" : k)).join(", ");
    progress(`Workspace item ${news.path}: ${what} changed; will ${replaces.length > 0 ? "replace it" : "import it again"}.`);
  }
  return { changes: replaces.length + updates.length > 0, replaces, deleteBeforeReplace: true };
}

export async function create(inputs: ItemInputs): Promise<{ id: string; outs: Record<string, unknown> }> {
  return { id: inputs.path, outs: await importItem(inputs) };
}

export async function update(_id: string, _olds: ItemInputs, news: ItemInputs): Promise<{ outs: Record<string, unknown> }> {
  return { outs: await importItem(news) };
}

async function importItem(inputs: ItemInputs): Promise<Record<string, unknown>> {
  const api = databricksApi(inputs.host);
  await api.workspace.mkdirs(path.posix.dirname(inputs.path));
  await api.workspace.import({ path: inputs.path, content: Buffer.from(inputs.contentBase64, "base64"), format: inputs.format, ...(inputs.language && { language: inputs.language }), overwrite: true });
  const status = await api.workspace.getStatus(inputs.path);
  return { ...inputs, objectType: status.object_type ?? "NOTEBOOK", ...(status.object_id !== undefined && { objectId: status.object_id }) };
}

/**
 * Gone when the path is missing. Content is not compared: the service normalises what it exports
 * (headers, cell markers), so a hash of the export would report drift that is not there.
 */
export async function read(id: string, props: ItemInputs & Record<string, unknown>): Promise<{ id: string; props: Record<string, unknown> }> {
  try {
    const status = await databricksApi(props.host).workspace.getStatus(props.path);
    return { id, props: { ...props, ...(status.object_type && { objectType: status.object_type }) } };
  } catch (err) {
    if (isNotFound(err)) return { id: "", props: {} };
    throw err;
  }
}

export async function remove(_id: string, props: ItemInputs): Promise<void> {
  await ignoreGone(() => databricksApi(props.host).workspace.delete(props.path));
}

function sha256(bytes: Buffer): string {
  return createHash("sha256").update(bytes).digest("hex");
}
