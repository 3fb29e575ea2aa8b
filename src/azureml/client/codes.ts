/** Code assets (`{WS}/codes`): versions, lookup by content hash, pending uploads. */
import type { CodeVersion, PendingUploadResponse } from "./types";
import { CallOptions, enc, WorkspaceCalls } from "./workspace";

/** Code versions of one workspace. */
export class CodesApi {
  constructor(private readonly calls: WorkspaceCalls) {}

  /** Gets a code version (`GET /codes/{name}/versions/{version}`). */
  getVersion(name: string, version: string, opts: CallOptions = {}): Promise<CodeVersion> {
    return this.calls.get<CodeVersion>(`/codes/${enc(name)}/versions/${enc(version)}`, `get code ${name}:${version}`, opts);
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

  /** Records a code version (`PUT /codes/{name}/versions/{version}`). */
  createOrUpdateVersion(name: string, version: string, code: CodeVersion, opts: CallOptions = {}): Promise<CodeVersion> {
    return this.calls.put<CodeVersion>(`/codes/${enc(name)}/versions/${enc(version)}`, `register code ${name}:${version}`, code, `Azure ML code ${name}:${version}`, opts);
  }
}
