// The two sides of the three-way merge, as @ghl-bulksms/sync SyncContacts over the fields the SMS side
// holds. GHL side: the search hit. Local side: the mirror's SMS profile plus the local opt-out state.
// Base: the last agreed state (`contacts.base`, the previous plan's `merged`).
import type { ContactRecord, OptOut } from "@ghl-bulksms/store";
import {
  type ConsentLog,
  type FieldValue,
  type GhlContactLike,
  ghlToSyncContact,
  type SyncContact,
} from "@ghl-bulksms/sync";
import { asProfile, type StoredProfile } from "../core/mirror.js";

/**
 * Fields both sides hold (the SMS profile has no email or address). `name` is left out: GHL derives it
 * from first and last name, so syncing it would echo every name change back as a second change.
 */
export const SMS_SYNC_FIELDS = ["firstName", "lastName", "phone", "timezone"] as const;
export type SmsSyncField = (typeof SMS_SYNC_FIELDS)[number];

/** Profile as reconcile keeps it: the engine's StoredProfile plus when someone edited it locally. */
export type LocalProfile = StoredProfile & { localEditedAt?: number | null };

function pick(fields: Readonly<Record<string, FieldValue>>): Record<string, FieldValue> {
  const out: Record<string, FieldValue> = {};
  for (const f of SMS_SYNC_FIELDS) out[f] = fields[f] ?? null;
  return out;
}

export function ghlSide(hit: GhlContactLike, region: string, nowIso: string): SyncContact {
  const full = ghlToSyncContact(hit, { defaultRegion: region, now: nowIso });
  const out: SyncContact = { id: hit.id, fields: pick(full.fields), tags: full.tags, consent: full.consent };
  if (full.updatedAt !== undefined) out.updatedAt = full.updatedAt;
  if (full.createdAt !== undefined) out.createdAt = full.createdAt;
  return out;
}

/** The local consent log implied by the store's opt-out row. */
export function localConsent(optOut: OptOut | null | undefined): ConsentLog {
  if (!optOut) return {};
  // the deciding event's own time (a STOP's message time, a DND change's GHL time), not when we recorded it
  const at = new Date(optOut.eventAt).toISOString();
  if (optOut.state === "opted_in") {
    return { optIn: { at, source: optOut.source === "operator" ? "operator" : "sms-start" } };
  }
  switch (optOut.source) {
    case "bulksms_blocked":
      return { blocked: { at, source: "sms-blocked" } };
    case "sms_stop":
      return { optOut: { at, source: "sms-stop" } };
    case "ghl_dnd":
      return { optOut: { at, source: "ghl-dnd" } };
    case "operator":
      return { optOut: { at, source: "operator" } };
    case "import":
      return { optOut: { at, source: "import" } };
    default: {
      const never: never = optOut.source;
      throw new Error(`unknown opt-out source ${String(never)}`);
    }
  }
}

export function localSide(
  record: ContactRecord,
  optOut: OptOut | null | undefined,
  consentOverride?: ConsentLog,
  /** GHL's phone, used when the profile has none (not a valid number: the SMS side cannot hold it, nothing to sync). */
  untextablePhone?: FieldValue,
): SyncContact | null {
  const p = asProfile(record.profile) as LocalProfile | null;
  if (!p) return null;
  const fields: Record<string, FieldValue> = {
    firstName: p.firstName,
    lastName: p.lastName,
    phone: p.phone ?? untextablePhone ?? null,
    timezone: p.timezone,
  };
  const out: SyncContact = {
    id: record.contactId,
    fields,
    tags: p.segmentTags ?? [],
    consent: consentOverride ?? localConsent(optOut),
  };
  if (typeof p.localEditedAt === "number") out.updatedAt = new Date(p.localEditedAt).toISOString();
  return out;
}

export function asBase(value: unknown): SyncContact | null {
  if (!value || typeof value !== "object") return null;
  const v = value as Partial<SyncContact>;
  if (!v.fields || typeof v.fields !== "object" || !Array.isArray(v.tags)) return null;
  return { fields: v.fields, tags: v.tags, consent: v.consent ?? {}, ...(v.id ? { id: v.id } : {}) };
}

/** The base to store: the plan's merged state (fields of the SMS side, tags, consent). */
export function mergedBase(merged: SyncContact): SyncContact {
  return {
    ...(merged.id ? { id: merged.id } : {}),
    fields: pick(merged.fields),
    tags: [...merged.tags],
    consent: merged.consent,
  };
}

export function profileOf(record: ContactRecord | null): LocalProfile | null {
  return record ? (asProfile(record.profile) as LocalProfile | null) : null;
}
