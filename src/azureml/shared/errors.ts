/** How the Azure ML resources tell client errors in their own words. */
import { ServiceError, withContext } from "../../core/errors";

/** A client error told as the resource's operation; anything else (a bug) as it is. */
export function inContext(err: unknown, context: { operation: string; hint?: string; link?: string }): unknown {
  return err instanceof ServiceError ? withContext(err, context) : err;
}

/** Runs `op`; a 404 becomes `undefined`. */
export async function unlessNotFound<T>(op: () => Promise<T>): Promise<T | undefined> {
  try {
    return await op();
  } catch (err) {
    if (err instanceof ServiceError && err.status === 404) return undefined;
    throw err;
  }
}

/** Runs `op` (a read or a delete); a 404 becomes `undefined`, any other failure is told as `operation`. */
export async function ifPresent<T>(operation: string, op: () => Promise<T>): Promise<T | undefined> {
  try {
    return await unlessNotFound(op);
  } catch (err) {
    throw inContext(err, { operation });
  }
}
