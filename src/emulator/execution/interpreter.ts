/** The Python interpreter the execution engine runs, and where its Python files are. */
import * as path from "node:path";

/**
 * The path of a Python file of the execution engine. They sit beside this module: in `src/` under
 * ts-node, and in `dist/` where the build copies them (`scripts/copyAssets.ts`).
 */
export function runnerPath(file = "runner.py"): string {
  return path.join(__dirname, file);
}

/** The Python interpreter to run: the option, else `AMLDB_PYTHON`, else `python3`. */
export function pythonCommand(python?: string): string {
  return python || process.env.AMLDB_PYTHON || "python3";
}

/** Why Python could not start, with what to do about it. */
export function pythonStartError(python: string, err: Error): string {
  return `Could not start Python ("${python}": ${err.message}). The local Databricks emulator runs notebooks with Python 3: install it or set AMLDB_PYTHON to its path.`;
}
