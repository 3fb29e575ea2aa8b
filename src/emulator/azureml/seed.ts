/**
 * The workspace as it is made (at the first start, and after a reset): a new workspace id, the
 * default datastore `workspaceblobstore` (its container in Azurite, its key the account's) and the
 * compute cluster `cpu-cluster` for pipeline steps.
 */
import { randomUUID } from "node:crypto";
import { WELL_KNOWN_ACCOUNT_KEY } from "../storage/accounts";
import { clusterBody } from "./computes";
import { DEFAULT_COMPUTE, DEFAULT_DATASTORE, type AzureMlConfig } from "./config";
import { defaultDatastoreBody } from "./datastores";
import { writeResource } from "./resources";
import { emptyState, type AzureMlState } from "./state";

/** A freshly made workspace at `now`. */
export function seededState(config: AzureMlConfig, now: number): AzureMlState {
  const state = emptyState(randomUUID(), now);
  writeResource(state, `datastores/${DEFAULT_DATASTORE}`, defaultDatastoreBody(state.workspaceId), now, { key: WELL_KNOWN_ACCOUNT_KEY });
  writeResource(state, `computes/${DEFAULT_COMPUTE}`, clusterBody(config.location), now);
  return state;
}
