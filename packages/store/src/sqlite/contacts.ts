import type { ContactRecord, ContactsRepo } from "../types.js";
import type { SqlContext } from "./context.js";
import { withLocation } from "./fk.js";
import { bool, fromJson, int, num, numOrNull, type Row, str, strOrNull, toJson } from "./json.js";

function toContact(row: Row): ContactRecord {
  return {
    locationId: str(row.location_id),
    contactId: str(row.contact_id),
    ghl: fromJson(row.ghl),
    profile: fromJson(row.profile),
    base: fromJson(row.base),
    phoneE164: strOrNull(row.phone_e164),
    emailNorm: strOrNull(row.email_norm),
    nameKey: strOrNull(row.name_key),
    dateUpdated: numOrNull(row.date_updated),
    deleted: bool(row.deleted),
    retired: bool(row.retired),
    welcomeSentAt: numOrNull(row.welcome_sent_at),
    lastSeenAt: numOrNull(row.last_seen_at),
    consentCheckedAt: numOrNull(row.consent_checked_at),
    createdAt: num(row.created_at),
    updatedAt: num(row.updated_at),
  };
}

function pick<T>(next: T | undefined, prev: T): T {
  return next === undefined ? prev : next;
}

export function createContactsRepo(ctx: SqlContext): ContactsRepo {
  const getRow = (locationId: string, contactId: string) =>
    ctx
      .prepare("SELECT * FROM contacts WHERE location_id = ? AND contact_id = ?")
      .get(locationId, contactId) as Row | undefined;
  const live = (includeDeleted?: boolean) => (includeDeleted ? "" : " AND deleted = 0");
  return {
    get(locationId, contactId) {
      return ctx.run(() => {
        const row = getRow(locationId, contactId);
        return row ? toContact(row) : null;
      });
    },
    upsert(input) {
      return ctx.write(() => {
        const now = ctx.now();
        const existing = getRow(input.locationId, input.contactId);
        const prev = existing ? toContact(existing) : null;
        const values = {
          location_id: input.locationId,
          contact_id: input.contactId,
          ghl: toJson(pick(input.ghl, prev?.ghl ?? null)),
          profile: toJson(pick(input.profile, prev?.profile ?? null)),
          base: toJson(pick(input.base, prev?.base ?? null)),
          phone_e164: pick(input.phoneE164, prev?.phoneE164 ?? null),
          email_norm: pick(input.emailNorm, prev?.emailNorm ?? null),
          name_key: pick(input.nameKey, prev?.nameKey ?? null),
          date_updated: pick(input.dateUpdated, prev?.dateUpdated ?? null),
          deleted: int(pick(input.deleted, prev?.deleted ?? false)),
          retired: int(pick(input.retired, prev?.retired ?? false)),
          welcome_sent_at: prev?.welcomeSentAt ?? null,
          last_seen_at: pick(input.lastSeenAt, prev?.lastSeenAt ?? null),
          consent_checked_at: pick(input.consentCheckedAt, prev?.consentCheckedAt ?? null),
          created_at: prev?.createdAt ?? now,
          updated_at: now,
        };
        // a contact's earlier number is kept, so a reply from it still finds the contact (no reply lost)
        if (prev?.phoneE164 && values.phone_e164 !== prev.phoneE164)
          ctx
            .prepare(
              `INSERT INTO contact_previous_phones (location_id, phone_e164, contact_id, replaced_at)
               VALUES (?, ?, ?, ?)
               ON CONFLICT (location_id, phone_e164, contact_id) DO UPDATE SET replaced_at = excluded.replaced_at`,
            )
            .run(input.locationId, prev.phoneE164, input.contactId, now);
        withLocation(input.locationId, () =>
          ctx
            .prepare(
              `INSERT INTO contacts (location_id, contact_id, ghl, profile, base, phone_e164, email_norm, name_key,
                 date_updated, deleted, retired, welcome_sent_at, last_seen_at, consent_checked_at, created_at,
                 updated_at)
               VALUES (@location_id, @contact_id, @ghl, @profile, @base, @phone_e164, @email_norm, @name_key,
                 @date_updated, @deleted, @retired, @welcome_sent_at, @last_seen_at, @consent_checked_at,
                 @created_at, @updated_at)
               ON CONFLICT (location_id, contact_id) DO UPDATE SET ghl = excluded.ghl, profile = excluded.profile,
                 base = excluded.base, phone_e164 = excluded.phone_e164, email_norm = excluded.email_norm,
                 name_key = excluded.name_key, date_updated = excluded.date_updated, deleted = excluded.deleted,
                 retired = excluded.retired, last_seen_at = excluded.last_seen_at,
                 consent_checked_at = excluded.consent_checked_at, updated_at = excluded.updated_at`,
            )
            .run(values),
        );
        return toContact(getRow(input.locationId, input.contactId)!);
      });
    },
    findByPhone(locationId, phoneE164) {
      return ctx.run(() =>
        (
          ctx
            .prepare(
              "SELECT * FROM contacts WHERE location_id = ? AND phone_e164 = ? AND deleted = 0 ORDER BY created_at, contact_id",
            )
            .all(locationId, phoneE164) as Row[]
        ).map(toContact),
      );
    },
    findByPreviousPhone(locationId, phoneE164) {
      return ctx.run(() =>
        (
          ctx
            .prepare(
              `SELECT c.* FROM contact_previous_phones p
               JOIN contacts c ON c.location_id = p.location_id AND c.contact_id = p.contact_id
               WHERE p.location_id = ? AND p.phone_e164 = ? AND c.deleted = 0
               ORDER BY p.replaced_at DESC, c.contact_id`,
            )
            .all(locationId, phoneE164) as Row[]
        ).map(toContact),
      );
    },
    findByEmail(locationId, emailNorm) {
      return ctx.run(() =>
        (
          ctx
            .prepare(
              "SELECT * FROM contacts WHERE location_id = ? AND email_norm = ? AND deleted = 0 ORDER BY created_at, contact_id",
            )
            .all(locationId, emailNorm) as Row[]
        ).map(toContact),
      );
    },
    list(options) {
      return ctx.run(() =>
        (
          ctx
            .prepare(
              `SELECT * FROM contacts WHERE location_id = ? AND contact_id > ?${live(options.includeDeleted)}
               ORDER BY contact_id LIMIT ?`,
            )
            .all(options.locationId, options.afterContactId ?? "", options.limit ?? 500) as Row[]
        ).map(toContact),
      );
    },
    listNotSeenSince(locationId, since, limit = 1000) {
      return ctx.run(() =>
        (
          ctx
            .prepare(
              `SELECT * FROM contacts WHERE location_id = ? AND deleted = 0 AND (last_seen_at IS NULL OR last_seen_at < ?)
               ORDER BY contact_id LIMIT ?`,
            )
            .all(locationId, since, limit) as Row[]
        ).map(toContact),
      );
    },
    listChangedSince(locationId, since, limit = 1000) {
      return ctx.run(() =>
        (
          ctx
            .prepare(
              `SELECT * FROM contacts WHERE location_id = ? AND deleted = 0 AND (created_at >= ? OR date_updated >= ?)
               ORDER BY COALESCE(date_updated, created_at) DESC, contact_id LIMIT ?`,
            )
            .all(locationId, since, since, limit) as Row[]
        ).map(toContact),
      );
    },
    markDeleted(locationId, contactId, deleted = true) {
      return ctx.run(
        () =>
          ctx
            .prepare(
              "UPDATE contacts SET deleted = ?, updated_at = ? WHERE location_id = ? AND contact_id = ?",
            )
            .run(int(deleted), ctx.now(), locationId, contactId).changes > 0,
      );
    },
    markRetired(locationId, contactId, retired = true) {
      return ctx.run(
        () =>
          ctx
            .prepare(
              "UPDATE contacts SET retired = ?, updated_at = ? WHERE location_id = ? AND contact_id = ?",
            )
            .run(int(retired), ctx.now(), locationId, contactId).changes > 0,
      );
    },
    markWelcomeSent(locationId, contactId, at) {
      return ctx.run(
        () =>
          ctx
            .prepare(
              `UPDATE contacts SET welcome_sent_at = ?, updated_at = ?
               WHERE location_id = ? AND contact_id = ? AND welcome_sent_at IS NULL`,
            )
            .run(at ?? ctx.now(), ctx.now(), locationId, contactId).changes > 0,
      );
    },
    count(locationId, options = {}) {
      return ctx.run(() =>
        num(
          (
            ctx
              .prepare(
                `SELECT COUNT(*) AS n FROM contacts WHERE location_id = ?${live(options.includeDeleted)}`,
              )
              .get(locationId) as Row
          ).n,
        ),
      );
    },
  };
}
