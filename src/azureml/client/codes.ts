/** Code assets (`{WS}/codes`): versions and containers, lookup by content hash, pending uploads. */
import type { CodeVersion, PendingUploadResponse } from "./types";
import { VersionedAssetApi } from "./versionedAssets";
import { CallOptions, enc, WorkspaceCalls } from "./workspace";

/** Code versions of one workspace. */
export class CodesApi extends VersionedAssetApi<CodeVersion> {
  constructor(calls: WorkspaceCalls) {
    super(calls, "codes", "code");
  }

  /**
   * Code versions carrying a content hash (`GET /codes/{name}/versions?hash=&hashVersion=`): the
   * service looks the hash up across the workspace, whatever `name` is (the CLI sends a fresh one).
   */
  findByHash(name: string, hash: string, hashVersion: string, opts: CallOptions = {}): Promise<CodeVersion[]> {
    return this.calls.list<CodeVersion>(`/codes/${enc(name)}/versions`, `look up code by hash`, { hash, hashVersion }, opts);
  }

  /** A SAS URL to upload the version's files to (`POST /codes/{name}/versions/{version}/startPendingUpload`). */
  startPendingUpload(name: string, version: string, opts: CallOptions = {}): Promise<PendingUploadResponse> {
    return this.calls.post<PendingUploadResponse>(`/codes/${enc(name)}/versions/${enc(version)}/startPendingUpload`, `start an upload for code ${name}:${version}`, { pendingUploadType: "TemporaryBlobReference" }, opts);
  }
}
