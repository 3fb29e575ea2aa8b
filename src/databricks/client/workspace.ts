/** Workspace 2.0: notebooks, files and folders. Each method is one REST call. */
import type { CallOptions, DatabricksHttpClient } from "./httpClient";
import type { WorkspaceExportResponse, WorkspaceFormat, WorkspaceImportArgs, WorkspaceObjectInfo } from "./types";

const WORKSPACE = "/api/2.0/workspace";

/** Workspace 2.0: notebooks, files and folders. */
export class WorkspaceApi {
  /** @param client The HTTP client every call goes through. */
  constructor(private readonly client: DatabricksHttpClient) {}

  /**
   * Imports a notebook or file (`POST workspace/import`); the content is base64-encoded here.
   * Retried on 5xx/network errors: with `overwrite` as it is; without, only once the path is
   * looked up and found empty (an object there means the import was applied; a repeat would fail
   * with RESOURCE_ALREADY_EXISTS).
   */
  async import(args: WorkspaceImportArgs, opts: CallOptions = {}): Promise<void> {
    const content = (typeof args.content === "string" ? Buffer.from(args.content, "utf8") : args.content).toString("base64");
    const body = { path: args.path, content, format: args.format ?? "SOURCE", language: args.language, overwrite: args.overwrite ?? false };
    // AUTO stores a notebook `x.py` as `x`.
    const stored = body.format === "AUTO" ? [args.path, args.path.replace(/\.[^./]+$/, "")] : [args.path];
    const ifApplied = async () => ((await Promise.all(stored.map((p) => this.exists(p, opts.signal)))).includes(true) ? {} : undefined);
    await this.client.request({ method: "POST", path: `${WORKSPACE}/import`, body, operation: `import ${args.path}`, idempotent: body.overwrite, ...(!body.overwrite && { ifApplied }), ...opts });
  }

  private async exists(path: string, signal: AbortSignal | undefined): Promise<boolean> {
    try {
      await this.getStatus(path, { signal });
      return true;
    } catch (err) {
      if ((err as { status?: unknown }).status === 404) return false;
      throw err;
    }
  }

  /** Exports an object (`GET workspace/export`); `content` is base64. Default format `SOURCE`. */
  export(path: string, format: WorkspaceFormat = "SOURCE", opts: CallOptions = {}): Promise<WorkspaceExportResponse> {
    return this.client.request({ method: "GET", path: `${WORKSPACE}/export`, query: { path, format }, operation: `export ${path}`, ...opts });
  }

  /** Gets an object's type and metadata (`GET workspace/get-status`); a missing path is 404 RESOURCE_DOES_NOT_EXIST. */
  getStatus(path: string, opts: CallOptions = {}): Promise<WorkspaceObjectInfo> {
    return this.client.request({ method: "GET", path: `${WORKSPACE}/get-status`, query: { path }, operation: `get status of ${path}`, ...opts });
  }

  /** Lists a directory (`GET workspace/list`). */
  async list(path: string, opts: CallOptions = {}): Promise<WorkspaceObjectInfo[]> {
    const res = await this.client.request<{ objects?: WorkspaceObjectInfo[] }>({ method: "GET", path: `${WORKSPACE}/list`, query: { path }, operation: `list ${path}`, ...opts });
    return res.objects ?? [];
  }

  /** Creates a directory and its parents (`POST workspace/mkdirs`). */
  async mkdirs(path: string, opts: CallOptions = {}): Promise<void> {
    await this.client.request({ method: "POST", path: `${WORKSPACE}/mkdirs`, body: { path }, operation: `create directory ${path}`, idempotent: true, ...opts });
  }

  /** Deletes an object; a non-empty directory needs `recursive` (`POST workspace/delete`). */
  async delete(path: string, recursive = false, opts: CallOptions = {}): Promise<void> {
    await this.client.request({ method: "POST", path: `${WORKSPACE}/delete`, body: { path, recursive }, operation: `delete ${path}`, idempotent: true, ...opts });
  }
}
