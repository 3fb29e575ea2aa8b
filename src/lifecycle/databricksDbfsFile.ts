/**
 * The DatabricksDbfsFile provider's operations: upload (streaming create/add-block/close above
 * 1 MB), read back by status and size, delete. A local `source` file is read at upload time, so
 * state keeps only its path and hash, never its bytes.
 */
import { createHash } from "node:crypto";
import * as fs from "node:fs";
import { CheckFailure, known } from "../checks";
import { isNotFound } from "../databricks";
import { checkHost, databricksApi, ignoreGone, progress } from "./connection";
import { applySpec } from "./specForm";

/** Inputs as they reach the provider. */
export interface DbfsFileInputs {
  host: string;
  path: string;
  source?: string;
  contentBase64?: string;
  contentHash: string;
}

export async function check(_olds: Record<string, unknown>, news: Record<string, unknown>): Promise<{ inputs: Record<string, unknown>; failures: CheckFailure[] }> {
  const inputs = { ...news };
  applySpec(inputs, { path: "path", contents: "contentBase64" });
  if (inputs.contentHash === undefined && typeof inputs.contentBase64 === "string") inputs.contentHash = createHash("sha256").update(Buffer.from(inputs.contentBase64, "base64")).digest("hex");
  const failures: CheckFailure[] = [];
  const p = inputs.path;
  if (p === undefined || p === "") failures.push({ property: "path", reason: "path is required: a DBFS path such as dbfs:/FileStore/data/input.csv." });
  else if (known(p) && (typeof p !== "string" || !/^(dbfs:)?\/[^/]/.test(p) || p.endsWith("/"))) {
    failures.push({ property: "path", reason: `path "${String(p)}" must be an absolute DBFS file path such as dbfs:/FileStore/data/input.csv.` });
  } else if (typeof p === "string") inputs.path = p.replace(/^dbfs:/, "");
  checkHost(inputs, failures);
  return { inputs, failures };
}

export async function diff(_id: string, olds: DbfsFileInputs, news: DbfsFileInputs): Promise<{ changes: boolean; replaces: string[]; deleteBeforeReplace: boolean }> {
  const replaces = (["host", "path"] as const).filter((k) => olds[k] !== news[k]);
  const updates = olds.contentHash !== news.contentHash ? ["content"] : [];
  if (replaces.length + updates.length > 0) progress(`DBFS file ${news.path}: ${[...replaces, ...updates].join(", ")} changed; will ${replaces.length > 0 ? "replace it" : "upload it again"}.`);
  return { changes: replaces.length + updates.length > 0, replaces, deleteBeforeReplace: false };
}

export async function create(inputs: DbfsFileInputs): Promise<{ id: string; outs: Record<string, unknown> }> {
  return { id: inputs.path, outs: await upload(inputs) };
}

export async function update(_id: string, _olds: DbfsFileInputs, news: DbfsFileInputs): Promise<{ outs: Record<string, unknown> }> {
  return { outs: await upload(news) };
}

async function upload(inputs: DbfsFileInputs): Promise<Record<string, unknown>> {
  const api = databricksApi(inputs.host);
  const data = inputs.source !== undefined ? fs.createReadStream(inputs.source) : Buffer.from(inputs.contentBase64 ?? "", "base64");
  await api.dbfs.uploadFile(inputs.path, data, true);
  const status = await api.dbfs.getStatus(inputs.path);
  return { ...inputs, fileSize: status.file_size ?? 0 };
}

export async function read(id: string, props: DbfsFileInputs & { fileSize?: number }): Promise<{ id: string; props: Record<string, unknown> }> {
  try {
    const status = await databricksApi(props.host).dbfs.getStatus(props.path);
    if (status.is_dir) return { id: "", props: {} };
    return { id, props: { ...props, fileSize: status.file_size ?? 0 } };
  } catch (err) {
    if (isNotFound(err)) return { id: "", props: {} };
    throw err;
  }
}

export async function remove(_id: string, props: DbfsFileInputs): Promise<void> {
  await ignoreGone(() => databricksApi(props.host).dbfs.delete(props.path));
}
