/**
 * The run engine: moves runs through PENDING -> RUNNING -> TERMINATING -> TERMINATED, runs their
 * tasks in dependency order (independent tasks in parallel, `run_if` honoured, dependants of a
 * failed task UPSTREAM_FAILED), retries failed tasks (`max_retries`, `min_retry_interval_millis`,
 * `retry_on_timeout`: a new attempt with its own run id, WAITING_FOR_RETRY in between), enforces
 * the run's `timeout_seconds`, cancels asynchronously, and queues or skips runs of a job over its
 * `max_concurrent_runs`. Every change is written to the store; runs/get reads it. Every wait (the
 * PENDING and TERMINATING phases, retry intervals, the run's timeout) and every time it records is
 * the emulator clock's.
 */
import { sleep, type Clock } from "../../core/clock";
import { MIN_UNLIMITED_RETRY_INTERVAL_MS, type DatabricksTiming } from "../config";
import { invalidParameter } from "../errors";
import type { JsonObject } from "../request";
import type { DatabricksState } from "../state";
import type { DatabricksStore } from "../store";
import { dependenciesOf } from "../taskSpecs";
import type { StoredRun, StoredRunState, StoredTaskAttempt } from "./models";
import { blockedBy, CANCELLED_MESSAGE, createRun, currentAttempt, finalRunState, isActive, newAttempt, runState, type NewRun, type StopReason, type TaskEnd } from "./records";
import { dropRuns, runsToDrop } from "./retention";
import type { TaskRunner } from "./taskRunner";

interface Execution {
  controller: AbortController;
  reason?: StopReason;
  done: Promise<void>;
}

/** Runs runs. */
export class RunEngine {
  /** Bumped by reset and close: executions of an older generation write nothing more. */
  private generation = 0;
  /** Aborted by reset and close, so that no execution of an older generation waits on the clock. */
  private lifetime = new AbortController();
  private readonly executions = new Map<number, Execution>();

  constructor(
    private readonly store: DatabricksStore,
    private readonly runner: TaskRunner,
    private readonly timing: DatabricksTiming,
    private readonly clock: Clock,
    private readonly log: (line: string) => void = () => undefined,
  ) {}

  /**
   * Creates and admits a run (runs/submit, jobs/run-now); for an idempotency token already used,
   * returns that token's run and launches nothing (400 when that run was deleted).
   */
  launch(input: NewRun): number {
    const token = input.idempotency_token;
    const outcome = this.store.update((s) => {
      if (token !== undefined && s.run_tokens[token] !== undefined) {
        const existing = s.runs[String(s.run_tokens[token])];
        if (!existing || existing.deleted) throw invalidParameter(`Run with idempotency token ${token} was deleted`);
        return { runId: existing.run_id, launch: false };
      }
      return { runId: createRun(s, input, this.clock.now()).run_id, launch: true };
    });
    if (outcome.launch) this.expire();
    if (outcome.launch) this.admit(outcome.runId);
    return outcome.runId;
  }

  /**
   * Starts a new run, or queues or skips it when its job already has `max_concurrent_runs` active
   * runs (queued when the job's `queue.enabled`, else SKIPPED with MAXIMUM_CONCURRENT_RUNS_REACHED).
   */
  admit(runId: number): void {
    const verdict = this.store.update((s) => {
      const run = s.runs[String(runId)];
      if (!run || run.run_type !== "JOB_RUN") return "start";
      const job = s.jobs[String(run.job_id)];
      const max = typeof job?.settings.max_concurrent_runs === "number" ? job.settings.max_concurrent_runs : 1;
      const active = Object.values(s.runs).filter((r) => r.job_id === run.job_id && r.run_id !== runId && !r.deleted && !r.queued && isActive(r.state)).length;
      if (active < max) return "start";
      if ((job?.settings.queue as JsonObject | undefined)?.enabled === true) {
        run.queued = true;
        run.state = runState("QUEUED", `Queued due to reaching maximum concurrent runs of ${max}.`);
        return "queued";
      }
      run.state = runState("SKIPPED", `Skipping this run because the limit of ${max} maximum concurrent runs has been reached.`, "MAXIMUM_CONCURRENT_RUNS_REACHED");
      run.end_time = this.clock.now();
      for (const task of run.tasks) currentAttempt(task).state = runState("SKIPPED", "", "MAXIMUM_CONCURRENT_RUNS_REACHED");
      return "skipped";
    });
    if (verdict === "start") this.start(runId);
  }

  /** Requests cancellation: asynchronous, the run goes TERMINATING then TERMINATED/CANCELED. */
  cancel(runId: number): void {
    const queued = this.store.update((s) => {
      const run = s.runs[String(runId)];
      if (!run || !isActive(run.state)) return false;
      if (run.queued) {
        run.queued = false;
        run.cancel_requested = true;
        run.state = runState("TERMINATED", CANCELLED_MESSAGE, "CANCELED", true);
        run.end_time = this.clock.now();
        for (const task of run.tasks) currentAttempt(task).state = runState("SKIPPED", CANCELLED_MESSAGE, "CANCELED", true);
        return true;
      }
      run.cancel_requested = true;
      run.state = runState("TERMINATING", "", undefined, true);
      return false;
    });
    if (queued) return;
    const execution = this.executions.get(runId);
    if (execution && !execution.reason) {
      execution.reason = "cancel";
      execution.controller.abort();
    }
  }

  /** Drops the runs the workspace no longer keeps (see `retention.ts`). */
  expire(): void {
    const now = this.clock.now();
    const ids = this.store.read((s) => runsToDrop(s, now));
    if (ids.length > 0) this.store.update((s) => dropRuns(s, ids));
  }

  /** Marks runs left active by a previous emulator process as failed (their processes are gone). */
  recover(): void {
    this.store.update((s) => {
      for (const run of Object.values(s.runs)) {
        if (!isActive(run.state)) continue;
        const message = "The run was interrupted because the local emulator stopped.";
        run.queued = false;
        run.state = runState("INTERNAL_ERROR", message, "FAILED");
        run.end_time = run.end_time || this.clock.now();
        for (const task of run.tasks) {
          const a = currentAttempt(task);
          if (isActive(a.state)) a.state = runState("INTERNAL_ERROR", message, "FAILED");
        }
      }
    });
  }

  /** Stops every run without recording anything more (reset). */
  reset(): void {
    this.generation++;
    this.lifetime.abort();
    this.lifetime = new AbortController();
    for (const e of this.executions.values()) {
      e.reason ??= "cancel";
      e.controller.abort();
    }
    this.executions.clear();
  }

  /** Stops every run and waits for their processes to end (close). */
  async close(): Promise<void> {
    const pending = [...this.executions.values()].map((e) => e.done);
    this.reset();
    let timer: NodeJS.Timeout | undefined;
    const limit = new Promise<void>((resolve) => (timer = setTimeout(resolve, 15_000)));
    await Promise.race([Promise.all(pending), limit]);
    clearTimeout(timer);
  }

  private start(runId: number): void {
    const execution: Execution = { controller: new AbortController(), done: Promise.resolve() };
    this.executions.set(runId, execution);
    const generation = this.generation;
    execution.done = this.execute(runId, execution, generation)
      .catch((err: Error) => {
        this.log(`run ${runId} failed in the emulator: ${err?.stack ?? String(err)}`);
        this.write(generation, runId, (run) => {
          run.state = runState("INTERNAL_ERROR", "The local emulator failed while running this run; see its log.", "FAILED");
          run.end_time = this.clock.now();
        });
      })
      .finally(() => {
        if (this.executions.get(runId) === execution) this.executions.delete(runId);
        if (generation === this.generation) this.startQueued(runId);
      });
  }

  /** Starts queued runs of the finished run's job while it has free slots. */
  private startQueued(finishedRunId: number): void {
    const next = this.store.read((s) => {
      const jobId = s.runs[String(finishedRunId)]?.job_id;
      return Object.values(s.runs)
        .filter((r) => r.job_id === jobId && r.queued && !r.deleted)
        .sort((a, b) => a.run_id - b.run_id)
        .map((r) => r.run_id);
    });
    for (const runId of next) {
      this.store.update((s) => {
        const run = s.runs[String(runId)];
        run.queued = false;
        run.state = runState("PENDING");
      });
      this.admit(runId);
    }
  }

  /** Changes a run unless the engine was reset since the execution began. */
  private write(generation: number, runId: number, change: (run: StoredRun, state: DatabricksState) => void): boolean {
    if (generation !== this.generation) return false;
    return this.store.update((s) => {
      const run = s.runs[String(runId)];
      if (!run) return false;
      change(run, s);
      return true;
    });
  }

  private writeAttempt(generation: number, runId: number, attemptRunId: number, change: (a: StoredTaskAttempt, run: StoredRun) => void): void {
    this.write(generation, runId, (run) => {
      for (const task of run.tasks) {
        const attempt = task.attempts.find((a) => a.run_id === attemptRunId);
        if (attempt) change(attempt, run);
      }
    });
  }

  private snapshot(runId: number): StoredRun | undefined {
    return this.store.read((s) => {
      const run = s.runs[String(runId)];
      return run && structuredClone(run);
    });
  }

  private async execute(runId: number, execution: Execution, generation: number): Promise<void> {
    const signal = execution.controller.signal;
    const lifetime = this.lifetime.signal;
    await sleep(this.clock, this.timing.pendingMs, signal);
    if (!signal.aborted) {
      this.write(generation, runId, (run) => {
        if (!run.cancel_requested) run.state = runState("RUNNING", "In run");
      });
    }
    const initial = this.snapshot(runId);
    if (!initial) return;
    const cancelTimeout =
      initial.timeout_seconds && initial.timeout_seconds > 0
        ? this.clock.schedule(initial.timeout_seconds * 1000, () => {
            if (!execution.reason) {
              execution.reason = "timeout";
              execution.controller.abort();
            }
          })
        : undefined;
    try {
      const ends = new Map<string, Promise<TaskEnd>>();
      const specs = new Map(initial.tasks.map((t) => [t.task_key, t.spec]));
      const runTask = (key: string): Promise<TaskEnd> => {
        let end = ends.get(key);
        if (!end) {
          end = (async () => {
            const deps = await Promise.all(dependenciesOf(specs.get(key)!).map(runTask));
            return this.runTask(runId, key, deps, execution, generation);
          })();
          ends.set(key, end);
        }
        return end;
      };
      await Promise.all(initial.tasks.map((t) => runTask(t.task_key)));
    } finally {
      cancelTimeout?.();
    }
    if (generation !== this.generation) return;
    this.write(generation, runId, (run) => {
      run.state = runState("TERMINATING", "", undefined, run.state.user_cancelled_or_timedout || execution.reason !== undefined);
    });
    // A cancelled run still spends its TERMINATING phase; only a reset or close cuts it short.
    await sleep(this.clock, this.timing.terminatingMs, lifetime);
    this.write(generation, runId, (run) => {
      run.state = finalRunState(run, execution.reason);
      run.end_time = this.clock.now();
      if (run.format === "SINGLE_TASK" && run.tasks.length === 1) {
        const a = currentAttempt(run.tasks[0]);
        run.setup_duration = a.setup_duration;
        run.execution_duration = a.execution_duration;
        run.cleanup_duration = a.cleanup_duration;
      }
    });
  }

  /** Runs one task (after its dependencies ended) with its retries; returns its final state. */
  private async runTask(runId: number, key: string, deps: TaskEnd[], execution: Execution, generation: number): Promise<TaskEnd> {
    const signal = execution.controller.signal;
    const skip = (state: StoredRunState): TaskEnd => {
      const run = this.snapshot(runId);
      const task = run?.tasks.find((t) => t.task_key === key);
      if (run && task) {
        this.writeAttempt(generation, runId, currentAttempt(task).run_id, (a) => {
          a.state = state;
        });
      }
      return state;
    };
    if (signal.aborted) return skip(this.stoppedState(execution, "SKIPPED"));
    const spec = this.snapshot(runId)?.tasks.find((t) => t.task_key === key)?.spec;
    if (!spec) return runState("SKIPPED");
    const blocked = blockedBy(String(spec.run_if ?? "ALL_SUCCESS"), deps);
    if (blocked) return skip(blocked);

    for (;;) {
      const run = this.snapshot(runId);
      const task = run?.tasks.find((t) => t.task_key === key);
      if (!run || !task || generation !== this.generation) return runState("SKIPPED");
      const attempt = currentAttempt(task);
      this.writeAttempt(generation, runId, attempt.run_id, (a) => {
        a.state = runState("PENDING", "Waiting for cluster");
        a.start_time = this.clock.now();
      });
      const end = await this.runner.run({
        run,
        task,
        attempt,
        signal,
        stopReason: () => execution.reason,
        onCompute: (clusterInstance) => {
          if (clusterInstance) this.writeAttempt(generation, runId, attempt.run_id, (a) => void (a.cluster_instance = clusterInstance));
        },
        onRunning: (clusterInstance, setupMs) =>
          this.writeAttempt(generation, runId, attempt.run_id, (a) => {
            a.state = runState("RUNNING", "In run");
            a.setup_duration = setupMs;
            if (clusterInstance) a.cluster_instance = clusterInstance;
          }),
      });
      const state = signal.aborted && end.state.result_state !== "SUCCESS" ? this.stoppedState(execution, "TERMINATED") : end.state;
      this.writeAttempt(generation, runId, attempt.run_id, (a) => {
        a.state = state;
        if (end.output) a.output = end.output;
        a.execution_duration = end.executionMs;
        a.end_time = this.clock.now();
      });
      const retries = typeof task.spec.max_retries === "number" ? task.spec.max_retries : 0;
      const retryable =
        state.life_cycle_state === "TERMINATED" && (state.result_state === "FAILED" || (state.result_state === "TIMEDOUT" && task.spec.retry_on_timeout === true && !signal.aborted));
      if (!retryable || signal.aborted || (retries >= 0 && attempt.attempt_number >= retries)) return state;
      this.write(generation, runId, (r, s) => {
        r.tasks.find((x) => x.task_key === key)!.attempts.push(newAttempt(s, attempt.attempt_number + 1, runState("WAITING_FOR_RETRY", "Waiting for retry")));
      });
      await sleep(this.clock, retryIntervalMs(task.spec), signal);
      // Even without an interval, a retry waits for the event loop's next turn: a task that fails at
      // once must not keep the emulator from answering (a cancel, for one).
      await new Promise((resolve) => setImmediate(resolve));
      if (signal.aborted) return skip(this.stoppedState(execution, "SKIPPED"));
    }
  }

  private stoppedState(execution: Execution, life: "SKIPPED" | "TERMINATED"): StoredRunState {
    return execution.reason === "timeout" ? runState(life, "Run timed out.", "TIMEDOUT", true) : runState(life, CANCELLED_MESSAGE, "CANCELED", true);
  }
}

/**
 * The wait before a task's next attempt: its `min_retry_interval_millis`, and at least
 * {@link MIN_UNLIMITED_RETRY_INTERVAL_MS} when it retries without end (`max_retries: -1`).
 */
export function retryIntervalMs(spec: JsonObject): number {
  const asked = typeof spec.min_retry_interval_millis === "number" ? spec.min_retry_interval_millis : 0;
  const unlimited = typeof spec.max_retries === "number" && spec.max_retries < 0;
  return unlimited ? Math.max(asked, MIN_UNLIMITED_RETRY_INTERVAL_MS) : asked;
}
