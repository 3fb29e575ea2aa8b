/**
 * The workspace tree: directories, notebooks and files. Metadata (type, language, ids, times)
 * lives in the store; content lives in files under the workspace root, where the executor reads
 * notebooks (and `%run` siblings) from.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import type { Clock } from "../../core/clock";
import { CONTENT_FILE_MODE, writeFileDurably } from "../../core/durableFile";
import { removeTree } from "../../core/removal";
import type { NotebookLanguage } from "../../execution/notebookFormats";
import { EMULATOR_USER } from "../config";
import { alreadyExists, apiError, doesNotExist } from "../errors";
import { baseNameOf, parentOf, workspaceLocalPath, type DatabricksDataPaths } from "../paths";
import type { DatabricksState } from "../state";
import type { DatabricksStore } from "../store";
import type { StoredWorkspaceObject, WorkspaceObjectType } from "./models";

/** Folders every workspace has, which cannot be deleted. */
export const PROTECTED_FOLDERS: readonly string[] = ["/", "/Users", "/Shared", `/Users/${EMULATOR_USER}`];

/** What an import writes. */
export interface WorkspaceWrite {
  path: string;
  object_type: "NOTEBOOK" | "FILE";
  content: Buffer;
  language?: NotebookLanguage;
  format?: "SOURCE" | "JUPYTER";
  overwrite: boolean;
}

/** A notebook or file ready to run: where its content is on local disk. */
export interface ResolvedWorkspaceObject {
  object: StoredWorkspaceObject;
  localPath: string;
}

/** Workspace operations over the store and the local workspace root. */
export class WorkspaceTree {
  constructor(
    private readonly store: DatabricksStore,
    private readonly paths: DatabricksDataPaths,
    private readonly clock: Clock,
  ) {}

  /** Creates the folders every workspace has (after a reset or on a fresh state). */
  seed(): void {
    this.store.update((s) => {
      for (const folder of PROTECTED_FOLDERS) if (!s.workspace[folder]) s.workspace[folder] = this.newObject(s, folder, "DIRECTORY");
    });
    for (const folder of PROTECTED_FOLDERS) fs.mkdirSync(workspaceLocalPath(this.paths, folder), { recursive: true });
  }

  /** The object at a canonical path, or `undefined`. */
  find(p: string): StoredWorkspaceObject | undefined {
    return this.store.read((s) => s.workspace[p]);
  }

  /** The object at a canonical path; throws 404 "Path (x) doesn't exist.". */
  get(p: string): StoredWorkspaceObject {
    const found = this.find(p);
    if (!found) throw doesNotExist(`Path (${p}) doesn't exist.`);
    return found;
  }

  /** The children of a folder (or the object itself when it is not a folder), by path. */
  list(p: string): StoredWorkspaceObject[] {
    const target = this.get(p);
    if (target.object_type !== "DIRECTORY") return [target];
    return this.store.read((s) => Object.values(s.workspace).filter((o) => o.path !== "/" && parentOf(o.path) === p)).sort((a, b) => a.path.localeCompare(b.path));
  }

  /** Writes a notebook or file; the parent folder must exist. */
  write(w: WorkspaceWrite): void {
    const parent = parentOf(w.path);
    this.store.update((s) => {
      const parentObject = s.workspace[parent];
      if (!parentObject || parentObject.object_type !== "DIRECTORY") throw doesNotExist(`The parent folder (${parent}) does not exist.`);
      const existing = s.workspace[w.path];
      if (existing && (!w.overwrite || existing.object_type === "DIRECTORY")) throw alreadyExists(`Node named '${baseNameOf(w.path)}' already exists`);
      const t = this.clock.now();
      const object: StoredWorkspaceObject = existing
        ? { ...existing, object_type: w.object_type, modified_at: t }
        : this.newObject(s, w.path, w.object_type);
      delete object.language;
      delete object.format;
      if (w.object_type === "NOTEBOOK") {
        object.language = w.language;
        object.format = w.format;
      }
      s.workspace[w.path] = object;
      // Last, so that a failure here leaves the state as it was (the update throws).
      const local = workspaceLocalPath(this.paths, w.path);
      fs.mkdirSync(path.dirname(local), { recursive: true });
      writeFileDurably(local, w.content, CONTENT_FILE_MODE);
    });
  }

  /** Creates a folder and its parents; an existing folder is fine, any other object is not. */
  mkdirs(p: string): void {
    this.store.update((s) => {
      const chain: string[] = [];
      for (let q = p; q !== "/"; q = parentOf(q)) chain.unshift(q);
      for (const q of chain) {
        const existing = s.workspace[q];
        if (existing && existing.object_type !== "DIRECTORY") throw alreadyExists(`${q} already exists and it is not a folder`);
      }
      // First, so that a folder the disk refuses (a name too long) leaves the state as it was.
      fs.mkdirSync(workspaceLocalPath(this.paths, p), { recursive: true });
      for (const q of chain) if (!s.workspace[q]) s.workspace[q] = this.newObject(s, q, "DIRECTORY");
    });
  }

  /** Deletes an object; a non-empty folder needs `recursive`. */
  delete(p: string, recursive: boolean): void {
    const target = this.get(p);
    if (PROTECTED_FOLDERS.includes(p)) throw apiError(400, "DIRECTORY_PROTECTED", `Folder ${baseNameOf(p) || "/"} is protected`);
    this.store.update((s) => {
      const inside = Object.keys(s.workspace).filter((q) => q.startsWith(`${p}/`));
      if (target.object_type === "DIRECTORY" && inside.length > 0 && !recursive) throw apiError(400, "DIRECTORY_NOT_EMPTY", `Folder (${p}) is not empty`);
      for (const q of inside) delete s.workspace[q];
      delete s.workspace[p];
    });
    removeTree(workspaceLocalPath(this.paths, p));
  }

  /** The content of a notebook or file. */
  read(p: string): Buffer {
    return fs.readFileSync(workspaceLocalPath(this.paths, p));
  }

  /** A notebook or file with its local path, or `undefined` when there is no such object. */
  resolve(p: string, type: WorkspaceObjectType): ResolvedWorkspaceObject | undefined {
    const object = this.find(p);
    if (!object || object.object_type !== type) return undefined;
    return { object, localPath: workspaceLocalPath(this.paths, p) };
  }

  private newObject(s: DatabricksState, p: string, type: WorkspaceObjectType): StoredWorkspaceObject {
    const t = this.clock.now();
    const id = s.next_id.object++;
    return { path: p, object_type: type, object_id: id, created_at: t, modified_at: t };
  }
}
