/**
 * The calls shared by versioned assets (codes, environments, components): containers
 * `{WS}/<collection>/{name}` and versions `{WS}/<collection>/{name}/versions/{version}`.
 */
import type { QueryParams } from "../../core/http";
import type { ArmResource } from "./types";
import { CallOptions, enc, LroCallOptions, WorkspaceCalls } from "./workspace";

/** What the service answers for `listViewType`: active assets only (its default), or archived ones too. */
export type ListViewType = "ActiveOnly" | "All";

/** Versions of one asset collection of a workspace. */
export class VersionedAssetApi<T extends ArmResource<unknown>> {
  /**
   * @param collection The path segment: `codes`, `environments` or `components`.
   * @param kind How messages name the asset: `code`, `environment`, `component`.
   */
  constructor(
    protected readonly calls: WorkspaceCalls,
    private readonly collection: string,
    private readonly kind: string,
  ) {}

  /** The version's path below the workspace. */
  path(name: string, version: string): string {
    return `/${this.collection}/${enc(name)}/versions/${enc(version)}`;
  }

  /** The version's ARM id. */
  id(name: string, version: string): string {
    return this.calls.base + this.path(name, version);
  }

  /** Gets a version. */
  getVersion(name: string, version: string, opts: CallOptions = {}): Promise<T> {
    return this.calls.get<T>(this.path(name, version), `get ${this.kind} ${name}:${version}`, opts);
  }

  /** Every version of an asset, newest first when the service orders them so; archived ones too with `"All"`. */
  listVersions(name: string, opts: CallOptions = {}, view?: ListViewType): Promise<T[]> {
    return this.calls.list<T>(`/${this.collection}/${enc(name)}/versions`, `list the versions of ${this.kind} ${name}`, { $orderBy: "createdtime desc", ...viewQuery(view) }, opts);
  }

  /** The asset containers (one per name) of the workspace; archived ones too with `"All"`. */
  listContainers(opts: CallOptions = {}, view?: ListViewType): Promise<ArmResource<unknown>[]> {
    return this.calls.list<ArmResource<unknown>>(`/${this.collection}`, `list the ${this.kind} containers`, viewQuery(view), opts);
  }

  /** Deletes an asset's container (`DELETE {WS}/<collection>/{name}`); false when it was not there. */
  deleteContainer(name: string, opts: LroCallOptions = {}): Promise<boolean> {
    return this.calls.delete(`/${this.collection}/${enc(name)}`, `delete ${this.kind} ${name}`, `Azure ML ${this.kind} ${name}`, opts);
  }

  /** Registers a version; an identical re-PUT is accepted, a changed one refused by the service. */
  createOrUpdateVersion(name: string, version: string, asset: T, opts: LroCallOptions = {}): Promise<T> {
    return this.calls.put<T>(this.path(name, version), `register ${this.kind} ${name}:${version}`, asset, `Azure ML ${this.kind} ${name}:${version}`, opts);
  }

  /** Deletes a version; false when it was not there. */
  deleteVersion(name: string, version: string, opts: LroCallOptions = {}): Promise<boolean> {
    return this.calls.delete(this.path(name, version), `delete ${this.kind} ${name}:${version}`, `Azure ML ${this.kind} ${name}:${version}`, opts);
  }
}

function viewQuery(view: ListViewType | undefined): QueryParams {
  return view ? { listViewType: view } : {};
}
