import type { FieldValue, SyncContact } from "../contact.js";
import { normaliseTags } from "../contact.js";
import { normaliseEmail } from "../normalise/email.js";
import { cleanText } from "../normalise/name.js";
import { normalisePhone } from "../normalise/phone.js";
import { type GhlContactLike, ghlConsentLog } from "./ghl-contact.js";

/** Standard GHL fields carried into a SyncContact under the same names. */
export const SYNCED_GHL_FIELDS = [
  "firstName",
  "lastName",
  "name",
  "email",
  "phone",
  "timezone",
  "country",
  "companyName",
] as const;

export interface GhlToSyncContactOptions {
  /** Region for national phone formats (after the contact's own `country`). */
  defaultRegion?: string | undefined;
  /** Used as the opt-out time when GHL shows DND but neither `dndSince` nor `dateUpdated` is known. */
  now: string;
  /** When the engine first saw DND on for this contact (see `ghlConsentLog`). */
  dndSince?: string | undefined;
}

/**
 * Express a GHL contact as the GHL side of a sync: shared field names, phone in E.164 (an invalid phone is
 * kept as cleaned text so nothing is silently dropped), email normalised, custom fields as `cf.<id>`,
 * tags normalised, DND as an opt-out event.
 */
export function ghlToSyncContact(contact: GhlContactLike, options: GhlToSyncContactOptions): SyncContact {
  const fields: Record<string, FieldValue> = {};
  for (const f of SYNCED_GHL_FIELDS) {
    const raw = contact[f];
    if (raw === undefined) continue;
    if (raw === null || raw === "") {
      fields[f] = null;
      continue;
    }
    if (f === "phone") {
      // The contact's own country first: a UK number written nationally in a US location is still valid.
      const p = normalisePhone(raw, { country: contact.country, defaultRegion: options.defaultRegion });
      fields[f] = p.ok ? p.e164 : cleanText(raw);
    } else if (f === "email") {
      const e = normaliseEmail(raw);
      fields[f] = e.ok ? e.email : cleanText(raw);
    } else fields[f] = cleanText(raw);
  }
  for (const cf of contact.customFields ?? []) {
    const v = cf.value;
    fields[`cf.${cf.id}`] =
      v === null || v === undefined
        ? null
        : Array.isArray(v)
          ? v.map(String)
          : typeof v === "object"
            ? JSON.stringify(v)
            : typeof v === "string"
              ? v
              : (v as number | boolean);
  }
  const out: SyncContact = {
    id: contact.id,
    fields,
    tags: normaliseTags(contact.tags ?? []),
    consent: ghlConsentLog(contact, options.now, options.dndSince),
  };
  if (contact.dateUpdated !== undefined) out.updatedAt = contact.dateUpdated;
  if (contact.dateAdded !== undefined) out.createdAt = contact.dateAdded;
  return out;
}
