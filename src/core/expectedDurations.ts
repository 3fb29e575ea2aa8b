/**
 * The previous execution's duration of a run the engine replaces. The engine calls `diff` with the
 * old state and then `create` with the new inputs only, in the same provider process; `diff` notes
 * the duration under the new inputs and `create` takes it, to poll by it.
 */
import { createHash } from "node:crypto";

const noted = new Map<string, number>();

/** Notes how long the execution recorded in the old state took, for the create of these inputs. */
export function noteExpectedDuration(inputs: object, durationMs: number | undefined): void {
  if (durationMs !== undefined) noted.set(keyOf(inputs), durationMs);
}

/** The duration noted for these inputs (forgotten once taken), if any. */
export function takeExpectedDuration(inputs: object): number | undefined {
  const key = keyOf(inputs);
  const ms = noted.get(key);
  noted.delete(key);
  return ms;
}

/** A digest of the inputs as canonical JSON (keys sorted), so no input value is kept. */
function keyOf(inputs: object): string {
  return createHash("sha256").update(canonical(inputs)).digest("hex");
}

function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(",")}]`;
  if (value !== null && typeof value === "object") {
    return `{${Object.keys(value)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonical((value as Record<string, unknown>)[k])}`)
      .join(",")}}`;
  }
  return JSON.stringify(value) ?? "null";
}
