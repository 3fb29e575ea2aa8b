/**
 * How the package tells the local emulator which notebook parameters of a run hold secure inputs,
 * so that the run page it serves masks them: the names (never the values), each percent-encoded,
 * comma-separated, in one request header on `runs/submit`. Sent to the emulator only (local
 * target); the real service gets the request as its API documents it.
 */

/** The header naming a submitted run's secure parameters. */
export const SECURE_PARAMETERS_HEADER = "X-Amldb-Secure-Parameters";

/** The header's value for these parameter names. */
export function secureParametersHeaderValue(names: readonly string[]): string {
  return names.map(encodeURIComponent).join(",");
}

/** The parameter names a header value carries; names that are not valid percent-encoding are skipped. */
export function parseSecureParametersHeader(value: string | string[] | undefined): string[] {
  const text = Array.isArray(value) ? value.join(",") : (value ?? "");
  return text
    .split(",")
    .map((part) => part.trim())
    .filter((part) => part !== "")
    .flatMap((part) => {
      try {
        return [decodeURIComponent(part)];
      } catch {
        return [];
      }
    });
}
