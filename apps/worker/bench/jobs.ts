// `pnpm --filter @ghl-bulksms/worker bench:jobs`: the worker's job runners, measured in one run.
//
// - graphile: PostgreSQL, jobs on graphile-worker (what the worker runs on PostgreSQL: the ledger row and
//   graphile-worker's job written in one transaction, the task leasing the ledger row, the result recorded
//   on the ledger).
// - outbox-pg: the embedded outbox runner (claim with FOR UPDATE SKIP LOCKED) on the same PostgreSQL, the
//   runner PostgreSQL used before graphile-worker; store opened with jobQueue "outbox".
// - outbox-sqlite: the embedded default.
//
// Two figures per runner, each on a fresh database, with no-op handlers (the vendors' rate limits, tens of
// requests per second per location, are what bounds real jobs):
// - drain: JOBS jobs enqueued first, then one runner (concurrency CONCURRENCY, jobs over LOCATIONS
//   locations at 2 per location) runs them all: jobs per second;
// - pickup: TRICKLE jobs enqueued one by one at TRICKLE_RATE/s while the runner is idle: the time from a
//   job's commit to its handler starting, p50 / p99 (graphile-worker is told of a job by NOTIFY; the outbox
//   runner finds it at its next poll, every 250 ms).
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { openPostgresStore, openSqliteStore, type Store } from "@ghl-bulksms/store";
import { createTestDatabase, startTestPostgres } from "@ghl-bulksms/store/testing";
import { z } from "zod";
import { createJobRunner, type JobRunner } from "../src/job-runner.ts";
import { createLogger } from "../src/logger.ts";
import type { JobRegistry } from "../src/ports.ts";
import { createStoreJobRunner } from "../src/store-job-runner.ts";

const JOBS = Number(process.env.BENCH_JOBS ?? 2_000);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 8);
const LOCATIONS = Number(process.env.BENCH_LOCATIONS ?? 20);
const TRICKLE = Number(process.env.BENCH_TRICKLE ?? 100);
const TRICKLE_RATE = Number(process.env.BENCH_TRICKLE_RATE ?? 20);
const KEY = "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff";
const silent = createLogger({ level: "silent" });
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

type Catalog = { "bench.noop": { n: number } };
type Kind = "graphile" | "outbox-pg" | "outbox-sqlite";

const postgres = await startTestPostgres();
const dir = mkdtempSync(join(tmpdir(), "bench-jobs-"));
const drops: Array<() => Promise<void>> = [];

async function open(kind: Kind): Promise<Store> {
  if (kind === "outbox-sqlite")
    return openSqliteStore({ path: join(dir, `${Math.random()}.db`), encryptionKey: KEY });
  const db = await createTestDatabase(postgres.url);
  drops.push(db.drop);
  return openPostgresStore({
    url: db.url,
    encryptionKey: KEY,
    jobQueue: kind === "graphile" ? "graphile-worker" : "outbox",
  });
}

function start(kind: Kind, store: Store, onRun: (n: number) => void): JobRunner {
  const registry: JobRegistry<Catalog> = {
    "bench.noop": {
      schema: z.object({ n: z.number() }),
      handler: async ({ n }) => {
        onRun(n);
        return { ok: true };
      },
    },
  };
  const options = {
    registry,
    workerId: "bench",
    concurrency: CONCURRENCY,
    perLocationConcurrency: 2,
    maxAttempts: 3,
    leaseMs: 60_000,
    pollIntervalMs: 250,
    logger: silent,
  };
  const runner =
    kind === "graphile"
      ? createStoreJobRunner<Catalog>(store, options)
      : createJobRunner<Catalog>({ ...options, queue: store.jobs });
  runner.start();
  return runner;
}

async function drain(kind: Kind): Promise<number> {
  const store = await open(kind);
  for (let l = 0; l < LOCATIONS; l++) await store.locations.upsert({ id: `L${l}`, name: `L${l}` });
  await store.transaction(async (tx) => {
    for (let i = 0; i < JOBS; i++) {
      await tx.jobs.enqueue({
        name: "bench.noop",
        key: `d${i}`,
        payload: { n: i },
        locationId: `L${i % LOCATIONS}`,
      });
    }
  });
  let done = 0;
  const t0 = performance.now();
  const runner = start(kind, store, () => done++);
  while (done < JOBS) await sleep(5);
  while ((await store.jobs.counts()).done < JOBS) await sleep(5);
  const seconds = (performance.now() - t0) / 1000;
  await runner.stop({ timeoutMs: 1_000 });
  await store.close();
  return JOBS / seconds;
}

async function pickup(kind: Kind): Promise<{ p50: number; p99: number }> {
  const store = await open(kind);
  const committed = new Map<number, number>();
  const latencies: number[] = [];
  const runner = start(kind, store, (n) =>
    latencies.push(performance.now() - (committed.get(n) ?? Number.NaN)),
  );
  await sleep(1_000); // the runner is up and idle
  for (let i = 0; i < TRICKLE; i++) {
    await store.jobs.enqueue({ name: "bench.noop", key: `t${i}`, payload: { n: i } });
    committed.set(i, performance.now());
    await sleep(1_000 / TRICKLE_RATE);
  }
  while (latencies.length < TRICKLE) await sleep(10);
  await runner.stop({ timeoutMs: 1_000 });
  await store.close();
  const sorted = latencies.sort((a, b) => a - b);
  const at = (q: number) =>
    Math.round(sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0);
  return { p50: at(0.5), p99: at(0.99) };
}

try {
  console.log(
    `bench:jobs  ${JOBS} jobs over ${LOCATIONS} locations, concurrency ${CONCURRENCY}; pickup: ${TRICKLE} jobs at ${TRICKLE_RATE}/s (PostgreSQL: ${postgres.source})`,
  );
  const kinds: Kind[] = ["graphile", "outbox-pg", "outbox-sqlite"];
  const rates = new Map<Kind, number>();
  for (const kind of kinds) rates.set(kind, await drain(kind));
  for (const kind of kinds) {
    const p = await pickup(kind);
    console.log(
      `  ${kind.padEnd(14)} drain ${Math.round(rates.get(kind) ?? 0)} jobs/s   pickup p50 ${p.p50} ms, p99 ${p.p99} ms`,
    );
  }
  const ratio = (rates.get("graphile") ?? 0) / (rates.get("outbox-pg") ?? 1);
  console.log(`  graphile / outbox-pg drain: ${ratio.toFixed(2)}x`);
} finally {
  for (const drop of drops) await drop().catch(() => {});
  rmSync(dir, { recursive: true, force: true });
  await postgres.stop();
}
