import { type RawBuilder, type Selectable, sql } from "kysely";
import type { DeadLettersRepo, Job, JobState, JobsRepo } from "../../types.js";
import { affected, type Db, type KyselyContext, num, numOrNull } from "../context.js";
import { json } from "../dialect.js";
import type { JobsTable } from "../schema.js";

const JOB_STATES: JobState[] = ["queued", "running", "done", "dead"];

function byClaimOrder(a: Job, b: Job): number {
  return b.priority - a.priority || a.runAt - b.runAt || a.id - b.id;
}

/**
 * The transactional outbox (see the SQLite store for the lease / attempt rules). Enqueue through `tx.jobs`
 * to commit a job with the state change that causes it. On PostgreSQL a claim picks its rows with
 * `FOR UPDATE SKIP LOCKED`, so any number of processes can claim from one database and never get the same
 * job: a row another claimer has locked is skipped, not waited for.
 */
export function jobMapper(ctx: KyselyContext): (row: Selectable<JobsTable>) => Job {
  return (row) => ({
    id: num(row.id),
    name: row.name,
    payload: ctx.dialect.readJson(row.payload),
    key: row.key,
    locationId: row.location_id ?? null,
    priority: num(row.priority),
    state: row.state as JobState,
    runAt: num(row.run_at),
    attempts: num(row.attempts),
    lastError: row.last_error ?? null,
    leaseOwner: row.lease_owner ?? null,
    leaseUntil: numOrNull(row.lease_until),
    createdAt: num(row.created_at),
    updatedAt: num(row.updated_at),
    finishedAt: numOrNull(row.finished_at),
  });
}

/** The advisory-lock key that serialises claims with `maxRunningPerLocation` (see claim). */
const CLAIM_LOCK_KEY = "jobs:claim:max-running-per-location";

/**
 * The candidates (in claim order) this claim may lease: at most `limit`, and no location past `cap` jobs
 * running under a live lease, counting the ones leased here. Jobs without a location are not limited.
 */
async function withinCap(
  db: Db,
  candidates: readonly { id: unknown; location_id: string | null }[],
  options: { cap: number; limit: number; now: number },
): Promise<number[]> {
  const locations = [
    ...new Set(candidates.map((row) => row.location_id).filter((id): id is string => id !== null)),
  ];
  const running = new Map<string, number>();
  if (locations.length > 0) {
    const rows = await db
      .selectFrom("jobs")
      .select((eb) => ["location_id", eb.fn.countAll().as("n")])
      .where("location_id", "in", locations)
      .where("state", "=", "running")
      .where("lease_until", ">", options.now)
      .groupBy("location_id")
      .execute();
    for (const row of rows) running.set(row.location_id as string, num(row.n));
  }
  const ids: number[] = [];
  for (const row of candidates) {
    if (ids.length >= options.limit) break;
    if (row.location_id !== null) {
      const n = running.get(row.location_id) ?? 0;
      if (n >= options.cap) continue;
      running.set(row.location_id, n + 1);
    }
    ids.push(num(row.id));
  }
  return ids;
}

export function createJobsRepo(ctx: KyselyContext): JobsRepo {
  const toJob = jobMapper(ctx);
  /** An UPDATE of one job, only while running (and held by `workerId` when given). */
  const whileRunning = (db: Db, id: number, workerId: string | undefined) => {
    let query = db.updateTable("jobs").where("id", "=", id).where("state", "=", "running");
    if (workerId !== undefined) query = query.where("lease_owner", "=", workerId);
    return query;
  };
  const queue = ctx.queue;
  /** With graphile-worker, a state change that frees or fills a seat must commit with its dispatch. */
  const unit = <T>(fn: (db: Db) => Promise<T>) => (queue ? ctx.write(null, fn) : ctx.run(fn));
  /** Tells graphile-worker of jobs the ledger made runnable (same transaction); wakes seat waiters. */
  async function dispatched(
    db: Db,
    rows: readonly { id: unknown; name: string; run_at: unknown; priority: unknown }[],
  ): Promise<void> {
    if (!queue || rows.length === 0) return;
    await queue.dispatch(
      db,
      rows.map((r) => ({ id: num(r.id), name: r.name, runAt: num(r.run_at), priority: num(r.priority) })),
    );
  }
  /** A running job of `locationId` ended: the next job waiting for a seat there may start now. */
  async function seatFreed(db: Db, locationId: string | null | undefined): Promise<void> {
    if (queue && locationId) await queue.wakeSeatWaiters(db, locationId, 1);
  }
  /**
   * A running job back to the queue (a retry, or a release on shutdown): only while held by `workerId`;
   * with graphile-worker, its job re-added in the same transaction and the seat it held offered on.
   */
  function requeue(
    id: number,
    workerId: string | undefined,
    changes: { run_at?: number; last_error?: string; attempts?: RawBuilder<number> },
  ): Promise<boolean> {
    return unit(async (db) => {
      const row = await whileRunning(db, id, workerId)
        .set({ state: "queued", lease_owner: null, lease_until: null, updated_at: ctx.now(), ...changes })
        .returning(["id", "name", "run_at", "priority", "location_id"])
        .executeTakeFirst();
      if (!row) return false;
      await dispatched(db, [row]);
      await seatFreed(db, row.location_id);
      return true;
    });
  }
  return {
    enqueue(job) {
      return unit(async (db) => {
        if (!job.name || !job.key) throw new TypeError("jobs.enqueue: name and key are required");
        const now = ctx.now();
        const row = await db
          .insertInto("jobs")
          .values({
            name: job.name,
            payload: json(job.payload) ?? "null",
            key: job.key,
            location_id: job.locationId ?? null,
            priority: job.priority ?? 0,
            state: "queued",
            run_at: job.runAt ?? now,
            created_at: now,
            updated_at: now,
          })
          .onConflict((oc) => oc.column("key").doNothing())
          .returning(["id", "name", "run_at", "priority"])
          .executeTakeFirst();
        if (row) {
          await dispatched(db, [row]);
          return { enqueued: true, id: num(row.id) };
        }
        const existing = await db
          .selectFrom("jobs")
          .select("id")
          .where("key", "=", job.key)
          .executeTakeFirstOrThrow();
        return { enqueued: false, existingId: num(existing.id) };
      });
    },
    get(id) {
      return ctx.run(async (db) => {
        const row = await db.selectFrom("jobs").selectAll().where("id", "=", id).executeTakeFirst();
        return row ? toJob(row) : null;
      });
    },
    getByKey(key) {
      return ctx.run(async (db) => {
        const row = await db.selectFrom("jobs").selectAll().where("key", "=", key).executeTakeFirst();
        return row ? toJob(row) : null;
      });
    },
    claim(options) {
      if (!options.workerId) return Promise.reject(new TypeError("jobs.claim: workerId is required"));
      if (!(options.leaseMs > 0)) return Promise.reject(new TypeError("jobs.claim: leaseMs must be > 0"));
      const cap = options.maxRunningPerLocation;
      const limit = Math.max(0, options.limit);
      // With a per-location cap the count-then-lease must not interleave with another capped claim: on
      // PostgreSQL the claim takes one transaction-level advisory lock (CLAIM_LOCK_KEY, released at commit),
      // so capped claims of all processes run one after another and each sees the leases committed before
      // it (READ COMMITTED: every statement after the lock takes a fresh snapshot). On SQLite the write
      // transaction already excludes every other writer. Claims without a cap stay fully concurrent.
      return ctx.write(cap === undefined ? null : CLAIM_LOCK_KEY, async (db) => {
        const now = options.now ?? ctx.now();
        let due = db
          .selectFrom("jobs")
          .select(["id", "location_id"])
          .where((eb) =>
            eb.or([
              eb.and([eb("state", "=", "queued"), eb("run_at", "<=", now)]),
              eb.and([eb("state", "=", "running"), eb("lease_until", "<=", now)]),
            ]),
          );
        if (options.locationId !== undefined) due = due.where("location_id", "=", options.locationId);
        const excluded = options.excludeLocationIds ?? [];
        if (excluded.length > 0) {
          due = due.where((eb) =>
            eb.or([eb("location_id", "is", null), eb("location_id", "not in", excluded)]),
          );
        }
        if (options.names && options.names.length > 0) due = due.where("name", "in", options.names);
        if (cap !== undefined) {
          // locations at their cluster-wide limit are skipped in SQL; the loop below keeps this claim's own
          // jobs within it (over-fetch a little so a busy location's backlog does not hide the others)
          due = due.where((eb) =>
            eb.or([
              eb("location_id", "is", null),
              eb(
                eb
                  .selectFrom("jobs as r")
                  .select((sb) => sb.fn.countAll().as("n"))
                  .whereRef("r.location_id", "=", "jobs.location_id")
                  .where("r.state", "=", "running")
                  .where("r.lease_until", ">", now),
                "<",
                cap,
              ),
            ]),
          );
        }
        due = due
          .orderBy("priority", "desc")
          .orderBy("run_at")
          .orderBy("id")
          .limit(cap === undefined ? limit : limit * 4 + 16);
        if (ctx.dialect.skipLocked) due = due.forUpdate().skipLocked();
        const candidates = await due.execute();
        const ids =
          cap === undefined
            ? candidates.map((row) => num(row.id))
            : await withinCap(db, candidates, { cap, limit, now });
        if (ids.length === 0) return [];
        const rows = await db
          .updateTable("jobs")
          .set((eb) => ({
            state: "running",
            lease_owner: options.workerId,
            lease_until: now + options.leaseMs,
            attempts: eb("attempts", "+", 1),
            updated_at: now,
          }))
          .where("id", "in", ids)
          .returningAll()
          .execute();
        return rows.map(toJob).sort(byClaimOrder);
      });
    },
    extendLease(id, workerId, leaseMs) {
      return ctx.run(
        async (db) =>
          affected(
            await whileRunning(db, id, workerId)
              .set({ lease_until: ctx.now() + leaseMs, updated_at: ctx.now() })
              .executeTakeFirst(),
          ) > 0,
      );
    },
    complete(id, options = {}) {
      // the wake of a seat waiter is a hint (a waiter looks again after its wait anyway): no transaction
      return ctx.run(async (db) => {
        const now = ctx.now();
        const row = await whileRunning(db, id, options.workerId)
          .set({ state: "done", lease_owner: null, lease_until: null, finished_at: now, updated_at: now })
          .returning("location_id")
          .executeTakeFirst();
        if (row) await seatFreed(db, row.location_id);
        return row !== undefined;
      });
    },
    fail(id, options) {
      return requeue(id, options.workerId, {
        run_at: options.retryAt,
        last_error: options.error,
      });
    },
    deadLetter(id, error, options = {}) {
      return ctx.run(async (db) => {
        const now = ctx.now();
        let query = db
          .updateTable("jobs")
          .set({
            state: "dead",
            last_error: error,
            lease_owner: null,
            lease_until: null,
            finished_at: now,
            updated_at: now,
          })
          .where("id", "=", id)
          .where("state", "in", ["queued", "running"]);
        if (options.workerId !== undefined) query = query.where("lease_owner", "=", options.workerId);
        const row = await query.returning("location_id").executeTakeFirst();
        if (row) await seatFreed(db, row.location_id);
        return row !== undefined;
      });
    },
    release(id, options = {}) {
      return requeue(id, options.workerId, {
        attempts: sql<number>`CASE WHEN attempts > 0 THEN attempts - 1 ELSE 0 END`,
      });
    },
    counts(options = {}) {
      return ctx.run(async (db) => {
        const counts = Object.fromEntries(JOB_STATES.map((s) => [s, 0])) as Record<JobState, number>;
        let query = db
          .selectFrom("jobs")
          .select((eb) => ["state", eb.fn.countAll().as("n")])
          .groupBy("state");
        if (options.locationId !== undefined) query = query.where("location_id", "=", options.locationId);
        for (const row of await query.execute()) counts[row.state as JobState] = num(row.n);
        return counts;
      });
    },
    countDue(now) {
      return ctx.run(async (db) => {
        const row = await db
          .selectFrom("jobs")
          .select((eb) => eb.fn.countAll().as("n"))
          .where("state", "=", "queued")
          .where("run_at", "<=", now)
          .executeTakeFirstOrThrow();
        return num(row.n);
      });
    },
    runningByLocation() {
      return ctx.run(async (db) => {
        const rows = await db
          .selectFrom("jobs")
          .select((eb) => ["location_id", eb.fn.countAll().as("n")])
          .where("state", "=", "running")
          .where("location_id", "is not", null)
          .groupBy("location_id")
          .execute();
        return Object.fromEntries(rows.map((row) => [row.location_id as string, num(row.n)]));
      });
    },
    purgeDone(before) {
      return ctx.run(async (db) =>
        affected(
          await db
            .deleteFrom("jobs")
            .where("state", "=", "done")
            .where("finished_at", "<", before)
            .executeTakeFirst(),
        ),
      );
    },
    cancelForLocation(locationId, options) {
      return ctx.run(async (db) => {
        if (!options?.reason) throw new TypeError("jobs.cancelForLocation: a reason is required");
        const names = options.names;
        if (names !== undefined && names.length === 0) return 0;
        const now = ctx.now();
        let query = db
          .updateTable("jobs")
          .set({
            state: "done",
            last_error: `cancelled: ${options.reason}`,
            finished_at: now,
            updated_at: now,
          })
          .where("location_id", "=", locationId)
          .where("state", "=", "queued");
        if (names) query = query.where("name", "in", names);
        return affected(await query.executeTakeFirst());
      });
    },
  };
}

/** Dead letters are jobs in the `dead` state, kept with their last error and attempts. */
export function createDeadLettersRepo(ctx: KyselyContext): DeadLettersRepo {
  const toJob = jobMapper(ctx);
  const queue = ctx.queue;
  return {
    list(options = {}) {
      return ctx.run(async (db) => {
        let query = db.selectFrom("jobs").selectAll().where("state", "=", "dead");
        if (options.locationId !== undefined) query = query.where("location_id", "=", options.locationId);
        if (options.name !== undefined) query = query.where("name", "=", options.name);
        const rows = await query
          .orderBy("finished_at", "desc")
          .orderBy("id", "desc")
          .limit(options.limit ?? 100)
          .execute();
        return rows.map(toJob);
      });
    },
    replay(id, options = {}) {
      const replayed = async (db: Db) => {
        const now = ctx.now();
        const row = await db
          .updateTable("jobs")
          .set({
            state: "queued",
            attempts: 0,
            run_at: options.runAt ?? now,
            finished_at: null,
            updated_at: now,
          })
          .where("id", "=", id)
          .where("state", "=", "dead")
          .returning(["id", "name", "run_at", "priority"])
          .executeTakeFirst();
        if (row && queue) {
          await queue.dispatch(db, [
            { id: num(row.id), name: row.name, runAt: num(row.run_at), priority: num(row.priority) },
          ]);
        }
        return row !== undefined;
      };
      return queue ? ctx.write(null, replayed) : ctx.run(replayed);
    },
    purge(options) {
      return ctx.run(async (db) => {
        let query = db.deleteFrom("jobs").where("state", "=", "dead");
        if ("id" in options) query = query.where("id", "=", options.id);
        else {
          if (options.before !== undefined) query = query.where("finished_at", "<", options.before);
          if (options.locationId !== undefined) query = query.where("location_id", "=", options.locationId);
        }
        return affected(await query.executeTakeFirst());
      });
    },
  };
}
