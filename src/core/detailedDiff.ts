/**
 * The diff a reviewer reads in `pulumi preview --diff` and a bot in `pulumi preview --json`: which
 * property paths change and how (`codeFiles["notebooks/x.py"]`: update-replace), instead of the
 * engine's fallback, which prints every output of the old state against the new inputs.
 *
 * The engine's dynamic-provider host forwards only `changes`, `replaces` and
 * `deleteBeforeReplace` of a diff. {@link toEngineDiff} adds the changed keys (`diffReasons`) and
 * the detailed diff to the host's response (see `engineResponse.ts`); where that is not possible
 * the engine's own display is used, as before.
 */
import { sameJson, UNKNOWN } from "./check";

/** How a property path changes (the engine's `PropertyDiff.Kind`, as `--json` spells it). */
export type DiffKind = "add" | "add-replace" | "delete" | "delete-replace" | "update" | "update-replace";

/** Property paths and how each changes; paths name the inputs the display compares (old vs new). */
export type DetailedDiff = Record<string, DiffKind>;

/** What a diff tells the engine and the reviewer. */
export interface ReviewedDiff {
  changes: boolean;
  /** Top-level keys whose change replaces the resource (the engine's `replaceReasons`). */
  replaces: string[];
  deleteBeforeReplace: boolean;
  /** Only the paths that matter; no computed output is listed. */
  detailedDiff: DetailedDiff;
}

/** A property path segment for a key: bare when an identifier, else `["key"]`. */
export function pathOf(root: string, ...keys: string[]): string {
  return keys.reduce((p, k) => (/^[A-Za-z_$][A-Za-z0-9_$]*$/.test(k) ? `${p}.${k}` : `${p}["${k.replace(/"/g, '\\"')}"]`), root);
}

/** The kind of a change of one value: added, deleted or updated, replacing or not. */
export function kindOf(old: unknown, news: unknown, replace: boolean): DiffKind {
  const base = isAbsent(old) ? "add" : isAbsent(news) ? "delete" : "update";
  return replace ? `${base}-replace` : base;
}

const isAbsent = (v: unknown) => v === undefined || v === null;

/** The detailed diff of top-level keys: each changed key of `keys`, replacing when in `replaces`. */
export function keyDetail(olds: Record<string, unknown>, news: Record<string, unknown>, keys: readonly string[], replaces: readonly string[]): DetailedDiff {
  const detail: DetailedDiff = {};
  for (const k of keys) {
    if (news[k] === UNKNOWN || !sameJson(olds[k], news[k])) detail[k] = kindOf(olds[k], news[k], replaces.includes(k));
  }
  return detail;
}

/** The detailed diff inside a map (`root["key"]` per changed entry), e.g. per-file content hashes. */
export function mapDetail(root: string, olds: Record<string, unknown> | undefined, news: Record<string, unknown> | undefined, replace: boolean): DetailedDiff {
  const detail: DetailedDiff = {};
  const o = olds ?? {};
  const n = news ?? {};
  for (const k of [...new Set([...Object.keys(o), ...Object.keys(n)])].sort()) {
    if (!sameJson(o[k], n[k])) detail[pathOf(root, k)] = kindOf(o[k], n[k], replace);
  }
  return detail;
}

/** The keys of a map whose values differ (added, removed or changed), sorted. */
export function changedEntries(olds: Record<string, unknown> | undefined, news: Record<string, unknown> | undefined): string[] {
  const o = olds ?? {};
  const n = news ?? {};
  return [...new Set([...Object.keys(o), ...Object.keys(n)])].filter((k) => !sameJson(o[k], n[k])).sort();
}

/** The top-level keys of a detailed diff's paths: the engine's `diffReasons`. */
export function topLevelKeys(detail: DetailedDiff): string[] {
  return [...new Set(Object.keys(detail).map((p) => /^[^.[]*/.exec(p)![0]))];
}

/** A diff from its parts; `changes` when anything is listed or replaced. */
export function reviewedDiff(detail: DetailedDiff, replaces: string[], deleteBeforeReplace: boolean, changes = Object.keys(detail).length > 0 || replaces.length > 0): ReviewedDiff {
  return { changes, replaces, deleteBeforeReplace: replaces.length > 0 && deleteBeforeReplace, detailedDiff: detail };
}
