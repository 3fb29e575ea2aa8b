/**
 * The temporary folders of the Python processes the executor starts, and the cleanup of what an
 * emulator that was killed left behind.
 *
 * A folder is named `amldb-<task|context>-<emulator pid>-<emulator start time>-<random>`, and every
 * process started for it has `AMLDB_EXECUTION_DIR=<folder>` in its environment (which the programs
 * it starts inherit). So a later emulator tells the folders of an emulator that is gone from those
 * of one still running (several may share the temporary folder), and finds the processes that
 * outlived it even when they left its process group.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

/** The environment variable naming the folder of an execution's processes. */
export const EXECUTION_DIR_ENV = "AMLDB_EXECUTION_DIR";

const FOLDER_NAME = /^amldb-(?:task|context)-(\d+)-(\d+)-[A-Za-z0-9]{6}$/;

/** What {@link cleanupExecutionLeftovers} did. */
export interface LeftoverCleanup {
  /** The folders removed. */
  removed: string[];
  /** The processes that were still running and were killed (with their process groups). */
  killed: number[];
}

/** Creates the temporary folder of one task run or command context, under `root` (default: the system's). */
export function makeWorkDir(kind: "task" | "context", root: string = os.tmpdir()): string {
  return fs.mkdtempSync(path.join(root, `amldb-${kind}-${process.pid}-${processStartTime(process.pid) ?? 0}-`));
}

/** Removes a folder and what is in it; quiet when it is gone or cannot be removed. */
export function removeWorkDir(dir: string): void {
  try {
    fs.rmSync(dir, { recursive: true, force: true, maxRetries: 3 });
  } catch {
    // A process killed a moment ago may still have been writing; the next start cleans it.
  }
}

/**
 * Cleans what an emulator that is no longer running left in `root` (default: the system's
 * temporary folder): the processes it started that still run are killed, with their process
 * groups, and its task and context folders are removed. Folders of a running emulator are left
 * alone. Meant for the emulator's start, before it runs anything.
 */
export function cleanupExecutionLeftovers(root: string = os.tmpdir()): LeftoverCleanup {
  let names: string[];
  try {
    names = fs.readdirSync(root).sort();
  } catch {
    return { removed: [], killed: [] };
  }
  const orphaned = names
    .filter((name) => {
      const match = FOLDER_NAME.exec(name);
      return match !== null && !ownerRunning(Number(match[1]), Number(match[2]));
    })
    .map((name) => path.join(root, name));
  if (orphaned.length === 0) return { removed: [], killed: [] };
  const killed = killProcessesOf(new Set(orphaned));
  for (const dir of orphaned) removeWorkDir(dir);
  return { removed: orphaned, killed };
}

/** True while the emulator process that made a folder runs (a reused pid has another start time). */
function ownerRunning(pid: number, startTime: number): boolean {
  const stat = readStat(pid);
  if (stat) return stat.state !== "Z" && (startTime === 0 || stat.startTime === startTime);
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === "EPERM";
  }
}

/** Kills (SIGKILL) every process whose environment names one of `dirs`, and its process group. Linux only (`/proc`). */
function killProcessesOf(dirs: Set<string>): number[] {
  let entries: string[];
  try {
    entries = fs.readdirSync("/proc").filter((e) => /^\d+$/.test(e));
  } catch {
    return [];
  }
  const ownGroup = readStat(process.pid)?.group;
  const killed: number[] = [];
  for (const entry of entries) {
    const pid = Number(entry);
    if (pid === process.pid || !dirs.has(executionDirOf(pid) ?? "")) continue;
    const group = readStat(pid)?.group;
    if (group !== undefined && group > 1 && group !== ownGroup) signal(-group);
    signal(pid);
    killed.push(pid);
  }
  return killed;
}

function signal(target: number): void {
  try {
    process.kill(target, "SIGKILL");
  } catch {
    // gone already
  }
}

/** The `AMLDB_EXECUTION_DIR` of a process, when it has one and its environment can be read. */
function executionDirOf(pid: number): string | undefined {
  let environ: string;
  try {
    environ = fs.readFileSync(`/proc/${pid}/environ`, "latin1");
  } catch {
    return undefined;
  }
  const prefix = `${EXECUTION_DIR_ENV}=`;
  const entry = environ.split("\0").find((e) => e.startsWith(prefix));
  return entry === undefined ? undefined : Buffer.from(entry.slice(prefix.length), "latin1").toString("utf8");
}

/** The start time of a process (clock ticks since boot), where `/proc` tells it. */
export function processStartTime(pid: number): number | undefined {
  return readStat(pid)?.startTime;
}

/** State, process group and start time of a process, from `/proc/<pid>/stat`. */
function readStat(pid: number): { state: string; group: number; startTime: number } | undefined {
  let text: string;
  try {
    text = fs.readFileSync(`/proc/${pid}/stat`, "latin1");
  } catch {
    return undefined;
  }
  // The command name (field 2) is in parentheses and may hold anything: fields start after the last ")".
  const fields = text.slice(text.lastIndexOf(")") + 2).split(" ");
  return { state: fields[0], group: Number(fields[2]), startTime: Number(fields[19]) };
}
