/**
 * What the execution tests share: fresh folders for each test (a workspace, a DBFS root, a mount
 * table, a temporary folder for the executor), notebooks written into the workspace, and checks
 * on the real processes they start.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import type { TaskSpec } from "../../../src/emulator/execution/executor";
import { until } from "../../support/emulator";

/** The folders of one test; filled in by the `beforeEach` hook {@link useExecutionFolders} registers. */
export interface ExecutionFolders {
  /** The test's own folder, holding the others. */
  dir: string;
  /** The workspace root: notebooks live here. */
  ws: string;
  dbfs: string;
  mountsFile: string;
  /** Where the executor makes its temporary folders (`tempDir`). */
  temp: string;
  /** A task spec for `file` in the workspace, with the suite's secrets. */
  spec(file: string, extra?: Partial<TaskSpec>): TaskSpec;
  /** Writes a SOURCE notebook of `cells` to `file` in the workspace. */
  notebook(file: string, ...cells: string[]): void;
}

/** Registers hooks giving each test of the suite fresh folders, removed afterwards. */
export function useExecutionFolders(secrets: Record<string, Record<string, string>>): ExecutionFolders {
  const f = {} as ExecutionFolders;
  beforeEach(() => {
    f.dir = fs.mkdtempSync(path.join(os.tmpdir(), "amldb-exec-test-"));
    f.ws = path.join(f.dir, "workspace");
    f.dbfs = path.join(f.dir, "dbfs");
    f.temp = path.join(f.dir, "tmp");
    f.mountsFile = path.join(f.dir, "mounts.json");
    for (const d of [f.ws, f.dbfs, f.temp]) fs.mkdirSync(d);
    f.spec = (file, extra = {}) => ({ kind: "notebook", path: path.join(f.ws, file), secrets, dbfsRoot: f.dbfs, mountsFile: f.mountsFile, workspaceRoot: f.ws, ...extra });
    f.notebook = (file, ...cells) =>
      fs.writeFileSync(path.join(f.ws, file), ["# Databricks notebook source", ...cells].join("\n\n# COMMAND ----------\n\n") + "\n");
  });
  afterEach(() => fs.rmSync(f.dir, { recursive: true, force: true }));
  return f;
}

/**
 * Python code that starts `sleep 30` in its process group and, with `escape`, another in a session
 * of its own (out of the group), writes `<its pid> <child pid> [<escaped pid>]` to `marker`, then
 * sleeps.
 */
export function sleeperCode(marker: string, escape = false): string {
  return [
    "import os, subprocess, time",
    'pids = [os.getpid(), subprocess.Popen(["sleep", "30"]).pid]',
    ...(escape ? ['pids.append(subprocess.Popen(["sleep", "30"], start_new_session=True).pid)'] : []),
    'print("sleeping", flush=True)',
    `with open(${JSON.stringify(marker)} + ".tmp", "w") as f:`,
    '    f.write(" ".join(map(str, pids)))',
    `os.rename(${JSON.stringify(marker)} + ".tmp", ${JSON.stringify(marker)})`,
    "time.sleep(30)",
  ].join("\n");
}

/** The pids a sleeper wrote, once it wrote them. */
export function sleeperPids(marker: string): Promise<number[]> {
  return until(`the code wrote ${marker}`, () => fs.existsSync(marker) && fs.readFileSync(marker, "utf8").split(" ").map(Number));
}

/** True while a process exists and is not a zombie. */
export function alive(pid: number): boolean {
  try {
    return !/^\d+ \(.*\) Z/.test(fs.readFileSync(`/proc/${pid}/stat`, "utf8"));
  } catch {
    return false;
  }
}

/** Waits until none of `pids` runs. */
export function gone(pids: number[]): Promise<true> {
  return until(`processes ${pids.join(", ")} are gone`, () => !pids.some(alive));
}
