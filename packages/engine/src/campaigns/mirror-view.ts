// A campaign's search pages are fresh reads of GHL: they refresh the mirror's consent view (DND, DND
// settings, tags; dated back by the search index's lag) of every contact they return, so the send gate
// decides on them without one GHL request per contact. A contact the mirror does not hold yet is added
// as reconciliation would add it (GHL record, mapped profile, identity keys).
import type { ContactRecord, StoreTx } from "@ghl-bulksms/store";
import { type GhlContactLike, ghlSmsDnd } from "@ghl-bulksms/sync";
import { mappingFor } from "../core/config.js";
import type { LocationContext } from "../core/deps.js";
import { asGhlRecord, asProfile, buildProfile, identityKeys } from "../core/mirror.js";
import { consentViewTimeOfSearchHit } from "../gate/consent-view.js";

function dateMs(value: string | undefined): number | null {
  if (!value) return null;
  const t = Date.parse(value);
  return Number.isNaN(t) ? null : t;
}

/** Writes one search hit's consent view into the mirror; returns the contact as now stored. */
export async function refreshMirrorFromHit(
  tx: StoreTx,
  ctx: LocationContext,
  hit: GhlContactLike,
  readAt: number,
): Promise<ContactRecord> {
  const locationId = ctx.location.id;
  const viewAt = consentViewTimeOfSearchHit(hit, readAt);
  const existing = await tx.contacts.get(locationId, hit.id);
  if (existing) {
    const previous = asGhlRecord(existing.ghl);
    const record: GhlContactLike = {
      ...(previous ?? hit),
      id: hit.id,
      ...(hit.dnd !== undefined ? { dnd: hit.dnd } : {}),
      ...(hit.dndSettings !== undefined ? { dndSettings: hit.dndSettings } : {}),
      ...(hit.tags !== undefined ? { tags: hit.tags } : {}),
    };
    const profile = asProfile(existing.profile);
    const newer = viewAt !== undefined && (existing.consentCheckedAt ?? 0) < viewAt;
    if (!newer) return existing;
    return tx.contacts.upsert({
      locationId,
      contactId: hit.id,
      ghl: record,
      ...(profile
        ? { profile: { ...profile, dnd: ghlSmsDnd(record) || profile.consentField === "opted-out" } }
        : {}),
      consentCheckedAt: viewAt,
      lastSeenAt: readAt,
    });
  }
  const profile = buildProfile(hit, mappingFor(ctx.policy, ctx.location.region));
  return tx.contacts.upsert({
    locationId,
    contactId: hit.id,
    ghl: hit,
    profile,
    phoneE164: profile.phone,
    ...identityKeys(hit),
    dateUpdated: dateMs(hit.dateUpdated),
    lastSeenAt: readAt,
    ...(viewAt !== undefined ? { consentCheckedAt: viewAt } : {}),
  });
}
