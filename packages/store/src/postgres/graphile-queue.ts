/**
 * Jobs on graphile-worker (https://worker.graphile.org, 0.16) when the store is on PostgreSQL.
 *
 * graphile-worker owns the execution of every job: the job row it picks (LISTEN/NOTIFY for new jobs, a
 * poll for scheduled ones), the lock while the job runs, the run time of a retry, the order by priority.
 * The store's `jobs` table stays as the ledger the rest of the product reads, because graphile-worker
 * forgets a job once it is done and the product relies on more than that (docs/adr/0001):
 * - the idempotency key for life (a redelivered webhook enqueues nothing, even after the job is done);
 * - the job's state, attempts and last error for `jobs`, `dlq` and `/metrics`;
 * - dead letters kept with their attempts, and replay by id;
 * - per-location concurrency N across the cluster (graphile's named queues are N = 1).
 *
 * One rule ties the two together: every time the ledger makes a job runnable (enqueue, retry, release,
 * replay) it calls graphile-worker's `add_job(s)` IN THE SAME TRANSACTION, with the job key `job:<id>`. So
 * a rolled-back state change leaves neither row (the outbox guarantee), and, because `add_jobs` with a key
 * retires a locked job of the same key (its key cleared, its attempts set to the maximum so it never runs
 * again), there is at most one runnable graphile job per ledger job.
 */
import { type Kysely, sql } from "kysely";
import type pg from "pg";
import { quoteIdent } from "./migrations/index.js";

/** graphile-worker's schema for a store schema: one queue per store, also in tests (one schema per file). */
export function graphileSchemaFor(storeSchema: string): string {
  return storeSchema === "public" ? "graphile_worker" : `${storeSchema}_graphile_worker`;
}

/** The graphile job key of a ledger job. */
export function graphileJobKey(jobId: number): string {
  return `job:${jobId}`;
}

/** graphile-worker's own retries are for a task that threw (the store was unreachable); ours are in the ledger. */
export const GRAPHILE_MAX_ATTEMPTS = 25;

/** The graphile flag of a job waiting for a seat in its location (flags are in graphile's public view). */
export const SEAT_WAIT_FLAG = "seat-wait";

/** One runnable ledger job, as graphile-worker is told of it. */
export interface DispatchRow {
  readonly id: number;
  readonly name: string;
  /** Epoch ms by the store's clock; null = now (the database's clock). */
  readonly runAt: number | null;
  /**
   * With a simulated store clock, graphile-worker's run time is the database's now() plus this (real ms;
   * default 0), since the store's run time means nothing to the database's clock.
   */
  readonly delayMs?: number;
  /** The ledger's priority (higher first). */
  readonly priority: number;
  /** It is waiting for a seat in its location: the next job there to end wakes it (wakeSeatWaiters). */
  readonly seatWait?: boolean;
}

/** Adds graphile jobs for ledger jobs, on the given connection (the caller's transaction). */
export interface JobDispatcher {
  readonly schema: string;
  /**
   * The store runs on a simulated clock (the demo, tests): graphile-worker, which schedules by the
   * database's clock, is told every job is due now, and the task checks the run time against the store's
   * clock (QueueEngine.start puts an early job back for SIMULATED_CLOCK_RECHECK_MS).
   */
  readonly simulatedClock: boolean;
  dispatch(db: AnyDb, rows: readonly DispatchRow[]): Promise<void>;
  /**
   * Makes up to `n` graphile jobs of `locationId` that wait for a seat due now (a running job there
   * ended). They still take the seat in `start`, under the location's lock.
   */
  wakeSeatWaiters(db: AnyDb, locationId: string, n: number): Promise<void>;
  /** Notes that a job of `locationId` waits for a seat (wakeSeatWaiters looks only where one does). */
  markSeatWaiter(db: AnyDb, locationId: string): Promise<void>;
}

// biome-ignore lint/suspicious/noExplicitAny: any Kysely database of the store (its schema type is the caller's)
type AnyDb = Kysely<any>;

/** graphile-worker's priority is a smallint and runs the LOWEST first; ours runs the highest first. */
export function graphilePriority(priority: number): number {
  return Math.max(-32768, Math.min(32767, -Math.trunc(priority)));
}

/** How soon (real ms) a job that is early by a simulated store clock is looked at again. */
export const SIMULATED_CLOCK_RECHECK_MS = 200;

export function createJobDispatcher(
  schema: string,
  options: { simulatedClock?: boolean } = {},
): JobDispatcher {
  const gw = quoteIdent(schema);
  const simulatedClock = options.simulatedClock === true;
  return {
    schema,
    simulatedClock,
    async dispatch(db, rows) {
      if (rows.length === 0) return;
      // one statement for any number of jobs: add_jobs takes an array of job_spec
      await sql`
        SELECT count(*) FROM ${sql.raw(gw)}.add_jobs(ARRAY(
          SELECT ROW(identifier, json_build_object('id', id), NULL,
                     CASE WHEN run_at IS NULL THEN now() + delay_ms * interval '1 millisecond'
                          ELSE to_timestamp(run_at / 1000.0) END,
                     ${GRAPHILE_MAX_ATTEMPTS}::smallint, 'job:' || id::text, priority::smallint,
                     CASE WHEN seat_wait THEN ARRAY[${SEAT_WAIT_FLAG}::text] END
                 )::${sql.raw(gw)}.job_spec
          FROM unnest(${rows.map((r) => r.id)}::bigint[], ${rows.map((r) => r.name)}::text[],
                      ${rows.map((r) => (simulatedClock ? null : r.runAt))}::bigint[], ${rows.map((r) => graphilePriority(r.priority))}::int[],
                      ${rows.map((r) => r.seatWait === true)}::boolean[],
                      ${rows.map((r) => Math.max(0, Math.round(r.delayMs ?? 0)))}::int[])
               AS r(id, identifier, run_at, priority, seat_wait, delay_ms)
        ))`.execute(db);
    },
    async wakeSeatWaiters(db, locationId, n) {
      // most ends free a seat nobody waits for: a marker row (set by markSeatWaiter) spares the search
      const marker = `${SEAT_WAIT_FLAG}:${locationId}`;
      const { rows: marked } = await sql`SELECT 1 FROM store_meta WHERE key = ${marker}`.execute(db);
      if (marked.length === 0) return;
      // the ledger row is found from the graphile key ("job:<id>") by primary key
      const { rows } = await sql<{ n: number }>`
        SELECT count(*)::int AS n FROM ${sql.raw(gw)}.reschedule_jobs(ARRAY(
          SELECT g.id FROM ${sql.raw(gw)}.jobs g
          JOIN jobs j ON j.id = substring(g.key from 5)::bigint
          WHERE g.key LIKE 'job:%' AND g.locked_at IS NULL AND g.flags ? ${SEAT_WAIT_FLAG}
            AND g.run_at > now() AND j.location_id = ${locationId} AND j.state = 'queued'
          ORDER BY g.priority, g.run_at, g.id
          LIMIT ${n}
        ), run_at => now())`.execute(db);
      // nobody left waiting (a waiter marked at this very moment still looks again after its wait)
      if ((rows[0]?.n ?? 0) === 0) await sql`DELETE FROM store_meta WHERE key = ${marker}`.execute(db);
    },
    async markSeatWaiter(db, locationId) {
      await sql`INSERT INTO store_meta (key, value) VALUES (${`${SEAT_WAIT_FLAG}:${locationId}`}, '1')
                ON CONFLICT (key) DO NOTHING`.execute(db);
    },
  };
}

/**
 * Installs or upgrades graphile-worker's schema (its own migrations), once even when several processes open
 * the store at the same moment: a session advisory lock around graphile-worker's migrator.
 */
export async function installGraphileWorker(pool: pg.Pool, url: string, schema: string): Promise<void> {
  const { runMigrations } = await import("graphile-worker");
  const client = await pool.connect();
  try {
    await client.query("SELECT pg_advisory_lock(hashtext($1))", [`ghl-bulksms:graphile-migrate:${schema}`]);
    try {
      // its own short-lived pool: graphile-worker attaches listeners to the pool it is given
      await runMigrations({
        connectionString: url,
        maxPoolSize: 1,
        schema,
        logger: silentLogger(await import("graphile-worker")),
      });
    } finally {
      await client.query("SELECT pg_advisory_unlock(hashtext($1))", [
        `ghl-bulksms:graphile-migrate:${schema}`,
      ]);
    }
  } finally {
    client.release();
  }
}

type GraphileModule = typeof import("graphile-worker");

/** graphile-worker's migrator logs every step at info; the store has nothing to add to its own log. */
function silentLogger(mod: GraphileModule) {
  return new mod.Logger(() => (level, message) => {
    if (level === "error") process.emitWarning(`graphile-worker: ${message}`, { code: "GHL_BULKSMS_QUEUE" });
  });
}
