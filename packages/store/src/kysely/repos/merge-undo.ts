import type { Selectable } from "kysely";
import type { MergeUndoEntry, MergeUndoRepo, MergeUndoStatus } from "../../types.js";
import { affected, type KyselyContext, num, withLocation } from "../context.js";
import type { MergeUndoTable } from "../schema.js";

/** Undo log of merges: `record` before any delete ("recorded"), `markApplied` after it, `markUndone` after undo. */
export function createMergeUndoRepo(ctx: KyselyContext): MergeUndoRepo {
  const toEntry = (row: Selectable<MergeUndoTable>): MergeUndoEntry => ({
    id: num(row.id),
    locationId: row.location_id,
    survivorId: row.survivor_id,
    mergedId: row.merged_id,
    snapshot: ctx.dialect.readJson(row.snapshot),
    status: row.status as MergeUndoStatus,
    recreatedId: row.recreated_id ?? null,
    createdAt: num(row.created_at),
    updatedAt: num(row.updated_at),
  });
  return {
    record(input) {
      if (input.snapshot === undefined || input.snapshot === null) {
        return Promise.reject(
          new TypeError("mergeUndo.record: snapshot is required (the full record before the delete)"),
        );
      }
      return ctx.write(null, async (db) => {
        const now = ctx.now();
        const row = await withLocation(ctx, input.locationId, () =>
          db
            .insertInto("merge_undo")
            .values({
              location_id: input.locationId,
              survivor_id: input.survivorId,
              merged_id: input.mergedId,
              snapshot: JSON.stringify(input.snapshot),
              status: "recorded",
              created_at: now,
              updated_at: now,
            })
            .returning("id")
            .executeTakeFirstOrThrow(),
        );
        return num(row.id);
      });
    },
    get(id) {
      return ctx.run(async (db) => {
        const row = await db.selectFrom("merge_undo").selectAll().where("id", "=", id).executeTakeFirst();
        return row ? toEntry(row) : null;
      });
    },
    list(options) {
      return ctx.run(async (db) => {
        let query = db.selectFrom("merge_undo").selectAll().where("location_id", "=", options.locationId);
        if (options.status) query = query.where("status", "=", options.status);
        return (
          await query
            .orderBy("id", "desc")
            .limit(options.limit ?? 100)
            .execute()
        ).map(toEntry);
      });
    },
    markApplied(id) {
      return ctx.run(
        async (db) =>
          affected(
            await db
              .updateTable("merge_undo")
              .set({ status: "applied", updated_at: ctx.now() })
              .where("id", "=", id)
              .where("status", "=", "recorded")
              .executeTakeFirst(),
          ) > 0,
      );
    },
    markUndone(id, recreatedId) {
      return ctx.run(
        async (db) =>
          affected(
            await db
              .updateTable("merge_undo")
              .set({ status: "undone", recreated_id: recreatedId, updated_at: ctx.now() })
              .where("id", "=", id)
              .where("status", "<>", "undone")
              .executeTakeFirst(),
          ) > 0,
      );
    },
  };
}
