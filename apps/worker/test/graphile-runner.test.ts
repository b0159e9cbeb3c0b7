// Jobs on graphile-worker (PostgreSQL): the worker's runner for a PostgreSQL store, checked against what
// the embedded outbox guarantees (docs/adr/0001-postgres-job-queue.md). Each test reads both sides: the
// store's ledger (`jobs`) and graphile-worker's own view (`graphile_worker.jobs`).
import type { Store } from "@ghl-bulksms/store";
import pg from "pg";
import { afterEach, describe, expect, it } from "vitest";
import { z } from "zod";
import type { JobRunner } from "../src/job-runner.ts";
import { createLogger } from "../src/logger.ts";
import type { JobOutcome, JobRegistry } from "../src/ports.ts";
import { createStoreJobRunner, type StoreJobRunnerOptions } from "../src/store-job-runner.ts";
import { createSharedDatabase, type SharedDatabase } from "./support/shared-database.ts";

type Catalog = { "t.run": { n: number } };
const KEY_HEX = "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff";
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const silent = createLogger({ level: "silent" });

let shared: SharedDatabase | null = null;
const cleanups: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  for (const fn of cleanups.splice(0).reverse()) await fn().catch(() => {});
  await shared?.drop();
  shared = null;
});

async function setup(): Promise<{ store: Store; sql: pg.Client }> {
  shared = await createSharedDatabase("postgres");
  const store = await shared.open(KEY_HEX);
  cleanups.push(() => store.close());
  const sql = new pg.Client({ connectionString: shared.env.DATABASE_URL });
  await sql.connect();
  cleanups.push(() => sql.end());
  return { store, sql };
}

function runner(
  store: Store,
  handler: JobRegistry<Catalog>["t.run"]["handler"],
  over: Partial<StoreJobRunnerOptions<Catalog>> = {},
): JobRunner {
  const r = createStoreJobRunner<Catalog>(store, {
    registry: { "t.run": { schema: z.object({ n: z.number() }), handler } },
    workerId: over.workerId ?? "w1",
    concurrency: 4,
    perLocationConcurrency: 2,
    maxAttempts: 3,
    leaseMs: 30_000,
    pollIntervalMs: 250,
    backoff: { baseMs: 50, maxMs: 100 },
    logger: silent,
    ...over,
  });
  cleanups.push(() => r.stop({ timeoutMs: 500 }));
  r.start();
  return r;
}

/** A handler that notes each payload it runs, and succeeds. */
function recordRuns(runs: number[]): JobRegistry<Catalog>["t.run"]["handler"] {
  return async ({ n }) => {
    runs.push(n);
    return { ok: true };
  };
}

/** graphile-worker's jobs for a ledger job (its key is "job:<id>"). */
async function graphileJobs(sql: pg.Client, id: number) {
  const { rows } = await sql.query<{ run_at: Date; locked_by: string | null; attempts: number }>(
    "SELECT run_at, locked_by, attempts FROM graphile_worker.jobs WHERE key = $1",
    [`job:${id}`],
  );
  return rows;
}

async function until(what: string, check: () => Promise<boolean>, ms = 10_000): Promise<void> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (await check()) return;
    await sleep(25);
  }
  throw new Error(`timed out waiting for ${what}`);
}

describe("jobs on graphile-worker (PostgreSQL)", () => {
  it("a job is added to graphile-worker in the transaction that causes it: rollback leaves neither row", async () => {
    const { store, sql } = await setup();
    expect(store.queueEngine?.name).toBe("graphile-worker");
    await expect(
      store.transaction(async (tx) => {
        await tx.jobs.enqueue({ name: "t.run", key: "rolled-back", payload: { n: 1 } });
        throw new Error("the state change failed");
      }),
    ).rejects.toThrow("the state change failed");
    expect(await store.jobs.getByKey("rolled-back")).toBeNull();
    expect((await sql.query("SELECT count(*)::int AS n FROM graphile_worker.jobs")).rows[0].n).toBe(0);

    const id = await store.transaction(async (tx) => {
      const r = await tx.jobs.enqueue({ name: "t.run", key: "committed", payload: { n: 2 }, priority: 5 });
      return r.enqueued ? r.id : -1;
    });
    const [g] = await graphileJobs(sql, id);
    expect(g).toBeDefined();
    expect(g?.locked_by).toBeNull();
  });

  it("runs each job once; a key stays used for life (a redelivery after the job is done enqueues nothing)", async () => {
    const { store, sql } = await setup();
    const runs: number[] = [];
    runner(store, recordRuns(runs));
    for (let i = 0; i < 20; i++) await store.jobs.enqueue({ name: "t.run", key: `k${i}`, payload: { n: i } });
    await until("20 jobs done", async () => (await store.jobs.counts()).done === 20);
    expect(runs.sort((a, b) => a - b)).toEqual(Array.from({ length: 20 }, (_, i) => i));
    // graphile-worker deletes a finished job (just after the ledger records it); the ledger keeps its key
    await until(
      "graphile-worker's jobs gone",
      async () => (await sql.query("SELECT count(*)::int AS n FROM graphile_worker.jobs")).rows[0].n === 0,
    );
    const again = await store.jobs.enqueue({ name: "t.run", key: "k3", payload: { n: 3 } });
    expect(again.enqueued).toBe(false);
    await sleep(500);
    expect(runs).toHaveLength(20);
    expect((await sql.query("SELECT count(*)::int AS n FROM graphile_worker.jobs")).rows[0].n).toBe(0);
  });

  it("retries at the time the runner chooses (the vendor's Retry-After), not graphile-worker's backoff", async () => {
    const { store, sql } = await setup();
    const at: number[] = [];
    runner(store, async (): Promise<JobOutcome> => {
      at.push(Date.now());
      if (at.length === 1) {
        return {
          ok: false,
          error: { code: "http_429", message: "slow down", retryable: true, retryAfterMs: 1_500 },
        };
      }
      return { ok: true };
    });
    const r = await store.jobs.enqueue({ name: "t.run", key: "retry", payload: { n: 1 } });
    const id = r.enqueued ? r.id : -1;
    await until("the first attempt", async () => at.length >= 1);
    await until("the retry scheduled", async () => (await store.jobs.get(id))?.state === "queued");
    const ledger = await store.jobs.get(id);
    const [g] = await graphileJobs(sql, id);
    // graphile-worker holds the job for the ledger's retry time (to the millisecond it can store)
    expect(Math.abs((g?.run_at.getTime() ?? 0) - (ledger?.runAt ?? 0))).toBeLessThan(2);
    expect(ledger?.lastError).toContain("slow down");
    await until("the retry done", async () => (await store.jobs.get(id))?.state === "done");
    expect(at).toHaveLength(2);
    expect(at[1]! - at[0]!).toBeGreaterThanOrEqual(1_450);
    expect((await store.jobs.get(id))?.attempts).toBe(2);
  });

  it("dead-letters after maxAttempts with the attempts and last error, and replay runs it again", async () => {
    const { store, sql } = await setup();
    let healthy = false;
    let calls = 0;
    runner(
      store,
      async (): Promise<JobOutcome> => {
        calls++;
        return healthy
          ? { ok: true }
          : { ok: false, error: { code: "http_500", message: "vendor down", retryable: true } };
      },
      { maxAttempts: 3 },
    );
    const r = await store.jobs.enqueue({ name: "t.run", key: "dies", payload: { n: 1 }, locationId: null });
    const id = r.enqueued ? r.id : -1;
    await until("dead letter", async () => (await store.jobs.get(id))?.state === "dead");
    const [dead] = await store.deadLetters.list();
    expect(dead?.id).toBe(id);
    expect(dead?.attempts).toBe(3);
    expect(dead?.lastError).toContain("vendor down");
    expect(calls).toBe(3);
    // the dead job's graphile job ends too (just after the ledger records the dead letter)
    await until("graphile-worker's job gone", async () => (await graphileJobs(sql, id)).length === 0);
    healthy = true;
    expect(await store.deadLetters.replay(id)).toBe(true);
    await until("replayed job done", async () => (await store.jobs.get(id))?.state === "done");
    expect(calls).toBe(4);
  });

  it("keeps a location at its cluster-wide limit, and a freed seat starts the next job at once", async () => {
    const { store } = await setup();
    const store2 = await shared!.open(KEY_HEX);
    cleanups.push(() => store2.close());
    await store.locations.upsert({ id: "LOC", name: "Loc" });
    let active = 0;
    let peak = 0;
    const ended: number[] = [];
    const began: number[] = [];
    const handler = async ({ n }: { n: number }): Promise<JobOutcome> => {
      active++;
      peak = Math.max(peak, active);
      began[n] = Date.now();
      await sleep(n === 0 ? 800 : 50);
      active--;
      ended[n] = Date.now();
      return { ok: true };
    };
    runner(store, handler, { perLocationConcurrency: 1, workerId: "w1" });
    runner(store2, handler, { perLocationConcurrency: 1, workerId: "w2" });
    for (let n = 0; n < 4; n++)
      await store.jobs.enqueue({ name: "t.run", key: `s${n}`, payload: { n }, locationId: "LOC" });
    await until("4 jobs done", async () => (await store.jobs.counts({ locationId: "LOC" })).done === 4);
    expect(peak).toBe(1);
    // each job starts soon after the previous one ends: the seat's release wakes it (the fallback is 5 s)
    const order = [...began.keys()].sort((a, b) => began[a]! - began[b]!);
    for (let i = 1; i < order.length; i++) {
      expect(began[order[i]!]! - ended[order[i - 1]!]!).toBeLessThan(1_500);
    }
  });

  it("a job locked by a worker that died runs again once its lease is over (not after graphile's 4 hours)", async () => {
    const { store, sql } = await setup();
    const r = await store.jobs.enqueue({ name: "t.run", key: "orphan", payload: { n: 7 } });
    const id = r.enqueued ? r.id : -1;
    // what a SIGKILLed worker leaves: the ledger row leased (lease now over), graphile's job locked by it
    const started = await store.queueEngine!.start(id, { workerId: "dead-worker", leaseMs: 1 });
    expect(started.status).toBe("started");
    await sql.query(
      "UPDATE graphile_worker._private_jobs SET locked_at = now() - interval '10 seconds', locked_by = 'graphile-dead-worker' WHERE key = $1",
      [`job:${id}`],
    );
    const runs: number[] = [];
    runner(store, recordRuns(runs), { leaseMs: 2_000 });
    await until("the orphan done", async () => (await store.jobs.get(id))?.state === "done");
    expect(runs).toEqual([7]);
    expect((await store.jobs.get(id))?.attempts).toBe(2); // the dead worker's attempt counts
  });

  it("stop() releases a running job without counting the attempt; another worker then runs it", async () => {
    const { store } = await setup();
    const first = runner(store, async (_p, ctx) => {
      await new Promise<void>((resolve) => ctx.signal?.addEventListener("abort", () => resolve()));
      return { ok: true };
    });
    const r = await store.jobs.enqueue({ name: "t.run", key: "slow", payload: { n: 1 } });
    const id = r.enqueued ? r.id : -1;
    await until("running", async () => (await store.jobs.get(id))?.state === "running");
    const stopped = await first.stop({ timeoutMs: 200 });
    expect(stopped).toEqual({ finished: 0, released: 1 });
    const released = await store.jobs.get(id);
    expect(released).toMatchObject({ state: "queued", attempts: 0 });
    const runs: number[] = [];
    runner(store, recordRuns(runs), { workerId: "w2" });
    await until("run by the second worker", async () => (await store.jobs.get(id))?.state === "done");
    expect(runs).toEqual([1]);
  });
});
