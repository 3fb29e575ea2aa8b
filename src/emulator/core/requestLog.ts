/**
 * The emulator's record of the requests it answered. It holds method, path and status only:
 * never a query string, a header or a body, so no secret value or token can land in it.
 */
import * as fs from "node:fs";

/** One answered request. */
export interface RequestLogEntry {
  /** When the response was sent, ISO 8601. */
  readonly at: string;
  /** HTTP method. */
  readonly method: string;
  /** The path as received (percent-encoded), without the query string. */
  readonly path: string;
  /** The status answered. */
  readonly status: number;
}

/** In-memory request list, mirrored to a JSON-lines file when a path is given. */
export class RequestLog {
  private entries: RequestLogEntry[] = [];

  /** @param file - file to append one JSON line per request to; none when absent. */
  constructor(private readonly file?: string) {}

  /** Records one request. */
  add(entry: RequestLogEntry): void {
    this.entries.push(entry);
    if (this.file) fs.appendFileSync(this.file, JSON.stringify(entry) + "\n", { mode: 0o600 });
  }

  /** A copy of the entries recorded since start or the last {@link clear}. */
  list(): RequestLogEntry[] {
    return this.entries.slice();
  }

  /** Forgets the in-memory entries (the file, a history, is kept). */
  clear(): void {
    this.entries = [];
  }
}
