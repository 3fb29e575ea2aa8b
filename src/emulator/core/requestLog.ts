/**
 * The emulator's record of the requests it answered. It holds method, path and status only:
 * never a query string, a header or a body, so no secret value or token can land in it. It is
 * bounded: the newest {@link RequestLogLimits.entries} entries in memory, and on disk a file that
 * is rotated (to `<file>.1`, replacing the previous one) once it reaches
 * {@link RequestLogLimits.fileBytes}, so a long-running emulator's log never outgrows twice that.
 */
import * as fs from "node:fs";
import type { FaultKind } from "./faultsPlan";

/** One answered request. */
export interface RequestLogEntry {
  /** When the response was sent, ISO 8601. */
  readonly at: string;
  /** HTTP method. */
  readonly method: string;
  /** The path as received (percent-encoded), without the query string. */
  readonly path: string;
  /** The status answered; 0 when the connection was closed instead (an injected `reset`). */
  readonly status: number;
  /** The kind of fault injected into the request (`./faultsPlan`); absent when none. A `lost` one's status was not sent. */
  readonly fault?: FaultKind;
}

/** How much a {@link RequestLog} keeps. */
export interface RequestLogLimits {
  /** Entries kept in memory (the newest). */
  readonly entries: number;
  /** Size at which the file is rotated. */
  readonly fileBytes: number;
}

/** The limits of the emulator's request log: 10,000 entries in memory, files of 4 MiB. */
export const REQUEST_LOG_LIMITS: RequestLogLimits = Object.freeze({ entries: 10_000, fileBytes: 4 * 1024 * 1024 });

/** In-memory request list, mirrored to a JSON-lines file when a path is given. */
export class RequestLog {
  /** A ring of the newest entries: `entries[start]` is the oldest once it is full. */
  private entries: RequestLogEntry[] = [];
  private start = 0;
  private fileBytes: number;

  /** @param file - file to append one JSON line per request to; none when absent. */
  constructor(
    private readonly file?: string,
    private readonly limits: RequestLogLimits = REQUEST_LOG_LIMITS,
  ) {
    this.fileBytes = file ? sizeOf(file) : 0;
  }

  /** Records one request. */
  add(entry: RequestLogEntry): void {
    if (this.entries.length < this.limits.entries) {
      this.entries.push(entry);
    } else {
      this.entries[this.start] = entry;
      this.start = (this.start + 1) % this.limits.entries;
    }
    if (!this.file) return;
    const line = JSON.stringify(entry) + "\n";
    if (this.fileBytes > 0 && this.fileBytes + Buffer.byteLength(line) > this.limits.fileBytes) {
      fs.renameSync(this.file, `${this.file}.1`);
      this.fileBytes = 0;
    }
    fs.appendFileSync(this.file, line, { mode: 0o600 });
    this.fileBytes += Buffer.byteLength(line);
  }

  /** A copy of the entries kept since start or the last {@link clear}, oldest first. */
  list(): RequestLogEntry[] {
    return [...this.entries.slice(this.start), ...this.entries.slice(0, this.start)];
  }

  /** Forgets the in-memory entries (the file, a history, is kept). */
  clear(): void {
    this.entries = [];
    this.start = 0;
  }
}

function sizeOf(file: string): number {
  try {
    return fs.statSync(file).size;
  } catch {
    return 0;
  }
}
