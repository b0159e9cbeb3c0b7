import { type Selectable, sql } from "kysely";
import type { ContactRecord, ContactsRepo } from "../../types.js";
import { affected, type KyselyContext, num, numOrNull, withLocation } from "../context.js";
import { json } from "../dialect.js";
import type { ContactsTable } from "../schema.js";

function pick<T>(next: T | undefined, prev: T): T {
  return next === undefined ? prev : next;
}

export function createContactsRepo(ctx: KyselyContext): ContactsRepo {
  const d = ctx.dialect;
  const toContact = (row: Selectable<ContactsTable>): ContactRecord => ({
    locationId: row.location_id,
    contactId: row.contact_id,
    ghl: d.readJson(row.ghl),
    profile: d.readJson(row.profile),
    base: d.readJson(row.base),
    phoneE164: row.phone_e164 ?? null,
    emailNorm: row.email_norm ?? null,
    nameKey: row.name_key ?? null,
    dateUpdated: numOrNull(row.date_updated),
    deleted: d.readBool(row.deleted),
    retired: d.readBool(row.retired),
    welcomeSentAt: numOrNull(row.welcome_sent_at),
    lastSeenAt: numOrNull(row.last_seen_at),
    consentCheckedAt: numOrNull(row.consent_checked_at),
    createdAt: num(row.created_at),
    updatedAt: num(row.updated_at),
  });
  const live = () => d.bool(false);
  return {
    get(locationId, contactId) {
      return ctx.run(async (db) => {
        const row = await db
          .selectFrom("contacts")
          .selectAll()
          .where("location_id", "=", locationId)
          .where("contact_id", "=", contactId)
          .executeTakeFirst();
        return row ? toContact(row) : null;
      });
    },
    upsert(input) {
      return ctx.write(`contacts:${input.locationId}:${input.contactId}`, async (db) => {
        const now = ctx.now();
        const existing = await db
          .selectFrom("contacts")
          .selectAll()
          .where("location_id", "=", input.locationId)
          .where("contact_id", "=", input.contactId)
          .executeTakeFirst();
        const prev = existing ? toContact(existing) : null;
        const values = {
          location_id: input.locationId,
          contact_id: input.contactId,
          ghl: json(pick(input.ghl, prev?.ghl ?? null)),
          profile: json(pick(input.profile, prev?.profile ?? null)),
          base: json(pick(input.base, prev?.base ?? null)),
          phone_e164: pick(input.phoneE164, prev?.phoneE164 ?? null),
          email_norm: pick(input.emailNorm, prev?.emailNorm ?? null),
          name_key: pick(input.nameKey, prev?.nameKey ?? null),
          date_updated: pick(input.dateUpdated, prev?.dateUpdated ?? null),
          deleted: d.bool(pick(input.deleted, prev?.deleted ?? false)),
          retired: d.bool(pick(input.retired, prev?.retired ?? false)),
          welcome_sent_at: prev?.welcomeSentAt ?? null,
          last_seen_at: pick(input.lastSeenAt, prev?.lastSeenAt ?? null),
          consent_checked_at: pick(input.consentCheckedAt, prev?.consentCheckedAt ?? null),
          created_at: prev?.createdAt ?? now,
          updated_at: now,
        };
        // a contact's earlier number is kept, so a reply from it still finds the contact (no reply lost)
        if (prev?.phoneE164 && values.phone_e164 !== prev.phoneE164) {
          await db
            .insertInto("contact_previous_phones")
            .values({
              location_id: input.locationId,
              phone_e164: prev.phoneE164,
              contact_id: input.contactId,
              replaced_at: now,
            })
            .onConflict((oc) =>
              oc
                .columns(["location_id", "phone_e164", "contact_id"])
                .doUpdateSet((eb) => ({ replaced_at: eb.ref("excluded.replaced_at") })),
            )
            .execute();
        }
        const row = await withLocation(ctx, input.locationId, () =>
          db
            .insertInto("contacts")
            .values(values)
            .onConflict((oc) =>
              oc.columns(["location_id", "contact_id"]).doUpdateSet((eb) => ({
                ghl: eb.ref("excluded.ghl"),
                profile: eb.ref("excluded.profile"),
                base: eb.ref("excluded.base"),
                phone_e164: eb.ref("excluded.phone_e164"),
                email_norm: eb.ref("excluded.email_norm"),
                name_key: eb.ref("excluded.name_key"),
                date_updated: eb.ref("excluded.date_updated"),
                deleted: eb.ref("excluded.deleted"),
                retired: eb.ref("excluded.retired"),
                last_seen_at: eb.ref("excluded.last_seen_at"),
                consent_checked_at: eb.ref("excluded.consent_checked_at"),
                updated_at: eb.ref("excluded.updated_at"),
              })),
            )
            .returningAll()
            .executeTakeFirstOrThrow(),
        );
        return toContact(row);
      });
    },
    findByPhone(locationId, phoneE164) {
      return ctx.run(async (db) =>
        (
          await db
            .selectFrom("contacts")
            .selectAll()
            .where("location_id", "=", locationId)
            .where("phone_e164", "=", phoneE164)
            .where("deleted", "=", live())
            .orderBy("created_at")
            .orderBy("contact_id")
            .execute()
        ).map(toContact),
      );
    },
    findByPreviousPhone(locationId, phoneE164) {
      return ctx.run(async (db) =>
        (
          await db
            .selectFrom("contact_previous_phones as p")
            .innerJoin("contacts as c", (join) =>
              join.onRef("c.location_id", "=", "p.location_id").onRef("c.contact_id", "=", "p.contact_id"),
            )
            .selectAll("c")
            .where("p.location_id", "=", locationId)
            .where("p.phone_e164", "=", phoneE164)
            .where("c.deleted", "=", live())
            .orderBy("p.replaced_at", "desc")
            .orderBy("c.contact_id")
            .execute()
        ).map(toContact),
      );
    },
    findByEmail(locationId, emailNorm) {
      return ctx.run(async (db) =>
        (
          await db
            .selectFrom("contacts")
            .selectAll()
            .where("location_id", "=", locationId)
            .where("email_norm", "=", emailNorm)
            .where("deleted", "=", live())
            .orderBy("created_at")
            .orderBy("contact_id")
            .execute()
        ).map(toContact),
      );
    },
    list(options) {
      return ctx.run(async (db) => {
        let query = db
          .selectFrom("contacts")
          .selectAll()
          .where("location_id", "=", options.locationId)
          .where("contact_id", ">", options.afterContactId ?? "");
        if (!options.includeDeleted) query = query.where("deleted", "=", live());
        return (
          await query
            .orderBy("contact_id")
            .limit(options.limit ?? 500)
            .execute()
        ).map(toContact);
      });
    },
    listNotSeenSince(locationId, since, limit = 1000) {
      return ctx.run(async (db) =>
        (
          await db
            .selectFrom("contacts")
            .selectAll()
            .where("location_id", "=", locationId)
            .where("deleted", "=", live())
            .where((eb) => eb.or([eb("last_seen_at", "is", null), eb("last_seen_at", "<", since)]))
            .orderBy("contact_id")
            .limit(limit)
            .execute()
        ).map(toContact),
      );
    },
    listChangedSince(locationId, since, limit = 1000) {
      return ctx.run(async (db) =>
        (
          await db
            .selectFrom("contacts")
            .selectAll()
            .where("location_id", "=", locationId)
            .where("deleted", "=", live())
            .where((eb) => eb.or([eb("created_at", ">=", since), eb("date_updated", ">=", since)]))
            .orderBy(sql`COALESCE(date_updated, created_at)`, "desc")
            .orderBy("contact_id")
            .limit(limit)
            .execute()
        ).map(toContact),
      );
    },
    markDeleted(locationId, contactId, deleted = true) {
      return ctx.run(
        async (db) =>
          affected(
            await db
              .updateTable("contacts")
              .set({ deleted: d.bool(deleted), updated_at: ctx.now() })
              .where("location_id", "=", locationId)
              .where("contact_id", "=", contactId)
              .executeTakeFirst(),
          ) > 0,
      );
    },
    markRetired(locationId, contactId, retired = true) {
      return ctx.run(
        async (db) =>
          affected(
            await db
              .updateTable("contacts")
              .set({ retired: d.bool(retired), updated_at: ctx.now() })
              .where("location_id", "=", locationId)
              .where("contact_id", "=", contactId)
              .executeTakeFirst(),
          ) > 0,
      );
    },
    markWelcomeSent(locationId, contactId, at) {
      return ctx.run(
        async (db) =>
          affected(
            await db
              .updateTable("contacts")
              .set({ welcome_sent_at: at ?? ctx.now(), updated_at: ctx.now() })
              .where("location_id", "=", locationId)
              .where("contact_id", "=", contactId)
              .where("welcome_sent_at", "is", null)
              .executeTakeFirst(),
          ) > 0,
      );
    },
    count(locationId, options = {}) {
      return ctx.run(async (db) => {
        let query = db
          .selectFrom("contacts")
          .select((eb) => eb.fn.countAll().as("n"))
          .where("location_id", "=", locationId);
        if (!options.includeDeleted) query = query.where("deleted", "=", live());
        return num((await query.executeTakeFirstOrThrow()).n);
      });
    },
  };
}
