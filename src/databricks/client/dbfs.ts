/** DBFS 2.0. Each method is one REST call, except `uploadFile` and `readAll`, which chain them. */
import type { Readable } from "node:stream";
import { isNotFound } from "./errors";
import type { CallOptions, DatabricksHttpClient } from "./httpClient";
import type { DbfsFileInfo, DbfsReadResponse } from "./types";

const DBFS = "/api/2.0/dbfs";

/** Largest block DBFS accepts in `put` contents, `add-block` data and `read` length: 1 MB. */
export const DBFS_MAX_BLOCK_BYTES = 1024 * 1024;

/** DBFS 2.0. Paths are DBFS paths (`/mnt/x`, `dbfs:/mnt/x`). */
export class DbfsApi {
  /** @param client The HTTP client every call goes through. */
  constructor(private readonly client: DatabricksHttpClient) {}

  /**
   * Writes a file of at most 1 MB in one call (`POST dbfs/put`, contents base64). With
   * `overwrite` a repeat is harmless; without it a repeat of a put that was applied would be
   * refused (RESOURCE_ALREADY_EXISTS), so after a reset connection or a 5xx the file is read
   * first: holding exactly `data`, the put is done and not sent again; absent, it is sent again.
   */
  async put(path: string, data: Buffer, overwrite = false, opts: CallOptions = {}): Promise<void> {
    if (data.length > DBFS_MAX_BLOCK_BYTES) throw new RangeError(`dbfs put takes at most ${DBFS_MAX_BLOCK_BYTES} bytes, not ${data.length}: use uploadFile for ${path}.`);
    const ifApplied = async () => {
      let status: DbfsFileInfo;
      try {
        status = await this.getStatus(path, opts);
      } catch (err) {
        if (isNotFound(err)) return undefined;
        throw err;
      }
      if (status.is_dir || status.file_size !== data.length) return undefined;
      return (await this.readAll(path, opts)).equals(data) ? {} : undefined;
    };
    const body = { path, contents: data.toString("base64"), overwrite };
    await this.client.request({ method: "POST", path: `${DBFS}/put`, body, operation: `upload ${path}`, idempotent: overwrite, ...(!overwrite && { ifApplied }), ...opts });
  }

  /** Opens a streaming upload (`POST dbfs/create`) and returns its handle. */
  async create(path: string, overwrite = false, opts: CallOptions = {}): Promise<number> {
    const res = await this.client.request<{ handle: number }>({ method: "POST", path: `${DBFS}/create`, body: { path, overwrite }, operation: `open upload of ${path}`, idempotent: overwrite, ...opts });
    return res.handle;
  }

  /** Appends a block of at most 1 MB to a streaming upload (`POST dbfs/add-block`). Not retried on 5xx: a repeat would append twice. */
  async addBlock(handle: number, data: Buffer, opts: CallOptions = {}): Promise<void> {
    if (data.length > DBFS_MAX_BLOCK_BYTES) throw new RangeError(`dbfs add-block takes at most ${DBFS_MAX_BLOCK_BYTES} bytes, not ${data.length}.`);
    await this.client.request({ method: "POST", path: `${DBFS}/add-block`, body: { handle, data: data.toString("base64") }, operation: `upload a block to handle ${handle}`, ...opts });
  }

  /** Completes a streaming upload (`POST dbfs/close`). */
  async close(handle: number, opts: CallOptions = {}): Promise<void> {
    await this.client.request({ method: "POST", path: `${DBFS}/close`, body: { handle }, operation: `close upload handle ${handle}`, ...opts });
  }

  /**
   * Uploads a file of any size: `put` when it is at most 1 MB, otherwise `create`, `add-block`
   * per 1 MB block (base64) and `close`. A stream is read block by block, never whole. If a
   * block fails, the handle is left open (the service expires it) rather than closed over a
   * partial file.
   */
  async uploadFile(path: string, data: Buffer | Readable, overwrite = false, opts: CallOptions = {}): Promise<void> {
    const block = DBFS_MAX_BLOCK_BYTES;
    if (Buffer.isBuffer(data)) {
      if (data.length <= block) return this.put(path, data, overwrite, opts);
      const handle = await this.create(path, overwrite, opts);
      for (let offset = 0; offset < data.length; offset += block) await this.addBlock(handle, data.subarray(offset, offset + block), opts);
      return this.close(handle, opts);
    }
    let pending: Buffer[] = [];
    let pendingBytes = 0;
    let handle: number | undefined;
    for await (const chunk of data) {
      const buf = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk as string);
      pending.push(buf);
      pendingBytes += buf.length;
      // Strictly more than a block: a stream of exactly 1 MB still goes through put.
      while (pendingBytes > block) {
        const all = Buffer.concat(pending);
        handle ??= await this.create(path, overwrite, opts);
        await this.addBlock(handle, all.subarray(0, block), opts);
        const rest = all.subarray(block);
        pending = [rest];
        pendingBytes = rest.length;
      }
    }
    const rest = Buffer.concat(pending);
    if (handle === undefined) return this.put(path, rest, overwrite, opts);
    if (rest.length > 0) await this.addBlock(handle, rest, opts);
    return this.close(handle, opts);
  }

  /** Reads up to 1 MB from `offset` (`GET dbfs/read`); `data` is base64. */
  read(path: string, offset = 0, length = DBFS_MAX_BLOCK_BYTES, opts: CallOptions = {}): Promise<DbfsReadResponse> {
    if (length > DBFS_MAX_BLOCK_BYTES) throw new RangeError(`dbfs read takes a length of at most ${DBFS_MAX_BLOCK_BYTES} bytes, not ${length}.`);
    return this.client.request({ method: "GET", path: `${DBFS}/read`, query: { path, offset, length }, operation: `read ${path}`, ...opts });
  }

  /** Reads a whole file, 1 MB per call. */
  async readAll(path: string, opts: CallOptions = {}): Promise<Buffer> {
    const parts: Buffer[] = [];
    for (let offset = 0; ; ) {
      const res = await this.read(path, offset, DBFS_MAX_BLOCK_BYTES, opts);
      const bytes = Buffer.from(res.data ?? "", "base64");
      if (bytes.length > 0) parts.push(bytes);
      offset += bytes.length;
      if (!res.bytes_read || bytes.length < DBFS_MAX_BLOCK_BYTES) break;
    }
    return Buffer.concat(parts);
  }

  /** Gets a file's or directory's metadata (`GET dbfs/get-status`); a missing path is 404 RESOURCE_DOES_NOT_EXIST. */
  getStatus(path: string, opts: CallOptions = {}): Promise<DbfsFileInfo> {
    return this.client.request({ method: "GET", path: `${DBFS}/get-status`, query: { path }, operation: `get status of ${path}`, ...opts });
  }

  /** Lists a directory (`GET dbfs/list`). */
  async list(path: string, opts: CallOptions = {}): Promise<DbfsFileInfo[]> {
    const res = await this.client.request<{ files?: DbfsFileInfo[] }>({ method: "GET", path: `${DBFS}/list`, query: { path }, operation: `list ${path}`, ...opts });
    return res.files ?? [];
  }

  /** Creates a directory and its parents (`POST dbfs/mkdirs`). */
  async mkdirs(path: string, opts: CallOptions = {}): Promise<void> {
    await this.client.request({ method: "POST", path: `${DBFS}/mkdirs`, body: { path }, operation: `create directory ${path}`, idempotent: true, ...opts });
  }

  /** Moves a file or directory (`POST dbfs/move`). */
  async move(sourcePath: string, destinationPath: string, opts: CallOptions = {}): Promise<void> {
    await this.client.request({
      method: "POST",
      path: `${DBFS}/move`,
      body: { source_path: sourcePath, destination_path: destinationPath },
      operation: `move ${sourcePath} to ${destinationPath}`,
      ...opts,
    });
  }

  /** Deletes a file, or a directory with `recursive` (`POST dbfs/delete`). */
  async delete(path: string, recursive = false, opts: CallOptions = {}): Promise<void> {
    await this.client.request({ method: "POST", path: `${DBFS}/delete`, body: { path, recursive }, operation: `delete ${path}`, idempotent: true, ...opts });
  }
}
