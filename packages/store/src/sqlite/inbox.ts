import type { InboxEvent, InboxRepo, InboxStatus } from "../types.js";
import type { SqlContext } from "./context.js";
import { num, numOrNull, type Row, str, strOrNull } from "./json.js";

function toEvent(row: Row): InboxEvent {
  return {
    id: num(row.id),
    source: str(row.source),
    eventId: str(row.event_id),
    eventType: strOrNull(row.event_type),
    locationId: strOrNull(row.location_id),
    payload: str(row.payload),
    status: str(row.status) as InboxStatus,
    error: strOrNull(row.error),
    receivedAt: num(row.received_at),
    processedAt: numOrNull(row.processed_at),
  };
}

/**
 * Received webhook events, unique per (source, eventId). Purging processed events forgets them, so a
 * replay older than the retention would be accepted again: keep retention longer than the replay window.
 */
export function createInboxRepo(ctx: SqlContext): InboxRepo {
  return {
    insert(event) {
      return ctx.run(() => {
        const row = ctx
          .prepare(
            `INSERT INTO inbox (source, event_id, event_type, location_id, payload, received_at)
             VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (source, event_id) DO NOTHING RETURNING id`,
          )
          .get(
            event.source,
            event.eventId,
            event.eventType ?? null,
            event.locationId ?? null,
            event.payload,
            event.receivedAt ?? ctx.now(),
          ) as Row | undefined;
        if (row) return { inserted: true, id: num(row.id) };
        const existing = ctx
          .prepare("SELECT id FROM inbox WHERE source = ? AND event_id = ?")
          .get(event.source, event.eventId) as Row;
        return { inserted: false, duplicateOf: num(existing.id) };
      });
    },
    ingest(events, job) {
      return ctx.run(() =>
        ctx.atomic(() => {
          const now = ctx.now();
          const insertEvent = ctx.prepare(
            `INSERT INTO inbox (source, event_id, event_type, location_id, payload, received_at)
             VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (source, event_id) DO NOTHING RETURNING id`,
          );
          const insertJob = ctx.prepare(
            `INSERT INTO jobs (name, payload, key, location_id, priority, state, run_at, created_at, updated_at)
             VALUES (?, ?, ?, ?, 0, 'queued', ?, ?, ?) ON CONFLICT (key) DO NOTHING`,
          );
          return events.map((e) => {
            const row = insertEvent.get(
              e.source,
              e.eventId,
              e.eventType,
              e.locationId,
              e.payload,
              e.receivedAt,
            ) as Row | undefined;
            if (!row) {
              const existing = ctx
                .prepare("SELECT id FROM inbox WHERE source = ? AND event_id = ?")
                .get(e.source, e.eventId) as Row;
              return { inserted: false as const, duplicateOf: num(existing.id) };
            }
            const id = num(row.id);
            insertJob.run(
              job.name,
              `{"inboxId":${id}}`,
              `${job.keyPrefix}${id}`,
              e.locationId,
              e.receivedAt,
              now,
              now,
            );
            return { inserted: true as const, id };
          });
        }),
      );
    },
    get(id) {
      return ctx.run(() => {
        const row = ctx.prepare("SELECT * FROM inbox WHERE id = ?").get(id) as Row | undefined;
        return row ? toEvent(row) : null;
      });
    },
    markProcessed(id) {
      return ctx.run(
        () =>
          ctx
            .prepare("UPDATE inbox SET status = 'processed', processed_at = ?, error = NULL WHERE id = ?")
            .run(ctx.now(), id).changes > 0,
      );
    },
    markFailed(id, error) {
      return ctx.run(
        () =>
          ctx
            .prepare("UPDATE inbox SET status = 'failed', processed_at = ?, error = ? WHERE id = ?")
            .run(ctx.now(), error, id).changes > 0,
      );
    },
    listPending(options = {}) {
      return ctx.run(() => {
        const rows = options.source
          ? ctx
              .prepare("SELECT * FROM inbox WHERE status = 'pending' AND source = ? ORDER BY id LIMIT ?")
              .all(options.source, options.limit ?? 100)
          : ctx
              .prepare("SELECT * FROM inbox WHERE status = 'pending' ORDER BY id LIMIT ?")
              .all(options.limit ?? 100);
        return (rows as Row[]).map(toEvent);
      });
    },
    lag(now) {
      return ctx.run(() => {
        const row = ctx
          .prepare("SELECT COUNT(*) AS n, MIN(received_at) AS oldest FROM inbox WHERE status = 'pending'")
          .get() as Row;
        const oldest = numOrNull(row.oldest);
        return {
          pending: num(row.n),
          oldestReceivedAt: oldest,
          lagMs: oldest === null ? 0 : Math.max(0, (now ?? ctx.now()) - oldest),
        };
      });
    },
    purgeProcessed(before) {
      return ctx.run(
        () =>
          ctx.prepare("DELETE FROM inbox WHERE status = 'processed' AND received_at < ?").run(before).changes,
      );
    },
  };
}
