import type { Selectable } from "kysely";
import type { DigestRecord, DigestsRepo } from "../../types.js";
import { type KyselyContext, num, withLocation } from "../context.js";
import type { DigestsTable } from "../schema.js";

/** Daily digest sends, once per (location, local date, recipient). */
export function createDigestsRepo(ctx: KyselyContext): DigestsRepo {
  const toDigest = (row: Selectable<DigestsTable>): DigestRecord => ({
    id: num(row.id),
    locationId: row.location_id,
    localDate: row.local_date,
    recipient: row.recipient,
    messageId: row.message_id ?? null,
    summary: ctx.dialect.readJson(row.summary),
    sentAt: num(row.sent_at),
  });
  return {
    record(input) {
      if (!/^\d{4}-\d{2}-\d{2}$/.test(input.localDate)) {
        return Promise.reject(
          new TypeError(
            `digests.record: localDate must be YYYY-MM-DD, got ${JSON.stringify(input.localDate)}`,
          ),
        );
      }
      return ctx.write(null, async (db) => {
        const row = await withLocation(ctx, input.locationId, () =>
          db
            .insertInto("digests")
            .values({
              location_id: input.locationId,
              local_date: input.localDate,
              recipient: input.recipient,
              message_id: input.messageId ?? null,
              summary: JSON.stringify(input.summary ?? null),
              sent_at: input.at ?? ctx.now(),
            })
            .onConflict((oc) => oc.columns(["location_id", "local_date", "recipient"]).doNothing())
            .returning("id")
            .executeTakeFirst(),
        );
        if (row) return { recorded: true, id: num(row.id) };
        const existing = await db
          .selectFrom("digests")
          .select("id")
          .where("location_id", "=", input.locationId)
          .where("local_date", "=", input.localDate)
          .where("recipient", "=", input.recipient)
          .executeTakeFirstOrThrow();
        return { recorded: false, id: num(existing.id) };
      });
    },
    get(locationId, localDate) {
      return ctx.run(async (db) =>
        (
          await db
            .selectFrom("digests")
            .selectAll()
            .where("location_id", "=", locationId)
            .where("local_date", "=", localDate)
            .orderBy("id")
            .execute()
        ).map(toDigest),
      );
    },
    latest(locationId) {
      return ctx.run(async (db) => {
        const row = await db
          .selectFrom("digests")
          .selectAll()
          .where("location_id", "=", locationId)
          .orderBy("sent_at", "desc")
          .orderBy("id", "desc")
          .limit(1)
          .executeTakeFirst();
        return row ? toDigest(row) : null;
      });
    },
  };
}
