/**
 * Reading the multipart form of `dbfs/put` (`multipart/form-data` with `path`, `overwrite` and a
 * file part) with busboy. The file part is `contents` as the DBFS API reference's
 * `curl --form contents=@file` sends it, or `file` as the legacy Databricks CLI (databricks-cli
 * `DbfsService.put`) does. It streams into a temporary file, never into memory, up to the
 * service's limit for this form: 2 GB (the CLI's `MULTIPART_UPLOAD_LIMIT`), against 1 MB for the
 * JSON `contents`.
 */
import busboy from "busboy";
import * as fs from "node:fs";
import { pipeline } from "node:stream/promises";
import { temporaryPath } from "../../core/durableFile";
import type { EmulatorRequest } from "../../core/service";
import { apiError, DatabricksRequestError, invalidParameter } from "../errors";

/** Largest file the multipart form of `dbfs/put` takes: 2 GB (the CLI's `MULTIPART_UPLOAD_LIMIT`). */
export const DBFS_MAX_MULTIPART_BYTES = 2 * 1024 * 1024 * 1024;

/** Room the form's boundaries and text fields take beside the file, for the early Content-Length check. */
const FORM_OVERHEAD_BYTES = 1024 * 1024;

/** Longest text field: a base64 `contents` field given instead of a file is held to the JSON form's 1 MB after decoding. */
const MAX_FIELD_BYTES = 16 * 1024 * 1024;

/** The names the file part goes by: the API reference's and the legacy CLI's. */
const FILE_FIELDS: readonly string[] = ["contents", "file"];

/** What a multipart `dbfs/put` carried. */
export interface PutForm {
  /** The text fields (`path`, `overwrite`, a base64 `contents` when no file part came). */
  readonly fields: Record<string, string>;
  /** The uploaded file, in a temporary file the caller moves into place or removes. */
  readonly file?: { readonly tempFile: string; readonly size: number };
}

/** True when the request carries a multipart form. */
export function isMultipartForm(req: EmulatorRequest): boolean {
  return /^multipart\/form-data\b/i.test(req.headers["content-type"] ?? "");
}

/**
 * Reads the form, streaming its file part into a new temporary file in `tempDir`. Throws a
 * {@link DatabricksRequestError} for a form it cannot take (malformed, a file over `maxFileBytes`,
 * a second file, a file part with another name), having removed what it wrote.
 */
export async function readPutForm(req: EmulatorRequest, tempDir: string, maxFileBytes = DBFS_MAX_MULTIPART_BYTES): Promise<PutForm> {
  const declared = Number(req.headers["content-length"]);
  if (Number.isFinite(declared) && declared > maxFileBytes + FORM_OVERHEAD_BYTES) throw tooLarge(maxFileBytes);
  let parser: busboy.Busboy;
  try {
    parser = busboy({ headers: req.headers, limits: { files: 1, fields: 16, fieldSize: MAX_FIELD_BYTES, fileSize: maxFileBytes + 1 } });
  } catch (err) {
    throw apiError(400, "MALFORMED_REQUEST", `The multipart form cannot be read: ${(err as Error).message}`);
  }

  const fields: Record<string, string> = {};
  let file: { tempFile: string; size: number } | undefined;
  let refusal: DatabricksRequestError | undefined;
  const writes: Promise<void>[] = [];

  parser.on("field", (name, value, info) => {
    if (info.valueTruncated) refusal ??= invalidParameter(`The field ${name} is too long.`);
    fields[name] = value;
  });
  parser.on("file", (name, stream) => {
    if (!FILE_FIELDS.includes(name) || file) {
      refusal ??= invalidParameter(file ? "Only one file can be put at a time." : `Unexpected file field ${name}: the file goes in the field contents (or file).`);
      stream.resume();
      return;
    }
    const upload = { tempFile: temporaryPath(tempDir, "put"), size: 0 };
    file = upload;
    stream.on("data", (chunk: Buffer) => (upload.size += chunk.length));
    // busboy stops at its limit, one byte over ours: reaching it means the file is too large.
    stream.on("limit", () => {
      refusal ??= tooLarge(maxFileBytes);
    });
    writes.push(pipeline(stream, fs.createWriteStream(upload.tempFile, { flags: "wx", mode: 0o600 })));
  });
  parser.on("filesLimit", () => {
    refusal ??= invalidParameter("Only one file can be put at a time.");
  });

  try {
    await pipeline(req.bodyStream(), parser);
    await Promise.all(writes);
  } catch (err) {
    removeUpload(file);
    if (err instanceof DatabricksRequestError) throw err;
    throw refusal ?? apiError(400, "MALFORMED_REQUEST", `The multipart form cannot be read: ${(err as Error).message}`);
  }
  if (refusal) {
    removeUpload(file);
    throw refusal;
  }
  return file ? { fields, file } : { fields };
}

/** Removes the temporary file of an upload, if any. */
export function removeUpload(file: PutForm["file"]): void {
  if (file) fs.rmSync(file.tempFile, { force: true });
}

function tooLarge(maxFileBytes: number): DatabricksRequestError {
  return apiError(
    400,
    "MAX_BLOCK_SIZE_EXCEEDED",
    `The file cannot exceed ${maxFileBytes} bytes when put as a multipart form. Use the streaming upload (create, add-block, close) for larger files.`,
  );
}
