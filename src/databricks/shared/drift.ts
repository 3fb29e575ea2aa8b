/** Comparing what the workspace holds with what the program declared, for refresh. */
import { isObject } from "../../core/check";

/** Keys whose values are user maps: compared whole, never pruned or converted. */
export const USER_MAP_KEYS = new Set(["sparkConf", "sparkEnvVars", "customTags", "baseParameters", "namedParameters", "tags"]);

/**
 * The live value of a named field, cut to the shape of ours: structural keys we did not set (the
 * service's defaults) are dropped, user maps are kept whole, arrays keep their length. Drift is a
 * difference that remains.
 */
export function pruneTo(live: unknown, mine: unknown, key = ""): unknown {
  if (USER_MAP_KEYS.has(key)) return live;
  if (Array.isArray(mine) && Array.isArray(live)) return live.map((x, i) => (i < mine.length ? pruneTo(x, mine[i]) : x));
  if (isObject(mine) && isObject(live)) {
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(mine)) if (live[k] !== undefined) out[k] = pruneTo(live[k], mine[k], k);
    return out;
  }
  return live;
}
