/** Workspace objects as stored in the workspace state. */

/** Types of workspace objects the emulator keeps. */
export type WorkspaceObjectType = "NOTEBOOK" | "DIRECTORY" | "FILE";

/** A workspace object's metadata (its content is a file under the workspace root). */
export interface StoredWorkspaceObject {
  path: string;
  object_type: WorkspaceObjectType;
  object_id: number;
  /** Notebooks only. */
  language?: string;
  /** How a notebook's content is stored: SOURCE text or a JUPYTER document. */
  format?: "SOURCE" | "JUPYTER";
  created_at: number;
  modified_at: number;
}
