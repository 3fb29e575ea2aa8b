/**
 * The workspace's child resources, whatever their API group: find, list, write and remove by path
 * below the workspace, and the Resource Manager view of one (`id`, `name`, `type`, the stored body,
 * `systemData`). Paths are keyed in lower case; the first spelling is kept.
 */
import type { Clock } from "../core/clock";
import { LOCAL_EMULATOR_CLIENT_ID } from "../identity/constants";
import type { AzureMlConfig } from "./config";
import { childType, workspaceArmId } from "./scope";
import type { AzureMlState, JsonObject, StoredResource } from "./state";
import type { AzureMlStore } from "./store";

/** The key of a path. */
export const keyOf = (path: string): string => path.toLowerCase();

/** A Resource Manager list: `{ value: [...] }`. */
export function listBody(value: unknown[]): { value: unknown[] } {
  return { value };
}

/** Reads and writes the workspace's child resources. */
export class Resources {
  constructor(
    readonly store: AzureMlStore,
    readonly clock: Clock,
    readonly config: AzureMlConfig,
  ) {}

  /** The resource at `path`, or `undefined`. */
  find(path: string): StoredResource | undefined {
    return this.store.read((s) => s.resources[keyOf(path)]);
  }

  /** The resources directly below the collection at `path` (`computes`, `components/x/versions`), oldest first. */
  list(path: string): StoredResource[] {
    const prefix = `${keyOf(path)}/`;
    return this.store.read((s) =>
      Object.entries(s.resources)
        .filter(([key]) => key.startsWith(prefix) && !key.slice(prefix.length).includes("/"))
        .map(([, r]) => r)
        .sort((a, b) => a.createdAt - b.createdAt),
    );
  }

  /** Every resource of a kind across the workspace whose path matches `pattern` (keys are lower case). */
  all(pattern: RegExp): StoredResource[] {
    return this.store.read((s) => Object.entries(s.resources).filter(([key]) => pattern.test(key)).map(([, r]) => r));
  }

  /**
   * Writes the resource at `path`: `body` replaces the stored one (the first spelling of the path,
   * the creation time and, unless given, the secrets stay). Returns whether it was created.
   */
  put(path: string, body: JsonObject, secrets?: Record<string, string>): "created" | "updated" {
    const now = this.clock.now();
    return this.store.update((s) => writeResource(s, path, body, now, secrets));
  }

  /** Removes the resource at `path` and everything below it; false when there was nothing. */
  remove(path: string): boolean {
    return this.store.update((s) => removeTree(s.resources, keyOf(path)));
  }

  /** The Resource Manager view of a stored resource. */
  view(resource: StoredResource): JsonObject {
    const iso = (ms: number): string => new Date(ms).toISOString();
    return {
      id: `${workspaceArmId(this.config)}/${resource.path}`,
      name: resource.path.slice(resource.path.lastIndexOf("/") + 1),
      type: childType(resource.path),
      ...resource.body,
      systemData: {
        createdAt: iso(resource.createdAt),
        createdBy: LOCAL_EMULATOR_CLIENT_ID,
        createdByType: "Application",
        lastModifiedAt: iso(resource.modifiedAt),
        lastModifiedBy: LOCAL_EMULATOR_CLIENT_ID,
        lastModifiedByType: "Application",
      },
    };
  }
}

/** {@link Resources.put} within a state update (`s` a draft), for changes that start an operation in the same update. */
export function writeResource(s: AzureMlState, path: string, body: JsonObject, now: number, secrets?: Record<string, string>): "created" | "updated" {
  const existing = s.resources[keyOf(path)];
  const kept = secrets ?? existing?.secrets;
  s.resources[keyOf(path)] = { path: existing?.path ?? path, body, createdAt: existing?.createdAt ?? now, modifiedAt: now, ...(kept ? { secrets: kept } : {}) };
  return existing ? "updated" : "created";
}

/** Removes `key` and every key below it from a keyed collection (in a draft); true when `key` was there. */
export function removeTree(resources: Record<string, StoredResource>, key: string): boolean {
  const existed = key in resources;
  for (const k of Object.keys(resources)) if (k === key || k.startsWith(`${key}/`)) delete resources[k];
  return existed;
}
