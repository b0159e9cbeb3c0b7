import type { AuditLogRepo, Vendor } from "../../types.js";
import { type KyselyContext, num } from "../context.js";
import { json } from "../dialect.js";

/** Append-only log of every write to a vendor. Never put tokens, phone numbers or bodies in `detail`. */
export function createAuditLogRepo(ctx: KyselyContext): AuditLogRepo {
  return {
    record(entry) {
      return ctx.run(async (db) => {
        const row = await db
          .insertInto("audit_log")
          .values({
            at: entry.at ?? ctx.now(),
            location_id: entry.locationId ?? null,
            vendor: entry.vendor,
            operation: entry.operation,
            target_id: entry.targetId ?? null,
            idempotency_key: entry.idempotencyKey ?? null,
            result_status: String(entry.resultStatus),
            detail: json(entry.detail),
          })
          .returning("id")
          .executeTakeFirstOrThrow();
        return num(row.id);
      });
    },
    list(options = {}) {
      return ctx.run(async (db) => {
        let query = db
          .selectFrom("audit_log")
          .selectAll()
          .where("at", ">=", options.since ?? 0);
        if (options.locationId !== undefined) query = query.where("location_id", "=", options.locationId);
        if (options.vendor !== undefined) query = query.where("vendor", "=", options.vendor);
        if (options.idempotencyKey !== undefined)
          query = query.where("idempotency_key", "=", options.idempotencyKey);
        return (
          await query
            .orderBy("id", "desc")
            .limit(options.limit ?? 100)
            .execute()
        ).map((row) => ({
          id: num(row.id),
          at: num(row.at),
          locationId: row.location_id ?? null,
          vendor: row.vendor as Vendor,
          operation: row.operation,
          targetId: row.target_id ?? null,
          idempotencyKey: row.idempotency_key ?? null,
          resultStatus: row.result_status,
          detail: ctx.dialect.readJson(row.detail),
        }));
      });
    },
  };
}
