/**
 * Known secret values taken out of text that leaves the provider (error messages): every
 * occurrence of each value, as written and JSON-escaped, becomes `[REDACTED]`. Only values the
 * provider knows can be taken out; an encoded or transformed value cannot be recognised.
 */

/** What a removed value is replaced by. */
export const REDACTED = "[REDACTED]";

/**
 * Values shorter than this are not searched for: replacing every `a` or `42` would garble the text
 * and, by the gaps it leaves, show the value. Text that must be cleared of such a value is
 * withheld whole instead.
 */
export const MIN_REDACTED_LENGTH = 4;

/**
 * `text` without any of `values`, or undefined when a value is too short to be taken out safely
 * (see {@link MIN_REDACTED_LENGTH}) and the caller must withhold the text.
 */
export function redactValues(text: string, values: readonly string[]): string | undefined {
  const present = values.filter((v) => v !== "");
  if (present.some((v) => v.length < MIN_REDACTED_LENGTH)) return undefined;
  const forms = new Set(present.flatMap((v) => [v, JSON.stringify(v).slice(1, -1)]));
  // Longest first, so a value that contains another is taken out whole.
  return [...forms].sort((a, b) => b.length - a.length).reduce((t, form) => t.split(form).join(REDACTED), text);
}
