import type { Selectable } from "kysely";
import type { FollowUp, FollowUpStatus, FollowUpsRepo } from "../../types.js";
import { affected, type Db, type KyselyContext, num, numOrNull, withLocation } from "../context.js";
import type { FollowUpsTable } from "../schema.js";

function toFollowUp(row: Selectable<FollowUpsTable>): FollowUp {
  return {
    id: num(row.id),
    locationId: row.location_id,
    ruleId: row.rule_id,
    contactId: row.contact_id,
    step: num(row.step),
    nextRunAt: numOrNull(row.next_run_at),
    status: row.status as FollowUpStatus,
    stopReason: row.stop_reason ?? null,
    createdAt: num(row.created_at),
    updatedAt: num(row.updated_at),
  };
}

/** Follow-up sequence state; at most one active sequence per (location, rule, contact). */
export function createFollowUpsRepo(ctx: KyselyContext): FollowUpsRepo {
  const activeRow = (db: Db, locationId: string, ruleId: string, contactId: string) =>
    db
      .selectFrom("follow_ups")
      .selectAll()
      .where("location_id", "=", locationId)
      .where("rule_id", "=", ruleId)
      .where("contact_id", "=", contactId)
      .where("status", "=", "active")
      .executeTakeFirst();
  const whileActive = (db: Db, id: number) =>
    db.updateTable("follow_ups").where("id", "=", id).where("status", "=", "active");
  return {
    start(input) {
      return ctx.write(`follow-ups:${input.locationId}:${input.ruleId}:${input.contactId}`, async (db) => {
        const existing = await activeRow(db, input.locationId, input.ruleId, input.contactId);
        if (existing) return { started: false, followUp: toFollowUp(existing) };
        const now = ctx.now();
        const row = await withLocation(ctx, input.locationId, () =>
          db
            .insertInto("follow_ups")
            .values({
              location_id: input.locationId,
              rule_id: input.ruleId,
              contact_id: input.contactId,
              step: 0,
              next_run_at: input.nextRunAt,
              status: "active",
              created_at: now,
              updated_at: now,
            })
            .returningAll()
            .executeTakeFirstOrThrow(),
        );
        return { started: true, followUp: toFollowUp(row) };
      });
    },
    get(id) {
      return ctx.run(async (db) => {
        const row = await db.selectFrom("follow_ups").selectAll().where("id", "=", id).executeTakeFirst();
        return row ? toFollowUp(row) : null;
      });
    },
    getActive(locationId, ruleId, contactId) {
      return ctx.run(async (db) => {
        const row = await activeRow(db, locationId, ruleId, contactId);
        return row ? toFollowUp(row) : null;
      });
    },
    advance(id, step, nextRunAt) {
      return ctx.run(
        async (db) =>
          affected(
            await whileActive(db, id)
              .set({ step, next_run_at: nextRunAt, updated_at: ctx.now() })
              .executeTakeFirst(),
          ) > 0,
      );
    },
    complete(id) {
      return ctx.run(
        async (db) =>
          affected(
            await whileActive(db, id)
              .set({ status: "completed", next_run_at: null, updated_at: ctx.now() })
              .executeTakeFirst(),
          ) > 0,
      );
    },
    stop(id, reason) {
      return ctx.run(
        async (db) =>
          affected(
            await whileActive(db, id)
              .set({ status: "stopped", stop_reason: reason, next_run_at: null, updated_at: ctx.now() })
              .executeTakeFirst(),
          ) > 0,
      );
    },
    stopForContact(locationId, contactId, reason, ruleId) {
      return ctx.run(async (db) => {
        let query = db
          .updateTable("follow_ups")
          .set({ status: "stopped", stop_reason: reason, next_run_at: null, updated_at: ctx.now() })
          .where("location_id", "=", locationId)
          .where("contact_id", "=", contactId)
          .where("status", "=", "active");
        if (ruleId !== undefined) query = query.where("rule_id", "=", ruleId);
        return affected(await query.executeTakeFirst());
      });
    },
    listDue(options = {}) {
      return ctx.run(async (db) => {
        let query = db
          .selectFrom("follow_ups")
          .selectAll()
          .where("status", "=", "active")
          .where("next_run_at", "<=", options.now ?? ctx.now());
        if (options.locationId !== undefined) query = query.where("location_id", "=", options.locationId);
        return (
          await query
            .orderBy("next_run_at")
            .orderBy("id")
            .limit(options.limit ?? 100)
            .execute()
        ).map(toFollowUp);
      });
    },
    listForContact(locationId, contactId) {
      return ctx.run(async (db) =>
        (
          await db
            .selectFrom("follow_ups")
            .selectAll()
            .where("location_id", "=", locationId)
            .where("contact_id", "=", contactId)
            .orderBy("id")
            .execute()
        ).map(toFollowUp),
      );
    },
  };
}
