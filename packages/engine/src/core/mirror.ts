// Reading and building the contact mirror's GHL record and SMS profile.
import {
  applyMapping,
  type GhlContactLike,
  ghlSmsDnd,
  type MappingConfig,
  type MappingError,
  nameKeyOf,
  normaliseEmail,
  type SmsProfile,
} from "@ghl-bulksms/sync";

/** The profile as stored: the mapped SMS profile plus the mapping problems, if any. */
export type StoredProfile = SmsProfile & { mappingErrors?: MappingError[] };

export function asGhlRecord(value: unknown): GhlContactLike | null {
  return value && typeof value === "object" && typeof (value as { id?: unknown }).id === "string"
    ? (value as GhlContactLike)
    : null;
}

export function asProfile(value: unknown): StoredProfile | null {
  return value && typeof value === "object" && "ghlId" in value ? (value as StoredProfile) : null;
}

/**
 * Maps a GHL record to its profile. A mapping problem (e.g. an invalid phone) never loses the contact:
 * the profile is kept without a phone and with the errors, so it is mirrored but never texted.
 */
export function buildProfile(record: GhlContactLike, mapping: MappingConfig): StoredProfile {
  const r = applyMapping(record, mapping);
  if (r.ok) return r.profile;
  const withoutPhone = applyMapping(
    { ...record, phone: null },
    { ...mapping, profile: { ...mapping.profile } },
  );
  const base: SmsProfile = withoutPhone.ok
    ? withoutPhone.profile
    : {
        ghlId: record.id,
        phone: null,
        firstName: record.firstName ?? null,
        lastName: record.lastName ?? null,
        name: record.name ?? null,
        locale: null,
        timezone: record.timezone ?? null,
        dnd: ghlSmsDnd(record),
        consentField: "unknown",
        segmentTags: [...(record.tags ?? [])].sort(),
        extra: {},
      };
  return { ...base, phone: null, mappingErrors: r.errors };
}

export function identityKeys(record: GhlContactLike): { emailNorm: string | null; nameKey: string | null } {
  const e = normaliseEmail(record.email ?? null);
  return { emailNorm: e.ok ? e.email : null, nameKey: nameKeyOf(record) || null };
}
