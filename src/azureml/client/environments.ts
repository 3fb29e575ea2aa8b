/** Environments (`{WS}/environments/{name}/versions`). */
import type { EnvironmentVersion } from "./types";
import { VersionedAssetApi } from "./versionedAssets";
import type { WorkspaceCalls } from "./workspace";

/** Environment versions of one workspace. */
export class EnvironmentsApi extends VersionedAssetApi<EnvironmentVersion> {
  constructor(calls: WorkspaceCalls) {
    super(calls, "environments", "environment");
  }
}
