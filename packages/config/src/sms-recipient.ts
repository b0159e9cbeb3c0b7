// Whether a configured team number (e.g. a digest recipient) can receive texts, decided when the policy
// file is read rather than when the first text bounces.
import { parsePhoneNumberFromString } from "libphonenumber-js/max";

/** Number types that can receive an SMS; a valid number whose type the plan cannot tell is accepted. */
const TEXTABLE = new Set(["MOBILE", "FIXED_LINE_OR_MOBILE"]);

const TYPE_NAMES: Record<string, string> = {
  FIXED_LINE: "a landline",
  TOLL_FREE: "a toll-free number",
  PREMIUM_RATE: "a premium-rate number",
  SHARED_COST: "a shared-cost number",
  VOIP: "a VoIP number",
  PERSONAL_NUMBER: "a personal (forwarding) number",
  PAGER: "a pager",
  UAN: "a company switchboard number",
  VOICEMAIL: "a voicemail access number",
};

/** undefined when `value` is an E.164 number that can receive texts; otherwise why not. */
export function smsRecipientProblem(value: unknown): string | undefined {
  if (typeof value !== "string" || !/^\+\d{7,15}$/.test(value))
    return `${JSON.stringify(value)} is not an E.164 number (e.g. "+447911123456")`;
  const parsed = parsePhoneNumberFromString(value);
  if (parsed === undefined || !parsed.isValid())
    return `${value} is not a valid phone number in its country's numbering plan`;
  const type = parsed.getType();
  if (type !== undefined && !TEXTABLE.has(type))
    return `${value} is ${TYPE_NAMES[type] ?? type.toLowerCase()} and cannot receive texts; use a mobile number`;
  return undefined;
}

/**
 * Problems with the digest recipients of a lifecycle section (`defaults.digest.recipients` and
 * `locations.<id>.digest.recipients`), each with the path of the bad entry.
 */
export function digestRecipientProblems(lifecycle: Record<string, unknown> | undefined): string[] {
  if (lifecycle === undefined) return [];
  const sections: [string, unknown][] = [["lifecycle.defaults", lifecycle.defaults]];
  const locations = lifecycle.locations;
  if (locations && typeof locations === "object" && !Array.isArray(locations))
    for (const [id, section] of Object.entries(locations))
      sections.push([`lifecycle.locations.${id}`, section]);
  const problems: string[] = [];
  for (const [path, section] of sections) {
    if (!section || typeof section !== "object") continue;
    const digest = (section as Record<string, unknown>).digest;
    if (!digest || typeof digest !== "object") continue;
    const recipients = (digest as Record<string, unknown>).recipients;
    if (!Array.isArray(recipients)) continue;
    recipients.forEach((r, i) => {
      const problem = smsRecipientProblem(r);
      if (problem !== undefined) problems.push(`${path}.digest.recipients[${i}]: ${problem}`);
    });
  }
  return problems;
}
