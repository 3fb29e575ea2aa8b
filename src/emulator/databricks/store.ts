/**
 * Where the workspace's state lives. Handlers and the run engine see only {@link DatabricksStore}:
 * reads of the state and atomic updates (see `core/stateStore.ts`). The file store keeps
 * `<dataDir>/state.json` (a snapshot) and `<dataDir>/state.journal` (the changes since), mode
 * 0600 as they hold secret values; a `state.json` of an earlier version (the whole state, format 1)
 * is taken as the snapshot.
 */
import * as path from "node:path";
import { FileStateStore, MemoryStateStore, type StateStore } from "../core/stateStore";
import { emptyState, reviveState, type DatabricksState } from "./state";

/** The state of one workspace. */
export type DatabricksStore = StateStore<DatabricksState>;

/** State in memory only. */
export class InMemoryDatabricksStore extends MemoryStateStore<DatabricksState> {
  constructor() {
    super(emptyState());
  }
}

/** State persisted as a snapshot and a journal in the folder of `file` (the snapshot). */
export class FileDatabricksStore extends FileStateStore<DatabricksState> {
  /** @param file - the snapshot, `<dataDir>/state.json`; created with its folder when missing. */
  constructor(file: string) {
    super({
      dir: path.dirname(file),
      name: path.basename(file, ".json"),
      what: "Databricks state",
      empty: emptyState,
      revive: reviveState,
      isLegacy: (data) => typeof data === "object" && data !== null && !("snapshot" in data) && (data as { format?: unknown }).format === 1,
    });
  }
}
