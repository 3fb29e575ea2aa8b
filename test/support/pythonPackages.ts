/**
 * Python packages for tests: a wheel made on the spot (the same bytes for the same content, so the
 * environments it goes into are cached across runs), and the base environment the tests' runs use.
 */
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { ensureBaseEnvironment, type PythonEnvironment } from "../../src/emulator/execution/pythonEnvs";

const MAKE_WHEEL = `
import sys, zipfile
out, name, version, source = sys.argv[1:5]
info = f"{name}-{version}.dist-info"
files = {
    f"{name}/__init__.py": source,
    f"{info}/METADATA": f"Metadata-Version: 2.1\\nName: {name}\\nVersion: {version}\\n",
    f"{info}/WHEEL": "Wheel-Version: 1.0\\nGenerator: amldb-tests\\nRoot-Is-Purelib: true\\nTag: py3-none-any\\n",
}
files[f"{info}/RECORD"] = "".join(f"{p},,\\n" for p in [*files, f"{info}/RECORD"])
with zipfile.ZipFile(out, "w") as z:
    for p, text in files.items():
        z.writestr(zipfile.ZipInfo(p, date_time=(2020, 1, 1, 0, 0, 0)), text)
`;

/** Writes `<dir>/<name>-<version>-py3-none-any.whl`, a wheel of the package `name` whose `__init__.py` is `source`; returns its path. */
export function writeWheel(dir: string, name: string, version: string, source: string): string {
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `${name}-${version}-py3-none-any.whl`);
  execFileSync("python3", ["-c", MAKE_WHEEL, file, name, version, source]);
  return file;
}

/** The base environment (pyspark, pandas, pyarrow), built by `npm test`'s setup; built here when a tier runs alone. */
export async function baseEnvironment(): Promise<PythonEnvironment> {
  return ensureBaseEnvironment();
}
