import { type CountryCode, parsePhoneNumberFromString } from "libphonenumber-js/max";

export type { CountryCode };

/**
 * Normalises a number typed in any format ("+27 82 123 4567", "082 123 4567" with region ZA,
 * "0027821234567") to E.164 ("+27821234567"). Returns `undefined` when it is not a valid number.
 * Uses libphonenumber-js with full ("max") metadata so validity checks number ranges, not only lengths.
 */
export function toE164(input: string, defaultRegion?: CountryCode): string | undefined {
  const trimmed = input.trim();
  if (trimmed === "") return undefined;
  // "00" international prefix: libphonenumber only understands it with a region; treat it as "+".
  const candidate = /^00[1-9]/.test(trimmed) ? `+${trimmed.slice(2)}` : trimmed;
  const parsed = parsePhoneNumberFromString(candidate, defaultRegion);
  if (parsed === undefined || !parsed.isValid()) return undefined;
  return parsed.number;
}

/**
 * BulkSMS responses and webhooks drop the leading "+" ("27821234567"). This puts it back and normalises
 * to E.164 so the value can be matched against numbers normalised by `toE164`.
 * Values that are not phone numbers (alphanumeric sender ids, short codes, the test number 1111111)
 * are returned unchanged.
 */
export function fromVendorNumber(raw: string): string {
  const trimmed = raw.trim();
  const digits = trimmed.startsWith("+") ? trimmed.slice(1) : trimmed;
  if (!/^\d{7,15}$/.test(digits)) return trimmed;
  const parsed = parsePhoneNumberFromString(`+${digits}`);
  if (parsed === undefined || !parsed.isValid()) return trimmed;
  return parsed.number;
}
