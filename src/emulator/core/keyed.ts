/**
 * Keyed collections safe for any key. The emulator's state keeps records by names its clients
 * choose (scopes, secret keys, cluster ids, idempotency tokens, tags); in an ordinary object the
 * names `__proto__`, `constructor` or `toString` find inherited properties, and assigning
 * `__proto__` changes the prototype instead of storing an entry. A {@link Keyed} object has no
 * prototype, so every name is an entry like any other, and it stays so through JSON: `JSON.parse`
 * makes `"__proto__"` an own property, which {@link asKeyed} keeps when it drops the prototype.
 */

declare const keyedBrand: unique symbol;

/**
 * A string-keyed collection without a prototype. The brand makes the compiler insist that one is
 * made by {@link keyed} or {@link asKeyed}, never as an object literal.
 */
export type Keyed<T> = Record<string, T> & { readonly [keyedBrand]: true };

/** A new keyed collection, with `entries` if given. */
export function keyed<T>(entries: Iterable<readonly [string, T]> = []): Keyed<T> {
  const out = Object.create(null) as Record<string, T>;
  // With no prototype there is no `__proto__` setter: assigning it stores an entry.
  for (const [k, v] of entries) out[k] = v;
  return out as Keyed<T>;
}

/**
 * The collection read from JSON (or a plain object whose own properties are its entries), in
 * place, without its prototype; throws naming `what` when it is not an object.
 */
export function asKeyed<T>(value: unknown, what: string): Keyed<T> {
  if (typeof value !== "object" || value === null || Array.isArray(value)) throw new Error(`${what} is not an object.`);
  return Object.setPrototypeOf(value, null) as Keyed<T>;
}

/** True when `key` is an entry of the collection (an own property, whatever its name). */
export function hasKey(collection: object, key: string): boolean {
  return Object.prototype.hasOwnProperty.call(collection, key);
}
