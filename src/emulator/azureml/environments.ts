/**
 * Environments (E1): versions built from a Docker image (`image`, with an inlined `condaFile`) or a
 * build context (`build.contextUri`). The service adds `environmentType: "UserCreated"`.
 */
import type { Route } from "../core/service";
import { alreadyRegistered, assetRoutes, type AssetKind } from "./assets";
import { invalidProperty } from "./errors";
import { isObject, requiredString, type AzureMlContext } from "./routes";

/** The environment asset kind. */
export const ENVIRONMENTS: AssetKind = {
  collection: "environments",
  what: "environment",
  immutable: ["image", "condaFile", "build", "osType", "inferenceConfig"],
  changed: alreadyRegistered("Environment"),
  added: { environmentType: "UserCreated" },
  validate(properties) {
    if (properties.image === undefined && properties.build === undefined) throw invalidProperty("properties.image", "or properties.build is required");
    if (properties.image !== undefined) requiredString(properties.image, "properties.image");
    if (properties.build !== undefined && !(isObject(properties.build) && typeof properties.build.contextUri === "string")) throw invalidProperty("properties.build.contextUri", "is required and must be a string");
    if (properties.condaFile !== undefined && properties.condaFile !== null && typeof properties.condaFile !== "string") throw invalidProperty("properties.condaFile", "must be the conda file's text");
    if (properties.osType !== undefined && properties.osType !== "Linux" && properties.osType !== "Windows") throw invalidProperty("properties.osType", "must be one of Linux, Windows");
  },
};

/** The environment routes. */
export function environmentRoutes(ctx: AzureMlContext): Route[] {
  return assetRoutes(ctx, ENVIRONMENTS);
}
