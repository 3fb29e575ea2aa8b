/**
 * DBFS API 2.0 over the local DBFS root: put (<= 1 MB as JSON, <= 2 GB as a multipart form), streaming create/add-block/close, read
 * (<= 1 MB per call), get-status, list, mkdirs, move, delete. The root is the folder notebooks see
 * as `dbfs:/` and `/dbfs`, so both sides see the same files.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { CONTENT_FILE_MODE, isTemporaryName, renameDurably, syncFile, writeFileDurably } from "../../core/durableFile";
import { removeTree } from "../../core/removal";
import type { EmulatorRequest, EmulatorResponse } from "../../core/service";
import { alreadyExists, apiError, DatabricksRequestError, doesNotExist, invalidParameter } from "../errors";
import { normalizeDbfsPath, type DatabricksDataPaths } from "../paths";
import { base64Bytes, bodyObject, optBool, optString, queryInt, reqInt, reqQueryString, reqString, type JsonObject } from "../request";
import { compact, ok } from "../response";
import { BLOB_FOLDER, dbfsLocalFile, mountPointsUnder } from "./mounts";
import { DBFS_MAX_MULTIPART_BYTES, isMultipartForm, readPutForm, removeUpload } from "./multipart";
import type { DbfsUploads } from "./uploads";

/** Largest block of `put` contents, `add-block` data and `read` length: 1 MB. */
export const DBFS_MAX_BLOCK_BYTES = 1024 * 1024;
/** Default `read` length: 0.5 MB. */
export const DBFS_DEFAULT_READ_BYTES = 512 * 1024;
/** Limits of the DBFS API that tests may lower. */
export interface DbfsLimits {
  /** Largest file of a multipart `put`. Default {@link DBFS_MAX_MULTIPART_BYTES} (2 GB). */
  readonly maxMultipartBytes: number;
}

/** The DBFS API handlers. */
export function createDbfsHandlers(paths: DatabricksDataPaths, uploads: DbfsUploads, limits: DbfsLimits = { maxMultipartBytes: DBFS_MAX_MULTIPART_BYTES }) {
  const local = (p: string) => dbfsLocalFile(paths, p);
  /** A file's or folder's stats; folders holding mount points exist even when empty on disk. */
  const stat = (p: string): FileStat | undefined => {
    const s = statOrUndefined(local(p));
    if (s) return s;
    return mountPointsUnder(paths, p).holdsMounts ? VIRTUAL_FOLDER : undefined;
  };
  /** A child's stats for a listing; a link leading out of DBFS is left out, not an error of the listing. */
  const listable = (p: string): FileStat | undefined => {
    try {
      return stat(p);
    } catch (err) {
      if (err instanceof DatabricksRequestError) return undefined;
      throw err;
    }
  };
  const missing = (given: string) => doesNotExist(`No file or directory exists on path ${given}.`);
  const exists = (p: string) => alreadyExists(`A file or directory already exists at the input path dbfs:${p}.`);

  /** Checks a new file's target: free (or overwritable) and not under a file. */
  const checkTarget = (p: string, overwrite: boolean) => {
    const s = stat(p);
    if (s && (s.isDirectory() || !overwrite)) throw exists(p);
    for (let q = path.posix.dirname(p); q !== "/"; q = path.posix.dirname(q)) {
      if (stat(q)?.isFile()) throw exists(q);
    }
  };

  /** Writes a file of at most 1 MB given as base64 `contents` (the JSON form, or a form field). */
  const putContents = (fields: JsonObject): EmulatorResponse => {
    const p = normalizeDbfsPath(reqString(fields, "path"));
    const data = base64(optString(fields, "contents") ?? "", "contents");
    if (data.length > DBFS_MAX_BLOCK_BYTES) {
      throw apiError(400, "MAX_BLOCK_SIZE_EXCEEDED", `The 'contents' data cannot exceed ${DBFS_MAX_BLOCK_BYTES} bytes. Found: ${data.length} bytes. You might want to use streaming upload instead.`);
    }
    checkTarget(p, optBool(fields, "overwrite") ?? false);
    fs.mkdirSync(path.dirname(local(p)), { recursive: true });
    writeFileDurably(local(p), data, CONTENT_FILE_MODE);
    return ok();
  };

  /** Moves a completely written upload into place, durably; the temporary file is gone afterwards either way. */
  const moveIntoPlace = (tempFile: string, p: string, overwrite: boolean): void => {
    try {
      checkTarget(p, overwrite);
      fs.mkdirSync(path.dirname(local(p)), { recursive: true });
      fs.chmodSync(tempFile, CONTENT_FILE_MODE);
      syncFile(tempFile);
      renameDurably(tempFile, local(p));
    } finally {
      fs.rmSync(tempFile, { force: true });
    }
  };

  return {
    /** The JSON form (`contents` in base64, <= 1 MB) or the multipart form (a file part, <= 2 GB). */
    async put(req: EmulatorRequest): Promise<EmulatorResponse> {
      if (!isMultipartForm(req)) return putContents(await bodyObject(req));
      const form = await readPutForm(req, paths.uploadsDir, limits.maxMultipartBytes);
      const fields = formFields(form.fields);
      try {
        if (!form.file) return putContents(fields);
        moveIntoPlace(form.file.tempFile, normalizeDbfsPath(reqString(fields, "path")), optBool(fields, "overwrite") ?? false);
        return ok();
      } finally {
        removeUpload(form.file);
      }
    },

    async create(req: EmulatorRequest): Promise<EmulatorResponse> {
      const body = await bodyObject(req);
      const p = normalizeDbfsPath(reqString(body, "path"));
      const overwrite = optBool(body, "overwrite") ?? false;
      checkTarget(p, overwrite);
      return ok({ handle: uploads.create(p, overwrite) });
    },

    async addBlock(req: EmulatorRequest): Promise<EmulatorResponse> {
      const body = await bodyObject(req);
      const h = uploads.get(reqInt(body, "handle"));
      const data = base64(reqString(body, "data"), "data");
      if (data.length > DBFS_MAX_BLOCK_BYTES) {
        throw apiError(400, "MAX_BLOCK_SIZE_EXCEEDED", `The 'data' block cannot exceed ${DBFS_MAX_BLOCK_BYTES} bytes. Found: ${data.length} bytes.`);
      }
      fs.appendFileSync(h.tempFile, data);
      return ok();
    },

    async close(req: EmulatorRequest): Promise<EmulatorResponse> {
      const h = uploads.close(reqInt(await bodyObject(req), "handle"));
      moveIntoPlace(h.tempFile, h.path, h.overwrite);
      return ok();
    },

    read(req: EmulatorRequest): EmulatorResponse {
      const given = reqQueryString(req, "path");
      const p = normalizeDbfsPath(given);
      const offset = queryInt(req, "offset") ?? 0;
      const length = queryInt(req, "length") ?? DBFS_DEFAULT_READ_BYTES;
      if (length > DBFS_MAX_BLOCK_BYTES) throw apiError(400, "MAX_READ_SIZE_EXCEEDED", `Cannot read more than ${DBFS_MAX_BLOCK_BYTES} bytes at a time: length ${length}.`);
      if (offset < 0) throw invalidParameter(`The offset must be non-negative: ${offset}.`);
      if (length < 0) throw invalidParameter(`The length must be non-negative: ${length}.`);
      const s = stat(p);
      if (!s) throw missing(given);
      if (s.isDirectory()) throw invalidParameter(`Cannot read a directory: ${given}.`);
      const size = Math.max(0, Math.min(length, s.size - offset));
      const buffer = Buffer.alloc(size);
      if (size > 0) {
        const fd = fs.openSync(local(p), "r");
        try {
          fs.readSync(fd, buffer, 0, size, offset);
        } finally {
          fs.closeSync(fd);
        }
      }
      return ok({ bytes_read: size, data: buffer.toString("base64") });
    },

    getStatus(req: EmulatorRequest): EmulatorResponse {
      const given = reqQueryString(req, "path");
      const p = normalizeDbfsPath(given);
      const s = stat(p);
      if (!s) throw missing(given);
      return ok(fileInfo(p, s));
    },

    list(req: EmulatorRequest): EmulatorResponse {
      const given = reqQueryString(req, "path");
      const p = normalizeDbfsPath(given);
      const s = stat(p);
      if (!s) throw missing(given);
      if (!s.isDirectory()) return ok({ files: [fileInfo(p, s)] });
      const onDisk = statOrUndefined(local(p)) ? fs.readdirSync(local(p)).filter((name) => !(p === "/" && name === BLOB_FOLDER) && !isTemporaryName(name)) : [];
      const children = new Set([...onDisk.map((name) => (p === "/" ? `/${name}` : `${p}/${name}`)), ...mountPointsUnder(paths, p).children]);
      const files = [...children].sort().flatMap((child) => {
        const cs = listable(child);
        return cs ? [fileInfo(child, cs)] : [];
      });
      return ok(compact({ files }));
    },

    async mkdirs(req: EmulatorRequest): Promise<EmulatorResponse> {
      const p = normalizeDbfsPath(reqString(await bodyObject(req), "path"));
      for (let q = p; q !== "/"; q = path.posix.dirname(q)) {
        if (stat(q)?.isFile()) throw exists(q);
      }
      fs.mkdirSync(local(p), { recursive: true });
      return ok();
    },

    async move(req: EmulatorRequest): Promise<EmulatorResponse> {
      const body = await bodyObject(req);
      const givenSource = reqString(body, "source_path");
      const source = normalizeDbfsPath(givenSource);
      const destination = normalizeDbfsPath(reqString(body, "destination_path"));
      if (!stat(source)) throw missing(givenSource);
      if (stat(destination)) throw exists(destination);
      if (destination.startsWith(`${source}/`)) throw invalidParameter(`Cannot move ${source} into itself: ${destination}.`);
      fs.mkdirSync(path.dirname(local(destination)), { recursive: true });
      renameDurably(local(source), local(destination));
      return ok();
    },

    async delete(req: EmulatorRequest): Promise<EmulatorResponse> {
      const body = await bodyObject(req);
      const p = normalizeDbfsPath(reqString(body, "path"));
      const recursive = optBool(body, "recursive") ?? false;
      const s = statOrUndefined(local(p));
      if (!s) return ok();
      if (p === "/") throw invalidParameter("Cannot delete the DBFS root.");
      if (s.isDirectory()) {
        if (!recursive && fs.readdirSync(local(p)).length > 0) throw apiError(400, "IO_ERROR", `Directory dbfs:${p} is not empty; use recursive to delete it with its content.`);
      }
      removeTree(local(p));
      return ok();
    },
  };
}

/** The handlers' type. */
export type DbfsHandlers = ReturnType<typeof createDbfsHandlers>;

/** What listings need of a file's stats. */
type FileStat = Pick<fs.Stats, "isDirectory" | "isFile" | "size" | "mtimeMs">;

/** A folder that exists only because mount points are below it (`/mnt`). */
const VIRTUAL_FOLDER: FileStat = { isDirectory: () => true, isFile: () => false, size: 0, mtimeMs: 0 };

function statOrUndefined(file: string): fs.Stats | undefined {
  try {
    return fs.statSync(file);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === "ENOENT" || code === "ENOTDIR") return undefined;
    throw err;
  }
}

function fileInfo(p: string, s: FileStat): Record<string, unknown> {
  return { path: p, is_dir: s.isDirectory(), file_size: s.isDirectory() ? 0 : s.size, modification_time: Math.floor(s.mtimeMs) };
}

function base64(data: string, field: string): Buffer {
  return base64Bytes(data, `Invalid value for field ${field}: not valid base64.`, true);
}

/**
 * A form's text fields as the JSON form's: a form's booleans are text in any case, and the legacy
 * CLI sends Python's `True`/`False` (requests writes a bool field with `str()`).
 */
function formFields(fields: Record<string, string>): JsonObject {
  return fields.overwrite === undefined ? fields : { ...fields, overwrite: fields.overwrite.toLowerCase() };
}
