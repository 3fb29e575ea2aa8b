/**
 * A task: what it runs (one task kind), where (an existing, new or job cluster), with which
 * libraries, and its timeout and retries. The one model a DatabricksRun (a one-task run) and each
 * task of a DatabricksJob share: one set of args, one check, one conversion to the Jobs API.
 */
import type * as pulumi from "@pulumi/pulumi";
import type { Plain } from "../../core/plain";
import { checkBoolean, checkEnum, checkExclusive, checkString, checkStringList, checkStringMap, checkWhole, Fail, isObject, known, prop } from "../../core/check";
import type { TaskSpec } from "../client";
import { checkClusterSpec, DatabricksNewClusterArgs, fromWireCluster, toWireCluster } from "./cluster";
import { checkLibraries, DatabricksLibraryArgs, fromWireLibrary, toWireLibrary } from "./library";

/** Run a workspace notebook. */
export interface DatabricksNotebookTaskArgs {
  /** Absolute workspace path, e.g. a DatabricksWorkspaceItem's `workspacePath` (or a path in the repo with `source: "GIT"`). */
  readonly notebookPath: pulumi.Input<string>;
  /** The notebook's widgets (`dbutils.widgets.get`); keys are sent as given. Default: none. */
  readonly baseParameters?: pulumi.Input<Record<string, pulumi.Input<string>>>;
  /** Where the notebook is: `WORKSPACE` or `GIT` (the job's git source). Default: `WORKSPACE`. */
  readonly source?: pulumi.Input<"WORKSPACE" | "GIT">;
}

/** Run a Python file. */
export interface DatabricksSparkPythonTaskArgs {
  /** A `dbfs:/`, workspace or cloud path to the script (or a path in the repo with `source: "GIT"`). */
  readonly pythonFile: pulumi.Input<string>;
  /** Command-line parameters (`sys.argv[1:]`). Default: none. */
  readonly parameters?: pulumi.Input<pulumi.Input<string>[]>;
  /** Where the file is: `WORKSPACE` or `GIT`. Default: the path decides. */
  readonly source?: pulumi.Input<"WORKSPACE" | "GIT">;
}

/** Run a JAR's main class; add the JAR to `libraries`. */
export interface DatabricksSparkJarTaskArgs {
  /** The class with the main method, e.g. `org.apache.spark.examples.SparkPi`. */
  readonly mainClassName: pulumi.Input<string>;
  /** Arguments of the main method. Default: none. */
  readonly parameters?: pulumi.Input<pulumi.Input<string>[]>;
}

/** Run a Python wheel's entry point; add the wheel to `libraries`. */
export interface DatabricksPythonWheelTaskArgs {
  /** The package's name. */
  readonly packageName: pulumi.Input<string>;
  /** The entry point (from the wheel's metadata). */
  readonly entryPoint: pulumi.Input<string>;
  /** Positional parameters. Exclusive with `namedParameters`. Default: none. */
  readonly parameters?: pulumi.Input<pulumi.Input<string>[]>;
  /** Named parameters (`--key=value`). Exclusive with `parameters`. Default: none. */
  readonly namedParameters?: pulumi.Input<Record<string, pulumi.Input<string>>>;
}

/** What a task runs (exactly one kind) and where, shared by runs and jobs. */
export interface DatabricksTaskArgs {
  /** Run a workspace notebook. */
  readonly notebookTask?: pulumi.Input<DatabricksNotebookTaskArgs>;
  /** Run a Python file. */
  readonly sparkPythonTask?: pulumi.Input<DatabricksSparkPythonTaskArgs>;
  /** Run a JAR's main class. */
  readonly sparkJarTask?: pulumi.Input<DatabricksSparkJarTaskArgs>;
  /** Run a Python wheel's entry point. */
  readonly pythonWheelTask?: pulumi.Input<DatabricksPythonWheelTaskArgs>;
  /** Run on this all-purpose cluster, e.g. a DatabricksCluster's `clusterId`. Exclusive with the other cluster choices. */
  readonly existingClusterId?: pulumi.Input<string>;
  /** Run on a new cluster made for the run and removed after it. Exclusive with the other cluster choices. */
  readonly newCluster?: pulumi.Input<DatabricksNewClusterArgs>;
  /** Libraries to install on the task's cluster. Default: none. */
  readonly libraries?: pulumi.Input<pulumi.Input<DatabricksLibraryArgs>[]>;
  /** The task's timeout, in seconds; the run ends TIMEDOUT past it. Default: none. */
  readonly timeoutSeconds?: pulumi.Input<number>;
  /** Retries of a failed attempt; -1 retries without end. Default: 0. */
  readonly maxRetries?: pulumi.Input<number>;
  /** Wait between a failed attempt and its retry, in milliseconds. Default: the service's. */
  readonly minRetryIntervalMillis?: pulumi.Input<number>;
  /** Also retry an attempt that timed out. Default: false. */
  readonly retryOnTimeout?: pulumi.Input<boolean>;
}

/** A task as the provider sees it; job tasks add their key, job cluster and dependencies. */
export type TaskInput = Plain<DatabricksTaskArgs> & { taskKey?: string; jobClusterKey?: string; dependsOn?: string[] };

/** The task kinds of the named form. */
export const TASK_KINDS = ["notebookTask", "sparkPythonTask", "sparkJarTask", "pythonWheelTask"] as const;
/** Every task kind of the Jobs API; a spec may use any of them. */
export const WIRE_TASK_KINDS = [
  "notebook_task", "spark_python_task", "spark_jar_task", "python_wheel_task", "spark_submit_task", "pipeline_task",
  "sql_task", "dbt_task", "run_job_task", "condition_task", "for_each_task",
] as const;
/** Where a task runs; one of them (none: serverless, where a job's workspace has it). */
export const CLUSTER_CHOICES = ["existingClusterId", "newCluster", "jobClusterKey"] as const;
/** Wire fields of a task that are alternatives of each other (see `mergeSpec`). */
export const TASK_ALTERNATIVES: readonly (readonly string[])[] = [["existing_cluster_id", "new_cluster", "job_cluster_key"], WIRE_TASK_KINDS];
/** Fields a legacy single-task request (Jobs 2.0, Airflow, Kubeflow) has at its top level. */
export const LEGACY_TASK_FIELDS: readonly string[] = [
  "existing_cluster_id", "new_cluster", "libraries", "max_retries", "min_retry_interval_millis", "retry_on_timeout", ...WIRE_TASK_KINDS,
];
/** Task and cluster keys: 1-100 letters, digits, `_` and `-`. */
export const KEY_PATTERN = /^[\w-]{1,100}$/;

/** What a check of a task knows of its surroundings. */
export interface TaskContext {
  /** The job's cluster keys a `jobClusterKey` may name; undefined while some are unknown. */
  jobClusterKeys?: ReadonlySet<string>;
}

/** Checks one task's fields under `prefix` ("" for a run's own arguments, `tasks[0]` for a job's). */
export function checkTask(t: Record<string, unknown>, prefix: string, fail: Fail, ctx: TaskContext = {}): void {
  const p = (field: string) => prop(prefix, field);
  checkExclusive(t, TASK_KINDS, prefix, fail, "a task runs one thing; add a task for the other.");

  const nb = t.notebookTask;
  if (known(nb)) {
    if (!isObject(nb)) fail(p("notebookTask"), `${p("notebookTask")} must be { notebookPath, baseParameters?, source? }.`);
    else {
      const path = nb.notebookPath;
      if (path === undefined || (known(path) && (typeof path !== "string" || path === "" || (nb.source !== "GIT" && !path.startsWith("/"))))) {
        fail(p("notebookTask.notebookPath"), `${p("notebookTask.notebookPath")} must be an absolute workspace path such as /Shared/etl/prepare (for example a DatabricksWorkspaceItem's workspacePath).`);
      }
      checkStringMap(nb.baseParameters, p("notebookTask.baseParameters"), fail);
      checkEnum(nb.source, p("notebookTask.source"), fail, ["WORKSPACE", "GIT"]);
    }
  }
  const py = t.sparkPythonTask;
  if (known(py)) {
    if (!isObject(py) || py.pythonFile === undefined) fail(p("sparkPythonTask.pythonFile"), `${p("sparkPythonTask.pythonFile")} is required: a dbfs:/, workspace or cloud path to the script.`);
    else {
      checkString(py.pythonFile, p("sparkPythonTask.pythonFile"), fail, "a dbfs:/, workspace or cloud path to the script");
      checkStringList(py.parameters, p("sparkPythonTask.parameters"), fail);
      checkEnum(py.source, p("sparkPythonTask.source"), fail, ["WORKSPACE", "GIT"]);
    }
  }
  const jar = t.sparkJarTask;
  if (known(jar)) {
    if (!isObject(jar) || jar.mainClassName === undefined) fail(p("sparkJarTask.mainClassName"), `${p("sparkJarTask.mainClassName")} is required: the class with the main method (add the JAR to libraries).`);
    else {
      checkString(jar.mainClassName, p("sparkJarTask.mainClassName"), fail, "the class with the main method");
      checkStringList(jar.parameters, p("sparkJarTask.parameters"), fail);
    }
  }
  const whl = t.pythonWheelTask;
  if (known(whl)) {
    if (!isObject(whl)) fail(p("pythonWheelTask"), `${p("pythonWheelTask")} must be { packageName, entryPoint, parameters?, namedParameters? }.`);
    else {
      for (const k of ["packageName", "entryPoint"]) {
        if (whl[k] === undefined) fail(p(`pythonWheelTask.${k}`), `${p(`pythonWheelTask.${k}`)} is required (add the wheel to libraries).`);
        else checkString(whl[k], p(`pythonWheelTask.${k}`), fail, "a non-empty string");
      }
      checkExclusive(whl, ["parameters", "namedParameters"], p("pythonWheelTask"), fail, "pass the entry point positional or named parameters.");
      checkStringList(whl.parameters, p("pythonWheelTask.parameters"), fail);
      checkStringMap(whl.namedParameters, p("pythonWheelTask.namedParameters"), fail);
    }
  }

  checkExclusive(t, CLUSTER_CHOICES, prefix, fail, "run the task on an existing cluster, a new cluster, or a job cluster.");
  checkString(t.existingClusterId, p("existingClusterId"), fail, "a cluster id, e.g. a DatabricksCluster's clusterId");
  const jck = t.jobClusterKey;
  if (known(jck)) {
    if (typeof jck !== "string" || jck === "") fail(p("jobClusterKey"), `${p("jobClusterKey")} must be the key of one of jobClusters.`);
    else if (ctx.jobClusterKeys && !ctx.jobClusterKeys.has(jck)) {
      fail(p("jobClusterKey"), `${p("jobClusterKey")} "${jck}" is not a key of jobClusters: add { jobClusterKey: "${jck}", newCluster: {...} } to jobClusters.`);
    }
  }
  if (known(t.newCluster)) {
    if (!isObject(t.newCluster)) fail(p("newCluster"), `${p("newCluster")} must be the cluster's settings as an object.`);
    else checkClusterSpec(t.newCluster, p("newCluster"), fail);
  }
  checkLibraries(t.libraries, p("libraries"), fail);
  checkWhole(t.timeoutSeconds, p("timeoutSeconds"), fail, 0);
  checkWhole(t.maxRetries, p("maxRetries"), fail, -1, 1000, " (-1 retries without end)");
  checkWhole(t.minRetryIntervalMillis, p("minRetryIntervalMillis"), fail, 0);
  checkBoolean(t.retryOnTimeout, p("retryOnTimeout"), fail);
}

/** A task to the wire, field by field; only the fields present. */
export function toWireTask(t: TaskInput): Partial<TaskSpec> {
  const w: Partial<TaskSpec> = {};
  if (t.taskKey !== undefined) w.task_key = t.taskKey;
  if (t.dependsOn) w.depends_on = t.dependsOn.map((k) => ({ task_key: k }));
  if (t.notebookTask) {
    const n = t.notebookTask;
    w.notebook_task = { notebook_path: n.notebookPath };
    if (n.baseParameters !== undefined) w.notebook_task.base_parameters = { ...n.baseParameters };
    if (n.source !== undefined) w.notebook_task.source = n.source;
  }
  if (t.sparkPythonTask) {
    const s = t.sparkPythonTask;
    w.spark_python_task = { python_file: s.pythonFile };
    if (s.parameters !== undefined) w.spark_python_task.parameters = [...s.parameters];
    if (s.source !== undefined) w.spark_python_task.source = s.source;
  }
  if (t.sparkJarTask) {
    w.spark_jar_task = { main_class_name: t.sparkJarTask.mainClassName };
    if (t.sparkJarTask.parameters !== undefined) w.spark_jar_task.parameters = [...t.sparkJarTask.parameters];
  }
  if (t.pythonWheelTask) {
    const p = t.pythonWheelTask;
    w.python_wheel_task = { package_name: p.packageName, entry_point: p.entryPoint };
    if (p.parameters !== undefined) w.python_wheel_task.parameters = [...p.parameters];
    if (p.namedParameters !== undefined) w.python_wheel_task.named_parameters = { ...p.namedParameters };
  }
  if (t.existingClusterId !== undefined) w.existing_cluster_id = t.existingClusterId;
  if (t.newCluster !== undefined) w.new_cluster = toWireCluster(t.newCluster) as TaskSpec["new_cluster"];
  if (t.jobClusterKey !== undefined) w.job_cluster_key = t.jobClusterKey;
  if (t.libraries !== undefined) w.libraries = t.libraries.map(toWireLibrary);
  if (t.timeoutSeconds !== undefined) w.timeout_seconds = t.timeoutSeconds;
  if (t.maxRetries !== undefined) w.max_retries = t.maxRetries;
  if (t.minRetryIntervalMillis !== undefined) w.min_retry_interval_millis = t.minRetryIntervalMillis;
  if (t.retryOnTimeout !== undefined) w.retry_on_timeout = t.retryOnTimeout;
  return w;
}

/** A task from the wire: the fields the named form has. */
export function fromWireTask(w: Partial<TaskSpec>): TaskInput {
  const t: TaskInput = {};
  if (w.task_key !== undefined) t.taskKey = w.task_key;
  if (w.depends_on) t.dependsOn = w.depends_on.map((d) => d.task_key);
  if (w.notebook_task) {
    const n = w.notebook_task;
    t.notebookTask = { notebookPath: n.notebook_path };
    if (n.base_parameters !== undefined) t.notebookTask.baseParameters = { ...n.base_parameters };
    if (n.source !== undefined) t.notebookTask.source = n.source as "WORKSPACE" | "GIT";
  }
  if (w.spark_python_task) {
    const s = w.spark_python_task;
    t.sparkPythonTask = { pythonFile: s.python_file };
    if (s.parameters !== undefined) t.sparkPythonTask.parameters = [...s.parameters];
    if (s.source !== undefined) t.sparkPythonTask.source = s.source as "WORKSPACE" | "GIT";
  }
  if (w.spark_jar_task) {
    t.sparkJarTask = { mainClassName: w.spark_jar_task.main_class_name ?? "" };
    if (w.spark_jar_task.parameters !== undefined) t.sparkJarTask.parameters = [...w.spark_jar_task.parameters];
  }
  if (w.python_wheel_task) {
    const p = w.python_wheel_task;
    t.pythonWheelTask = { packageName: p.package_name ?? "", entryPoint: p.entry_point ?? "" };
    if (p.parameters !== undefined) t.pythonWheelTask.parameters = [...p.parameters];
    if (p.named_parameters !== undefined) t.pythonWheelTask.namedParameters = { ...p.named_parameters };
  }
  if (w.existing_cluster_id !== undefined) t.existingClusterId = w.existing_cluster_id;
  if (w.new_cluster !== undefined) t.newCluster = fromWireCluster(w.new_cluster) as TaskInput["newCluster"];
  if (w.job_cluster_key !== undefined) t.jobClusterKey = w.job_cluster_key;
  if (w.libraries !== undefined) t.libraries = w.libraries.map(fromWireLibrary);
  if (w.timeout_seconds !== undefined) t.timeoutSeconds = w.timeout_seconds;
  if (w.max_retries !== undefined) t.maxRetries = w.max_retries;
  if (w.min_retry_interval_millis !== undefined) t.minRetryIntervalMillis = w.min_retry_interval_millis;
  if (w.retry_on_timeout !== undefined) t.retryOnTimeout = w.retry_on_timeout;
  return t;
}

/** True when a wire task (or legacy single-task request) names a task kind. */
export function hasWireTaskKind(t: Record<string, unknown>): boolean {
  return WIRE_TASK_KINDS.some((k) => t[k] !== undefined);
}
