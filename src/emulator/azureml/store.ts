/**
 * Where the workspace's state lives: {@link AzureMlStore}, reads and atomic updates (see
 * `core/stateStore.ts`). The file store keeps `<stateDir>/azureml/state.json` (a snapshot) and
 * `state.journal` (the changes since), mode 0600 as they hold compute access tokens.
 */
import * as path from "node:path";
import { FileStateStore, MemoryStateStore, type StateStore } from "../core/stateStore";
import { reviveState, type AzureMlState } from "./state";

/** The state of the workspace. */
export type AzureMlStore = StateStore<AzureMlState>;

/** The folder below the state folder holding the workspace's state. */
export const AZUREML_FOLDER = "azureml";

/** A store in memory, or in `<stateDir>/azureml/` when a state folder is given. */
export function openAzureMlStore(stateDir: string | undefined, fresh: () => AzureMlState): AzureMlStore {
  if (!stateDir) return new MemoryStateStore(fresh());
  return new FileStateStore<AzureMlState>({ dir: path.join(stateDir, AZUREML_FOLDER), name: "state", what: "Azure ML state", empty: fresh, revive: reviveState });
}

