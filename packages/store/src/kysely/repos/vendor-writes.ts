import type { Selectable } from "kysely";
import type { Vendor, VendorWrite, VendorWritesRepo } from "../../types.js";
import { affected, type Db, type KyselyContext, num, numOrNull } from "../context.js";
import type { VendorWritesTable } from "../schema.js";

function toWrite(row: Selectable<VendorWritesTable>): VendorWrite {
  return {
    key: row.key,
    vendor: row.vendor as Vendor,
    operation: row.operation,
    locationId: row.location_id ?? null,
    state: row.state as VendorWrite["state"],
    resultId: row.result_id ?? null,
    attempts: num(row.attempts),
    begunAt: num(row.begun_at),
    completedAt: numOrNull(row.completed_at),
  };
}

/** Idempotency ledger for vendor writes the vendor cannot deduplicate (protocol: see the SQLite store). */
export function createVendorWritesRepo(ctx: KyselyContext): VendorWritesRepo {
  const getRow = (db: Db, key: string) =>
    db.selectFrom("vendor_writes").selectAll().where("key", "=", key).executeTakeFirst();
  return {
    begin(key, info) {
      return ctx.write(`vendor-writes:${key}`, async (db) => {
        const inserted = await db
          .insertInto("vendor_writes")
          .values({
            key,
            vendor: info.vendor,
            operation: info.operation,
            location_id: info.locationId ?? null,
            state: "begun",
            begun_at: ctx.now(),
          })
          .onConflict((oc) => oc.column("key").doNothing())
          .returningAll()
          .executeTakeFirst();
        if (inserted) return { state: "new", write: toWrite(inserted) };
        const existing = toWrite((await getRow(db, key))!);
        if (existing.state === "completed") return { state: "completed", write: existing };
        const again = await db
          .updateTable("vendor_writes")
          .set((eb) => ({ attempts: eb("attempts", "+", 1) }))
          .where("key", "=", key)
          .returningAll()
          .executeTakeFirstOrThrow();
        return { state: "begun", write: toWrite(again) };
      });
    },
    complete(key, resultId) {
      return ctx.run(
        async (db) =>
          affected(
            await db
              .updateTable("vendor_writes")
              .set({ state: "completed", result_id: resultId, completed_at: ctx.now() })
              .where("key", "=", key)
              .executeTakeFirst(),
          ) > 0,
      );
    },
    get(key) {
      return ctx.run(async (db) => {
        const row = await getRow(db, key);
        return row ? toWrite(row) : null;
      });
    },
    listBegun(options = {}) {
      return ctx.run(async (db) => {
        const ops = options.operations;
        if (ops !== undefined && ops.length === 0) return [];
        let query = db
          .selectFrom("vendor_writes")
          .selectAll()
          .where("state", "=", "begun")
          .where("begun_at", "<", options.before ?? Number.MAX_SAFE_INTEGER);
        if (ops) query = query.where("operation", "in", ops);
        return (
          await query
            .orderBy("begun_at")
            .limit(options.limit ?? 100)
            .execute()
        ).map(toWrite);
      });
    },
    forget(key) {
      return ctx.run(
        async (db) =>
          affected(
            await db
              .deleteFrom("vendor_writes")
              .where("key", "=", key)
              .where("state", "=", "begun")
              .executeTakeFirst(),
          ) > 0,
      );
    },
  };
}
