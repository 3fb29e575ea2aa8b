/**
 * Canaries for a secret audit: random values made per run, each under a name telling which secret
 * input it stands for, and a scan that finds any of them in a text as written, URL-encoded, JSON-
 * escaped, hex-encoded or base64-encoded (standard and URL alphabets, at any byte offset inside a
 * longer encoded value).
 */
import { randomBytes } from "node:crypto";

/** One canary: the secret input it stands for and its value. */
export interface Canary {
  readonly name: string;
  readonly value: string;
}

/**
 * A new canary: `<prefix>-` and 24 random base64 characters (`+` and `/` among them half the time
 * or more, so the URL-encoded form differs from the value).
 */
export function makeCanary(name: string, prefix = "canary"): Canary {
  return { name, value: `${prefix}-${randomBytes(18).toString("base64")}` };
}

/** A storage account key as Azure makes them: 64 random bytes, base64. */
export function makeStorageKeyCanary(name: string): Canary {
  return { name, value: randomBytes(64).toString("base64") };
}

/**
 * Every form of `value` that a sink could hold it in: as written, URL-encoded, JSON-escaped, hex,
 * and the base64 (and base64url) characters that depend only on the value's bytes, for each of
 * the three byte offsets it can sit at inside a longer encoded text.
 */
export function encodedForms(value: string): string[] {
  const bytes = Buffer.from(value, "utf8");
  const forms = new Set<string>([value, encodeURIComponent(value), JSON.stringify(value).slice(1, -1), bytes.toString("hex")]);
  for (let offset = 0; offset < 3; offset++) {
    const padded = Buffer.concat([Buffer.alloc(offset), bytes]);
    // Character k covers bits [6k, 6k + 6): keep those that lie wholly inside the value's bits.
    const first = Math.ceil((8 * offset) / 6);
    const end = Math.floor((8 * (offset + bytes.length)) / 6);
    for (const alphabet of ["base64", "base64url"] as const) forms.add(padded.toString(alphabet).slice(first, end));
  }
  return [...forms];
}

/** Where a canary was found: the form, and the text around it (the canary itself masked). */
export interface Finding {
  readonly canary: string;
  readonly form: string;
  readonly context: string;
}

/** The canaries found in `text`, each with the first form found and its surroundings. */
export function findCanaries(text: string, canaries: readonly Canary[]): Finding[] {
  const found: Finding[] = [];
  for (const canary of canaries) {
    for (const form of encodedForms(canary.value)) {
      const at = text.indexOf(form);
      if (at < 0) continue;
      const context = text.slice(Math.max(0, at - 120), at + form.length + 120).split(form).join(`<${canary.name}>`);
      found.push({ canary: canary.name, form: form === canary.value ? "as written" : "encoded", context });
      break;
    }
  }
  return found;
}
