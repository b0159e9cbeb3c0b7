import type { Vendor, VendorWrite, VendorWritesRepo } from "../types.js";
import type { SqlContext } from "./context.js";
import { num, numOrNull, type Row, str, strOrNull } from "./json.js";

function toWrite(row: Row): VendorWrite {
  return {
    key: str(row.key),
    vendor: str(row.vendor) as Vendor,
    operation: str(row.operation),
    locationId: strOrNull(row.location_id),
    state: str(row.state) as VendorWrite["state"],
    resultId: strOrNull(row.result_id),
    attempts: num(row.attempts),
    begunAt: num(row.begun_at),
    completedAt: numOrNull(row.completed_at),
  };
}

/**
 * Idempotency ledger for vendor writes that the vendor cannot deduplicate itself (GHL notes, tasks).
 * Protocol: `begin(key)` and commit it BEFORE calling the vendor; call the vendor; `complete(key, id)`.
 * If the process dies in between, the key stays "begun": the next attempt gets `state: "begun"` and must
 * look the object up at the vendor (e.g. by the key embedded in the note) before writing again.
 */
export function createVendorWritesRepo(ctx: SqlContext): VendorWritesRepo {
  const getRow = (key: string) =>
    ctx.prepare("SELECT * FROM vendor_writes WHERE key = ?").get(key) as Row | undefined;
  return {
    begin(key, info) {
      return ctx.write(() => {
        const inserted = ctx
          .prepare(
            `INSERT INTO vendor_writes (key, vendor, operation, location_id, state, begun_at)
             VALUES (?, ?, ?, ?, 'begun', ?) ON CONFLICT (key) DO NOTHING`,
          )
          .run(key, info.vendor, info.operation, info.locationId ?? null, ctx.now());
        if (inserted.changes > 0) return { state: "new", write: toWrite(getRow(key)!) };
        const existing = toWrite(getRow(key)!);
        if (existing.state === "completed") return { state: "completed", write: existing };
        ctx.prepare("UPDATE vendor_writes SET attempts = attempts + 1 WHERE key = ?").run(key);
        return { state: "begun", write: toWrite(getRow(key)!) };
      });
    },
    complete(key, resultId) {
      return ctx.run(
        () =>
          ctx
            .prepare(
              "UPDATE vendor_writes SET state = 'completed', result_id = ?, completed_at = ? WHERE key = ?",
            )
            .run(resultId, ctx.now(), key).changes > 0,
      );
    },
    get(key) {
      return ctx.run(() => {
        const row = getRow(key);
        return row ? toWrite(row) : null;
      });
    },
    listBegun(options = {}) {
      return ctx.run(() => {
        const ops = options.operations;
        if (ops !== undefined && ops.length === 0) return [];
        const opCond = ops ? ` AND operation IN (${ops.map(() => "?").join(", ")})` : "";
        return (
          ctx
            .prepare(
              `SELECT * FROM vendor_writes WHERE state = 'begun' AND begun_at < ?${opCond} ORDER BY begun_at LIMIT ?`,
            )
            .all(options.before ?? Number.MAX_SAFE_INTEGER, ...(ops ?? []), options.limit ?? 100) as Row[]
        ).map(toWrite);
      });
    },
    forget(key) {
      return ctx.run(
        () => ctx.prepare("DELETE FROM vendor_writes WHERE key = ? AND state = 'begun'").run(key).changes > 0,
      );
    },
  };
}
