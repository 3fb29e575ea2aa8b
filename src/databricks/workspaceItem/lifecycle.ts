/**
 * The DatabricksWorkspaceItem provider's operations (ImportWorkspaceItemOp /
 * DeleteWorkspaceItemOp): import a notebook or file with its parent folders, re-import on a change
 * of content (known at preview through `contentHash`), format or language, find edits made in the
 * workspace by exporting and hashing, delete. Required by the provider at call time.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { CheckFailure, checkExclusive, failureList, isBase64, known, pathPartProblem, sameJson, UNKNOWN } from "../../core/check";
import { CodeFileHashes, describeFiles } from "../../core/codeFiles";
import { changedEntries, keyDetail, mapDetail, reviewedDiff, ReviewedDiff } from "../../core/detailedDiff";
import { EngineDiff, toEngineDiff } from "../../core/engineDiff";
import { fileSize, hashFile, readUnchanged, sha256 } from "../../core/localFile";
import { pick, withoutUndefined } from "../../core/objects";
import { DatabricksApi, DatabricksApiError, isAlreadyExists, isNotFound } from "../client";
import type { WorkspaceFormat } from "../client/types";
import { checkAdopt, takeoverRefused } from "../../core/takeover";
import { checkWithHost, databricksApi, ignoreGone } from "../shared/connection";
import { progress } from "../../core/progress";
import { absorbSpec, SpecShape } from "../shared/spec";

/** Inputs as they reach the provider (after check: the spec absorbed, defaults filled). */
export interface ItemInputs {
  host: string;
  /** Absolute workspace path. */
  path: string;
  /** Absolute path of the local file to import, read at apply time (its bytes never enter the state). */
  source?: string;
  /** The content as text; otherwise `contentBase64`. */
  content?: string;
  /** The content, base64. */
  contentBase64?: string;
  /** sha256 (hex) of the content's bytes. */
  contentHash: string;
  /** The local source's content hash by its path relative to the program (`notebooks/x.py`): how a preview names the file. */
  codeFiles?: CodeFileHashes;
  format: WorkspaceFormat;
  language?: string;
  /** Import over an object already at the path when creating. Default false. */
  adopt?: boolean;
  /** Only present while still unknown at preview; check absorbs a known spec. */
  spec?: unknown;
}

/** What state holds besides the inputs. */
export interface ItemOutputs extends ItemInputs {
  /** Where the object is: `path`, except for AUTO imports of `.py`/`.scala`/`.sql`/`.r`/`.ipynb` notebooks, which the workspace stores without the extension. */
  objectPath: string;
  /** `NOTEBOOK`, `FILE`, ... */
  objectType: string;
  /** The workspace's id of the object. */
  objectId?: number;
  /** sha256 of the object as the workspace exported it right after the import; refresh compares against it. */
  exportHash?: string;
}

/** State as any version of this provider left it: the inputs, outputs possibly missing. */
export type StoredItem = ItemInputs & Partial<ItemOutputs>;

/** Formats `workspace/import` takes. */
export const IMPORT_FORMATS = ["SOURCE", "JUPYTER", "AUTO", "RAW", "HTML", "DBC", "R_MARKDOWN"];
/** Notebook languages. */
export const LANGUAGES = ["PYTHON", "SCALA", "SQL", "R"];
/** The ways to give the content; one of them. */
const CONTENT_SOURCES = ["source", "content", "contentBase64"] as const;
/** Largest import, in bytes. */
export const MAX_IMPORT_BYTES = 10 * 1024 * 1024;
/** Notebook languages by file extension. */
export const LANGUAGE_BY_EXTENSION: Readonly<Record<string, string>> = { ".py": "PYTHON", ".scala": "SCALA", ".sql": "SQL", ".r": "R" };
/** The `workspace/import` request, for `spec`. */
const SPEC: SpecShape = {
  request: "workspace/import",
  example: '{ path: "/Shared/etl", format: "SOURCE", language: "PYTHON", content: "<base64>" }',
  fields: { path: "path", content: "contentBase64", format: "format", language: "language", overwrite: "adopt" },
  alternatives: [CONTENT_SOURCES],
};
const IDENTITY_KEYS = ["host", "path", "spec"] as const;
const CONTENT_KEYS = ["contentHash", "format", "language"] as const;
/** Prefix of a content hash that stands for "edited in the workspace since our import". */
export const WORKSPACE_EDIT_MARK = "edited-in-workspace:";

/** The content's bytes: the local source (unchanged since preview), `content` as UTF-8 text, or `contentBase64` decoded. */
export function contentBytes(i: Pick<ItemInputs, "source" | "content" | "contentBase64" | "contentHash" | "path">): Buffer {
  if (i.source !== undefined) return readUnchanged(i.source, i.contentHash, `Workspace item ${i.path}`);
  return i.content !== undefined ? Buffer.from(i.content, "utf8") : Buffer.from(i.contentBase64 ?? "", "base64");
}

/**
 * Validates the inputs, absorbs a known `spec` (`workspace/import` JSON) and fills the defaults
 * (format SOURCE, language PYTHON for SOURCE, the content hash). Every failure at once; unknown
 * preview values pass. No host.
 */
export function checkItem(news: Record<string, unknown>): { inputs: Record<string, unknown>; failures: CheckFailure[] } {
  const inputs: Record<string, unknown> = { ...news };
  const { failures, fail } = failureList();
  absorbSpec(inputs, SPEC, fail);

  const p = inputs.path;
  if ((p === undefined && inputs.spec !== UNKNOWN) || p === "") fail("path", "path is required: an absolute workspace path such as /Shared/etl/prepare.");
  else if (known(p) && (typeof p !== "string" || !p.startsWith("/") || p.endsWith("/") || p.includes("//"))) {
    fail("path", `path "${String(p)}" must be absolute (start with /) and name the item, not a folder.`);
  } else if (typeof p === "string" && pathPartProblem(p)) {
    fail("path", `path ${JSON.stringify(p)} ${pathPartProblem(p)}: give the item's plain absolute path, e.g. /Shared/etl/prepare.`);
  }

  const given = checkExclusive(inputs, CONTENT_SOURCES, "", fail, "give the content once: a local file, text, or base64.");
  if (given.length === 0 && inputs.spec !== UNKNOWN) fail("source", "no content: set source (a local file), content (text), contentBase64, or spec.content.");
  const contentProperty = given[0] ?? "contentBase64";
  if (known(inputs.content) && typeof inputs.content !== "string") fail("content", "content must be the item's text.");
  const b64 = inputs.contentBase64;
  if (known(b64) && (typeof b64 !== "string" || !isBase64(b64))) fail("contentBase64", "contentBase64 must be base64 (A-Z, a-z, 0-9, +, / and = padding).");
  const source = inputs.source;
  const size = typeof source === "string" ? fileSize(source) : undefined;
  if (known(source) && source !== undefined && size === undefined) fail("source", `source "${String(source)}" is not a readable file: give the path of a local file, relative to the program's directory.`);
  const bytes = knownBytes(inputs);
  const length = size ?? bytes?.length;
  if (length !== undefined && length > MAX_IMPORT_BYTES) {
    fail(contentProperty, `the content is ${length} bytes; workspace import takes at most ${MAX_IMPORT_BYTES} bytes (10 MB): put large files in DBFS (DatabricksDbfsFile).`);
  }
  if (inputs.contentHash === undefined && bytes) inputs.contentHash = sha256(bytes);
  if (inputs.contentHash === undefined && typeof source === "string" && size !== undefined) inputs.contentHash = hashFile(source);

  const format = inputs.format ?? "SOURCE";
  inputs.format = format;
  if (known(format) && (typeof format !== "string" || !IMPORT_FORMATS.includes(format))) {
    fail("format", `format must be one of ${IMPORT_FORMATS.join(", ")}, not ${JSON.stringify(format)}.`);
  }
  if (format === "SOURCE" && inputs.language === undefined) inputs.language = "PYTHON";
  const language = inputs.language;
  if (known(language)) {
    if (typeof language !== "string" || !LANGUAGES.includes(language)) fail("language", `language must be one of ${LANGUAGES.join(", ")}, not ${JSON.stringify(language)}.`);
    else if (known(format) && format !== "SOURCE" && format !== "JUPYTER") {
      fail("language", `language applies to SOURCE and JUPYTER notebooks; with format ${String(format)} the import takes it from the content: remove language.`);
    }
  }
  const jupyterBytes = bytes ?? (typeof source === "string" && size !== undefined && size <= MAX_IMPORT_BYTES ? fs.readFileSync(source) : undefined);
  if (format === "JUPYTER" && jupyterBytes && !isJupyter(jupyterBytes)) {
    fail(contentProperty, "the content is not a Jupyter notebook (.ipynb JSON with cells): use format SOURCE for a source file.");
  }
  checkAdopt(inputs, fail);
  if (inputs.overwrite !== undefined) fail("overwrite", "overwrite is now adopt: set adopt: true to import over an object that is already at the path.");
  return { inputs, failures };
}

function knownBytes(inputs: Record<string, unknown>): Buffer | undefined {
  if (typeof inputs.content === "string" && inputs.content !== UNKNOWN) return Buffer.from(inputs.content, "utf8");
  if (inputs.content === undefined && typeof inputs.contentBase64 === "string" && inputs.contentBase64 !== UNKNOWN) return Buffer.from(inputs.contentBase64, "base64");
  return undefined;
}

function isJupyter(bytes: Buffer): boolean {
  try {
    const doc = JSON.parse(bytes.toString("utf8")) as { cells?: unknown };
    return Array.isArray(doc.cells);
  } catch {
    return false;
  }
}

/** Validation at preview and up; fills `host` from the environment when absent. */
export const check = checkWithHost(checkItem);

/** The engine's diff result, plus what changed. */
export interface ItemDiff {
  changes: boolean;
  replaces: string[];
  deleteBeforeReplace: boolean;
  changedKeys: string[];
}

/**
 * A new workspace or path replaces the item, deleting the old one first (the new path may lie
 * under the old one); content, format or language re-import it. `adopt` only matters at create.
 */
export function diffItem(olds: Partial<ItemOutputs>, news: Partial<ItemInputs>): ItemDiff {
  const changed = (k: keyof ItemInputs) => news[k] === UNKNOWN || !sameJson(olds[k], news[k]);
  const replaces: string[] = IDENTITY_KEYS.filter(changed);
  const updates: string[] = CONTENT_KEYS.filter(changed);
  const changedKeys = [...replaces, ...updates];
  return { changes: changedKeys.length > 0, replaces, deleteBeforeReplace: true, changedKeys };
}

/**
 * What a preview shows: the identity keys that replace the item, and for a content change the file
 * that changed (`codeFiles["notebooks/x.py"]`) or else `contentHash` (content given inline, a state
 * written before files were named, an edit in the workspace); never the content itself.
 */
export function reviewItem(olds: Partial<ItemOutputs>, news: Partial<ItemInputs>): { diff: ReviewedDiff; reason?: string } {
  const d = diffItem(olds, news);
  if (!d.changes) return { diff: reviewedDiff({}, [], false, false) };
  const content = d.changedKeys.includes("contentHash");
  const files = content && olds.codeFiles && news.codeFiles ? changedEntries(olds.codeFiles, news.codeFiles) : [];
  const detail = {
    ...keyDetail(olds, news, d.replaces, d.replaces),
    ...(files.length > 0 ? mapDetail("codeFiles", olds.codeFiles, news.codeFiles, false) : keyDetail(olds, news, content ? ["contentHash"] : [], [])),
    ...keyDetail(olds, news, ["format", "language"], []),
  };
  const causes = d.changedKeys.map((k) => {
    if (k !== "contentHash") return k;
    if (files.length > 0) return `${describeFiles(news.format === "SOURCE" || news.format === "JUPYTER" ? "notebook" : "source", files)}`;
    return typeof olds.contentHash === "string" && olds.contentHash.startsWith(WORKSPACE_EDIT_MARK) ? "content (edited in the workspace since the last import)" : "content";
  });
  const effect = d.replaces.length > 0 ? "replace it" : "import it again";
  const reason = `Workspace item ${known(news.path) ? news.path : olds.path}: ${causes.join(", ")} changed; will ${effect}.`;
  return { diff: reviewedDiff(detail, d.replaces, d.deleteBeforeReplace), reason };
}

export async function diff(_id: string, olds: StoredItem, news: ItemInputs): Promise<EngineDiff> {
  const { diff: d, reason } = reviewItem(olds, news);
  if (reason) progress(reason);
  return toEngineDiff(d);
}

/** Creates the parent folders and imports the item; over an object already at the path only with `adopt`. */
export async function create(inputs: ItemInputs): Promise<{ id: string; outs: ItemOutputs }> {
  const outs = await importItem(databricksApi(inputs.host), inputs, inputs.adopt ?? false);
  return { id: inputs.path, outs };
}

/** Re-imports on a change of content, format or language; a format change first deletes the old object. */
export async function update(_id: string, olds: StoredItem, news: ItemInputs): Promise<{ outs: ItemOutputs }> {
  const { changedKeys } = diffItem(olds, news);
  if (!changedKeys.some((k) => (CONTENT_KEYS as readonly string[]).includes(k))) {
    return { outs: { ...withoutUndefined(news), ...pick(olds, ["objectPath", "objectType", "objectId", "exportHash"]) } as ItemOutputs };
  }
  const api = databricksApi(news.host);
  const previous = olds.objectPath ?? olds.path;
  if (olds.format !== news.format) await deleteObject(api, previous);
  const outs = await importItem(api, news, true);
  if (previous !== outs.objectPath) await deleteObject(api, previous);
  return { outs };
}

async function importItem(api: DatabricksApi, inputs: ItemInputs, overwrite: boolean): Promise<ItemOutputs> {
  const parent = path.posix.dirname(inputs.path);
  if (parent !== "/") await api.workspace.mkdirs(parent);
  const request = { path: inputs.path, content: contentBytes(inputs), format: inputs.format, overwrite, ...(inputs.language !== undefined && { language: inputs.language }) };
  try {
    await api.workspace.import(request);
  } catch (err) {
    if (err instanceof DatabricksApiError && isAlreadyExists(err)) {
      throw takeoverRefused({ object: `Workspace object ${inputs.path} in ${inputs.host}`, adopting: "imports the content over it", destroy: "deletes it", otherwise: "choose another path" }, err);
    }
    throw err;
  }
  const objectPath = await locate(api, inputs);
  const status = await api.workspace.getStatus(objectPath);
  const outs: ItemOutputs = { ...withoutUndefined(inputs), objectPath, objectType: status.object_type ?? "NOTEBOOK" };
  if (status.object_id !== undefined) outs.objectId = status.object_id;
  const exported = await exportHash(api, objectPath, inputs.format);
  if (exported !== undefined) outs.exportHash = exported;
  return outs;
}

/** Where the import put the object: AUTO stores `x.py` (or `.ipynb`, ...) notebooks as `x`. */
async function locate(api: DatabricksApi, inputs: ItemInputs): Promise<string> {
  const ext = path.posix.extname(inputs.path).toLowerCase();
  if (inputs.format !== "AUTO" || (LANGUAGE_BY_EXTENSION[ext] === undefined && ext !== ".ipynb")) return inputs.path;
  try {
    await api.workspace.getStatus(inputs.path);
    return inputs.path;
  } catch (err) {
    if (!isNotFound(err)) throw err;
    return inputs.path.slice(0, -ext.length);
  }
}

/** The export format that round-trips an import format. */
function exportFormat(format: string): WorkspaceFormat {
  return ["JUPYTER", "HTML", "DBC", "R_MARKDOWN"].includes(format) ? format : "SOURCE";
}

/** sha256 of the object's export; undefined when the workspace cannot export it. */
async function exportHash(api: DatabricksApi, objectPath: string, format: string): Promise<string | undefined> {
  try {
    const res = await api.workspace.export(objectPath, exportFormat(format));
    return sha256(Buffer.from(res.content ?? "", "base64"));
  } catch (err) {
    if (err instanceof DatabricksApiError && err.status === 400) return undefined;
    throw err;
  }
}

/**
 * Gone when nothing (or a folder) is at the path. An export that hashes differently from the one
 * taken after our import means the item was edited in the workspace: its content hash becomes a
 * mark that differs from any program's, so the next `up` imports the program's content again.
 */
export async function read(id: string, props: StoredItem): Promise<{ id: string; props: Partial<ItemOutputs>; inputs?: Partial<ItemInputs> }> {
  const api = databricksApi(props.host);
  const objectPath = props.objectPath ?? props.path;
  let status;
  try {
    status = await api.workspace.getStatus(objectPath);
  } catch (err) {
    if (isNotFound(err)) return { id: "", props: {} };
    throw err;
  }
  if (status.object_type === "DIRECTORY") return { id: "", props: {} };
  const outs: ItemOutputs = { ...props, objectPath, objectType: status.object_type ?? props.objectType ?? "NOTEBOOK" };
  if (status.object_id !== undefined) outs.objectId = status.object_id;
  if (props.exportHash !== undefined) {
    const now = await exportHash(api, objectPath, props.format);
    if (now !== undefined && now !== props.exportHash) {
      progress(`Workspace item ${props.path} was edited in the workspace since Pulumi imported it; the next pulumi up imports the program's content again.`);
      outs.contentHash = `${WORKSPACE_EDIT_MARK}${now}`;
    }
  }
  const { objectPath: _p, objectType: _t, objectId: _i, exportHash: _e, ...inputs } = outs;
  return { id, props: outs, inputs };
}

/** Deletes the object (not recursively); an object already gone counts as deleted. Parent folders stay. */
export async function remove(_id: string, props: StoredItem): Promise<void> {
  await deleteObject(databricksApi(props.host), props.objectPath ?? props.path);
}

async function deleteObject(api: DatabricksApi, objectPath: string): Promise<void> {
  await ignoreGone(() => api.workspace.delete(objectPath, false));
}
