import { type CountryCode, parsePhoneNumberFromString } from "libphonenumber-js";

/** E.164 form of a phone number read in `country`, or null when it cannot be read. */
export function toE164(raw: string, country: string): string | null {
  const cleaned = raw.replace(/\s*(ext\.?|x|#)\s*\d+\s*$/i, "").trim();
  const parsed = parsePhoneNumberFromString(
    cleaned.replace(/^00/, "+"),
    country.toUpperCase() as CountryCode,
  );
  return parsed?.isPossible() ? parsed.number : null;
}

/** Key used to compare two phone numbers (E.164 when readable, else digits only). */
export function phoneKey(raw: string | null | undefined, country: string): string | null {
  if (!raw) return null;
  return toE164(raw, country) ?? (raw.replace(/\D/g, "") || null);
}
