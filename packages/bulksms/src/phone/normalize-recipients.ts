import { type BulkSmsError, inputError } from "../errors/bulksms-error.js";
import { fail, ok, type Result } from "../result.js";
import { type CountryCode, toE164 } from "./normalize-phone.js";

/**
 * Normalises every recipient to E.164. Invalid entries are reported by POSITION (0-based), never by value,
 * so the error can be logged without leaking phone numbers. Duplicates (after normalisation) are removed,
 * keeping the first occurrence, so one person never gets the same message twice in one send.
 */
export function normalizeRecipients(
  inputs: readonly string[],
  defaultRegion?: CountryCode,
): Result<string[]> {
  const seen = new Set<string>();
  const out: string[] = [];
  const invalid: number[] = [];
  inputs.forEach((input, index) => {
    const e164 = typeof input === "string" ? toE164(input, defaultRegion) : undefined;
    if (e164 === undefined) {
      invalid.push(index);
      return;
    }
    if (!seen.has(e164)) {
      seen.add(e164);
      out.push(e164);
    }
  });
  if (invalid.length > 0) return fail(invalidNumbersError(invalid, inputs.length, defaultRegion));
  if (out.length === 0) return fail(inputError("invalid_input", "No recipients given"));
  return ok(out);
}

function invalidNumbersError(
  positions: number[],
  total: number,
  region: CountryCode | undefined,
): BulkSmsError {
  const shown = positions.slice(0, 20).join(", ");
  const more = positions.length > 20 ? ` and ${positions.length - 20} more` : "";
  const regionNote =
    region === undefined
      ? "no default region set, so numbers need a +country code"
      : `default region ${region}`;
  return inputError(
    "invalid_number",
    `${positions.length} of ${total} recipients ${positions.length === 1 ? "is not a valid phone number" : "are not valid phone numbers"}`,
    `Invalid recipient position(s) (0-based): ${shown}${more}; ${regionNote}`,
  );
}
