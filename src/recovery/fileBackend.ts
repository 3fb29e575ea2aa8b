/**
 * Where a file backend (`PULUMI_BACKEND_URL=file://...`) keeps a stack, for the recovery's two
 * repairs of what a killed engine leaves there: its lock (`./staleLock`) and a truncated metadata
 * sidecar (`./truncatedSidecars`).
 */
import * as os from "node:os";
import * as path from "node:path";
import { fileURLToPath } from "node:url";

/** The folder holding `.pulumi/` for a `file://` backend URL (query parameters ignored); undefined for any other backend. */
export function fileBackendRoot(backendUrl: string | undefined): string | undefined {
  if (!backendUrl?.startsWith("file://")) return undefined;
  const bare = backendUrl.replace(/\?.*$/, "");
  return bare.startsWith("file://~") ? path.join(os.homedir(), bare.slice("file://~".length)) : fileURLToPath(bare);
}

/**
 * The folders of `.pulumi/` that hold one stack's files: its checkpoint (project-scoped and the
 * legacy layout without projects), history, backups and lock.
 */
export function stackFolders(root: string, project: string, stack: string): { stacks: string[]; perStack: string[]; locks: string[] } {
  const dot = path.join(root, ".pulumi");
  return {
    // Shared with the project's other stacks: only files named for the stack are this stack's.
    stacks: [path.join(dot, "stacks", project), path.join(dot, "stacks")],
    perStack: [path.join(dot, "history", project, stack), path.join(dot, "history", stack), path.join(dot, "backups", project, stack), path.join(dot, "backups", stack)],
    locks: [path.join(dot, "locks", "organization", project, stack), path.join(dot, "locks", stack)],
  };
}
