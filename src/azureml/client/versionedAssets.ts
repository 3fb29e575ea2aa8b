/**
 * The calls shared by versioned assets (environments, components): `{WS}/<collection>/{name}/versions/{version}`.
 */
import type { ArmResource } from "./types";
import { CallOptions, enc, LroCallOptions, WorkspaceCalls } from "./workspace";

/** Versions of one asset collection of a workspace. */
export class VersionedAssetApi<T extends ArmResource<unknown>> {
  /**
   * @param collection The path segment, `environments` or `components`.
   * @param kind How messages name the asset: `environment`, `component`.
   */
  constructor(
    private readonly calls: WorkspaceCalls,
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

  /** Every version of an asset, newest first when the service orders them so. */
  listVersions(name: string, opts: CallOptions = {}): Promise<T[]> {
    return this.calls.list<T>(`/${this.collection}/${enc(name)}/versions`, `list the versions of ${this.kind} ${name}`, { $orderBy: "createdtime desc" }, opts);
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
