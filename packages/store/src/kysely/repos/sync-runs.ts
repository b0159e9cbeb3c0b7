import type { Selectable } from "kysely";
import { emptyCounts } from "../../sync-run-counts.js";
import type {
  ConflictDecision,
  SyncRun,
  SyncRunCounts,
  SyncRunKind,
  SyncRunStatus,
  SyncRunsRepo,
} from "../../types.js";
import { affected, type Db, type KyselyContext, num, numOrNull, withLocation } from "../context.js";
import { json } from "../dialect.js";
import type { ConflictDecisionsTable, SyncRunsTable } from "../schema.js";

/** Default: a running run whose heartbeat is older than this is considered crashed (same as SQLite). */
const DEFAULT_RUN_STALE_MS = 120_000;

/**
 * Sync runs (rules: see the SQLite store). The partial unique index allows one `running` run per location,
 * and `start` holds a per-location lock, so two workers never run the same location at once.
 */
export function createSyncRunsRepo(ctx: KyselyContext): SyncRunsRepo {
  const d = ctx.dialect;
  const toRun = (row: Selectable<SyncRunsTable>): SyncRun => ({
    id: num(row.id),
    locationId: row.location_id,
    kind: row.kind as SyncRunKind,
    status: row.status as SyncRunStatus,
    dryRun: d.readBool(row.dry_run),
    startedAt: num(row.started_at),
    finishedAt: numOrNull(row.finished_at),
    heartbeatAt: num(row.heartbeat_at),
    owner: row.owner ?? null,
    counts: { ...emptyCounts(), ...(d.readJson(row.counts) as Partial<SyncRunCounts>) },
    checkpoint: d.readJson(row.checkpoint),
    resumes: num(row.resumes),
    error: row.error ?? null,
  });
  const toDecision = (row: Selectable<ConflictDecisionsTable>): ConflictDecision => ({
    id: num(row.id),
    runId: num(row.run_id),
    locationId: row.location_id,
    contactId: row.contact_id,
    field: row.field,
    policy: row.policy,
    decision: row.decision,
    base: d.readJson(row.base),
    local: d.readJson(row.local),
    remote: d.readJson(row.remote),
    chosen: d.readJson(row.chosen),
    at: num(row.at),
  });
  const getRow = (db: Db, id: number) =>
    db.selectFrom("sync_runs").selectAll().where("id", "=", id).executeTakeFirst();
  const activeRow = (db: Db, locationId: string) =>
    db
      .selectFrom("sync_runs")
      .selectAll()
      .where("location_id", "=", locationId)
      .where("status", "=", "running")
      .executeTakeFirst();
  const whileRunning = (db: Db, id: number) =>
    db.updateTable("sync_runs").where("id", "=", id).where("status", "=", "running");
  return {
    start(input) {
      return ctx.write(`sync-runs:${input.locationId}`, async (db) => {
        const now = input.now ?? ctx.now();
        const staleAfter = input.staleAfterMs ?? DEFAULT_RUN_STALE_MS;
        const dryRun = input.dryRun ?? false;
        const row = await activeRow(db, input.locationId);
        if (row) {
          const active = toRun(row);
          if (now - active.heartbeatAt < staleAfter) {
            return { started: false, reason: "already_running", active } as const;
          }
          if (active.kind === input.kind && active.dryRun === dryRun) {
            const resumed = await db
              .updateTable("sync_runs")
              .set((eb) => ({
                heartbeat_at: now,
                owner: input.owner ?? null,
                resumes: eb("resumes", "+", 1),
              }))
              .where("id", "=", active.id)
              .returningAll()
              .executeTakeFirstOrThrow();
            return { started: true, run: toRun(resumed), resumed: true } as const;
          }
          await db
            .updateTable("sync_runs")
            .set({ status: "abandoned", finished_at: now, error: "heartbeat lost; superseded by a new run" })
            .where("id", "=", active.id)
            .execute();
        }
        const inserted = await withLocation(ctx, input.locationId, () =>
          db
            .insertInto("sync_runs")
            .values({
              location_id: input.locationId,
              kind: input.kind,
              status: "running",
              dry_run: d.bool(dryRun),
              started_at: now,
              heartbeat_at: now,
              owner: input.owner ?? null,
              counts: JSON.stringify(emptyCounts()),
            })
            .returningAll()
            .executeTakeFirstOrThrow(),
        );
        return { started: true, run: toRun(inserted), resumed: false } as const;
      });
    },
    get(id) {
      return ctx.run(async (db) => {
        const row = await getRow(db, id);
        return row ? toRun(row) : null;
      });
    },
    heartbeat(id, now) {
      return ctx.run(
        async (db) =>
          affected(
            await whileRunning(db, id)
              .set({ heartbeat_at: now ?? ctx.now() })
              .executeTakeFirst(),
          ) > 0,
      );
    },
    release(id) {
      return ctx.run(
        async (db) => affected(await whileRunning(db, id).set({ heartbeat_at: 0 }).executeTakeFirst()) > 0,
      );
    },
    saveCheckpoint(id, checkpoint, counts) {
      return ctx.run(
        async (db) =>
          affected(
            await whileRunning(db, id)
              .set({
                checkpoint: json(checkpoint),
                ...(counts ? { counts: JSON.stringify(counts) } : {}),
                heartbeat_at: ctx.now(),
              })
              .executeTakeFirst(),
          ) > 0,
      );
    },
    finish(id, outcome) {
      return ctx.run(async (db) => {
        const now = ctx.now();
        return (
          affected(
            await whileRunning(db, id)
              .set({
                status: outcome.status,
                ...(outcome.counts ? { counts: JSON.stringify(outcome.counts) } : {}),
                error: outcome.error ?? null,
                finished_at: now,
                heartbeat_at: now,
              })
              .executeTakeFirst(),
          ) > 0
        );
      });
    },
    active(locationId) {
      return ctx.run(async (db) => {
        const row = await activeRow(db, locationId);
        return row ? toRun(row) : null;
      });
    },
    latest(locationId, options = {}) {
      return ctx.run(async (db) => {
        let query = db
          .selectFrom("sync_runs")
          .selectAll()
          .where("location_id", "=", locationId)
          .where("status", "=", options.status ?? "succeeded");
        if (options.kind) query = query.where("kind", "=", options.kind);
        const row = await query.orderBy("id", "desc").limit(1).executeTakeFirst();
        return row ? toRun(row) : null;
      });
    },
    list(options = {}) {
      return ctx.run(async (db) => {
        let query = db.selectFrom("sync_runs").selectAll();
        if (options.locationId !== undefined) query = query.where("location_id", "=", options.locationId);
        return (
          await query
            .orderBy("id", "desc")
            .limit(options.limit ?? 50)
            .execute()
        ).map(toRun);
      });
    },
    recordConflict(input) {
      return ctx.run(async (db) => {
        const run = await getRow(db, input.runId);
        if (!run) throw new TypeError(`recordConflict: unknown sync run ${input.runId}`);
        const row = await db
          .insertInto("conflict_decisions")
          .values({
            run_id: input.runId,
            location_id: run.location_id,
            contact_id: input.contactId,
            field: input.field,
            policy: input.policy,
            decision: input.decision,
            base: json(input.base),
            local: json(input.local),
            remote: json(input.remote),
            chosen: json(input.chosen),
            at: input.at ?? ctx.now(),
          })
          .returning("id")
          .executeTakeFirstOrThrow();
        return num(row.id);
      });
    },
    listConflicts(runId, options = {}) {
      return ctx.run(async (db) =>
        (
          await db
            .selectFrom("conflict_decisions")
            .selectAll()
            .where("run_id", "=", runId)
            .where("id", ">", options.afterId ?? 0)
            .orderBy("id")
            .limit(options.limit ?? 1000)
            .execute()
        ).map(toDecision),
      );
    },
  };
}
