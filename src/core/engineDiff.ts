/**
 * Hands a {@link ReviewedDiff} to the engine's dynamic-provider host (`@pulumi/pulumi`'s
 * `cmd/dynamic-provider`, the process our providers run in). The host copies only `changes`,
 * `replaces` and `deleteBeforeReplace` of a diff result into its `DiffResponse`; the changed keys
 * and the detailed diff, which the engine prints instead of every output and `--json` carries as
 * `diffReasons` and `detailedDiff`, are added here:
 *
 * - the result's `changes` is a getter: the host reads it, then at once (synchronously) calls
 *   `DiffResponse.setChanges`; the getter leaves the detail for that call;
 * - `DiffResponse.prototype.setChanges` of the host's own protobuf module (resolved from the host's
 *   entry, `require.main`) is wrapped once to take the detail left for it and set `diffs`, the
 *   detailed diff and `hasDetailedDiff`. The detail left is cleared at the next microtask, so it
 *   can never reach another resource's response.
 *
 * Outside that host (unit tests, other hosts) or with a host that changed shape, nothing is wrapped
 * and the engine shows its own diff: only the display is richer, never the outcome.
 */
import type { DetailedDiff, DiffKind, ReviewedDiff } from "./detailedDiff";
import { keyDetail, topLevelKeys } from "./detailedDiff";

/** What the host reads from a diff result. */
export interface EngineDiff {
  readonly changes: boolean;
  readonly replaces: string[];
  readonly deleteBeforeReplace: boolean;
}

/** The parts of the host's protobuf module used here. */
export interface ProviderProto {
  DiffResponse: { prototype: DiffResponseLike };
  PropertyDiff: { new (): PropertyDiffLike; Kind: Record<string, number> };
}
interface DiffResponseLike {
  setChanges(value: number): unknown;
  setDiffsList(value: string[]): unknown;
  getDetaileddiffMap(): { set(key: string, value: PropertyDiffLike): unknown };
  setHasdetaileddiff(value: boolean): unknown;
}
interface PropertyDiffLike {
  setKind(value: number): unknown;
  setInputdiff(value: boolean): unknown;
}

const PATCHED = Symbol.for("pulumi-azureml-databricks.detailedDiff");
/** The detail the last `changes` read left for the host's next `setChanges`. */
let pending: { diffs: string[]; detail: DetailedDiff } | undefined;
let installed: boolean | undefined;

/**
 * The result to return from a provider's `diff`: the engine's three fields, with the changed keys
 * and the detailed diff attached for the host (when it runs us).
 */
export function toEngineDiff(d: ReviewedDiff): EngineDiff {
  installHook();
  const detail = d.detailedDiff;
  const diffs = topLevelKeys(detail);
  return {
    get changes() {
      if (d.changes && Object.keys(detail).length > 0) {
        pending = { diffs, detail };
        queueMicrotask(() => (pending = undefined));
      }
      return d.changes;
    },
    replaces: d.replaces,
    deleteBeforeReplace: d.deleteBeforeReplace,
  };
}

/** The host's protobuf module, when this process is the dynamic-provider host. */
function hostProto(): ProviderProto | undefined {
  const main = require.main;
  if (!main || !/[\\/]cmd[\\/]dynamic-provider[\\/]index\.js$/.test(main.filename)) return undefined;
  try {
    const proto = main.require("../../proto/provider_pb") as Partial<ProviderProto>;
    const ok = typeof proto.DiffResponse?.prototype?.setChanges === "function" && typeof proto.PropertyDiff === "function" && proto.PropertyDiff.Kind !== undefined;
    return ok ? (proto as ProviderProto) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Wraps the host's `setChanges` once per process (or that of `proto`, for tests); true when the
 * detail reaches the engine.
 */
export function installHook(proto?: ProviderProto): boolean {
  if (proto === undefined) {
    if (installed !== undefined) return installed;
    proto = hostProto();
    if (!proto) return (installed = false);
  }
  const target = proto.DiffResponse.prototype as DiffResponseLike & { [PATCHED]?: boolean };
  if (target[PATCHED]) return (installed = true);
  const original = target.setChanges;
  const kinds = proto.PropertyDiff.Kind;
  target.setChanges = function (this: DiffResponseLike, value: number) {
    const result = original.call(this, value);
    const taken = pending;
    pending = undefined;
    if (taken) {
      this.setDiffsList(taken.diffs);
      const map = this.getDetaileddiffMap();
      for (const [path, kind] of Object.entries(taken.detail)) {
        const pd = new proto.PropertyDiff();
        pd.setKind(kinds[protoKind(kind)]);
        pd.setInputdiff(true);
        map.set(path, pd);
      }
      this.setHasdetaileddiff(true);
    }
    return result;
  };
  target[PATCHED] = true;
  return (installed = true);
}

/** `update-replace` as the protobuf enum names it, `UPDATE_REPLACE`. */
function protoKind(kind: DiffKind): string {
  return kind.toUpperCase().replace("-", "_");
}

/**
 * A resource's own diff result with the detailed diff of its changed `keys` attached (replacing
 * when among `result.replaces`): a preview lists those keys, none of the computed outputs.
 */
export function withKeyDetail(result: EngineDiff, olds: object, news: object, keys: readonly string[]): EngineDiff {
  const detail = result.changes ? keyDetail(olds as Record<string, unknown>, news as Record<string, unknown>, keys, result.replaces) : {};
  return toEngineDiff({ changes: result.changes, replaces: result.replaces, deleteBeforeReplace: result.deleteBeforeReplace, detailedDiff: detail });
}
