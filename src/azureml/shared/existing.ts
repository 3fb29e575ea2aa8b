/**
 * The takeover policy (`core/takeover`) for Azure ML objects: before creating, look the object up;
 * one that is there is refused unless the resource has `adopt: true`.
 */
import { Takeover, takeoverRefused } from "../../core/takeover";
import { inContext, unlessNotFound } from "./errors";

/**
 * Looks the object up with `get` (a 404 means free) and refuses it when it is there and `adopt`
 * is not set; with `adopt`, prints that it is adopted. `t.object` names it in both.
 */
export async function refuseExisting(get: () => Promise<unknown>, adopt: boolean | undefined, t: Takeover): Promise<void> {
  const existing = await unlessNotFound(get).catch((err) => {
    throw inContext(err, { operation: `look up ${t.object}` });
  });
  if (!existing) return;
  if (!adopt) throw takeoverRefused({ ...t, object: `${t.object[0].toUpperCase()}${t.object.slice(1)}` });
  console.log(`${t.object[0].toUpperCase()}${t.object.slice(1)} already exists; adopting it (adopt: true).`);
}
