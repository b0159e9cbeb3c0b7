import type { SendDecisionOutcome, SendDecisionsRepo } from "../../types.js";
import { type KyselyContext, num, numOrNull } from "../context.js";
import { json } from "../dialect.js";

/** Append-only record of send decisions (what `ghl-bulksms explain` shows); no foreign key on the location. */
export function createDecisionsRepo(ctx: KyselyContext): SendDecisionsRepo {
  return {
    record(input) {
      return ctx.run(async (db) => {
        const row = await db
          .insertInto("decisions")
          .values({
            key: input.key ?? null,
            at: input.at ?? ctx.now(),
            location_id: input.locationId,
            contact_id: input.contactId ?? null,
            phone_e164: input.phoneE164 ?? null,
            purpose: input.purpose,
            kind: input.kind,
            decision: input.decision,
            reason: input.reason,
            message_key: input.messageKey ?? null,
            until: input.until ?? null,
            detail: json(input.detail),
          })
          .onConflict((oc) => oc.column("key").doNothing())
          .returning("id")
          .executeTakeFirst();
        if (row) return { recorded: true, id: num(row.id) };
        const existing = await db
          .selectFrom("decisions")
          .select("id")
          .where("key", "=", input.key ?? null)
          .executeTakeFirstOrThrow();
        return { recorded: false, id: num(existing.id) };
      });
    },
    list(options) {
      return ctx.run(async (db) => {
        const ids = options.contactIds ?? [];
        if (ids.length === 0 && options.phoneE164 === undefined) return [];
        let query = db
          .selectFrom("decisions")
          .selectAll()
          .where("at", ">=", options.since ?? 0);
        if (options.locationId !== undefined) query = query.where("location_id", "=", options.locationId);
        const phone = options.phoneE164;
        query = query.where((eb) =>
          eb.or([
            ...(ids.length > 0 ? [eb("contact_id", "in", ids)] : []),
            ...(phone !== undefined ? [eb("phone_e164", "=", phone)] : []),
          ]),
        );
        return (
          await query
            .orderBy("at", "desc")
            .orderBy("id", "desc")
            .limit(options.limit ?? 100)
            .execute()
        ).map((row) => ({
          id: num(row.id),
          key: row.key ?? null,
          at: num(row.at),
          locationId: row.location_id,
          contactId: row.contact_id ?? null,
          phoneE164: row.phone_e164 ?? null,
          purpose: row.purpose,
          kind: row.kind,
          decision: row.decision as SendDecisionOutcome,
          reason: row.reason,
          messageKey: row.message_key ?? null,
          until: numOrNull(row.until),
          detail: ctx.dialect.readJson(row.detail),
        }));
      });
    },
  };
}
