/**
 * Workspace API 2.0: import, export, get-status, list, mkdirs, delete. Paths may carry the
 * `/Workspace` prefix. An existing path without `overwrite` is 400 RESOURCE_ALREADY_EXISTS
 * "Node named 'x' already exists"; a missing parent is 404 "The parent folder (/x) does not exist.".
 */
import * as path from "node:path";
import type { EmulatorRequest, EmulatorResponse } from "../../core/service";
import { apiError, invalidParameter } from "../errors";
import {
  isJupyterDocument,
  isNotebookLanguage,
  jupyterLanguage,
  jupyterToSource,
  notebookFileType,
  sourceNotebookLanguage,
  sourceToJupyter,
  withSourceHeader,
  type NotebookLanguage,
} from "../../execution/notebookFormats";
import { baseNameOf, normalizeWorkspacePath } from "../paths";
import { base64Bytes, bodyObject, optBool, optString, queryBool, reqQueryString, reqString } from "../request";
import { compact, ok } from "../response";
import type { StoredWorkspaceObject } from "./models";
import type { WorkspaceTree, WorkspaceWrite } from "./tree";

/** Largest content an import takes, in bytes (10 MB). */
export const MAX_IMPORT_BYTES = 10 * 1024 * 1024;

const NOTEBOOK_EXTENSIONS: Record<string, NotebookLanguage> = { ".py": "PYTHON", ".scala": "SCALA", ".sql": "SQL", ".r": "R" };

/** The Workspace API handlers. */
export function createWorkspaceHandlers(tree: WorkspaceTree) {
  return {
    async import(req: EmulatorRequest): Promise<EmulatorResponse> {
      const body = await bodyObject(req);
      const p = normalizeWorkspacePath(reqString(body, "path"));
      const format = (optString(body, "format") ?? "SOURCE").toUpperCase();
      const language = optString(body, "language")?.toUpperCase();
      const overwrite = optBool(body, "overwrite") ?? false;
      const content = base64Bytes(optString(body, "content") ?? "", "The content is not valid base64.", true);
      if (content.length > MAX_IMPORT_BYTES) {
        throw apiError(400, "MAX_NOTEBOOK_SIZE_EXCEEDED", `File size imported is (${content.length} bytes), exceeded max size (${MAX_IMPORT_BYTES} bytes)`);
      }
      if (language !== undefined && !isNotebookLanguage(language)) throw invalidParameter(`Invalid language: ${language}. Expected one of PYTHON, SCALA, SQL, R.`);
      tree.write(importedObject(p, format, language, content, overwrite));
      return ok();
    },

    export(req: EmulatorRequest): EmulatorResponse {
      const p = normalizeWorkspacePath(reqQueryString(req, "path"));
      const format = (req.query.get("format") || "SOURCE").toUpperCase();
      const object = tree.get(p);
      const { content, fileType } = exported(tree, object, format);
      if (queryBool(req, "direct_download")) {
        return { status: 200, headers: { "Content-Type": "application/octet-stream", "Content-Disposition": attachment(`${baseNameOf(p)}.${fileType}`) }, body: content };
      }
      return ok({ content: content.toString("base64"), file_type: fileType });
    },

    getStatus(req: EmulatorRequest): EmulatorResponse {
      return ok(objectInfo(tree, tree.get(normalizeWorkspacePath(reqQueryString(req, "path")))));
    },

    list(req: EmulatorRequest): EmulatorResponse {
      const objects = tree.list(normalizeWorkspacePath(reqQueryString(req, "path")));
      return ok(compact({ objects: objects.map((o) => objectInfo(tree, o)) }));
    },

    async mkdirs(req: EmulatorRequest): Promise<EmulatorResponse> {
      tree.mkdirs(normalizeWorkspacePath(reqString(await bodyObject(req), "path")));
      return ok();
    },

    async delete(req: EmulatorRequest): Promise<EmulatorResponse> {
      const body = await bodyObject(req);
      tree.delete(normalizeWorkspacePath(reqString(body, "path")), optBool(body, "recursive") ?? false);
      return ok();
    },
  };
}

/** The handlers' type. */
export type WorkspaceHandlers = ReturnType<typeof createWorkspaceHandlers>;

function importedObject(p: string, format: string, language: NotebookLanguage | undefined, content: Buffer, overwrite: boolean): WorkspaceWrite {
  switch (format) {
    case "SOURCE":
      if (!language) throw invalidParameter("The language field is required when importing a notebook in SOURCE format.");
      return { path: p, object_type: "NOTEBOOK", content, language, format: "SOURCE", overwrite };
    case "JUPYTER":
      if (!isJupyterDocument(content)) throw invalidParameter("The content is not a valid Jupyter notebook (.ipynb) document.");
      return { path: p, object_type: "NOTEBOOK", content, language: language ?? jupyterLanguage(content), format: "JUPYTER", overwrite };
    case "AUTO": {
      const ext = path.posix.extname(p).toLowerCase();
      const sourceLanguage = sourceNotebookLanguage(content.toString("utf8"), ext);
      if (sourceLanguage && NOTEBOOK_EXTENSIONS[ext] !== undefined) {
        // AUTO imports a source notebook under its name without the extension, as the workspace does.
        return { path: p.slice(0, -ext.length), object_type: "NOTEBOOK", content, language: sourceLanguage, format: "SOURCE", overwrite };
      }
      if (ext === ".ipynb" && isJupyterDocument(content)) {
        return { path: p.slice(0, -ext.length), object_type: "NOTEBOOK", content, language: jupyterLanguage(content), format: "JUPYTER", overwrite };
      }
      return { path: p, object_type: "FILE", content, overwrite };
    }
    case "RAW":
      return { path: p, object_type: "FILE", content, overwrite };
    case "HTML":
    case "DBC":
    case "R_MARKDOWN":
      throw invalidParameter(`Importing the ${format} format is not supported by the local emulator; use SOURCE, JUPYTER, AUTO or RAW.`);
    default:
      throw invalidParameter(`Invalid format: ${format}. Expected one of SOURCE, HTML, JUPYTER, DBC, R_MARKDOWN, AUTO, RAW.`);
  }
}

function exported(tree: WorkspaceTree, object: StoredWorkspaceObject, format: string): { content: Buffer; fileType: string } {
  if (object.object_type === "DIRECTORY") throw invalidParameter(`Exporting a directory is only supported in DBC format, which the local emulator does not produce: ${object.path}`);
  const raw = tree.read(object.path);
  if (object.object_type === "FILE") {
    if (format !== "SOURCE" && format !== "AUTO" && format !== "RAW") throw invalidParameter(`A file can only be exported in SOURCE, AUTO or RAW format, not ${format}: ${object.path}`);
    return { content: raw, fileType: path.posix.extname(object.path).slice(1) };
  }
  const language = (object.language ?? "PYTHON") as NotebookLanguage;
  const stored = object.format ?? "SOURCE";
  const wanted = format === "AUTO" || format === "RAW" ? stored : format;
  if (wanted === "SOURCE") {
    const text = stored === "JUPYTER" ? jupyterToSource(raw, language) : withSourceHeader(raw.toString("utf8"), language);
    return { content: Buffer.from(text, "utf8"), fileType: notebookFileType(language, "SOURCE") };
  }
  if (wanted === "JUPYTER") {
    const doc = stored === "JUPYTER" ? raw : Buffer.from(sourceToJupyter(raw.toString("utf8"), language, baseNameOf(object.path)), "utf8");
    return { content: doc, fileType: "ipynb" };
  }
  throw invalidParameter(`Exporting the ${format} format is not supported by the local emulator; use SOURCE, JUPYTER or AUTO.`);
}

/**
 * `Content-Disposition` of a download: `attachment; filename=<name>`, or the RFC 6266 encoded form
 * for a name a header cannot carry as is (characters beyond ASCII, quotes, semicolons).
 */
export function attachment(name: string): string {
  if (/^[\x20-\x7e]+$/.test(name) && !/[";\\]/.test(name)) return `attachment; filename=${name}`;
  const encoded = [...Buffer.from(name, "utf8")].map((b) => (/[A-Za-z0-9._~-]/.test(String.fromCharCode(b)) ? String.fromCharCode(b) : `%${b.toString(16).toUpperCase().padStart(2, "0")}`)).join("");
  return `attachment; filename*=UTF-8''${encoded}`;
}

function objectInfo(tree: WorkspaceTree, o: StoredWorkspaceObject): Record<string, unknown> {
  return compact({
    object_type: o.object_type,
    path: o.path,
    language: o.object_type === "NOTEBOOK" ? o.language : undefined,
    object_id: o.object_id,
    resource_id: String(o.object_id),
    created_at: o.created_at,
    modified_at: o.modified_at,
    size: o.object_type === "FILE" ? tree.read(o.path).length : undefined,
  });
}
