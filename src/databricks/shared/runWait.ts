/** Waiting for a Databricks run (one-time runs, and the one-time mount runs) with the one polling loop. */
import { pollUntil, PollTimeout } from "../../core/poll";
import { durationMs, runPollSchedule } from "../../core/pollSchedule";
import type { DatabricksApi, Run } from "../client";
import { TERMINAL_LIFE_CYCLE_STATES } from "../client";

/** Options of {@link waitForRun}. */
export interface WaitForRunOptions {
  /** Give up (the run keeps going) after this long. */
  timeoutMs: number;
  /** Where progress lines go. Default: the provider's progress output. */
  log?: (line: string) => void;
  /** Label for the lines, e.g. `Databricks run "train"`. */
  label: string;
  signal?: AbortSignal;
  /** How long the previous execution of this run took (ms), to poll sparsely until it is due. Default: unknown (a first run). */
  expectedMs?: number;
}

/** True for life-cycle states after which nothing more happens. */
export function isTerminal(run: Pick<Run, "state">): boolean {
  return TERMINAL_LIFE_CYCLE_STATES.includes(run.state?.life_cycle_state ?? "");
}

/** Polls `runs/get` until the run is terminal; throws {@link RunWaitTimeout} past the timeout. */
export async function waitForRun(api: DatabricksApi, runId: number, opts: WaitForRunOptions): Promise<Run> {
  try {
    return await pollUntil({
      read: (signal) => api.jobs.runsGet(runId, {}, { signal }),
      done: isTerminal,
      describe: (run) => `run ${runId} ${describeState(run)}`,
      detail: (run) => run.state?.state_message,
      label: opts.label,
      timeoutMs: opts.timeoutMs,
      log: opts.log,
      signal: opts.signal,
      delayMs: runPollSchedule(opts.expectedMs),
    });
  } catch (err) {
    if (err instanceof PollTimeout) throw new RunWaitTimeout(runId, err.last as Run, opts.timeoutMs);
    throw err;
  }
}

/** How long a run took on the service's clock (start to end, ms); undefined unless it ended. */
export function runDurationMs(run: { startTime?: number; endTime?: number }): number | undefined {
  return durationMs(run.startTime, run.endTime);
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
