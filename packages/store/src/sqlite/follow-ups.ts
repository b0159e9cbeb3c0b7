import type { FollowUp, FollowUpStatus, FollowUpsRepo } from "../types.js";
import type { SqlContext } from "./context.js";
import { withLocation } from "./fk.js";
import { num, numOrNull, type Row, str, strOrNull } from "./json.js";

function toFollowUp(row: Row): FollowUp {
  return {
    id: num(row.id),
    locationId: str(row.location_id),
    ruleId: str(row.rule_id),
    contactId: str(row.contact_id),
    step: num(row.step),
    nextRunAt: numOrNull(row.next_run_at),
    status: str(row.status) as FollowUpStatus,
    stopReason: strOrNull(row.stop_reason),
    createdAt: num(row.created_at),
    updatedAt: num(row.updated_at),
  };
}

/** Follow-up sequence state; at most one active sequence per (location, rule, contact). */
export function createFollowUpsRepo(ctx: SqlContext): FollowUpsRepo {
  const getRow = (id: number) =>
    ctx.prepare("SELECT * FROM follow_ups WHERE id = ?").get(id) as Row | undefined;
  const activeRow = (locationId: string, ruleId: string, contactId: string) =>
    ctx
      .prepare(
        "SELECT * FROM follow_ups WHERE location_id = ? AND rule_id = ? AND contact_id = ? AND status = 'active'",
      )
      .get(locationId, ruleId, contactId) as Row | undefined;
  return {
    start(input) {
      return ctx.write(() => {
        const existing = activeRow(input.locationId, input.ruleId, input.contactId);
        if (existing) return { started: false, followUp: toFollowUp(existing) };
        const now = ctx.now();
        const row = withLocation(input.locationId, () =>
          ctx
            .prepare(
              `INSERT INTO follow_ups (location_id, rule_id, contact_id, step, next_run_at, status, created_at, updated_at)
               VALUES (?, ?, ?, 0, ?, 'active', ?, ?) RETURNING id`,
            )
            .get(input.locationId, input.ruleId, input.contactId, input.nextRunAt, now, now),
        ) as Row;
        return { started: true, followUp: toFollowUp(getRow(num(row.id))!) };
      });
    },
    get(id) {
      return ctx.run(() => {
        const row = getRow(id);
        return row ? toFollowUp(row) : null;
      });
    },
    getActive(locationId, ruleId, contactId) {
      return ctx.run(() => {
        const row = activeRow(locationId, ruleId, contactId);
        return row ? toFollowUp(row) : null;
      });
    },
    advance(id, step, nextRunAt) {
      return ctx.run(
        () =>
          ctx
            .prepare(
              "UPDATE follow_ups SET step = ?, next_run_at = ?, updated_at = ? WHERE id = ? AND status = 'active'",
            )
            .run(step, nextRunAt, ctx.now(), id).changes > 0,
      );
    },
    complete(id) {
      return ctx.run(
        () =>
          ctx
            .prepare(
              "UPDATE follow_ups SET status = 'completed', next_run_at = NULL, updated_at = ? WHERE id = ? AND status = 'active'",
            )
            .run(ctx.now(), id).changes > 0,
      );
    },
    stop(id, reason) {
      return ctx.run(
        () =>
          ctx
            .prepare(
              `UPDATE follow_ups SET status = 'stopped', stop_reason = ?, next_run_at = NULL, updated_at = ?
               WHERE id = ? AND status = 'active'`,
            )
            .run(reason, ctx.now(), id).changes > 0,
      );
    },
    stopForContact(locationId, contactId, reason, ruleId) {
      return ctx.run(() => {
        const sql = `UPDATE follow_ups SET status = 'stopped', stop_reason = ?, next_run_at = NULL, updated_at = ?
                     WHERE location_id = ? AND contact_id = ? AND status = 'active'`;
        return ruleId === undefined
          ? ctx.prepare(sql).run(reason, ctx.now(), locationId, contactId).changes
          : ctx.prepare(`${sql} AND rule_id = ?`).run(reason, ctx.now(), locationId, contactId, ruleId)
              .changes;
      });
    },
    listDue(options = {}) {
      return ctx.run(() => {
        const now = options.now ?? ctx.now();
        const rows =
          options.locationId !== undefined
            ? ctx
                .prepare(
                  `SELECT * FROM follow_ups WHERE status = 'active' AND next_run_at <= ? AND location_id = ?
                   ORDER BY next_run_at, id LIMIT ?`,
                )
                .all(now, options.locationId, options.limit ?? 100)
            : ctx
                .prepare(
                  "SELECT * FROM follow_ups WHERE status = 'active' AND next_run_at <= ? ORDER BY next_run_at, id LIMIT ?",
                )
                .all(now, options.limit ?? 100);
        return (rows as Row[]).map(toFollowUp);
      });
    },
    listForContact(locationId, contactId) {
      return ctx.run(() =>
        (
          ctx
            .prepare("SELECT * FROM follow_ups WHERE location_id = ? AND contact_id = ? ORDER BY id")
            .all(locationId, contactId) as Row[]
        ).map(toFollowUp),
      );
    },
  };
}
