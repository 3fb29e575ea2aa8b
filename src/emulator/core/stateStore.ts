/**
 * The one way the emulator keeps a service's state: an immutable value, read freely, changed only
 * through {@link StateStore.update}. An update runs on an Immer draft: if it throws, nothing
 * changed; if it returns, the change is persisted first and only then becomes the state, so a
 * change either happens whole or not at all, and what the callers saw is what is on disk.
 *
 * {@link FileStateStore} persists to a folder: a snapshot (`<name>.json`, replaced atomically)
 * and an append-only journal (`<name>.journal`) holding one line per change since the snapshot.
 * The line is written before the change becomes the state, and on disk once
 * {@link StateStore.durable} resolves: the server awaits that before it answers, so an answer (an
 * acknowledgement, or a read showing the change) never leaves before the change is on disk, and
 * concurrent changes share one flush. The journal is folded into a new snapshot when it outgrows
 * the snapshot, so a change costs what it changes, not what the state holds.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { enablePatches, freeze, Immer, isDraft, type Patch } from "immer";
import { syncFolder, writeFileDurably } from "./durableFile";
import { Journal, JournalWriteError } from "./journal";
import { removeTemporaryFiles } from "./removal";
import { applyOps, opsOf, type StateOp } from "./stateChanges";

enablePatches();
/** A private instance, so the emulator's settings never touch another Immer user in the process. */
const immer = new Immer({ autoFreeze: true });

/** A service's state, kept whole. */
export interface StateStore<S> {
  /** Reads the state (frozen: the callback cannot change it). */
  read<T>(fn: (state: Readonly<S>) => T): T;
  /**
   * Changes the state: `fn` changes the draft it is given; when it returns, the change is
   * persisted and becomes the state; when it or the persisting throws, nothing changes. `fn` must
   * not return a part of the draft (it is gone once the update ends).
   */
  update<T>(fn: (draft: S) => T): T;
  /** Replaces the whole state (reset), persisted first. */
  replace(state: S): void;
  /**
   * Resolves once every change made so far is on disk; rejects when it cannot be (the store is
   * then broken: see {@link problems}).
   */
  durable(): Promise<void>;
  /** What keeps the store from persisting changes, if anything (for the health check). */
  problems(): string[];
  /** Releases the files (the state stays readable). */
  close(): void;
}

/** A state in memory only; the rules of every store live here. */
export class MemoryStateStore<S extends object> implements StateStore<S> {
  protected state: S;

  constructor(initial: S) {
    this.state = freeze(initial, true);
  }

  read<T>(fn: (state: Readonly<S>) => T): T {
    return fn(this.state);
  }

  update<T>(fn: (draft: S) => T): T {
    let result: T | undefined;
    const [next, patches] = immer.produceWithPatches(this.state, (draft) => {
      result = fn(draft as S);
      if (isDraft(result)) throw new Error("A state update returned part of its draft; return a copy or a primitive.");
    });
    if (patches.length > 0) {
      this.persist(next as S, patches);
      this.state = next as S;
    }
    return result as T;
  }

  replace(state: S): void {
    const frozen = freeze(state, true);
    this.persistWhole(frozen);
    this.state = frozen;
  }

  durable(): Promise<void> {
    return Promise.resolve();
  }

  problems(): string[] {
    return [];
  }

  close(): void {
    // Nothing to release.
  }

  /** Persists a change before it becomes the state; throws to refuse it. */
  protected persist(_next: S, _patches: Patch[]): void {
    // In memory: nothing to do.
  }

  /** Persists a whole new state before it becomes the state; throws to refuse it. */
  protected persistWhole(_state: S): void {
    // In memory: nothing to do.
  }
}

/** How a {@link FileStateStore} reads and names its files. */
export interface FileStateStoreOptions<S> {
  /** The folder; created (mode 0700) when missing. */
  readonly dir: string;
  /** The base name of the snapshot (`<name>.json`) and the journal (`<name>.journal`). */
  readonly name: string;
  /** What the state is, in error messages: `Databricks state`. */
  readonly what: string;
  /** The state of a new store. */
  empty(): S;
  /**
   * The state from the snapshot's parsed `state` (or from a file of an earlier version, which
   * `legacy` says): checks its shape and gives its keyed collections no prototype; throws with a
   * message saying what is wrong.
   */
  revive(data: unknown, legacy: boolean): S;
  /** True for a snapshot file written before the journal existed (the whole state, no wrapper). */
  isLegacy?(data: unknown): boolean;
  /** Fold the journal into a snapshot once it holds this many bytes, and the snapshot fewer. Default 1 MiB. */
  readonly compactAfterBytes?: number;
}

/** The snapshot file: the state as of journal entry `seq`. */
interface Snapshot {
  snapshot: 1;
  seq: number;
  state: unknown;
}

/** One journal line: the change numbered `seq`. */
interface JournalLine {
  seq: number;
  ops: StateOp[];
}

/** Default of {@link FileStateStoreOptions.compactAfterBytes}. */
export const DEFAULT_COMPACT_AFTER_BYTES = 1024 * 1024;

/** A state persisted as a snapshot and a journal of the changes since (both mode 0600). */
export class FileStateStore<S extends object> extends MemoryStateStore<S> {
  /** The snapshot file. */
  readonly file: string;
  /** The journal file. */
  readonly journalFile: string;
  private journal: Journal;
  private seq: number;
  private snapshotBytes: number;
  /** Set when the journal may not match the state any more: every later change is refused. */
  private broken: string | undefined;
  /** The last failed compaction (retried at the next change). */
  private compactionProblem: string | undefined;
  private flushScheduled = false;

  constructor(private readonly options: FileStateStoreOptions<S>) {
    const file = path.join(options.dir, `${options.name}.json`);
    const journalFile = path.join(options.dir, `${options.name}.journal`);
    fs.mkdirSync(options.dir, { recursive: true, mode: 0o700 });
    // A snapshot cut short by a crash (the folder's content below, such as DBFS, is its owner's).
    removeTemporaryFiles(options.dir, false);
    const loaded = loadSnapshot(file, options);
    let opened: ReturnType<typeof Journal.open>;
    try {
      opened = Journal.open(journalFile);
    } catch (err) {
      throw new Error(`${options.what} journal ${journalFile} is damaged: ${(err as Error).message}; move it away with ${file} to start empty.`);
    }
    let state: S;
    try {
      state = replay(loaded, opened.contents.entries, journalFile, options);
    } catch (err) {
      opened.journal.close();
      throw err;
    }
    super(state);
    this.file = file;
    this.journalFile = journalFile;
    this.journal = opened.journal;
    this.seq = loaded.seq + countNewer(opened.contents.entries, loaded.seq);
    this.snapshotBytes = loaded.bytes;
    // A new store, or a file of an earlier version, starts with a snapshot of its own.
    if (loaded.legacy || !loaded.exists) this.compact(this.state);
  }

  override async durable(): Promise<void> {
    try {
      await this.journal.flush();
    } catch (err) {
      this.broken ??= (err as Error).message;
      throw err;
    }
  }

  override problems(): string[] {
    const problems: string[] = [];
    if (this.broken) problems.push(this.broken);
    const moved = this.journal.problem();
    if (moved) problems.push(moved);
    if (this.compactionProblem) problems.push(this.compactionProblem);
    const unwritable = probeFolder(this.options.dir);
    if (unwritable) problems.push(unwritable);
    return problems;
  }

  override close(): void {
    this.journal.close();
  }

  protected override persist(next: S, patches: Patch[]): void {
    if (this.broken) throw new Error(`${this.options.what} cannot be changed: ${this.broken}. Reset the emulator or restart it.`);
    // A journal whose file was removed would take changes that no restart finds.
    const moved = this.journal.problem();
    if (moved) throw new Error(`${this.options.what} cannot be changed: ${moved}.`);
    const line: JournalLine = { seq: this.seq + 1, ops: opsOf(patches, next) };
    try {
      this.journal.append(JSON.stringify(line));
    } catch (err) {
      if (err instanceof JournalWriteError && err.damaged) this.broken = err.message;
      throw err;
    }
    this.seq++;
    // Changes no answer waits for (a run moving on) reach the disk soon all the same.
    if (!this.flushScheduled) {
      this.flushScheduled = true;
      setImmediate(() => {
        this.flushScheduled = false;
        this.durable().catch(() => undefined);
      });
    }
    if (this.journal.size >= Math.max(this.options.compactAfterBytes ?? DEFAULT_COMPACT_AFTER_BYTES, this.snapshotBytes)) {
      try {
        this.compact(next);
        this.compactionProblem = undefined;
      } catch (err) {
        // The change itself is safe in the journal; the fold is tried again after the next one.
        this.compactionProblem = `folding ${this.journalFile} into ${this.file} failed: ${(err as Error).message}`;
      }
    }
  }

  protected override persistWhole(state: S): void {
    fs.mkdirSync(this.options.dir, { recursive: true, mode: 0o700 });
    this.writeSnapshot(state, this.seq + 1);
    this.seq++;
    // Whatever the journal holds is older than the snapshot now. A reset starts a fresh journal
    // file when the old one broke or went away, so it also mends the store.
    if (this.broken || this.journal.problem()) {
      const fresh = Journal.create(this.journalFile);
      closeQuietly(this.journal);
      this.journal = fresh;
    } else {
      this.journal.clear();
    }
    this.broken = undefined;
    this.compactionProblem = undefined;
  }

  /** Writes a snapshot of `state` (as of the last journal entry), then empties the journal. */
  private compact(state: S): void {
    this.writeSnapshot(state, this.seq);
    this.journal.clear();
  }

  private writeSnapshot(state: S, seq: number): void {
    const text = JSON.stringify({ snapshot: 1, seq, state } satisfies Snapshot) + "\n";
    writeFileDurably(this.file, text);
    this.snapshotBytes = Buffer.byteLength(text);
  }

}

function closeQuietly(journal: Journal): void {
  try {
    journal.close();
  } catch {
    // A descriptor of a removed file: nothing to keep.
  }
}

interface LoadedSnapshot {
  readonly exists: boolean;
  readonly legacy: boolean;
  readonly seq: number;
  readonly state: unknown;
  readonly bytes: number;
}

function loadSnapshot<S>(file: string, options: FileStateStoreOptions<S>): LoadedSnapshot {
  let text: string;
  try {
    text = fs.readFileSync(file, "utf8");
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT") return { exists: false, legacy: false, seq: 0, state: options.empty(), bytes: 0 };
    throw err;
  }
  const restart = `move it away (with ${options.name}.journal) to start empty`;
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (err) {
    throw new Error(`${options.what} file ${file} is not valid JSON (${(err as Error).message}); ${restart}.`);
  }
  const bytes = Buffer.byteLength(text);
  if (options.isLegacy?.(data)) return { exists: true, legacy: true, seq: 0, state: data, bytes };
  const s = data as Partial<Snapshot> | null;
  if (s?.snapshot !== 1 || !Number.isSafeInteger(s.seq) || (s.seq as number) < 0 || typeof s.state !== "object" || s.state === null) {
    throw new Error(`${options.what} file ${file} is not a snapshot of this emulator version; ${restart}.`);
  }
  return { exists: true, legacy: false, seq: s.seq as number, state: s.state, bytes };
}

/** The state of the snapshot with the journal's newer entries applied, revived. */
function replay<S>(loaded: LoadedSnapshot, entries: unknown[], journalFile: string, options: FileStateStoreOptions<S>): S {
  const restart = `move it away with ${options.name}.json to start empty`;
  const state = loaded.state as object;
  let expected = loaded.seq + 1;
  for (const [i, entry] of entries.entries()) {
    const line = entry as Partial<JournalLine> | null;
    if (!Number.isSafeInteger(line?.seq) || !Array.isArray(line?.ops)) throw new Error(`${options.what} journal ${journalFile} line ${i + 1} is not a change; ${restart}.`);
    // Entries the snapshot already holds (a crash came between writing it and emptying the journal).
    if ((line!.seq as number) <= loaded.seq) continue;
    if (line!.seq !== expected) throw new Error(`${options.what} journal ${journalFile} line ${i + 1} is change ${line!.seq}, expected ${expected}; ${restart}.`);
    try {
      applyOps(state, line!.ops as StateOp[]);
    } catch (err) {
      throw new Error(`${options.what} journal ${journalFile} line ${i + 1} does not apply (${(err as Error).message}); ${restart}.`);
    }
    expected++;
  }
  try {
    return options.revive(state, loaded.legacy);
  } catch (err) {
    throw new Error(`${options.what} in ${path.dirname(journalFile)} is not in the expected format (${(err as Error).message}); move ${options.name}.json and ${options.name}.journal away to start empty.`);
  }
}

function countNewer(entries: unknown[], seq: number): number {
  return entries.filter((e) => ((e as Partial<JournalLine> | null)?.seq ?? 0) > seq).length;
}

/** Why nothing can be written in `dir`, if that is so: a file is created, flushed and removed. */
function probeFolder(dir: string): string | undefined {
  const probe = path.join(dir, ".~emulator-probe");
  try {
    fs.writeFileSync(probe, "", { mode: 0o600 });
    fs.rmSync(probe);
    syncFolder(dir);
    return undefined;
  } catch (err) {
    return `the state folder ${dir} cannot be written (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`;
  }
}
