import { type Selectable, sql } from "kysely";
import { GRAPHILE_MAX_ATTEMPTS } from "../../postgres/graphile-queue.js";
import type { InboxEvent, InboxInsertResult, InboxRepo, InboxStatus } from "../../types.js";
import { affected, type Db, type KyselyContext, num, numOrNull } from "../context.js";
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

async function existingId(db: Db, source: string, eventId: string): Promise<number> {
  const row = await db
    .selectFrom("inbox")
    .select("id")
    .where("source", "=", source)
    .where("event_id", "=", eventId)
    .executeTakeFirstOrThrow();
  return num(row.id);
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
    ingest(events, job) {
      if (events.length === 0) return Promise.resolve([]);
      if (ctx.dialect.name !== "postgres") {
        // the Kysely repositories on SQLite (conformance runs): the per-event path, all or nothing
        return ctx.write(null, async (db) => {
          const now = ctx.now();
          const out: InboxInsertResult[] = [];
          for (const e of events) {
            const row = await db
              .insertInto("inbox")
              .values({
                source: e.source,
                event_id: e.eventId,
                event_type: e.eventType,
                location_id: e.locationId,
                payload: e.payload,
                received_at: e.receivedAt,
              })
              .onConflict((oc) => oc.columns(["source", "event_id"]).doNothing())
              .returning("id")
              .executeTakeFirst();
            if (!row) {
              out.push({ inserted: false, duplicateOf: await existingId(db, e.source, e.eventId) });
              continue;
            }
            const id = num(row.id);
            await db
              .insertInto("jobs")
              .values({
                name: job.name,
                payload: `{"inboxId":${id}}`,
                key: `${job.keyPrefix}${id}`,
                location_id: e.locationId,
                priority: 0,
                state: "queued",
                run_at: e.receivedAt,
                created_at: now,
                updated_at: now,
              })
              .onConflict((oc) => oc.column("key").doNothing())
              .execute();
            out.push({ inserted: true, id });
          }
          return out;
        });
      }
      // PostgreSQL: hand-tuned, ONE statement for the batch (the ingest benchmark, BENCH_STORE=postgres,
      // showed the per-event round trips and query building halving the worker's webhook throughput)
      return ctx.run(async (db) => {
        const now = ctx.now();
        const { rows } = await sql<{ id: string | number; source: string; event_id: string }>`
          WITH ev AS (
            SELECT * FROM unnest(
              ${events.map((e) => e.source)}::text[], ${events.map((e) => e.eventId)}::text[],
              ${events.map((e) => e.eventType)}::text[], ${events.map((e) => e.locationId)}::text[],
              ${events.map((e) => e.payload)}::text[], ${events.map((e) => e.receivedAt)}::bigint[]
            ) WITH ORDINALITY AS e(source, event_id, event_type, location_id, payload, received_at, ord)
          ), ins AS (
            INSERT INTO inbox (source, event_id, event_type, location_id, payload, received_at)
            SELECT source, event_id, event_type, location_id, payload, received_at FROM ev ORDER BY ord
            ON CONFLICT (source, event_id) DO NOTHING
            RETURNING id, source, event_id, location_id, received_at
          ), job AS (
            INSERT INTO jobs (name, payload, key, location_id, priority, state, run_at, created_at, updated_at)
            SELECT ${job.name}::text, jsonb_build_object('inboxId', id), ${job.keyPrefix}::text || id::text,
                   location_id, 0, 'queued', received_at, ${now}::bigint, ${now}::bigint
            FROM ins ORDER BY id
            ON CONFLICT (key) DO NOTHING
            RETURNING id, name
          )${
            ctx.queue
              ? sql`, gw AS (
            -- graphile-worker (see postgres/graphile-queue.ts): the same statement adds each new job to it,
            -- due at once (an inbox job's run time is its receipt)
            SELECT count(*) AS n FROM ${sql.raw(`"${ctx.queue.schema.replaceAll('"', '""')}"`)}.add_jobs(ARRAY(
              SELECT ROW(name, json_build_object('id', id), NULL, now(),
                         ${GRAPHILE_MAX_ATTEMPTS}::smallint, 'job:' || id::text, 0::smallint, NULL
                     )::${sql.raw(`"${ctx.queue.schema.replaceAll('"', '""')}"`)}.job_spec FROM job))
          )
          SELECT id, source, event_id FROM ins, gw`
              : sql`
          SELECT id, source, event_id FROM ins`
          }`.execute(db);
        const ids = new Map(rows.map((r) => [`${r.source}\u0000${r.event_id}`, num(r.id)]));
        const seen = new Set<string>();
        const out: InboxInsertResult[] = [];
        for (const e of events) {
          const k = `${e.source}\u0000${e.eventId}`;
          const id = ids.get(k);
          if (id !== undefined && !seen.has(k)) {
            seen.add(k);
            out.push({ inserted: true, id });
          } else {
            out.push({ inserted: false, duplicateOf: id ?? (await existingId(db, e.source, e.eventId)) });
          }
        }
        return out;
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
