import { emptyCounts } from "../sync-run-counts.js";
import type {
  ConflictDecision,
  SyncRun,
  SyncRunCounts,
  SyncRunKind,
  SyncRunStatus,
  SyncRunsRepo,
} from "../types.js";
import type { SqlContext } from "./context.js";
import { withLocation } from "./fk.js";
import { bool, fromJson, int, num, numOrNull, type Row, str, strOrNull, toJson } from "./json.js";

/** Default: a running run whose heartbeat is older than this is considered crashed. */
export const DEFAULT_RUN_STALE_MS = 120_000;

function toRun(row: Row): SyncRun {
  return {
    id: num(row.id),
    locationId: str(row.location_id),
    kind: str(row.kind) as SyncRunKind,
    status: str(row.status) as SyncRunStatus,
    dryRun: bool(row.dry_run),
    startedAt: num(row.started_at),
    finishedAt: numOrNull(row.finished_at),
    heartbeatAt: num(row.heartbeat_at),
    owner: strOrNull(row.owner),
    counts: { ...emptyCounts(), ...(fromJson(row.counts) as Partial<SyncRunCounts>) },
    checkpoint: fromJson(row.checkpoint),
    resumes: num(row.resumes),
    error: strOrNull(row.error),
  };
}

function toDecision(row: Row): ConflictDecision {
  return {
    id: num(row.id),
    runId: num(row.run_id),
    locationId: str(row.location_id),
    contactId: str(row.contact_id),
    field: str(row.field),
    policy: str(row.policy),
    decision: str(row.decision),
    base: fromJson(row.base),
    local: fromJson(row.local),
    remote: fromJson(row.remote),
    chosen: fromJson(row.chosen),
    at: num(row.at),
  };
}

/**
 * Sync runs. A partial unique index allows one `running` run per location, so two workers (or a worker and
 * the CLI) can never run the same location at once even if they race.
 */
export function createSyncRunsRepo(ctx: SqlContext): SyncRunsRepo {
  const getRow = (id: number) =>
    ctx.prepare("SELECT * FROM sync_runs WHERE id = ?").get(id) as Row | undefined;
  const activeRow = (locationId: string) =>
    ctx.prepare("SELECT * FROM sync_runs WHERE location_id = ? AND status = 'running'").get(locationId) as
      | Row
      | undefined;
  return {
    start(input) {
      return ctx.run(() => {
        const now = input.now ?? ctx.now();
        const staleAfter = input.staleAfterMs ?? DEFAULT_RUN_STALE_MS;
        const dryRun = input.dryRun ?? false;
        const begin = ctx.db.transaction(() => {
          const row = activeRow(input.locationId);
          if (row) {
            const active = toRun(row);
            if (now - active.heartbeatAt < staleAfter) {
              return { started: false, reason: "already_running", active } as const;
            }
            if (active.kind === input.kind && active.dryRun === dryRun) {
              ctx
                .prepare(
                  "UPDATE sync_runs SET heartbeat_at = ?, owner = ?, resumes = resumes + 1 WHERE id = ?",
                )
                .run(now, input.owner ?? null, active.id);
              return { started: true, run: toRun(getRow(active.id)!), resumed: true } as const;
            }
            ctx
              .prepare("UPDATE sync_runs SET status = 'abandoned', finished_at = ?, error = ? WHERE id = ?")
              .run(now, "heartbeat lost; superseded by a new run", active.id);
          }
          const inserted = withLocation(input.locationId, () =>
            ctx
              .prepare(
                `INSERT INTO sync_runs (location_id, kind, status, dry_run, started_at, heartbeat_at, owner, counts)
                 VALUES (?, ?, 'running', ?, ?, ?, ?, ?) RETURNING id`,
              )
              .get(
                input.locationId,
                input.kind,
                int(dryRun),
                now,
                now,
                input.owner ?? null,
                JSON.stringify(emptyCounts()),
              ),
          ) as Row;
          return { started: true, run: toRun(getRow(num(inserted.id))!), resumed: false } as const;
        });
        return begin.immediate();
      });
    },
    get(id) {
      return ctx.run(() => {
        const row = getRow(id);
        return row ? toRun(row) : null;
      });
    },
    heartbeat(id, now) {
      return ctx.run(
        () =>
          ctx
            .prepare("UPDATE sync_runs SET heartbeat_at = ? WHERE id = ? AND status = 'running'")
            .run(now ?? ctx.now(), id).changes > 0,
      );
    },
    release(id) {
      return ctx.run(
        () =>
          ctx.prepare("UPDATE sync_runs SET heartbeat_at = 0 WHERE id = ? AND status = 'running'").run(id)
            .changes > 0,
      );
    },
    saveCheckpoint(id, checkpoint, counts) {
      return ctx.run(
        () =>
          ctx
            .prepare(
              `UPDATE sync_runs SET checkpoint = ?, counts = COALESCE(?, counts), heartbeat_at = ?
               WHERE id = ? AND status = 'running'`,
            )
            .run(toJson(checkpoint), counts ? JSON.stringify(counts) : null, ctx.now(), id).changes > 0,
      );
    },
    finish(id, outcome) {
      return ctx.run(() => {
        const now = ctx.now();
        return (
          ctx
            .prepare(
              `UPDATE sync_runs SET status = ?, counts = COALESCE(?, counts), error = ?, finished_at = ?, heartbeat_at = ?
               WHERE id = ? AND status = 'running'`,
            )
            .run(
              outcome.status,
              outcome.counts ? JSON.stringify(outcome.counts) : null,
              outcome.error ?? null,
              now,
              now,
              id,
            ).changes > 0
        );
      });
    },
    active(locationId) {
      return ctx.run(() => {
        const row = activeRow(locationId);
        return row ? toRun(row) : null;
      });
    },
    latest(locationId, options = {}) {
      return ctx.run(() => {
        const where = ["location_id = ?", "status = ?"];
        const params: unknown[] = [locationId, options.status ?? "succeeded"];
        if (options.kind) {
          where.push("kind = ?");
          params.push(options.kind);
        }
        const row = ctx
          .prepare(`SELECT * FROM sync_runs WHERE ${where.join(" AND ")} ORDER BY id DESC LIMIT 1`)
          .get(...params) as Row | undefined;
        return row ? toRun(row) : null;
      });
    },
    list(options = {}) {
      return ctx.run(() => {
        const rows =
          options.locationId !== undefined
            ? ctx
                .prepare("SELECT * FROM sync_runs WHERE location_id = ? ORDER BY id DESC LIMIT ?")
                .all(options.locationId, options.limit ?? 50)
            : ctx.prepare("SELECT * FROM sync_runs ORDER BY id DESC LIMIT ?").all(options.limit ?? 50);
        return (rows as Row[]).map(toRun);
      });
    },
    recordConflict(input) {
      return ctx.run(() => {
        const run = getRow(input.runId);
        if (!run) throw new TypeError(`recordConflict: unknown sync run ${input.runId}`);
        const row = ctx
          .prepare(
            `INSERT INTO conflict_decisions (run_id, location_id, contact_id, field, policy, decision, base, local, remote, chosen, at)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
          )
          .get(
            input.runId,
            run.location_id,
            input.contactId,
            input.field,
            input.policy,
            input.decision,
            toJson(input.base),
            toJson(input.local),
            toJson(input.remote),
            toJson(input.chosen),
            input.at ?? ctx.now(),
          ) as Row;
        return num(row.id);
      });
    },
    listConflicts(runId, options = {}) {
      return ctx.run(() =>
        (
          ctx
            .prepare("SELECT * FROM conflict_decisions WHERE run_id = ? AND id > ? ORDER BY id LIMIT ?")
            .all(runId, options.afterId ?? 0, options.limit ?? 1000) as Row[]
        ).map(toDecision),
      );
    },
  };
}
