/** The engine's diff result of an Azure ML resource, and the line that says what a change does. */
import { sameJson, UNKNOWN } from "../../core/check";
import { progress } from "../../core/progress";

/** What a change of inputs does. */
export interface AmlDiff {
  changes: boolean;
  replaces: string[];
  deleteBeforeReplace: boolean;
  changedKeys: string[];
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

/** Prints what a change does (the engine shows no property diff for dynamic resources) and returns the engine's part. */
export function reportDiff(what: string, d: AmlDiff, update: string): Omit<AmlDiff, "changedKeys"> {
  const { changedKeys: keys, ...rest } = d;
  if (d.changes) progress(`${what}: ${keys.join(", ")} changed; will ${d.replaces.length > 0 ? `replace it${d.deleteBeforeReplace ? " (delete, then create)" : ""}` : update}.`);
  return rest;
}
