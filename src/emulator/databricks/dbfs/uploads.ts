/**
 * Streaming DBFS uploads (`create`, `add-block`, `close`): each open handle collects its blocks in a
 * file under the uploads folder until `close` moves it into place. A handle unused for
 * {@link DBFS_HANDLE_IDLE_MS} of the emulator clock's time expires, as the service's do.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import type { Clock } from "../../core/clock";
import { doesNotExist } from "../errors";
import type { DatabricksDataPaths } from "../paths";

/** An upload handle unused this long is closed by the service (10 minutes). */
export const DBFS_HANDLE_IDLE_MS = 10 * 60 * 1000;

/** A streaming upload between `create` and `close`. */
export interface OpenHandle {
  /** Canonical DBFS path the file goes to on close. */
  path: string;
  overwrite: boolean;
  /** Where the blocks accumulate. */
  tempFile: string;
  lastUsed: number;
}

/** Open streaming uploads (kept in memory: a restart drops them, as handles expire anyway). */
export class DbfsUploads {
  private next = 1;
  private readonly open = new Map<number, OpenHandle>();

  constructor(
    private readonly paths: DatabricksDataPaths,
    private readonly clock: Clock,
  ) {}

  /** Opens an upload to a canonical DBFS path; returns its handle. */
  create(dbfsPath: string, overwrite: boolean): number {
    this.expire();
    const handle = this.next++;
    const tempFile = path.join(this.paths.uploadsDir, `${handle}-${process.pid}.part`);
    fs.writeFileSync(tempFile, Buffer.alloc(0));
    this.open.set(handle, { path: dbfsPath, overwrite, tempFile, lastUsed: this.clock.now() });
    return handle;
  }

  /** An open upload; throws 404 when the handle is unknown, closed or expired. */
  get(handle: number): OpenHandle {
    this.expire();
    const h = this.open.get(handle);
    if (!h) throw doesNotExist(`The handle ${handle} does not exist.`);
    h.lastUsed = this.clock.now();
    return h;
  }

  /** Forgets an open upload and returns it, for the caller to move its file into place. */
  close(handle: number): OpenHandle {
    const h = this.get(handle);
    this.open.delete(handle);
    return h;
  }

  /** Drops every open upload and numbers handles from 1 again (reset). */
  clear(): void {
    for (const h of this.open.values()) fs.rmSync(h.tempFile, { force: true });
    this.open.clear();
    this.next = 1;
  }

  private expire(): void {
    const t = this.clock.now();
    for (const [id, h] of this.open) {
      if (t - h.lastUsed > DBFS_HANDLE_IDLE_MS) {
        fs.rmSync(h.tempFile, { force: true });
        this.open.delete(id);
      }
    }
  }
}
