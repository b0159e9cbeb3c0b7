import type { AuditEntry, AuditLogRepo, Vendor } from "../types.js";
import type { SqlContext } from "./context.js";
import { fromJson, num, type Row, str, strOrNull, toJson } from "./json.js";

function toEntry(row: Row): AuditEntry {
  return {
    id: num(row.id),
    at: num(row.at),
    locationId: strOrNull(row.location_id),
    vendor: str(row.vendor) as Vendor,
    operation: str(row.operation),
    targetId: strOrNull(row.target_id),
    idempotencyKey: strOrNull(row.idempotency_key),
    resultStatus: str(row.result_status),
    detail: fromJson(row.detail),
  };
}

/** Append-only log of every write to a vendor. Never put tokens, phone numbers or bodies in `detail`. */
export function createAuditLogRepo(ctx: SqlContext): AuditLogRepo {
  return {
    record(entry) {
      return ctx.run(() => {
        const row = ctx
          .prepare(
            `INSERT INTO audit_log (at, location_id, vendor, operation, target_id, idempotency_key, result_status, detail)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
          )
          .get(
            entry.at ?? ctx.now(),
            entry.locationId ?? null,
            entry.vendor,
            entry.operation,
            entry.targetId ?? null,
            entry.idempotencyKey ?? null,
            String(entry.resultStatus),
            toJson(entry.detail),
          ) as Row;
        return num(row.id);
      });
    },
    list(options = {}) {
      return ctx.run(() => {
        const where = ["at >= ?"];
        const params: unknown[] = [options.since ?? 0];
        if (options.locationId !== undefined) {
          where.push("location_id = ?");
          params.push(options.locationId);
        }
        if (options.vendor !== undefined) {
          where.push("vendor = ?");
          params.push(options.vendor);
        }
        if (options.idempotencyKey !== undefined) {
          where.push("idempotency_key = ?");
          params.push(options.idempotencyKey);
        }
        return (
          ctx
            .prepare(`SELECT * FROM audit_log WHERE ${where.join(" AND ")} ORDER BY id DESC LIMIT ?`)
            .all(...params, options.limit ?? 100) as Row[]
        ).map(toEntry);
      });
    },
  };
}
