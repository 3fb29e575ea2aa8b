/**
 * What a run page shows, taken from a stored run: its state timeline, its parameters with the secure
 * ones masked, and each task attempt's output, logs and error with the secure values taken out.
 *
 * - The timeline follows from the times the Jobs API reports for the run and each task attempt
 *   (`start_time`, `setup_duration`, `end_time`: PENDING from the start, RUNNING once set up, the
 *   final state at the end), on the emulator's clock; it is not a log of every change.
 * - A parameter is masked when the submitter named it secure (`runs/submit` with the
 *   `X-Amldb-Secure-Parameters` header, which the package sends for a DatabricksRun's
 *   `secureInput`) or when its value is the value of a secret of the workspace.
 * - Outputs and logs are already cleared of the workspace's secret values by the runner; the values
 *   of the masked parameters are taken out here too, and a text is withheld whole when one of them
 *   is too short to take out (as the package's own messages do).
 */
import { REDACTED, redactValues } from "../../core/redact";
import type { JsonObject } from "../databricks/request";
import type { StoredOutput, StoredRun, StoredRunState, StoredTaskAttempt } from "../databricks/runs/models";
import { taskTypeOf } from "../databricks/taskSpecs";

/** One line of the state timeline. */
export interface TimelineEntry {
  /** When, in ms of the emulator's clock; `undefined` for the current state of an unfinished run. */
  readonly at?: number;
  /** The run, or `Task <key>` with its attempt. */
  readonly subject: string;
  /** `PENDING`, `RUNNING`, `TERMINATED SUCCESS`, ... */
  readonly state: string;
  readonly message?: string;
}

/** One parameter as shown. */
export interface ParameterRow {
  /** The task it belongs to; `undefined` for the run's own (job parameters). */
  readonly task?: string;
  /** Where it is given: `notebook`, `python`, `jar`, `job`, `run-now notebook`. */
  readonly kind: string;
  readonly name: string;
  /** The value, or `undefined` when masked. */
  readonly value?: string;
}

/** One task attempt as shown. */
export interface AttemptView {
  readonly runId: number;
  readonly attemptNumber: number;
  readonly state: string;
  readonly message?: string;
  readonly result?: string;
  readonly resultTruncated?: boolean;
  readonly error?: string;
  readonly errorTrace?: string;
  readonly logs?: string;
  readonly logsTruncated?: boolean;
}

/** One task as shown. */
export interface TaskView {
  readonly key: string;
  readonly type: string;
  /** The notebook path of a notebook task. */
  readonly notebookPath?: string;
  /** Where the notebook comes from: `WORKSPACE` or `GIT`. */
  readonly notebookSource?: string;
  readonly attempts: readonly AttemptView[];
}

/** Everything a run page shows. */
export interface RunView {
  readonly run: StoredRun;
  readonly state: string;
  readonly timeline: readonly TimelineEntry[];
  readonly parameters: readonly ParameterRow[];
  readonly tasks: readonly TaskView[];
}

/** Shown instead of a text that holds a secure value too short to take out. */
export const WITHHELD = `${REDACTED} (withheld: a secure parameter's value is too short to take out of it)`;

/** The view of a run; `secretValues` are the values of the workspace's secrets. */
export function runView(run: StoredRun, secretValues: readonly string[]): RunView {
  const secureNames = new Set(run.secure_parameters ?? []);
  const secrets = new Set(secretValues.filter((v) => v !== ""));
  const hidden: string[] = [];
  const parameters = parametersOf(run).map((p): ParameterRow => {
    if (p.value !== undefined && ((p.kind.endsWith("notebook") && secureNames.has(p.name)) || secrets.has(p.value))) {
      hidden.push(p.value);
      const { value: _masked, ...shown } = p;
      return shown;
    }
    return p;
  });
  const clean = (text: string | undefined): string | undefined => (text === undefined ? undefined : (redactValues(text, hidden) ?? WITHHELD));
  const tasks = run.tasks.map((task): TaskView => {
    const notebook = task.spec.notebook_task as JsonObject | undefined;
    return {
      key: task.task_key,
      type: taskTypeOf(task.spec),
      notebookPath: typeof notebook?.notebook_path === "string" ? notebook.notebook_path : undefined,
      notebookSource: notebook ? String(notebook.source ?? (run.git_source ? "GIT" : "WORKSPACE")) : undefined,
      attempts: task.attempts.map((a) => attemptView(a, clean)),
    };
  });
  return { run, state: stateText(run.state), timeline: timelineOf(run, clean), parameters, tasks };
}

/** `TERMINATED SUCCESS`, `RUNNING`, ... */
export function stateText(state: StoredRunState): string {
  return state.result_state ? `${state.life_cycle_state} ${state.result_state}` : state.life_cycle_state;
}

function attemptView(a: StoredTaskAttempt, clean: (text: string | undefined) => string | undefined): AttemptView {
  const output: StoredOutput = a.output ?? {};
  return {
    runId: a.run_id,
    attemptNumber: a.attempt_number,
    state: stateText(a.state),
    message: clean(a.state.state_message || undefined),
    result: clean(output.notebook_output?.result),
    resultTruncated: output.notebook_output?.truncated,
    error: clean(output.error),
    errorTrace: clean(output.error_trace),
    logs: clean(output.logs),
    logsTruncated: output.logs_truncated,
  };
}

function timelineOf(run: StoredRun, clean: (text: string | undefined) => string | undefined): TimelineEntry[] {
  const entries: TimelineEntry[] = [{ at: run.start_time, subject: "Run", state: "PENDING", message: "Submitted" }];
  for (const task of run.tasks) {
    for (const a of task.attempts) {
      const subject = `Task ${task.task_key}, attempt ${a.attempt_number} (run ${a.run_id})`;
      const message = clean(a.state.state_message || undefined);
      if (a.start_time <= 0) {
        // Never started (skipped, upstream failed, or still waiting for its dependencies).
        entries.push({ at: run.end_time > 0 ? run.end_time : undefined, subject, state: stateText(a.state), message });
        continue;
      }
      entries.push({ at: a.start_time, subject, state: "PENDING" });
      if (a.end_time > 0 || a.state.life_cycle_state !== "PENDING") entries.push({ at: a.start_time + a.setup_duration, subject, state: "RUNNING" });
      if (a.end_time > 0) entries.push({ at: a.end_time, subject, state: stateText(a.state), message });
      else if (a.state.life_cycle_state !== "PENDING" && a.state.life_cycle_state !== "RUNNING") entries.push({ subject, state: stateText(a.state), message });
    }
  }
  const message = clean(run.state.state_message || undefined);
  entries.push(run.end_time > 0 ? { at: run.end_time, subject: "Run", state: stateText(run.state), message } : { subject: "Run", state: `${stateText(run.state)} (now)`, message });
  // Stable: entries at the same time keep their order; the current state of an unfinished run comes last.
  return entries.map((e, i) => ({ e, i })).sort((x, y) => (x.e.at ?? Infinity) - (y.e.at ?? Infinity) || x.i - y.i).map(({ e }) => e);
}

function parametersOf(run: StoredRun): ParameterRow[] {
  const rows: ParameterRow[] = [];
  for (const task of run.tasks) {
    const spec = task.spec;
    const notebook = spec.notebook_task as JsonObject | undefined;
    for (const [name, value] of Object.entries((notebook?.base_parameters ?? {}) as Record<string, unknown>)) rows.push({ task: task.task_key, kind: "notebook", name, value: String(value) });
    for (const [kind, field] of [
      ["python", spec.spark_python_task],
      ["jar", spec.spark_jar_task],
      ["python wheel", spec.python_wheel_task],
    ] as const) {
      const params = (field as JsonObject | undefined)?.parameters;
      if (Array.isArray(params)) params.forEach((value, i) => rows.push({ task: task.task_key, kind, name: `[${i}]`, value: String(value) }));
    }
  }
  const overriding = (run.overriding_parameters?.notebook_params ?? {}) as Record<string, unknown>;
  for (const [name, value] of Object.entries(overriding)) rows.push({ kind: "run-now notebook", name, value: String(value) });
  for (const p of run.job_parameters ?? []) rows.push({ kind: "job", name: p.name, value: p.value });
  return rows;
}
