/**
 * Where the workspace's state lives. Handlers and the run engine see only {@link DatabricksStore}:
 * reads and updates of the whole state; the file store rewrites its JSON file (mode 0600: it
 * holds secret values) atomically after every update.
 */
import { randomBytes } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import { emptyState, type DatabricksState } from "./state";

/** The state of one workspace. */
export interface DatabricksStore {
  /** Reads the state; the callback must not change it. */
  read<T>(fn: (state: Readonly<DatabricksState>) => T): T;
  /** Changes the state; persisted when the callback returns. */
  update<T>(fn: (state: DatabricksState) => T): T;
  /** Forgets everything. */
  clear(): void;
}

/** State in memory only. */
export class InMemoryDatabricksStore implements DatabricksStore {
  protected state: DatabricksState = emptyState();

  read<T>(fn: (state: Readonly<DatabricksState>) => T): T {
    return fn(this.state);
  }

  update<T>(fn: (state: DatabricksState) => T): T {
    const result = fn(this.state);
    this.changed();
    return result;
  }

  clear(): void {
    this.state = emptyState();
    this.changed();
  }

  /** Called after every change; {@link FileDatabricksStore} persists here. */
  protected changed(): void {
    // In memory: nothing to do.
  }
}

/** State kept in one JSON file, loaded at construction and rewritten after every change. */
export class FileDatabricksStore extends InMemoryDatabricksStore {
  /** @param file - the JSON file; created with its folder when missing. */
  constructor(readonly file: string) {
    super();
    fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
    const loaded = readPersisted(file);
    if (loaded) this.state = loaded;
  }

  protected override changed(): void {
    const temp = `${this.file}.${process.pid}.${randomBytes(4).toString("hex")}.tmp`;
    fs.writeFileSync(temp, JSON.stringify(this.state) + "\n", { mode: 0o600 });
    fs.renameSync(temp, this.file);
  }
}

function readPersisted(file: string): DatabricksState | undefined {
  let text: string;
  try {
    text = fs.readFileSync(file, "utf8");
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw err;
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (err) {
    throw new Error(`Databricks state file ${file} is not valid JSON (${(err as Error).message}); move it away to start empty.`);
  }
  const s = data as Partial<DatabricksState> | null;
  const maps = ["clusters", "cluster_tokens", "jobs", "runs", "run_tokens", "scopes", "workspace"] as const;
  if (s?.format !== 1 || typeof s.next_id !== "object" || s.next_id === null || !maps.every((k) => typeof s[k] === "object" && s[k] !== null)) {
    throw new Error(`Databricks state file ${file} is not in the expected format (format 1); move it away to start empty.`);
  }
  return { ...emptyState(), ...s } as DatabricksState;
}
