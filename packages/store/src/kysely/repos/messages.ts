import { createHash, randomBytes, randomInt } from "node:crypto";
import type { Selectable } from "kysely";
import { compareStatus, MESSAGE_STATUSES } from "../../status-rank.js";
import type { MessageRecord, MessageStatus, MessagesRepo, UpdateStatusResult } from "../../types.js";
import { affected, type Db, type KyselyContext, num, numOrNull, withLocation } from "../context.js";
import { json } from "../dialect.js";
import type { MessagesTable } from "../schema.js";

const INT32_MAX = 2_147_483_647;

export function bodyHash(body: string): string {
  return createHash("sha256").update(body, "utf8").digest("hex").slice(0, 32);
}

function assertStatus(status: string): asserts status is MessageStatus {
  if (!(MESSAGE_STATUSES as string[]).includes(status)) {
    throw new TypeError(
      `unknown message status ${JSON.stringify(status)}; expected one of ${MESSAGE_STATUSES.join(", ")}`,
    );
  }
}

export function createMessagesRepo(ctx: KyselyContext): MessagesRepo {
  const toMessage = (row: Selectable<MessagesTable>): MessageRecord => ({
    id: row.id,
    key: row.key,
    locationId: row.location_id,
    contactId: row.contact_id ?? null,
    to: row.to_e164,
    body: row.body,
    bodyHash: row.body_hash,
    template: row.template ?? null,
    dedupId: num(row.dedup_id),
    providerIds: (ctx.dialect.readJson(row.provider_ids) as string[] | null) ?? [],
    status: row.status as MessageStatus,
    subtype: row.subtype ?? null,
    statusAt: num(row.status_at),
    sendAfter: num(row.send_after),
    attempts: num(row.attempts),
    error: row.error ?? null,
    cost: numOrNull(row.cost),
    retryOf: row.retry_of ?? null,
    meta: ctx.dialect.readJson(row.meta),
    createdAt: num(row.created_at),
    updatedAt: num(row.updated_at),
  });
  const getRow = (db: Db, id: string) =>
    db.selectFrom("messages").selectAll().where("id", "=", id).executeTakeFirst();
  const getByKeyRow = (db: Db, key: string) =>
    db.selectFrom("messages").selectAll().where("key", "=", key).executeTakeFirst();
  /** Every status writer of a message takes this key, so the monotonic check and the write are one step. */
  const statusLock = (id: string) => `messages:${id}`;

  async function applyStatus(
    db: Db,
    id: string,
    status: MessageStatus,
    fields: { subtype?: string | null; at?: number; cost?: number | null; error?: string | null },
  ): Promise<UpdateStatusResult> {
    assertStatus(status);
    const row = await getRow(db, id);
    if (!row) return { updated: false, reason: "not_found" };
    const current = toMessage(row);
    const verdict = compareStatus(current, { status, subtype: fields.subtype ?? null });
    if (verdict !== "apply") return { updated: false, reason: verdict, message: current };
    const now = ctx.now();
    const updated = await db
      .updateTable("messages")
      .set({
        status,
        subtype: fields.subtype ?? null,
        status_at: fields.at ?? now,
        cost: fields.cost ?? current.cost,
        error: fields.error === undefined ? current.error : fields.error,
        updated_at: now,
      })
      .where("id", "=", id)
      .returningAll()
      .executeTakeFirstOrThrow();
    return { updated: true, previous: current.status, message: toMessage(updated) };
  }

  return {
    create(input) {
      return ctx.write(`messages:key:${input.key}`, async (db) => {
        const existing = await getByKeyRow(db, input.key);
        if (existing) return { created: false, existing: toMessage(existing) };
        if (typeof input.to !== "string" || !/^\+[1-9]\d{6,14}$/.test(input.to)) {
          throw new TypeError(`message ${input.key}: "to" must be an E.164 number (+ and 7-15 digits)`);
        }
        const now = ctx.now();
        // 18 characters, so it fits BulkSMS's 20-character userSuppliedId unchanged.
        const id = `m_${randomBytes(12).toString("base64url")}`;
        if (
          input.dedupId !== undefined &&
          !(Number.isInteger(input.dedupId) && input.dedupId >= 1 && input.dedupId <= INT32_MAX)
        ) {
          throw new TypeError(`message ${input.key}: dedupId must be an integer in 1..${INT32_MAX}`);
        }
        // A random int32 deduplication id, unique in the table (see the SQLite store).
        for (let attempt = 0; attempt < 20; attempt++) {
          const row = await withLocation(ctx, input.locationId, () =>
            db
              .insertInto("messages")
              .values({
                id,
                key: input.key,
                location_id: input.locationId,
                contact_id: input.contactId ?? null,
                to_e164: input.to,
                body: input.body,
                body_hash: bodyHash(input.body),
                template: input.template ?? null,
                dedup_id: input.dedupId ?? randomInt(1, INT32_MAX),
                status: "QUEUED",
                status_at: now,
                send_after: input.sendAfter ?? now,
                retry_of: input.retryOf ?? null,
                meta: json(input.meta),
                created_at: now,
                updated_at: now,
              })
              .onConflict((oc) => oc.column("dedup_id").doNothing())
              .returningAll()
              .executeTakeFirst(),
          );
          if (row) return { created: true, message: toMessage(row) };
          if (input.dedupId !== undefined) {
            throw new TypeError(
              `message ${input.key}: dedupId ${input.dedupId} is already used by another message`,
            );
          }
        }
        throw new Error("could not allocate a unique deduplication id after 20 attempts");
      });
    },
    get(id) {
      return ctx.run(async (db) => {
        const row = await getRow(db, id);
        return row ? toMessage(row) : null;
      });
    },
    getByKey(key) {
      return ctx.run(async (db) => {
        const row = await getByKeyRow(db, key);
        return row ? toMessage(row) : null;
      });
    },
    findByProviderId(providerId) {
      return ctx.run(async (db) => {
        const row = await db
          .selectFrom("message_provider_ids as p")
          .innerJoin("messages as m", "m.id", "p.message_id")
          .selectAll("m")
          .where("p.provider_id", "=", providerId)
          .executeTakeFirst();
        return row ? toMessage(row) : null;
      });
    },
    markSubmitted(id, result) {
      return ctx.write(statusLock(id), async (db) => {
        const row = await getRow(db, id);
        if (!row) return { updated: false, reason: "not_found" } as const;
        const previous = (ctx.dialect.readJson(row.provider_ids) as string[] | null) ?? [];
        const merged = [...new Set([...previous, ...result.providerIds])];
        await db
          .updateTable("messages")
          .set({ provider_ids: JSON.stringify(merged), updated_at: ctx.now() })
          .where("id", "=", id)
          .execute();
        if (result.providerIds.length > 0) {
          await db
            .insertInto("message_provider_ids")
            .values(result.providerIds.map((providerId) => ({ provider_id: providerId, message_id: id })))
            .onConflict((oc) => oc.column("provider_id").doNothing())
            .execute();
        }
        const outcome = await applyStatus(db, id, result.status ?? "ACCEPTED", {
          subtype: result.subtype ?? null,
          cost: result.cost ?? null,
        });
        if (outcome.updated || outcome.reason === "not_found") return outcome;
        return { ...outcome, message: toMessage((await getRow(db, id))!) };
      });
    },
    updateStatus(id, update) {
      return ctx.write(statusLock(id), (db) => applyStatus(db, id, update.status, update));
    },
    recordAttempt(id, options = {}) {
      return ctx.write(statusLock(id), async (db) => {
        const row = await db
          .updateTable("messages")
          .set((eb) => ({
            attempts: eb("attempts", "+", 1),
            error: options.error ?? null,
            updated_at: ctx.now(),
          }))
          .where("id", "=", id)
          .returningAll()
          .executeTakeFirst();
        return row ? toMessage(row) : null;
      });
    },
    defer(id, sendAfter) {
      return ctx.run(
        async (db) =>
          affected(
            await db
              .updateTable("messages")
              .set({ send_after: sendAfter, updated_at: ctx.now() })
              .where("id", "=", id)
              .where("status", "=", "QUEUED")
              .executeTakeFirst(),
          ) > 0,
      );
    },
    listDue(options) {
      return ctx.run(async (db) => {
        const now = options.now ?? ctx.now();
        let query = db
          .selectFrom("messages")
          .selectAll()
          .where("status", "=", "QUEUED")
          .where("send_after", "<=", now);
        if (options.locationId) query = query.where("location_id", "=", options.locationId);
        return (
          await query
            .orderBy("send_after")
            .orderBy("created_at")
            .orderBy(ctx.dialect.insertionOrder)
            .limit(options.limit ?? 100)
            .execute()
        ).map(toMessage);
      });
    },
    lastContactTextedAt(locationId, phoneE164) {
      return ctx.run(async (db) => {
        const row = await db
          .selectFrom("messages")
          .selectAll()
          .where("location_id", "=", locationId)
          .where("to_e164", "=", phoneE164)
          .where("contact_id", "is not", null)
          .orderBy("created_at", "desc")
          .orderBy("id", "desc")
          .limit(1)
          .executeTakeFirst();
        return row ? toMessage(row) : null;
      });
    },
    listForContact(locationId, contactId, options = {}) {
      return ctx.run(async (db) =>
        (
          await db
            .selectFrom("messages")
            .selectAll()
            .where("location_id", "=", locationId)
            .where("contact_id", "=", contactId)
            .orderBy("created_at", "desc")
            .orderBy("id")
            .limit(options.limit ?? 100)
            .execute()
        ).map(toMessage),
      );
    },
    list(options = {}) {
      return ctx.run(async (db) => {
        let query = db.selectFrom("messages").selectAll();
        if (options.locationId !== undefined) query = query.where("location_id", "=", options.locationId);
        if (options.status !== undefined) {
          const statuses: readonly string[] =
            typeof options.status === "string" ? [options.status] : options.status;
          for (const s of statuses) assertStatus(s);
          if (statuses.length === 0) return [];
          query = query.where("status", "in", statuses);
        }
        if (options.since !== undefined) query = query.where("created_at", ">=", options.since);
        const limit = options.limit ?? 100;
        if (!Number.isInteger(limit) || limit < 0)
          throw new TypeError(`messages.list: limit must be a non-negative integer, got ${limit}`);
        return (
          await query
            .orderBy("created_at", "desc")
            .orderBy(ctx.dialect.insertionOrder, "desc")
            .limit(Math.min(limit, 10_000))
            .execute()
        ).map(toMessage);
      });
    },
    cancelPendingForLocation(locationId, reason) {
      return ctx.run(async (db) => {
        const now = ctx.now();
        return affected(
          await db
            .updateTable("messages")
            .set({ status: "CANCELLED", status_at: now, error: reason, updated_at: now })
            .where("location_id", "=", locationId)
            .where("status", "=", "QUEUED")
            .executeTakeFirst(),
        );
      });
    },
    cancelPending(locationId, contactId, reason, options = {}) {
      return ctx.run(async (db) => {
        const now = ctx.now();
        const prefixes = (options.exceptKeyPrefixes ?? []).filter((p) => p.length > 0);
        let query = db
          .updateTable("messages")
          .set({ status: "CANCELLED", status_at: now, error: reason, updated_at: now })
          .where("location_id", "=", locationId)
          .where("contact_id", "=", contactId)
          .where("status", "=", "QUEUED");
        for (const prefix of prefixes) {
          query = query.where((eb) =>
            eb(eb.fn("substr", ["key", eb.lit(1), eb.val(prefix.length)]), "<>", prefix),
          );
        }
        return affected(await query.executeTakeFirst());
      });
    },
    countByStatus(locationId) {
      return ctx.run(async (db) => {
        const counts = Object.fromEntries(MESSAGE_STATUSES.map((s) => [s, 0])) as Record<
          MessageStatus,
          number
        >;
        let query = db
          .selectFrom("messages")
          .select((eb) => ["status", eb.fn.countAll().as("n")])
          .groupBy("status");
        if (locationId) query = query.where("location_id", "=", locationId);
        for (const row of await query.execute()) counts[row.status as MessageStatus] = num(row.n);
        return counts;
      });
    },
  };
}
