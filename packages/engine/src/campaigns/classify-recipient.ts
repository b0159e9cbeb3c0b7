// One contact of the segment, judged as the send would judge it: a textable mobile number, the send gate
// (opt-outs, GHL DND, BulkSMS blocks, consent), and a template that renders with the contact's fields.
import { measureSms, type SmsMeasure, sanitizeSmsText } from "@ghl-bulksms/bulksms";
import type { ContactRecord } from "@ghl-bulksms/store";
import { type GhlContactLike, type ParsedTemplate, renderTemplate } from "@ghl-bulksms/sync";
import type { EngineDeps, LocationContext } from "../core/deps.js";
import { asGhlRecord, asProfile } from "../core/mirror.js";
import { isMobile, toE164 } from "../core/phone.js";
import { isValidTimeZone } from "../gate/quiet-hours.js";
import { type BlockReason, checkSendGate } from "../gate/send-gate.js";

/** Why a contact of the segment gets no text. */
export type ExclusionReason =
  | "invalid_number"
  | "landline"
  | "opted_out"
  | "dnd"
  | "blocked"
  | "no_consent"
  | "missing_fields"
  | "deleted"
  | "left_segment"
  | "location_inactive";

export const EXCLUSION_REASONS: readonly ExclusionReason[] = [
  "invalid_number",
  "landline",
  "opted_out",
  "dnd",
  "blocked",
  "no_consent",
  "missing_fields",
  "deleted",
  "left_segment",
  "location_inactive",
];

export function exclusionOfBlock(block: BlockReason): ExclusionReason {
  switch (block) {
    case "opted_out":
      return "opted_out";
    case "ghl_dnd":
      return "dnd";
    case "gateway_blocked":
    case "account_blocked":
      return "blocked";
    case "no_consent":
      return "no_consent";
    case "invalid_number":
      return "invalid_number";
    case "contact_deleted":
    case "contact_retired":
      return "deleted";
    case "location_unknown":
    case "location_inactive":
      return "location_inactive";
    default: {
      const never: never = block;
      throw new Error(`unknown block reason ${String(never)}`);
    }
  }
}

export type Classified =
  | {
      readonly eligible: true;
      readonly contactId: string;
      readonly phone: string;
      readonly timeZone: string;
      readonly text: string;
      readonly measure: SmsMeasure;
      /** The gate would wait until then (quiet hours, a GHL view that could not be refreshed). */
      readonly deferUntil?: number;
      readonly deferReason?: string;
    }
  | {
      readonly eligible: false;
      readonly contactId: string;
      readonly phone: string | null;
      readonly timeZone: string;
      readonly reason: ExclusionReason;
      readonly detail?: string;
    };

/** The contact's own IANA zone (profile, then GHL record), else the location's. */
export function recipientTimeZone(
  ctx: LocationContext,
  contact: ContactRecord | null,
  hit?: GhlContactLike,
): string {
  const profile = asProfile(contact?.profile);
  const record = asGhlRecord(contact?.ghl);
  // a fresh search hit first (webhook payloads carry no timezone, so the mirror may lack it)
  const tz = [hit?.timezone, profile?.timezone, record?.timezone].find((t) => isValidTimeZone(t));
  return tz ?? (isValidTimeZone(ctx.location.timezone) ? ctx.location.timezone : "UTC");
}

/** The data a campaign template may use: the usual contact fields and `customFields.<id>`. */
export function templateData(contact: ContactRecord | null, phone: string | null): Record<string, unknown> {
  const profile = asProfile(contact?.profile);
  const record = asGhlRecord(contact?.ghl);
  const custom: Record<string, unknown> = {};
  for (const f of record?.customFields ?? []) if (f.value !== undefined) custom[f.id] = f.value;
  return {
    firstName: profile?.firstName ?? record?.firstName ?? null,
    lastName: profile?.lastName ?? record?.lastName ?? null,
    name: profile?.name ?? record?.name ?? null,
    email: record?.email ?? null,
    companyName: record?.companyName ?? null,
    phone,
    locale: profile?.locale ?? null,
    timezone: profile?.timezone ?? record?.timezone ?? null,
    customFields: custom,
  };
}

/** The contact's E.164 number: the mirror's, else the record's read with the location's region. */
export function recipientPhone(
  ctx: LocationContext,
  contact: ContactRecord | null,
  hit?: GhlContactLike,
): string | null {
  const profile = asProfile(contact?.profile);
  if (profile?.phone) return profile.phone;
  if (profile?.mappingErrors?.length) return null; // the mapping refused the number
  if (contact?.phoneE164) return contact.phoneE164;
  const record = hit ?? asGhlRecord(contact?.ghl);
  return toE164(record?.phone, ctx.location.region, record?.country);
}

/**
 * Judges one contact at `at` on the store's view (refresh the consent view first). Quiet hours do not
 * exclude: they only move the send time.
 */
export async function classifyRecipient(
  deps: EngineDeps,
  ctx: LocationContext,
  input: {
    contactId: string;
    contact: ContactRecord | null;
    template: ParsedTemplate;
    at: number;
    /** The GHL search hit the contact was just read from, if any. */
    hit?: GhlContactLike;
  },
): Promise<Classified> {
  const { contactId, contact } = input;
  const timeZone = recipientTimeZone(ctx, contact, input.hit);
  const phone = recipientPhone(ctx, contact, input.hit);
  const no = (reason: ExclusionReason, detail?: string): Classified => ({
    eligible: false,
    contactId,
    phone,
    timeZone,
    reason,
    ...(detail !== undefined ? { detail } : {}),
  });
  if (!phone) return no("invalid_number");
  if (!isMobile(phone)) return no("landline");
  const gate = await checkSendGate(deps, {
    locationId: ctx.location.id,
    contactId,
    to: phone,
    purpose: "automated",
    at: input.at,
  });
  if ("block" in gate) {
    // an opt-out that only says "on the BulkSMS blocked list" is a block at BulkSMS
    // and one that comes from GHL's SMS DND is a DND
    const source = gate.block === "opted_out" ? gate.detail : undefined;
    const reason =
      source === "bulksms_blocked" ? "blocked" : source === "ghl_dnd" ? "dnd" : exclusionOfBlock(gate.block);
    return no(reason, gate.detail);
  }
  const rendered = renderTemplate(input.template, templateData(contact, phone));
  if (!rendered.ok) return no("missing_fields", rendered.error.message);
  // what BulkSMS will receive: smart quotes, dashes and odd spaces replaced (they would force UCS-2)
  const text = sanitizeSmsText(rendered.text);
  return {
    eligible: true,
    contactId,
    phone,
    timeZone,
    text,
    measure: measureSms(text),
    ...("defer" in gate ? { deferUntil: gate.defer, deferReason: gate.reason } : {}),
  };
}
