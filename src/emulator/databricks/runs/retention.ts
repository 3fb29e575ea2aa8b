/**
 * How long the workspace keeps finished runs: Databricks keeps a run's history for 60 days; the
 * emulator does the same on its own clock, and also keeps at most {@link MAX_KEPT_RUNS} runs, so
 * that its state stays bounded however many runs a long session submits. Active runs are never
 * dropped. A dropped run takes its idempotency token with it.
 */
import type { DatabricksState } from "../state";
import { isActive } from "./records";

/** How long a finished run is kept: 60 days, as the service keeps run history. */
export const RUN_RETENTION_MS = 60 * 24 * 3600 * 1000;

/** Most runs kept; beyond it the oldest finished runs are dropped. */
export const MAX_KEPT_RUNS = 1000;

/** The ids of the runs to drop at `now`: finished more than 60 days ago, then the oldest finished ones beyond the cap. */
export function runsToDrop(s: Readonly<DatabricksState>, now: number): string[] {
  const finished = Object.values(s.runs).filter((r) => !isActive(r.state));
  const expired = new Set(finished.filter((r) => (r.end_time || r.start_time) + RUN_RETENTION_MS <= now));
  const drop = [...expired];
  const beyondCap = Object.keys(s.runs).length - expired.size - MAX_KEPT_RUNS;
  if (beyondCap > 0) {
    drop.push(
      ...finished
        .filter((r) => !expired.has(r))
        .sort((a, b) => a.run_id - b.run_id)
        .slice(0, beyondCap),
    );
  }
  return drop.map((r) => String(r.run_id));
}

/** Drops runs (and their idempotency tokens) from the state. */
export function dropRuns(s: DatabricksState, runIds: readonly string[]): void {
  for (const id of runIds) {
    const run = s.runs[id];
    if (!run) continue;
    if (run.idempotency_token !== undefined && s.run_tokens[run.idempotency_token] === run.run_id) delete s.run_tokens[run.idempotency_token];
    delete s.runs[id];
  }
}
