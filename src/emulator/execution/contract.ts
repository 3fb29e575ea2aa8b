/**
 * The seam between the Databricks service and this folder's executor: `executeTask` runs
 * one notebook or Python file to completion in a local Python process, and `PythonContext` is a
 * long-lived Python process for Command Execution 1.2. The service takes both through these
 * module interfaces, so a test can substitute them. `ensureLibraryEnvironment` installs a task's
 * libraries into a cached virtual environment.
 */
import { PythonContext, type CommandResult as ExecutionCommandResult, type PythonContextOptions } from "./commandContext";
import { executeTask, type ExecuteOptions, type TaskOutcome, type TaskSpec } from "./executor";
import { ensureLibraryEnvironment, type LibraryInstall, type PythonEnvironment } from "./pythonEnvs";

export { LibraryInstallError, type LibraryInstall, type PythonEnvironment } from "./pythonEnvs";

/** What to run (the executor's task spec). */
export type ExecutorTaskSpec = TaskSpec;
/** How a task ended. */
export type ExecutorOutcome = TaskOutcome;
/** Options of one execution. */
export type ExecutorOptions = ExecuteOptions;
/** What a command in an execution context returns. */
export type CommandResult = ExecutionCommandResult;

/** The executor module. */
export interface ExecutorModule {
  executeTask(spec: ExecutorTaskSpec, opts: ExecutorOptions): Promise<ExecutorOutcome>;
}

/** The Python environments module: one per set of libraries, built once and cached. */
export interface EnvironmentModule {
  ensureLibraryEnvironment(installs: LibraryInstall[], python?: string): Promise<PythonEnvironment>;
}

/** A running Python execution context. */
export interface PythonContextHandle {
  execute(code: string, opts: { timeoutMs?: number }): Promise<CommandResult>;
  cancel(): void;
  destroy(): Promise<void>;
}

/** The command-context module. */
export interface CommandContextModule {
  PythonContext: { start(opts: PythonContextOptions): Promise<PythonContextHandle> };
}

/**
 * Cleans what an emulator that was killed left behind: its task and context processes still
 * running, and their temporary folders. The emulator's start calls it before running anything.
 */
export { cleanupExecutionLeftovers, type LeftoverCleanup } from "./workDirs";

/** The real executor. */
export function loadExecutor(): ExecutorModule {
  return { executeTask };
}

/** The real Python environments. */
export function loadEnvironments(): EnvironmentModule {
  return { ensureLibraryEnvironment };
}

/** The real command contexts. */
export function loadCommandContexts(): CommandContextModule {
  return { PythonContext };
}
