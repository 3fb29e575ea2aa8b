/**
 * An append-only journal: one JSON line per change. {@link Journal.append} writes the line;
 * {@link Journal.flush} resolves once every line appended before it is on disk (`fdatasync`), one
 * flush serving all the appends made while the previous one ran (group commit), so that many
 * concurrent changes cost a few flushes, not one each. A crash in the middle of an append leaves at
 * most a torn last line; {@link Journal.open} drops it. A failed append is cut off again, so the
 * journal never holds a partial line in its middle.
 */
import * as fs from "node:fs";

/** What a journal held when it was opened. */
export interface JournalContents {
  /** Every complete line, parsed, in order. */
  readonly entries: unknown[];
  /** True when a torn last line was dropped. */
  readonly tornTail: boolean;
}

/** An open journal file (mode 0600). */
export class Journal {
  private fd: number;
  private bytes: number;
  private readonly inode: number;
  /** Lines appended, and how many of them a finished flush covered. */
  private appended = 0;
  private flushed = 0;
  private flushing: Promise<void> | undefined;

  private constructor(
    readonly file: string,
    fd: number,
  ) {
    this.fd = fd;
    const stat = fs.fstatSync(fd);
    this.bytes = stat.size;
    this.inode = stat.ino;
  }

  /**
   * Opens (or creates) the journal and reads it. A last line without its newline, or one that is
   * not JSON, is a write the crash cut short: it is dropped, from the file too. Any other line that
   * is not JSON throws, naming the file and the line.
   */
  static open(file: string): { journal: Journal; contents: JournalContents } {
    const fd = fs.openSync(file, fs.constants.O_RDWR | fs.constants.O_CREAT | fs.constants.O_APPEND, 0o600);
    try {
      const text = fs.readFileSync(fd, "utf8");
      const lines = text.split("\n");
      // After the last newline: empty for a clean journal, else a torn line.
      let keptBytes = text.length - lines[lines.length - 1].length;
      let tornTail = lines.pop() !== "";
      const entries: unknown[] = [];
      for (let i = 0; i < lines.length; i++) {
        try {
          entries.push(JSON.parse(lines[i]));
        } catch (err) {
          if (i < lines.length - 1) throw new Error(`line ${i + 1} is not valid JSON (${(err as Error).message})`);
          keptBytes -= lines[i].length + 1;
          tornTail = true;
        }
      }
      if (tornTail) {
        fs.ftruncateSync(fd, Buffer.byteLength(text.slice(0, keptBytes)));
        fs.fsyncSync(fd);
      }
      return { journal: new Journal(file, fd), contents: { entries, tornTail } };
    } catch (err) {
      fs.closeSync(fd);
      throw err;
    }
  }

  /** Creates the journal empty, replacing any file there. */
  static create(file: string): Journal {
    const fd = fs.openSync(file, fs.constants.O_RDWR | fs.constants.O_CREAT | fs.constants.O_APPEND | fs.constants.O_TRUNC, 0o600);
    fs.fsyncSync(fd);
    return new Journal(file, fd);
  }

  /** Bytes in the journal. */
  get size(): number {
    return this.bytes;
  }

  /**
   * Appends one line (the text must hold no newline); it is on disk once a later {@link flush}
   * resolves. On failure the journal is cut back to where it was and a {@link JournalWriteError}
   * thrown, which says whether the journal can still be trusted.
   */
  append(line: string): void {
    const data = Buffer.from(line + "\n", "utf8");
    try {
      let written = 0;
      while (written < data.length) written += fs.writeSync(this.fd, data, written, data.length - written);
    } catch (err) {
      let cutBack = true;
      try {
        fs.ftruncateSync(this.fd, this.bytes);
      } catch {
        cutBack = false;
      }
      throw new JournalWriteError(this.file, err as Error, !cutBack);
    }
    this.bytes += data.length;
    this.appended++;
  }

  /**
   * Resolves once every line appended so far is on disk. Rejects with a {@link JournalWriteError}
   * (damaged: after a failed flush the system may have dropped the lines) when the flush fails.
   */
  async flush(): Promise<void> {
    const target = this.appended;
    while (this.flushed < target) {
      if (!this.flushing) {
        const upTo = this.appended;
        const fd = this.fd;
        this.flushing = new Promise<void>((resolve, reject) =>
          fs.fdatasync(fd, (err) => {
            this.flushing = undefined;
            if (err) return reject(new JournalWriteError(this.file, err, true));
            this.flushed = Math.max(this.flushed, upTo);
            resolve();
          }),
        );
      }
      await this.flushing;
    }
  }

  /** True while appended lines wait for a {@link flush}. */
  get pending(): boolean {
    return this.flushed < this.appended;
  }

  /** Empties the journal (its content is in a snapshot now, on disk: nothing waits for a flush). */
  clear(): void {
    fs.ftruncateSync(this.fd, 0);
    fs.fsyncSync(this.fd);
    this.bytes = 0;
    this.flushed = this.appended;
  }

  /** Why the journal's file is no longer where the store writes, if it is not (removed or replaced). */
  problem(): string | undefined {
    try {
      if (fs.statSync(this.file).ino !== this.inode) return `${this.file} was replaced by another file`;
    } catch (err) {
      return `${this.file} cannot be reached (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`;
    }
    return undefined;
  }

  /** Flushes what waits and closes the file (once a flush under way has ended); closing again does nothing. */
  close(): void {
    const fd = this.fd;
    if (fd < 0) return;
    this.fd = -1;
    try {
      if (this.pending) fs.fdatasyncSync(fd);
      this.flushed = this.appended;
    } finally {
      if (this.flushing) void this.flushing.catch(() => undefined).finally(() => fs.closeSync(fd));
      else fs.closeSync(fd);
    }
  }
}

/** An append that failed; `damaged` when the journal may now differ from what was appended before. */
export class JournalWriteError extends Error {
  constructor(
    file: string,
    readonly cause: Error,
    readonly damaged: boolean,
  ) {
    super(`writing ${file} failed (${cause.message})${damaged ? "; the journal can no longer be trusted" : ""}`);
    this.name = "JournalWriteError";
  }
}
