/**
 * Components (P1): versions whose `componentSpec` (free-form, the CLI v2 YAML's keys) is stored and
 * returned verbatim; a command component's or a pipeline component's alike.
 */
import type { Route } from "../core/service";
import { alreadyRegistered, assetRoutes, type AssetKind } from "./assets";
import { invalidProperty } from "./errors";
import { isObject, mustExist, type AzureMlContext } from "./routes";

/** The component asset kind. */
export const COMPONENTS: AssetKind = {
  collection: "components",
  what: "component",
  immutable: ["componentSpec"],
  changed: alreadyRegistered("Component"),
  validate(properties, ctx) {
    const spec = properties.componentSpec;
    if (!isObject(spec)) throw invalidProperty("properties.componentSpec", "is required and must be an object");
    mustExist(ctx, spec.code, "properties.componentSpec.code");
    mustExist(ctx, spec.environment, "properties.componentSpec.environment");
  },
};

/** The component routes. */
export function componentRoutes(ctx: AzureMlContext): Route[] {
  return assetRoutes(ctx, COMPONENTS);
}
