/**
 * Phone-number rules of the simulator. BulkSMS wants international numbers (an optional `+`, then the
 * country code); national formats with a leading 0 are not converted, so they are rejected here (400).
 * Responses and webhooks carry numbers without the `+`.
 *
 * Test number: BulkSMS documents `1111111` as a number whose messages always fail. The simulator
 * treats a number as the test number when its digits are `1111111`, or a 1–3 digit country code followed
 * by `1111111` as its national part (e.g. `+441111111`, `+11111111`). Such messages end FAILED.NOT_SENT
 * and cost nothing.
 */
const INTERNATIONAL = /^\+?[1-9]\d{6,14}$/;

export function isValidInternational(raw: string): boolean {
  return INTERNATIONAL.test(raw);
}

/** Digits only, no `+` (the form BulkSMS echoes). Call only on valid numbers. */
export function toWireNumber(raw: string): string {
  return raw.startsWith("+") ? raw.slice(1) : raw;
}

export function isTestNumber(wire: string): boolean {
  return /^\d{0,3}1111111$/.test(wire);
}
