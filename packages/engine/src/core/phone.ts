import { normalisePhone } from "@ghl-bulksms/sync";
import { parsePhoneNumberFromString } from "libphonenumber-js/max";

/** E.164 of a raw number read in the contact's own country, then the location's region; or null. */
export function toE164(
  raw: string | null | undefined,
  region: string,
  country?: string | null | undefined,
): string | null {
  const r = normalisePhone(raw, { country, defaultRegion: region });
  return r.ok ? r.e164 : null;
}

/** True when the number can receive SMS: a mobile, or a number type the plan cannot tell from a mobile. */
export function isMobile(e164: string): boolean {
  const type = parsePhoneNumberFromString(e164)?.getType();
  return type === "MOBILE" || type === "FIXED_LINE_OR_MOBILE" || type === undefined;
}
