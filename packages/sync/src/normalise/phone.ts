import {
  type CountryCode,
  isSupportedCountry,
  ParseError,
  parsePhoneNumberWithError,
} from "libphonenumber-js/max";

/** Why a phone number could not be normalised. Invalid numbers are reported, never guessed. */
export type PhoneFailureReason =
  | "empty"
  | "not-a-number"
  | "too-short"
  | "too-long"
  | "invalid-country"
  | "unknown-region"
  | "invalid-number";

export type PhoneResult =
  | {
      ok: true;
      /** E.164, e.g. "+442079460958". */
      e164: string;
      /** ISO 3166-1 alpha-2 country of the number when known. */
      country: string | undefined;
      /** Extension that was stripped from the input ("x123", "ext. 5"), if any. */
      extension: string | undefined;
    }
  | { ok: false; reason: PhoneFailureReason; input: string };

export interface PhoneOptions {
  /**
   * The contact's own country (GHL `country`, ISO 3166-1 alpha-2), tried first for a number without "+".
   * A value that is not a known region (a free-text "United Kingdom", "") is ignored, not an error: it is
   * data, not configuration.
   */
  country?: string | null | undefined;
  /** Region used next for national formats without a "+" (the location's region; "GB" turns "020 7946 0958" into +442079460958). */
  defaultRegion?: string | undefined;
  /** Region tried last (an operator's `--region`). */
  fallbackRegion?: string | undefined;
}

const ERROR_REASONS: Record<string, PhoneFailureReason> = {
  NOT_A_NUMBER: "not-a-number",
  TOO_SHORT: "too-short",
  TOO_LONG: "too-long",
  INVALID_LENGTH: "invalid-number",
  INVALID_COUNTRY: "invalid-country",
};

/** International prefixes written instead of "+": "0044 20 ...", "011 44 20 ...". */
const IDD_PREFIX = /^\s*(?:00|011)\s*(?=[1-9])/;
/** A bare international number ("44 7400 123456", "1 212 555 0100") needs at least this many digits. */
const MIN_BARE_INTERNATIONAL_DIGITS = 10;

function parseWith(input: string, region: CountryCode | undefined): PhoneResult {
  try {
    const parsed = parsePhoneNumberWithError(
      input,
      region === undefined ? undefined : { defaultCountry: region },
    );
    if (!parsed.isValid()) return { ok: false, reason: "invalid-number", input };
    return { ok: true, e164: parsed.number, country: parsed.country, extension: parsed.ext };
  } catch (error) {
    if (error instanceof ParseError) {
      return { ok: false, reason: ERROR_REASONS[error.message] ?? "invalid-number", input };
    }
    throw error;
  }
}

/**
 * Normalise a phone number to E.164 (idempotent: normalising the result again returns the same result).
 * Uses libphonenumber-js "max" metadata so that numbers are validated against the real numbering plans.
 *
 * A number without "+" is read, in order, in the contact's `country`, the location's `defaultRegion` and
 * the `fallbackRegion`; the first reading that is a valid number wins ("07400 123456" of a GB contact in a
 * US location is +447400123456). When no national reading is valid, international forms written without
 * "+" are tried: an international prefix ("0044 20 7946 0958", "011 44 ...") and a bare country code
 * ("44 7400 123456", "1 212 555 0100", 10 digits or more). Only a valid number is ever returned; anything
 * else is reported with the reason of the first reading.
 * Costs 20-40 µs per reading: normalise once at ingest, or use `createNormaliser()` for bulk input.
 */
export function normalisePhone(raw: string | null | undefined, options: PhoneOptions = {}): PhoneResult {
  const input = typeof raw === "string" ? raw.trim() : "";
  if (input === "") return { ok: false, reason: "empty", input };
  const regions: CountryCode[] = [];
  const country = options.country?.trim().toUpperCase();
  if (country && isSupportedCountry(country)) regions.push(country);
  for (const configured of [options.defaultRegion, options.fallbackRegion]) {
    const region = configured?.trim().toUpperCase();
    if (region === undefined || region === "") continue;
    if (!isSupportedCountry(region)) return { ok: false, reason: "unknown-region", input };
    if (!regions.includes(region)) regions.push(region);
  }
  if (input.startsWith("+")) return parseWith(input, undefined);
  let first: PhoneResult | undefined;
  for (const region of regions) {
    const r = parseWith(input, region);
    if (r.ok) return r;
    first ??= r;
  }
  first ??= parseWith(input, undefined);
  const withPrefix = IDD_PREFIX.exec(input);
  if (withPrefix !== null) {
    const r = parseWith(`+${input.slice(withPrefix[0].length)}`, undefined);
    if (r.ok) return r;
  } else if (/^\(?[1-9]/.test(input) && countDigits(input) >= MIN_BARE_INTERNATIONAL_DIGITS) {
    const r = parseWith(`+${input}`, undefined);
    if (r.ok) return r;
  }
  return first;
}

function countDigits(value: string): number {
  let n = 0;
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (c >= 48 && c <= 57) n++;
  }
  return n;
}

/**
 * The digits of a raw phone value ("(020) 7946-0958" -> "02079460958"), or "" when it has fewer than 7:
 * two records holding the same digits are evidence even when no numbering plan accepts the number.
 */
export function phoneDigits(raw: string | null | undefined): string {
  if (typeof raw !== "string") return "";
  const digits = raw.replace(/\D+/g, "");
  return digits.length >= 7 ? digits : "";
}
