/**
 * Schedule time zones: Azure ML takes Windows time zone names (`UTC`, `Pacific Standard Time`,
 * `W. Europe Standard Time`); the times are computed in the IANA zone the Windows name maps to
 * (CLDR's table, from `windows-iana`), so daylight saving time follows the zone's rules.
 */
import { findIana } from "windows-iana";

/** The IANA zone of a Windows time zone name; `undefined` for a name that is not one. */
export function ianaZoneOf(windowsName: string): string | undefined {
  return findIana(windowsName)[0];
}
