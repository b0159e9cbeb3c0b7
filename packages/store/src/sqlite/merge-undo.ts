import type { MergeUndoEntry, MergeUndoRepo, MergeUndoStatus } from "../types.js";
import type { SqlContext } from "./context.js";
import { withLocation } from "./fk.js";
import { fromJson, num, type Row, str, strOrNull } from "./json.js";

function toEntry(row: Row): MergeUndoEntry {
  return {
    id: num(row.id),
    locationId: str(row.location_id),
    survivorId: str(row.survivor_id),
    mergedId: str(row.merged_id),
    snapshot: fromJson(row.snapshot),
    status: str(row.status) as MergeUndoStatus,
    recreatedId: strOrNull(row.recreated_id),
    createdAt: num(row.created_at),
    updatedAt: num(row.updated_at),
  };
}

/** Undo log of merges: `record` before any delete ("recorded"), `markApplied` after it, `markUndone` after undo. */
export function createMergeUndoRepo(ctx: SqlContext): MergeUndoRepo {
  return {
    record(input) {
      return ctx.run(() => {
        if (input.snapshot === undefined || input.snapshot === null) {
          throw new TypeError("mergeUndo.record: snapshot is required (the full record before the delete)");
        }
        const now = ctx.now();
        const row = withLocation(input.locationId, () =>
          ctx
            .prepare(
              `INSERT INTO merge_undo (location_id, survivor_id, merged_id, snapshot, status, created_at, updated_at)
               VALUES (?, ?, ?, ?, 'recorded', ?, ?) RETURNING id`,
            )
            .get(
              input.locationId,
              input.survivorId,
              input.mergedId,
              JSON.stringify(input.snapshot),
              now,
              now,
            ),
        ) as Row;
        return num(row.id);
      });
    },
    get(id) {
      return ctx.run(() => {
        const row = ctx.prepare("SELECT * FROM merge_undo WHERE id = ?").get(id) as Row | undefined;
        return row ? toEntry(row) : null;
      });
    },
    list(options) {
      return ctx.run(() => {
        const rows = options.status
          ? ctx
              .prepare(
                "SELECT * FROM merge_undo WHERE location_id = ? AND status = ? ORDER BY id DESC LIMIT ?",
              )
              .all(options.locationId, options.status, options.limit ?? 100)
          : ctx
              .prepare("SELECT * FROM merge_undo WHERE location_id = ? ORDER BY id DESC LIMIT ?")
              .all(options.locationId, options.limit ?? 100);
        return (rows as Row[]).map(toEntry);
      });
    },
    markApplied(id) {
      return ctx.run(
        () =>
          ctx
            .prepare(
              "UPDATE merge_undo SET status = 'applied', updated_at = ? WHERE id = ? AND status = 'recorded'",
            )
            .run(ctx.now(), id).changes > 0,
      );
    },
    markUndone(id, recreatedId) {
      return ctx.run(
        () =>
          ctx
            .prepare(
              "UPDATE merge_undo SET status = 'undone', recreated_id = ?, updated_at = ? WHERE id = ? AND status <> 'undone'",
            )
            .run(recreatedId, ctx.now(), id).changes > 0,
      );
    },
  };
}
