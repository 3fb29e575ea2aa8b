/**
 * The lock a killed `pulumi up` leaves in a file backend (`PULUMI_BACKEND_URL=file://...`): the
 * engine writes `.pulumi/locks/<org>/<project>/<stack>/<id>.json` (its pid, user, host and time)
 * before an update and deletes it after; a killed engine never deletes it, and every later
 * update of the stack stops with "the stack is currently locked". A lock is stale when its host is
 * this machine and its pid no longer runs: `pulumi cancel` may then remove it. A lock of a live
 * process or of another machine is never removed here.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { fileBackendRoot, stackFolders } from "./fileBackend";

/** One lock file and what it says. */
export interface StackLock {
  file: string;
  pid: number;
  hostname: string;
  /** On this machine and its process gone. */
  stale: boolean;
  /** Not a lock the engine wrote (not JSON, or no positive integer pid): never stale. */
  unreadable?: true;
}

/** What a lock file says, or undefined when it is not what the engine writes. */
function readLock(file: string): { pid: number; hostname: string } | undefined {
  try {
    const { pid, hostname } = JSON.parse(fs.readFileSync(file, "utf8")) as { pid?: unknown; hostname?: unknown };
    return Number.isSafeInteger(pid) && (pid as number) > 0 && typeof hostname === "string" ? { pid: pid as number, hostname } : undefined;
  } catch {
    return undefined;
  }
}

/** Whether a process runs with this pid (signal 0 probes; EPERM means it runs as another user). */
function running(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === "EPERM";
  }
}

/**
 * The locks of stack `stack` of project `project` in the file backend at `backendUrl` (a relative
 * one from `cwd`); none for another kind of backend (Pulumi Cloud and the others answer `pulumi cancel` themselves).
 */
export function stackLocks(backendUrl: string | undefined, project: string, stack: string, cwd?: string): StackLock[] {
  const root = fileBackendRoot(backendUrl, cwd);
  if (root === undefined) return [];
  return stackFolders(root, project, stack).locks.flatMap((dir) =>
    fs.existsSync(dir)
      ? fs
          .readdirSync(dir)
          .filter((f) => f.endsWith(".json"))
          .map((f): StackLock => {
            const file = path.join(dir, f);
            const lock = readLock(file);
            if (!lock) return { file, pid: 0, hostname: "", stale: false, unreadable: true };
            return { ...lock, file, stale: lock.hostname === os.hostname() && !running(lock.pid) };
          })
      : [],
  );
}
