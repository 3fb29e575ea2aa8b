/**
 * One attempt of one task: find its compute (an existing cluster must exist; a terminated one is
 * started and waited for, as the Jobs service does; a job cluster is only noted), find its code
 * (a workspace notebook; a Python file on DBFS, in the workspace or on local disk), install its
 * libraries (`libraries.ts`), run it for real with the executor, and turn the outcome into the task's state and output. Task types that need a
 * JVM (JAR, wheel, spark-submit, ...) fail with a message saying so, never a fake success.
 */
import { randomBytes } from "node:crypto";
import { sleep, type Clock } from "../../core/clock";
import { hasKey } from "../../core/keyed";
import { LibraryInstallError, type EnvironmentModule, type ExecutorModule, type ExecutorOutcome, type ExecutorTaskSpec } from "../../execution/contract";
import { newClusterId, type ClusterManager } from "../clusters/manager";
import { EMULATOR_USER } from "../config";
import { normalizeWorkspacePath, type DatabricksDataPaths } from "../paths";
import type { JsonObject } from "../request";
import { taskTypeOf } from "../taskSpecs";
import type { WorkspaceTree } from "../workspace/tree";
import type { StoredOutput, StoredRun, StoredRunState, StoredTaskAttempt, StoredTaskRun } from "./models";
import { libraryFailure, pipFailure, planLibraries, taskLocalFile } from "./libraries";
import { CANCELLED_MESSAGE, runState, TASK_FAILED_MESSAGE, type StopReason } from "./records";
import type { TaskSlots } from "./taskSlots";

/** Largest notebook result returned (the first 5 MB). */
export const MAX_NOTEBOOK_RESULT_CHARS = 5 * 1024 * 1024;

/** What a task needs besides its definition. */
export interface TaskRunnerDeps {
  clusters: ClusterManager;
  workspace: WorkspaceTree;
  paths: DatabricksDataPaths;
  loadExecutor: () => ExecutorModule;
  /** The values of every Databricks-backed scope, read when the task starts. */
  secrets: () => Record<string, Record<string, string>>;
  /** The Python environments (libraries installed with pip). */
  loadEnvironments: () => EnvironmentModule;
  python?: string;
  /** The emulator's clock: times, waits for a cluster, task timeouts. */
  clock: Clock;
  /** The bound on executions at once: a task waits (PENDING) for a slot before its process starts. */
  slots: TaskSlots;
  /** Diagnostics (never a secret value). */
  log?: (line: string) => void;
}

/** One attempt to run. */
export interface AttemptInput {
  run: StoredRun;
  task: StoredTaskRun;
  attempt: StoredTaskAttempt;
  /** Aborted when the run is cancelled or times out. */
  signal: AbortSignal;
  /** Why the run was stopped, once it was. */
  stopReason: () => StopReason | undefined;
  /** Called when the compute is known, before the task's libraries install on it. */
  onCompute: (clusterInstance: StoredTaskAttempt["cluster_instance"]) => void;
  /** Called when the compute is ready and the code starts. */
  onRunning: (clusterInstance: StoredTaskAttempt["cluster_instance"], setupMs: number) => void;
}

/** How an attempt ended. */
export interface AttemptEnd {
  state: StoredRunState;
  output?: StoredOutput;
  executionMs: number;
}

/** What the code of a task needs beyond the executor's fixed fields. */
type CodeResolution = { spec: ExecutorTaskSpec } | { failure: StoredRunState; output?: StoredOutput };

/** Runs task attempts. */
export class TaskRunner {
  constructor(private readonly deps: TaskRunnerDeps) {}

  private now(): number {
    return this.deps.clock.now();
  }

  /** Runs one attempt to its end. */
  async run(input: AttemptInput): Promise<AttemptEnd> {
    const started = this.now();
    const compute = await this.compute(input);
    if ("failure" in compute) return { state: compute.failure, output: { error: compute.failure.state_message }, executionMs: 0 };
    if (input.signal.aborted) return { state: this.stoppedState(input), executionMs: 0 };
    input.onCompute(compute.clusterInstance);
    const code = this.code(input);
    const environment = "failure" in code ? undefined : await this.environment(input, compute.clusterInstance?.cluster_id);
    if (input.signal.aborted) return { state: this.stoppedState(input), executionMs: 0 };
    if (environment && "failure" in environment) return { state: environment.failure, output: { error: environment.failure.state_message }, executionMs: 0 };
    if ("failure" in code) {
      input.onRunning(compute.clusterInstance, this.now() - started);
      return { state: code.failure, output: code.output ?? { error: code.failure.state_message }, executionMs: 0 };
    }
    const release = await this.deps.slots.acquire(input.signal);
    if (!release) return { state: this.stoppedState(input), executionMs: 0 };
    try {
      input.onRunning(compute.clusterInstance, this.now() - started);
      return await this.execute(input, code.spec, environment?.python);
    } finally {
      release();
    }
  }

  /** Runs the task's code in its process (holding a slot). */
  private async execute(input: AttemptInput, spec: ExecutorTaskSpec, python: string | undefined): Promise<AttemptEnd> {
    const timeout = typeof input.task.spec.timeout_seconds === "number" && input.task.spec.timeout_seconds > 0 ? input.task.spec.timeout_seconds : undefined;
    const runStart = this.now();
    let outcome: ExecutorOutcome;
    try {
      outcome = await this.deps.loadExecutor().executeTask(spec, { timeoutSeconds: timeout, signal: input.signal, python, clock: this.deps.clock });
    } catch (err) {
      const message = `The local emulator could not run task ${input.task.task_key}: ${String((err as Error)?.message ?? err).split("\n")[0]}`;
      return { state: runState("INTERNAL_ERROR", message, "FAILED"), output: { error: message }, executionMs: this.now() - runStart };
    }
    return {
      state: this.outcomeState(input, outcome, timeout),
      output: outputOf(spec.kind, outcome),
      executionMs: Number.isFinite(outcome.durationMs) ? Math.round(outcome.durationMs) : this.now() - runStart,
    };
  }

  private stoppedState(input: AttemptInput): StoredRunState {
    return input.stopReason() === "timeout" ? runState("TERMINATED", "Run timed out.", "TIMEDOUT", true) : runState("TERMINATED", CANCELLED_MESSAGE, "CANCELED", true);
  }

  private outcomeState(input: AttemptInput, outcome: ExecutorOutcome, timeout: number | undefined): StoredRunState {
    switch (outcome.state) {
      case "SUCCESS":
        return runState("TERMINATED", "", "SUCCESS");
      case "FAILED":
        return runState("TERMINATED", TASK_FAILED_MESSAGE, "FAILED");
      case "TIMEDOUT":
        return runState("TERMINATED", `Task timed out after ${timeout ?? 0} seconds.`, "TIMEDOUT", true);
      default:
        return this.stoppedState(input);
    }
  }

  /**
   * The Python environment of the task: its libraries installed (built once per set of libraries,
   * then cached), over the base environment. A library that cannot be installed fails the task as
   * the service fails it (INTERNAL_ERROR, "Library installation failed ...").
   */
  private async environment(input: AttemptInput, clusterId: string | undefined): Promise<{ python: string } | { failure: StoredRunState }> {
    const plan = planLibraries(input.task.spec.libraries, this.deps);
    if ("failure" in plan) return { failure: runState("INTERNAL_ERROR", plan.failure, "FAILED") };
    const building = this.deps.loadEnvironments().ensureLibraryEnvironment(plan.installs, this.deps.python);
    building.catch(() => undefined); // a cancelled task stops waiting; the build goes on and is cached
    try {
      const env = await abortable(building, input.signal);
      if (env.built) this.deps.log?.(`task ${input.task.task_key}: built the Python environment of its libraries in ${env.seconds} s (${env.dir})`);
      return { python: env.python };
    } catch (err) {
      if (input.signal.aborted) return { python: "" };
      const message = err instanceof LibraryInstallError ? pipFailure(err, clusterId) : libraryFailure(plan.installs.map((i) => i.label).join(", "), String((err as Error)?.message ?? err));
      return { failure: runState("INTERNAL_ERROR", message, "FAILED") };
    }
  }

  /**
   * The cluster the attempt runs on. An existing cluster that is not running is waited for: until
   * its next state change, in the emulator clock's time (a terminated one is started first).
   */
  private async compute(input: AttemptInput): Promise<{ clusterInstance?: StoredTaskAttempt["cluster_instance"] } | { failure: StoredRunState }> {
    const spec = input.task.spec;
    const existing = spec.existing_cluster_id;
    if (typeof existing !== "string" || existing === "") {
      if (spec.new_cluster === undefined && spec.job_cluster_key === undefined) return {};
      return { clusterInstance: { cluster_id: newClusterId(this.now()), spark_context_id: sparkContextId() } };
    }
    for (;;) {
      if (input.signal.aborted) return {};
      const cluster = this.deps.clusters.find(existing);
      if (!cluster) return { failure: runState("INTERNAL_ERROR", `Run executed on existing cluster ID ${existing} failed since the cluster does not exist.`, "FAILED") };
      if (cluster.state === "RUNNING") return { clusterInstance: { cluster_id: existing, spark_context_id: String(cluster.spark_context_id) } };
      if (cluster.state === "TERMINATED") {
        this.deps.clusters.start(existing);
        continue;
      }
      if (!cluster.next || cluster.state === "ERROR" || cluster.state === "UNKNOWN") {
        return { failure: runState("INTERNAL_ERROR", `Cluster ${existing} is in state ${cluster.state} and cannot run the task.`, "FAILED") };
      }
      await sleep(this.deps.clock, cluster.next.at - this.now(), input.signal);
    }
  }

  /** The executor's description of the task's code, or why it cannot run. */
  private code(input: AttemptInput): CodeResolution {
    const { run, task, attempt } = input;
    const spec = task.spec;
    const type = taskTypeOf(spec);
    const refs = references(run, task, attempt);
    const common = {
      secrets: this.deps.secrets(),
      dbfsRoot: this.deps.paths.dbfsRoot,
      mountsFile: this.deps.paths.mountsFile,
      workspaceRoot: this.deps.paths.workspaceRoot,
      sparkDir: this.deps.paths.sparkDir,
    };
    if (type === "notebook_task") {
      const nb = spec.notebook_task as JsonObject;
      const notebookPath = String(nb.notebook_path);
      if (fromGit(nb, run)) return cannotRun("notebooks from git_source need a Git checkout of the repository");
      let resolved;
      try {
        resolved = this.deps.workspace.resolve(normalizeWorkspacePath(notebookPath), "NOTEBOOK");
      } catch {
        resolved = undefined;
      }
      if (!resolved) {
        return { failure: runState("INTERNAL_ERROR", `Unable to access the notebook "${notebookPath}". Either it does not exist, or the identity used to run this job, ${EMULATOR_USER}, lacks the required permissions.`, "FAILED") };
      }
      if (resolved.object.language !== "PYTHON") return cannotRun(`${resolved.object.language ?? "non-Python"} notebooks need a JVM Spark cluster`);
      const overriding = (run.overriding_parameters?.notebook_params ?? {}) as Record<string, string>;
      const jobParams = Object.fromEntries((run.job_parameters ?? []).map((p) => [p.name, p.value]));
      const widgets = { ...((nb.base_parameters ?? {}) as Record<string, string>), ...overriding, ...jobParams };
      for (const k of Object.keys(widgets)) widgets[k] = substitute(String(widgets[k]), refs);
      return { spec: { kind: "notebook", path: resolved.localPath, format: resolved.object.format ?? "SOURCE", widgets, ...common } };
    }
    if (type === "spark_python_task") {
      const py = spec.spark_python_task as JsonObject;
      const file = String(py.python_file);
      if (fromGit(py, run)) return cannotRun("Python files from git_source need a Git checkout of the repository");
      const local = taskLocalFile(file, this.deps);
      if (!local) return { failure: runState("INTERNAL_ERROR", `Cannot read the python file ${file}. Please check driver logs for more details.`, "FAILED") };
      const given = (run.overriding_parameters?.python_params as string[] | undefined) ?? ((py.parameters ?? []) as string[]);
      return { spec: { kind: "python_file", path: local, argv: given.map((a) => substitute(String(a), refs)), ...common } };
    }
    return cannotRun(`${type} ${NEEDS[type] ?? "needs a JVM Spark cluster"}`);
  }
}

/** Settles as `promise` does, or rejects once `signal` aborts. */
function abortable<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(new Error("aborted"));
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(new Error("aborted"));
    signal.addEventListener("abort", onAbort, { once: true });
    promise.then(resolve, reject).finally(() => signal.removeEventListener("abort", onAbort));
  });
}

/** What each non-executable task type would need, for the failure message. */
const NEEDS: Record<string, string> = {
  spark_jar_task: "needs a JVM Spark cluster",
  spark_submit_task: "needs a JVM Spark cluster",
  python_wheel_task: "needs a JVM Spark cluster",
  pipeline_task: "needs a Delta Live Tables pipeline",
  sql_task: "needs a SQL warehouse",
  dbt_task: "needs a SQL warehouse",
  dashboard_task: "needs a SQL warehouse",
};

function cannotRun(why: string): CodeResolution {
  const message = `This task cannot run in the local emulator: ${why}.`;
  return { failure: runState("TERMINATED", message, "FAILED"), output: { error: message } };
}

function fromGit(task: JsonObject, run: StoredRun): boolean {
  return task.source === "GIT" || (task.source === undefined && run.git_source !== undefined);
}

function outputOf(kind: ExecutorTaskSpec["kind"], outcome: ExecutorOutcome): StoredOutput {
  const output: StoredOutput = {};
  if (kind === "notebook") {
    if (outcome.result === undefined || outcome.result === null) output.notebook_output = {};
    else {
      const result = String(outcome.result);
      output.notebook_output = result.length > MAX_NOTEBOOK_RESULT_CHARS ? { result: result.slice(0, MAX_NOTEBOOK_RESULT_CHARS), truncated: true } : { result, truncated: false };
    }
  } else {
    // Logs are returned for Python, JAR and wheel tasks, not for notebooks.
    output.logs = outcome.logs ?? "";
    output.logs_truncated = outcome.logsTruncated ?? false;
  }
  if (outcome.state !== "SUCCESS") {
    if (outcome.error) output.error = outcome.error;
    if (outcome.errorTrace) output.error_trace = outcome.errorTrace;
  }
  return output;
}

/** Values of `{{...}}` references in parameters. */
function references(run: StoredRun, task: StoredTaskRun, attempt: StoredTaskAttempt): Record<string, string> {
  const refs: Record<string, string> = {
    "job.id": String(run.job_id),
    "job.name": run.run_name,
    "job.run_id": String(run.run_id),
    "job.start_time.iso_datetime": new Date(run.start_time).toISOString(),
    "task.name": task.task_key,
    "task.run_id": String(attempt.run_id),
    "task.execution_count": String(attempt.attempt_number + 1),
    job_id: String(run.job_id),
    run_id: String(attempt.run_id),
    parent_run_id: String(run.run_id),
    task_key: task.task_key,
  };
  for (const p of run.job_parameters ?? []) refs[`job.parameters.${p.name}`] = p.value;
  return refs;
}

function substitute(value: string, refs: Record<string, string>): string {
  return value.replace(/\{\{\s*([\w.]+)\s*\}\}/g, (whole, name: string) => (hasKey(refs, name) ? refs[name] : whole));
}

function sparkContextId(): string {
  return BigInt(`0x${randomBytes(8).toString("hex")}`).toString().slice(0, 19);
}
