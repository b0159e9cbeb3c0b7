import type { Selectable } from "kysely";
import type { InboxEvent, InboxRepo, InboxStatus } from "../../types.js";
import { affected, type KyselyContext, num, numOrNull } from "../context.js";
import type { InboxTable } from "../schema.js";

function toEvent(row: Selectable<InboxTable>): InboxEvent {
  return {
    id: num(row.id),
    source: row.source,
    eventId: row.event_id,
    eventType: row.event_type ?? null,
    locationId: row.location_id ?? null,
    payload: row.payload,
    status: row.status as InboxStatus,
    error: row.error ?? null,
    receivedAt: num(row.received_at),
    processedAt: numOrNull(row.processed_at),
  };
}

/** Received webhook events, unique per (source, eventId); see the SQLite store for the retention rule. */
export function createInboxRepo(ctx: KyselyContext): InboxRepo {
  return {
    insert(event) {
      return ctx.run(async (db) => {
        const row = await db
          .insertInto("inbox")
          .values({
            source: event.source,
            event_id: event.eventId,
            event_type: event.eventType ?? null,
            location_id: event.locationId ?? null,
            payload: event.payload,
            received_at: event.receivedAt ?? ctx.now(),
          })
          .onConflict((oc) => oc.columns(["source", "event_id"]).doNothing())
          .returning("id")
          .executeTakeFirst();
        if (row) return { inserted: true, id: num(row.id) };
        const existing = await db
          .selectFrom("inbox")
          .select("id")
          .where("source", "=", event.source)
          .where("event_id", "=", event.eventId)
          .executeTakeFirstOrThrow();
        return { inserted: false, duplicateOf: num(existing.id) };
      });
    },
    get(id) {
      return ctx.run(async (db) => {
        const row = await db.selectFrom("inbox").selectAll().where("id", "=", id).executeTakeFirst();
        return row ? toEvent(row) : null;
      });
    },
    markProcessed(id) {
      return ctx.run(
        async (db) =>
          affected(
            await db
              .updateTable("inbox")
              .set({ status: "processed", processed_at: ctx.now(), error: null })
              .where("id", "=", id)
              .executeTakeFirst(),
          ) > 0,
      );
    },
    markFailed(id, error) {
      return ctx.run(
        async (db) =>
          affected(
            await db
              .updateTable("inbox")
              .set({ status: "failed", processed_at: ctx.now(), error })
              .where("id", "=", id)
              .executeTakeFirst(),
          ) > 0,
      );
    },
    listPending(options = {}) {
      return ctx.run(async (db) => {
        let query = db.selectFrom("inbox").selectAll().where("status", "=", "pending");
        if (options.source) query = query.where("source", "=", options.source);
        return (
          await query
            .orderBy("id")
            .limit(options.limit ?? 100)
            .execute()
        ).map(toEvent);
      });
    },
    lag(now) {
      return ctx.run(async (db) => {
        const row = await db
          .selectFrom("inbox")
          .select((eb) => [eb.fn.countAll().as("n"), eb.fn.min("received_at").as("oldest")])
          .where("status", "=", "pending")
          .executeTakeFirstOrThrow();
        const oldest = numOrNull(row.oldest);
        return {
          pending: num(row.n),
          oldestReceivedAt: oldest,
          lagMs: oldest === null ? 0 : Math.max(0, (now ?? ctx.now()) - oldest),
        };
      });
    },
    purgeProcessed(before) {
      return ctx.run(async (db) =>
        affected(
          await db
            .deleteFrom("inbox")
            .where("status", "=", "processed")
            .where("received_at", "<", before)
            .executeTakeFirst(),
        ),
      );
    },
  };
}
