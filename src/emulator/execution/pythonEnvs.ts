/**
 * The Python environments notebooks run in: virtual environments made from the machine's Python
 * (`python3 -m venv`), each built once and cached outside the repository under
 * `~/.cache/pulumi-azureml-databricks/venvs/` (or `$AMLDB_PYTHON_ENV_CACHE`), by a content hash.
 *
 * - The base environment holds what a Databricks cluster offers every notebook: pyspark (Spark in
 *   local mode, see `spark_local.py`), pandas and pyarrow. The project's setup builds it
 *   (`scripts/pythonEnv.ts`, run by `npm test` and `npm start`); the emulator only looks it up, so
 *   without it runs use the plain interpreter and `spark` says what to install.
 * - A library environment holds the PyPI, wheel and requirements libraries of a task, installed
 *   with pip, over the base one: a `.pth` file puts the base environment's packages after its own
 *   (pyspark is never installed again; a library's own version of a package wins). Its key is the
 *   hash of the interpreter, the base environment and the sorted libraries, files by content.
 *
 * `env_builder.py` builds a folder under a file lock, so parallel tasks, emulators and test runs
 * build each environment once; a failed build is not kept (the next run tries again).
 */
import { execFileSync, spawn } from "node:child_process";
import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { pythonCommand, runnerPath } from "./interpreter";

/** What the base environment installs: Spark as a cluster runs it, with the packages clusters ship. */
export const BASE_PACKAGES: readonly string[] = ["pyspark==4.0.1", "pandas==2.2.3", "pyarrow==19.0.1"];

/** The environment variable that moves the cache of environments. */
export const ENV_CACHE_ENV = "AMLDB_PYTHON_ENV_CACHE";

const MARKER = ".amldb-ready.json";

/** One pip step: what it installs, in the service's words, and the arguments to `pip install`. */
export interface LibraryInstall {
  /** The library as the service names it in messages, e.g. `pypi {\n  package: "six"\n}`. */
  label: string;
  /** Arguments of `pip install`, e.g. `["six==1.16.0"]`, `["-r", "/local/requirements.txt"]`. */
  args: string[];
  /** Local files the step installs from: their content is part of the environment's key. */
  files?: string[];
}

/** A ready environment. */
export interface PythonEnvironment {
  /** The interpreter to run. */
  python: string;
  /** The environment's folder (none for the plain interpreter). */
  dir?: string;
  /** True when this call built it (false: it was cached). */
  built: boolean;
  /** How long the build took, in seconds (0 when cached). */
  seconds: number;
}

/** A library pip could not install. */
export class LibraryInstallError extends Error {
  constructor(
    /** The step that failed. */
    readonly install: LibraryInstall,
    /** The pip command line. */
    readonly command: string[],
    /** pip's exit code. */
    readonly exitCode: number,
    /** pip's output (stdout and stderr). */
    readonly output: string,
  ) {
    super(`pip could not install ${install.label}: exit code ${exitCode}`);
    this.name = "LibraryInstallError";
  }
}

/** The folder holding every cached environment. */
export function envCacheRoot(): string {
  const own = process.env[ENV_CACHE_ENV];
  if (own) return path.resolve(own);
  const cache = process.env.XDG_CACHE_HOME || path.join(os.homedir(), ".cache");
  return path.join(cache, "pulumi-azureml-databricks", "venvs");
}

interface Interpreter {
  executable: string;
  version: string;
  minor: string;
}

const interpreters = new Map<string, Interpreter | undefined>();

/** The interpreter's real path and version; undefined when it does not run. Asked once per process. */
function interpreter(python: string): Interpreter | undefined {
  if (interpreters.has(python)) return interpreters.get(python);
  let found: Interpreter | undefined;
  try {
    const out = execFileSync(python, ["-c", "import sys, json; print(json.dumps([sys.executable, sys.version.split()[0], '%d.%d' % sys.version_info[:2]]))"], {
      encoding: "utf8",
      stdio: ["ignore", "pipe", "ignore"],
      timeout: 30_000,
    });
    const [executable, version, minor] = JSON.parse(out.trim()) as string[];
    found = { executable: fs.realpathSync(executable), version, minor };
  } catch {
    found = undefined;
  }
  interpreters.set(python, found);
  return found;
}

function digest(value: unknown): string {
  return createHash("sha256").update(JSON.stringify(value)).digest("hex").slice(0, 20);
}

function isReady(dir: string): boolean {
  return fs.existsSync(path.join(dir, MARKER));
}

function venvPython(dir: string): string {
  return path.join(dir, "bin", "python");
}

function sitePackages(dir: string, it: Interpreter): string {
  return path.join(dir, "lib", `python${it.minor}`, "site-packages");
}

/** The folder of the base environment of an interpreter (built or not); undefined when Python does not run. */
export function baseEnvironmentDir(python?: string): string | undefined {
  const it = interpreter(pythonCommand(python));
  return it && path.join(envCacheRoot(), `base-${digest({ python: it.executable, version: it.version, packages: BASE_PACKAGES })}`);
}

/** The base environment's interpreter when it is built, else the plain interpreter. Never builds. */
export function runtimePython(python?: string): string {
  const dir = baseEnvironmentDir(python);
  return dir && isReady(dir) ? venvPython(dir) : pythonCommand(python);
}

/** Builds the base environment unless it is cached (the project's setup calls this). */
export async function ensureBaseEnvironment(python?: string): Promise<PythonEnvironment> {
  const command = pythonCommand(python);
  const dir = baseEnvironmentDir(command);
  if (!dir) throw new Error(`Could not run Python ("${command}"): install Python 3 or set AMLDB_PYTHON to its path.`);
  return build(command, dir, [], [{ label: BASE_PACKAGES.join(" "), args: [...BASE_PACKAGES] }]);
}

/**
 * The environment with these libraries installed (over the base environment when it is built),
 * built unless cached. With no libraries, the base environment or the plain interpreter.
 * @throws LibraryInstallError naming the library pip failed on, with pip's output.
 */
export async function ensureLibraryEnvironment(installs: LibraryInstall[], python?: string): Promise<PythonEnvironment> {
  const command = pythonCommand(python);
  const base = baseEnvironmentDir(command);
  const baseReady = base !== undefined && isReady(base);
  if (installs.length === 0) return { python: baseReady ? venvPython(base) : command, ...(baseReady ? { dir: base } : {}), built: false, seconds: 0 };
  const it = interpreter(command);
  if (!it) throw new Error(`Could not run Python ("${command}") to install libraries: install Python 3 or set AMLDB_PYTHON to its path.`);
  const keyed = installs.map((i) => ({ install: i, key: installKey(i) })).sort((a, b) => a.key.localeCompare(b.key));
  const dir = path.join(envCacheRoot(), `lib-${digest({ python: it.executable, version: it.version, base: baseReady ? base : null, libraries: keyed.map((k) => k.key) })}`);
  return build(command, dir, baseReady ? [sitePackages(base, it)] : [], keyed.map((k) => k.install));
}

/** What identifies a pip step: its arguments, a file by its name and content (not where the copy is). */
function installKey(install: LibraryInstall): string {
  const files = new Set(install.files ?? []);
  return JSON.stringify(install.args.map((a) => (files.has(a) ? `${path.basename(a)}#${fileDigest(a)}` : a)));
}

function fileDigest(file: string): string {
  try {
    return createHash("sha256").update(fs.readFileSync(file)).digest("hex");
  } catch {
    return `missing:${file}`;
  }
}

const building = new Map<string, Promise<PythonEnvironment>>();

/** Builds one environment folder; concurrent calls for it in this process share one build. */
function build(python: string, dir: string, layers: string[], installs: LibraryInstall[]): Promise<PythonEnvironment> {
  if (isReady(dir)) return Promise.resolve({ python: venvPython(dir), dir, built: false, seconds: 0 });
  let pending = building.get(dir);
  if (!pending) {
    pending = runBuilder(python, dir, layers, installs).finally(() => building.delete(dir));
    building.set(dir, pending);
  }
  return pending;
}

interface BuilderAnswer {
  status?: string;
  built?: boolean;
  seconds?: number;
  step?: number;
  command?: string[];
  exitCode?: number;
  output?: string;
}

function runBuilder(python: string, dir: string, layers: string[], installs: LibraryInstall[]): Promise<PythonEnvironment> {
  return new Promise((resolve, reject) => {
    const child = spawn(python, [runnerPath("env_builder.py")], { stdio: ["pipe", "pipe", "pipe"], env: { ...process.env, PIP_DISABLE_PIP_VERSION_CHECK: "1", PYTHONDONTWRITEBYTECODE: "1" } });
    let out = "";
    let err = "";
    child.stdout.on("data", (b: Buffer) => (out += b.toString("utf8")));
    child.stderr.on("data", (b: Buffer) => (err += b.toString("utf8")));
    child.stdin.on("error", () => undefined);
    child.once("error", (e) => reject(new Error(`Could not start Python ("${python}") to build an environment: ${e.message}`)));
    child.once("close", (code) => {
      let answer: BuilderAnswer;
      try {
        answer = JSON.parse(out.trim().split("\n").pop() ?? "") as BuilderAnswer;
      } catch {
        return reject(new Error(`Building the Python environment ${dir} failed (exit code ${code}): ${(err || out).trim().split("\n").slice(-10).join("\n")}`));
      }
      if (answer.status === "ready") return resolve({ python: venvPython(dir), dir, built: answer.built === true, seconds: answer.seconds ?? 0 });
      const step = installs[answer.step ?? -1];
      if (!step) return reject(new Error(`Building the Python environment ${dir} failed: ${answer.output ?? ""}`));
      reject(new LibraryInstallError(step, answer.command ?? [], answer.exitCode ?? 1, answer.output ?? ""));
    });
    child.stdin.end(`${JSON.stringify({ dir, layers, installs: installs.map((i) => ({ label: i.label, args: i.args })) })}\n`);
  });
}
