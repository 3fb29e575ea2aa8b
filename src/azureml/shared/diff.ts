/** The engine's diff result of an Azure ML resource, and the line that says what a change does. */
import { sameJson, UNKNOWN } from "../../core/check";
import { DetailedDiff, keyDetail, reviewedDiff } from "../../core/detailedDiff";
import { EngineDiff, toEngineDiff } from "../../core/engineDiff";
import { progress } from "../../core/progress";

/** What a change of inputs does. */
export interface AmlDiff {
  changes: boolean;
  replaces: string[];
  deleteBeforeReplace: boolean;
  changedKeys: string[];
  /**
   * What a preview lists, when more telling than the changed keys (e.g. the code file behind a new
   * version); default: each changed key.
   */
  detail?: DetailedDiff;
  /** The changes in words, when more telling than the keys; default: the changed keys. */
  causes?: string[];
}

/** Keys of `keys` whose value differs between olds and news (an unknown new value differs). */
export function changedKeys<T extends object>(olds: Partial<T>, news: Partial<T>, keys: readonly (keyof T & string)[]): string[] {
  return keys.filter((k) => news[k] === UNKNOWN || !sameJson(olds[k], news[k]));
}

/**
 * A diff from replacing and updating keys. `deleteBeforeReplace` when the replacement has the same
 * name as the old object (it cannot exist twice).
 */
export function amlDiff(replaces: string[], updates: string[], sameName: boolean): AmlDiff {
  const changed = [...replaces, ...updates];
  return { changes: changed.length > 0, replaces, deleteBeforeReplace: replaces.length > 0 && sameName, changedKeys: changed };
}

/** The line a preview prints for a change: `<what>: <causes> changed; will <effect>.`; undefined when nothing changes. */
export function diffReason(what: string, d: AmlDiff, update: string): string | undefined {
  if (!d.changes) return undefined;
  const effect = d.replaces.length > 0 ? `replace it${d.deleteBeforeReplace ? " (delete, then create)" : ""}` : update;
  return `${what}: ${(d.causes ?? d.changedKeys).join(", ")} changed; will ${effect}.`;
}

/**
 * Prints what a change does (see {@link diffReason}) and returns the engine's part, with the
 * detailed diff a preview shows: the changed keys (or `d.detail`), none of the computed outputs.
 */
export function reportDiff(what: string, d: AmlDiff, update: string, olds: object, news: object): EngineDiff {
  const reason = diffReason(what, d, update);
  if (reason) progress(reason);
  const detail = d.detail ?? keyDetail(olds as Record<string, unknown>, news as Record<string, unknown>, d.changedKeys, d.replaces);
  return toEngineDiff(reviewedDiff(d.changes ? detail : {}, d.replaces, d.deleteBeforeReplace, d.changes));
}
