/**
 * Where a file backend (`PULUMI_BACKEND_URL=file://...`) keeps a stack, for the recovery's two
 * repairs of what a killed engine leaves there: its lock (`./staleLock`) and a truncated metadata
 * sidecar (`./truncatedSidecars`).
 */
import * as os from "node:os";
import * as path from "node:path";

/**
 * The folder holding `.pulumi/` for a `file://` backend URL, read as the Pulumi CLI reads it: the
 * query dropped, no URL decoding, `~` expanded, a relative path from the working directory `cwd`;
 * undefined for any other backend.
 */
export function fileBackendRoot(backendUrl: string | undefined, cwd: string = process.cwd()): string | undefined {
  if (!backendUrl?.startsWith("file://")) return undefined;
  const rest = backendUrl.slice("file://".length).split("?")[0];
  return rest === "~" || rest.startsWith("~/") ? path.join(os.homedir(), rest.slice(1)) : path.resolve(cwd, rest);
}

/** The stack's own name in a reference that may be qualified (`organization/<project>/<stack>`). */
export const stackBaseName = (stack: string): string => stack.slice(stack.lastIndexOf("/") + 1);

/**
 * Fails unless `name` is a project or stack name the CLI accepts (letters, digits, `-`, `_`, `.`;
 * not `.` or `..`): the recovery joins both into paths before any `pulumi` command checks them.
 */
export function assertPathSafeName(what: "project" | "stack", name: string): void {
  if (!/^[A-Za-z0-9_.-]+$/.test(name) || name === "." || name === "..") {
    throw new Error(`${JSON.stringify(name)} is not a ${what} name (letters, digits, "-", "_" and "." only): ${what === "stack" ? "pass the stack's name with --stack" : "check name: in Pulumi.yaml"}`);
  }
}

/**
 * The folders of `.pulumi/` that hold one stack's files: its checkpoint (project-scoped and the
 * legacy layout without projects), history, backups and lock.
 */
export function stackFolders(root: string, project: string, stackRef: string): { stacks: string[]; perStack: string[]; locks: string[] } {
  const stack = stackBaseName(stackRef);
  assertPathSafeName("project", project);
  assertPathSafeName("stack", stack);
  const dot = path.join(root, ".pulumi");
  return {
    // Shared with the project's other stacks: only files named for the stack are this stack's.
    stacks: [path.join(dot, "stacks", project), path.join(dot, "stacks")],
    perStack: [path.join(dot, "history", project, stack), path.join(dot, "history", stack), path.join(dot, "backups", project, stack), path.join(dot, "backups", stack)],
    locks: [path.join(dot, "locks", "organization", project, stack), path.join(dot, "locks", stack)],
  };
}
