import type { DigestRecord, DigestsRepo } from "../types.js";
import type { SqlContext } from "./context.js";
import { withLocation } from "./fk.js";
import { fromJson, num, type Row, str, strOrNull } from "./json.js";

function toDigest(row: Row): DigestRecord {
  return {
    id: num(row.id),
    locationId: str(row.location_id),
    localDate: str(row.local_date),
    recipient: str(row.recipient),
    messageId: strOrNull(row.message_id),
    summary: fromJson(row.summary),
    sentAt: num(row.sent_at),
  };
}

/** Daily digest sends, once per (location, local date, recipient). */
export function createDigestsRepo(ctx: SqlContext): DigestsRepo {
  return {
    record(input) {
      return ctx.run(() => {
        if (!/^\d{4}-\d{2}-\d{2}$/.test(input.localDate)) {
          throw new TypeError(
            `digests.record: localDate must be YYYY-MM-DD, got ${JSON.stringify(input.localDate)}`,
          );
        }
        const row = withLocation(input.locationId, () =>
          ctx
            .prepare(
              `INSERT INTO digests (location_id, local_date, recipient, message_id, summary, sent_at)
               VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (location_id, local_date, recipient) DO NOTHING RETURNING id`,
            )
            .get(
              input.locationId,
              input.localDate,
              input.recipient,
              input.messageId ?? null,
              JSON.stringify(input.summary ?? null),
              input.at ?? ctx.now(),
            ),
        ) as Row | undefined;
        if (row) return { recorded: true, id: num(row.id) };
        const existing = ctx
          .prepare("SELECT id FROM digests WHERE location_id = ? AND local_date = ? AND recipient = ?")
          .get(input.locationId, input.localDate, input.recipient) as Row;
        return { recorded: false, id: num(existing.id) };
      });
    },
    get(locationId, localDate) {
      return ctx.run(() =>
        (
          ctx
            .prepare("SELECT * FROM digests WHERE location_id = ? AND local_date = ? ORDER BY id")
            .all(locationId, localDate) as Row[]
        ).map(toDigest),
      );
    },
    latest(locationId) {
      return ctx.run(() => {
        const row = ctx
          .prepare("SELECT * FROM digests WHERE location_id = ? ORDER BY sent_at DESC, id DESC LIMIT 1")
          .get(locationId) as Row | undefined;
        return row ? toDigest(row) : null;
      });
    },
  };
}
