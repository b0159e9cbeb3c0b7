import type { SendDecision, SendDecisionOutcome, SendDecisionsRepo } from "../types.js";
import type { SqlContext } from "./context.js";
import { fromJson, num, numOrNull, type Row, str, strOrNull, toJson } from "./json.js";

function toDecision(row: Row): SendDecision {
  return {
    id: num(row.id),
    key: strOrNull(row.key),
    at: num(row.at),
    locationId: str(row.location_id),
    contactId: strOrNull(row.contact_id),
    phoneE164: strOrNull(row.phone_e164),
    purpose: str(row.purpose),
    kind: str(row.kind),
    decision: str(row.decision) as SendDecisionOutcome,
    reason: str(row.reason),
    messageKey: strOrNull(row.message_key),
    until: numOrNull(row.until),
    detail: fromJson(row.detail),
  };
}

/**
 * Append-only record of the decisions taken about texts for a person (queued, sent, deferred, blocked,
 * skipped, with a reason code): what `ghl-bulksms explain` shows. No foreign key on the location, so a
 * decision about an unknown location is recorded too.
 */
export function createDecisionsRepo(ctx: SqlContext): SendDecisionsRepo {
  return {
    record(input) {
      return ctx.run(() => {
        const row = ctx
          .prepare(
            `INSERT INTO decisions (key, at, location_id, contact_id, phone_e164, purpose, kind, decision, reason, message_key, until, detail)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (key) DO NOTHING RETURNING id`,
          )
          .get(
            input.key ?? null,
            input.at ?? ctx.now(),
            input.locationId,
            input.contactId ?? null,
            input.phoneE164 ?? null,
            input.purpose,
            input.kind,
            input.decision,
            input.reason,
            input.messageKey ?? null,
            input.until ?? null,
            toJson(input.detail),
          ) as Row | undefined;
        if (row) return { recorded: true, id: num(row.id) };
        const existing = ctx.prepare("SELECT id FROM decisions WHERE key = ?").get(input.key) as Row;
        return { recorded: false, id: num(existing.id) };
      });
    },
    list(options) {
      return ctx.run(() => {
        const where = ["at >= ?"];
        const params: unknown[] = [options.since ?? 0];
        if (options.locationId !== undefined) {
          where.push("location_id = ?");
          params.push(options.locationId);
        }
        const who: string[] = [];
        const ids = options.contactIds ?? [];
        if (ids.length > 0) {
          who.push(`contact_id IN (${ids.map(() => "?").join(", ")})`);
          params.push(...ids);
        }
        if (options.phoneE164 !== undefined) {
          who.push("phone_e164 = ?");
          params.push(options.phoneE164);
        }
        if (who.length === 0) return [];
        where.push(`(${who.join(" OR ")})`);
        return (
          ctx
            .prepare(`SELECT * FROM decisions WHERE ${where.join(" AND ")} ORDER BY at DESC, id DESC LIMIT ?`)
            .all(...params, options.limit ?? 100) as Row[]
        ).map(toDecision);
      });
    },
  };
}
