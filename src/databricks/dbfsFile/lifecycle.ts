/**
 * The DatabricksDbfsFile provider's operations (CreateDbfsBlockOp / DeleteDbfsBlockOp): upload
 * with `put`, or streaming `create`/`add-block`/`close` above 1 MB; read back by status and size;
 * delete. A local `source` file is streamed at upload time, so state keeps only its path and hash,
 * never its bytes. Required by the provider at call time.
 */
import { withKeyDetail } from "../../core/engineDiff";
import { createHash } from "node:crypto";
import * as fs from "node:fs";
import { Readable } from "node:stream";
import { CheckFailure, checkExclusive, failureList, isBase64, known, pathPartProblem, UNKNOWN } from "../../core/check";
import { hashFile, sha256 } from "../../core/localFile";
import { DatabricksApiError, DBFS_MAX_BLOCK_BYTES, isAlreadyExists, isNotFound } from "../client";
import { checkAdopt, takeoverRefused } from "../../core/takeover";
import { checkWithHost, databricksApi, ignoreGone } from "../shared/connection";
import { progress } from "../../core/progress";
import { absorbSpec, SpecShape } from "../shared/spec";

/** Inputs as they reach the provider (after check: the spec absorbed, the path without `dbfs:`). */
export interface DbfsFileInputs {
  host: string;
  /** DBFS path without the `dbfs:` scheme, e.g. `/FileStore/data/input.csv`. */
  path: string;
  /** Absolute path of the local file to upload; exclusive with `contentBase64`. */
  source?: string;
  /** Inline content, base64; exclusive with `source`. */
  contentBase64?: string;
  /** sha256 (hex) of the content. */
  contentHash: string;
  /** Upload over a file already at the path when creating. Default false. */
  adopt?: boolean;
  /** Only present while still unknown at preview; check absorbs a known spec. */
  spec?: unknown;
}

/** What state holds besides the inputs. */
export interface DbfsFileOutputs extends DbfsFileInputs {
  /** `dbfs:<path>`, as tasks and libraries name files. */
  dbfsPath: string;
  /** Size in bytes after the upload. */
  fileSize: number;
  /**
   * DBFS's modification time of the file after our upload, epoch ms (state only): a later one
   * means someone wrote the file since, even with content of the same size.
   */
  modificationTime?: number;
}

/** State as any version of this provider left it: the inputs, outputs possibly missing. */
export type StoredDbfsFile = DbfsFileInputs & Partial<DbfsFileOutputs>;

/** The ways to give the content; one of them. */
const CONTENT_SOURCES = ["source", "contentBase64"] as const;
/** The `dbfs/put` request, for `spec`. */
const SPEC: SpecShape = {
  request: "dbfs/put",
  example: '{ path: "dbfs:/FileStore/x.csv", contents: "<base64>" }',
  fields: { path: "path", contents: "contentBase64", overwrite: "adopt" },
  alternatives: [CONTENT_SOURCES],
};
/** Prefix of a content hash that stands for "changed in DBFS since our upload". */
export const DBFS_CHANGE_MARK = "changed-in-dbfs:size=";
/** Prefix of a content hash that stands for "written in DBFS since our upload" (same size, later modification time). */
export const DBFS_MODIFIED_MARK = "changed-in-dbfs:modified=";

/**
 * Validates the inputs, absorbs a known `spec` (`dbfs/put` JSON), strips `dbfs:` from the path and
 * fills the content hash. Every failure at once; unknown preview values pass. No host.
 */
export function checkDbfsFile(news: Record<string, unknown>): { inputs: Record<string, unknown>; failures: CheckFailure[] } {
  const inputs: Record<string, unknown> = { ...news };
  const { failures, fail } = failureList();
  absorbSpec(inputs, SPEC, fail);

  const p = inputs.path;
  if ((p === undefined && inputs.spec !== UNKNOWN) || p === "") fail("path", "path is required: a DBFS path such as dbfs:/FileStore/data/input.csv.");
  else if (known(p) && (typeof p !== "string" || !/^(dbfs:)?\/[^/]/.test(p) || p.endsWith("/") || p.replace(/^dbfs:/, "").includes("//"))) {
    fail("path", `path "${String(p)}" must be an absolute DBFS file path such as dbfs:/FileStore/data/input.csv.`);
  } else if (typeof p === "string" && pathPartProblem(p)) {
    fail("path", `path ${JSON.stringify(p)} ${pathPartProblem(p)}: give the file's plain absolute DBFS path, e.g. dbfs:/FileStore/data/input.csv.`);
  } else if (typeof p === "string") inputs.path = p.replace(/^dbfs:/, "");

  const { source, contentBase64 } = inputs;
  const given = checkExclusive(inputs, CONTENT_SOURCES, "", fail, "upload a local file or inline content, not both.");
  if (given.length === 0 && inputs.spec !== UNKNOWN) fail("source", "give the content: source (a local file) or contentBase64 (or spec.contents).");
  if (known(source) && source !== undefined) {
    const hash = typeof source === "string" ? hashFile(source) : undefined;
    if (hash === undefined) fail("source", `source "${String(source)}" is not a readable file: give the path of a local file, relative to the program's directory.`);
    else inputs.contentHash ??= hash;
  }
  if (known(contentBase64) && contentBase64 !== undefined) {
    if (typeof contentBase64 !== "string" || !isBase64(contentBase64)) {
      fail("contentBase64", 'contentBase64 must be base64 (A-Z, a-z, 0-9, +, / and = padding), e.g. Buffer.from(data).toString("base64").');
    } else inputs.contentHash ??= sha256(Buffer.from(contentBase64, "base64"));
  }
  checkAdopt(inputs, fail);
  return { inputs, failures };
}

/** Validation at preview and up; fills `host` from the environment when absent. */
export const check = checkWithHost(checkDbfsFile);

/** The engine's diff result, plus what changed. */
export interface DbfsFileDiff {
  changes: boolean;
  replaces: string[];
  deleteBeforeReplace: boolean;
  changedKeys: string[];
}

/**
 * A new workspace or path replaces the file (uploading the new one first); new content uploads it
 * again. Where a local source lies does not matter, only its content hash.
 */
export function diffDbfsFile(olds: Partial<DbfsFileOutputs>, news: Partial<DbfsFileInputs>): DbfsFileDiff {
  const changed = (k: keyof DbfsFileInputs) => news[k] === UNKNOWN || olds[k] !== news[k];
  const replaces: string[] = (["host", "path", "spec"] as const).filter(changed);
  const changedKeys = [...replaces, ...(changed("contentHash") ? ["content"] : [])];
  return { changes: changedKeys.length > 0, replaces, deleteBeforeReplace: false, changedKeys };
}

export async function diff(_id: string, olds: StoredDbfsFile, news: DbfsFileInputs): Promise<Omit<DbfsFileDiff, "changedKeys">> {
  const { changedKeys, ...d } = diffDbfsFile(olds, news);
  if (d.changes) {
    progress(`DBFS file ${known(news.path) ? news.path : olds.path}: ${changedKeys.join(", ")} changed; will ${d.replaces.length > 0 ? "replace it" : "upload it again"}.`);
  }
  return withKeyDetail(d, olds, news, changedKeys.map((k) => (k === "content" ? "contentHash" : k)));
}

/** Uploads the file; over a file already at the path only with `adopt`. The id is the DBFS path. */
export async function create(inputs: DbfsFileInputs): Promise<{ id: string; outs: DbfsFileOutputs }> {
  try {
    return { id: inputs.path, outs: await upload(inputs, inputs.adopt ?? false) };
  } catch (err) {
    if (!(err instanceof DatabricksApiError && isAlreadyExists(err))) throw err;
    throw takeoverRefused({ object: `DBFS file ${inputs.path} in ${inputs.host}`, adopting: "uploads the content over it", destroy: "deletes it", otherwise: "choose another path" }, err);
  }
}

/** Uploads the new content over the file. */
export async function update(_id: string, _olds: StoredDbfsFile, news: DbfsFileInputs): Promise<{ outs: DbfsFileOutputs }> {
  return { outs: await upload(news, true) };
}

async function upload(inputs: DbfsFileInputs, overwrite: boolean): Promise<DbfsFileOutputs> {
  const api = databricksApi(inputs.host);
  let contentHash = inputs.contentHash;
  if (inputs.source !== undefined) {
    const size = fs.statSync(inputs.source).size;
    if (size > DBFS_MAX_BLOCK_BYTES) progress(`DBFS file ${inputs.path}: uploading ${inputs.source} (${(size / 1024 / 1024).toFixed(1)} MB) in 1 MB blocks.`);
    // Hash what is actually uploaded: if the file changed since the program hashed it, state says so.
    const hash = createHash("sha256");
    const stream = fs.createReadStream(inputs.source, { highWaterMark: DBFS_MAX_BLOCK_BYTES });
    await api.dbfs.uploadFile(inputs.path, Readable.from(hashing(stream, hash)), overwrite);
    contentHash = hash.digest("hex");
  } else {
    await api.dbfs.uploadFile(inputs.path, Buffer.from(inputs.contentBase64 ?? "", "base64"), overwrite);
  }
  const status = await api.dbfs.getStatus(inputs.path);
  const outs: DbfsFileOutputs = { host: inputs.host, path: inputs.path, contentHash, dbfsPath: `dbfs:${inputs.path}`, fileSize: status.file_size ?? 0 };
  if (status.modification_time !== undefined) outs.modificationTime = status.modification_time;
  if (inputs.source !== undefined) outs.source = inputs.source;
  if (inputs.contentBase64 !== undefined) outs.contentBase64 = inputs.contentBase64;
  if (inputs.adopt !== undefined) outs.adopt = inputs.adopt;
  return outs;
}

async function* hashing(stream: AsyncIterable<Buffer>, hash: ReturnType<typeof createHash>): AsyncGenerator<Buffer> {
  for await (const chunk of stream) {
    hash.update(chunk);
    yield chunk;
  }
}

/**
 * Gone when nothing (or a folder) is at the path. A size other than the one uploaded, or a
 * modification time later than our upload's, means the file was written in DBFS since: its
 * content hash becomes a mark, so the next `up` uploads it again.
 */
export async function read(id: string, props: StoredDbfsFile): Promise<{ id: string; props: Partial<DbfsFileOutputs>; inputs?: Partial<DbfsFileInputs> }> {
  let status;
  try {
    status = await databricksApi(props.host).dbfs.getStatus(props.path);
  } catch (err) {
    if (isNotFound(err)) return { id: "", props: {} };
    throw err;
  }
  if (status.is_dir) return { id: "", props: {} };
  const size = status.file_size ?? 0;
  const outs: DbfsFileOutputs = { ...props, dbfsPath: `dbfs:${props.path}`, fileSize: size };
  const modified = status.modification_time;
  if (props.fileSize !== undefined && size !== props.fileSize) {
    progress(`DBFS file ${props.path} is ${size} bytes, not the ${props.fileSize} uploaded: it was changed outside Pulumi; the next pulumi up uploads it again.`);
    outs.contentHash = `${DBFS_CHANGE_MARK}${size}`;
  } else if (props.modificationTime !== undefined && modified !== undefined && modified > props.modificationTime) {
    progress(`DBFS file ${props.path} was written outside Pulumi at ${new Date(modified).toISOString()} (after the upload); the next pulumi up uploads it again.`);
    outs.contentHash = `${DBFS_MODIFIED_MARK}${modified}`;
  }
  const { dbfsPath: _d, fileSize: _f, modificationTime: _m, ...inputs } = outs;
  return { id, props: outs, inputs };
}

/** Deletes the file; a file already gone counts as deleted. */
export async function remove(_id: string, props: StoredDbfsFile): Promise<void> {
  await ignoreGone(() => databricksApi(props.host).dbfs.delete(props.path));
}
