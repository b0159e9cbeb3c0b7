import { normalisePhone } from "@ghl-bulksms/sync";
import { parsePhoneNumberFromString } from "libphonenumber-js/max";

/** E.164 of a raw number read with the location's region, or null. */
export function toE164(raw: string | null | undefined, region: string): string | null {
  const r = normalisePhone(raw, { defaultRegion: region });
  return r.ok ? r.e164 : null;
}

/** True when the number can receive SMS: a mobile, or a number type the plan cannot tell from a mobile. */
export function isMobile(e164: string): boolean {
  const type = parsePhoneNumberFromString(e164)?.getType();
  return type === "MOBILE" || type === "FIXED_LINE_OR_MOBILE" || type === undefined;
}
