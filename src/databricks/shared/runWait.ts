/**
 * Waiting for a Databricks run: adaptive polling (quick at first so short runs end within a
 * second of the service reporting it, then backing off for long ones), a line per state change.
 */
import type { DatabricksApi } from "../client";
import { abortableSleep } from "../client";
import type { Run } from "../client/types";
import { TERMINAL_LIFE_CYCLE_STATES } from "../client/types";

/** Options of {@link waitForRun}. */
export interface WaitForRunOptions {
  /** Give up (the run keeps going) after this long. */
  timeoutMs: number;
  /** Where progress lines go. */
  log: (line: string) => void;
  /** Label for the lines, e.g. `Databricks run "train"`. */
  label: string;
  signal?: AbortSignal;
}

/** The delay before the next poll, given how long the wait has lasted. */
export function pollDelayMs(attempt: number, elapsedMs: number): number {
  const cap = elapsedMs < 30_000 ? 1_000 : elapsedMs < 300_000 ? 5_000 : 15_000;
  return Math.min(Math.round(200 * 1.5 ** attempt), cap);
}

/** True for life-cycle states after which nothing more happens. */
export function isTerminal(run: Pick<Run, "state">): boolean {
  return TERMINAL_LIFE_CYCLE_STATES.includes(run.state?.life_cycle_state ?? "");
}

/** Polls `runs/get` until the run is terminal; throws {@link RunWaitTimeout} past the timeout. */
export async function waitForRun(api: DatabricksApi, runId: number, opts: WaitForRunOptions): Promise<Run> {
  const started = Date.now();
  let last = "";
  for (let attempt = 0; ; attempt++) {
    const run = await api.jobs.runsGet(runId, {}, { signal: opts.signal });
    const state = describeState(run);
    const elapsed = Date.now() - started;
    if (state !== last) {
      const message = run.state?.state_message ? `: ${run.state.state_message}` : "";
      opts.log(`${opts.label}: run ${runId} ${state} (${(elapsed / 1000).toFixed(1)}s)${message}`);
      last = state;
    }
    if (isTerminal(run)) return run;
    if (elapsed >= opts.timeoutMs) throw new RunWaitTimeout(runId, run, opts.timeoutMs);
    await abortableSleep(Math.min(pollDelayMs(attempt, elapsed), Math.max(0, opts.timeoutMs - elapsed)), opts.signal);
  }
}

/** `RUNNING`, `TERMINATED SUCCESS`, ... */
export function describeState(run: Pick<Run, "state">): string {
  const s = run.state ?? {};
  return [s.life_cycle_state ?? "UNKNOWN", s.result_state].filter(Boolean).join(" ");
}

/** The wait ended before the run did. */
export class RunWaitTimeout extends Error {
  constructor(readonly runId: number, readonly run: Run, timeoutMs: number) {
    super(
      `run ${runId} is still ${describeState(run)} after ${Math.round(timeoutMs / 1000)} s; it keeps running. ` +
        `Raise waitTimeoutSeconds, or run pulumi up again to adopt it and keep waiting. Run page: ${run.run_page_url ?? "(none)"}`,
    );
    this.name = "RunWaitTimeout";
  }
}
