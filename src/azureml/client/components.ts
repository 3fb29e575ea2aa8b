/** Components (`{WS}/components/{name}/versions`). */
import type { ComponentVersion } from "./types";
import { VersionedAssetApi } from "./versionedAssets";
import type { WorkspaceCalls } from "./workspace";

/** Component versions of one workspace. */
export class ComponentsApi extends VersionedAssetApi<ComponentVersion> {
  constructor(calls: WorkspaceCalls) {
    super(calls, "components", "component");
  }
}
