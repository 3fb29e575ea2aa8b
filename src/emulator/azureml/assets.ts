/**
 * Versioned assets (codes, environments, components): containers `{kind}/{name}` and versions
 * `{kind}/{name}/versions/{version}`, synchronous PUT answering 201 (created) or 200 (replaced).
 * A version's defining fields cannot change once registered: a PUT that changes them is refused
 * with the service's 409 `UserError`, an identical one (or one changing only the description,
 * tags, properties or archive flag) is accepted. The container is made with its first version and
 * tracks the latest.
 */
import { isDeepStrictEqual } from "node:util";
import type { EmulatorRequest, Route } from "../core/service";
import { notFound, userError } from "./errors";
import { keyOf, listBody, writeResource } from "./resources";
import { checkName, isObject, putAnswer, readBody, readProperties, resourceBase, workspaceRoutes, type AzureMlContext, type MlOperation } from "./routes";
import type { JsonObject, StoredResource } from "./state";

/** What differs between the asset kinds. */
export interface AssetKind {
  /** Path segment: `codes`, `environments`, `components`. */
  readonly collection: string;
  /** Name in messages: `code`, `environment`, `component`. */
  readonly what: string;
  /** Fields that define a version and cannot change. */
  readonly immutable: readonly string[];
  /** The error for a PUT that changes them. */
  changed(name: string, version: string): Error;
  /** Checks a version's properties (throws naming the property); `ctx` to look up what they refer to. */
  validate(properties: JsonObject, ctx: AzureMlContext): void;
  /** Read-only fields the service adds to a version. */
  readonly added?: JsonObject;
  /** Routes of its own (a code's `startPendingUpload`). */
  extraRoutes?(ctx: AzureMlContext): MlOperation[];
  /** A different answer to listing a name's versions (a code's lookup by hash), or `undefined` for the ordinary list. */
  listOverride?(ctx: AzureMlContext, req: EmulatorRequest): StoredResource[] | undefined;
}

const VERSION = /^[a-zA-Z0-9][a-zA-Z0-9\-_.]{0,49}$/;

/** The defaults of the fields every asset version has. */
function assetDefaults(properties: JsonObject): JsonObject {
  return {
    ...resourceBase(properties),
    isAnonymous: properties.isAnonymous ?? false,
    isArchived: properties.isArchived ?? false,
  };
}

/** The routes of one asset kind. */
export function assetRoutes(ctx: AzureMlContext, kind: AssetKind): Route[] {
  const { resources } = ctx;
  const c = kind.collection;
  const containerPath = (name: string): string => `${c}/${name}`;
  const versionPath = (name: string, version: string): string => `${c}/${name}/versions/${version}`;
  const view = (r: StoredResource): JsonObject => resources.view(r);
  const find = (path: string, what: string): StoredResource => {
    const found = resources.find(path);
    if (!found) throw notFound(what);
    return found;
  };
  const page = (req: EmulatorRequest, items: StoredResource[]): StoredResource[] => {
    const ordered = /\bdesc\b/i.test(req.query.get("$orderBy") ?? "") ? [...items].reverse() : items;
    const skip = Number(req.query.get("$skip") ?? "0") || 0;
    const top = Number(req.query.get("$top") ?? "");
    return ordered.slice(skip, Number.isInteger(top) && top > 0 ? skip + top : undefined);
  };

  return workspaceRoutes(ctx, [
    ["GET", c, `list ${kind.what} containers`, (req) => ({ status: 200, body: listBody(page(req, resources.list(c)).map(view)) })],
    ["GET", `${c}/{name}`, `get ${kind.what} container`, (req) => ({ status: 200, body: view(find(containerPath(req.params.name), `${kind.what} ${req.params.name}`)) })],
    [
      "PUT",
      `${c}/{name}`,
      `create or update ${kind.what} container`,
      async (req) => {
        const name = req.params.name;
        checkName(name, kind.what);
        const body = await readBody(req);
        const properties = isObject(body.properties) ? body.properties : {};
        const existing = resources.find(containerPath(name))?.body.properties as JsonObject | undefined;
        const stored = { properties: { ...assetDefaults(properties), latestVersion: existing?.latestVersion ?? null, nextVersion: existing?.nextVersion ?? null, provisioningState: "Succeeded" } };
        const outcome = resources.put(containerPath(name), stored);
        return putAnswer(outcome, view(find(containerPath(name), `${kind.what} ${name}`)));
      },
    ],
    [
      "DELETE",
      `${c}/{name}`,
      `delete ${kind.what} container`,
      (req) => (resources.remove(containerPath(req.params.name)) ? { status: 200 } : { status: 204 }),
    ],
    [
      "GET",
      `${c}/{name}/versions`,
      `list ${kind.what} versions`,
      (req) => {
        const items = kind.listOverride?.(ctx, req) ?? resources.list(`${containerPath(req.params.name)}/versions`);
        return { status: 200, body: listBody(page(req, items).map(view)) };
      },
    ],
    [
      "GET",
      `${c}/{name}/versions/{version}`,
      `get ${kind.what} version`,
      (req) => ({ status: 200, body: view(find(versionPath(req.params.name, req.params.version), `${kind.what} ${req.params.name} version ${req.params.version}`)) }),
    ],
    [
      "PUT",
      `${c}/{name}/versions/{version}`,
      `create or update ${kind.what} version`,
      async (req) => {
        const { name, version } = req.params;
        checkName(name, kind.what);
        if (!VERSION.test(version)) throw userError(400, `The version '${version}' is not valid: use up to 50 letters, digits, '-', '_' and '.', starting with a letter or digit.`);
        const { properties } = await readProperties(req);
        kind.validate(properties, ctx);
        const existing = resources.find(versionPath(name, version))?.body.properties as JsonObject | undefined;
        if (existing && kind.immutable.some((field) => !isDeepStrictEqual(existing[field], properties[field]))) throw kind.changed(name, version);
        const stored = { properties: { ...properties, ...assetDefaults(properties), ...kind.added, provisioningState: "Succeeded" } };
        const now = resources.clock.now();
        const outcome = resources.store.update((s) => {
          const container = s.resources[keyOf(containerPath(name))];
          if (!container) writeResource(s, containerPath(name), { properties: { ...assetDefaults({}), provisioningState: "Succeeded" } }, now);
          const containerProps = s.resources[keyOf(containerPath(name))].body.properties as JsonObject;
          containerProps.latestVersion = version;
          containerProps.nextVersion = /^\d+$/.test(version) ? String(Number(version) + 1) : null;
          return writeResource(s, versionPath(name, version), stored, now);
        });
        return putAnswer(outcome, view(find(versionPath(name, version), `${kind.what} ${name} version ${version}`)));
      },
    ],
    [
      "DELETE",
      `${c}/{name}/versions/{version}`,
      `delete ${kind.what} version`,
      (req) => (resources.remove(versionPath(req.params.name, req.params.version)) ? { status: 200 } : { status: 204 }),
    ],
    ...(kind.extraRoutes?.(ctx) ?? []),
  ]);
}

/** The 409 for a changed version of an environment or a component, in the service's words. */
export function alreadyRegistered(kind: string): (name: string, version: string) => Error {
  return (name, version) => userError(409, `${kind} ${name} with version ${version} is already registered and cannot be changed.`);
}
