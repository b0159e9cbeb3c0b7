// pnpm bench:postgres: the same durable ingest (inbox insert + job enqueue in one transaction) and job
// claim/complete loop as bench/ingest.ts, on the three stores of the conformance suite: the hand-written
// SQLite store, the Kysely repositories on SQLite, and PostgreSQL (TEST_DATABASE_URL, else a throwaway
// cluster), plus claiming from PostgreSQL with 4 workers at once. Prints figures; not a test.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { openPostgresStore, openSqliteStore, type Store } from "../src/index.js";
import { openKyselySqliteStore } from "../src/kysely/sqlite.js";
import { createTestSchema, startTestPostgres } from "../src/testing/index.js";

const N = Number(process.env.BENCH_N ?? 2_000);
const KEY = "a".repeat(64);
const payload = JSON.stringify({ type: "ContactUpdate", locationId: "L1", id: "c1", pad: "x".repeat(600) });

async function ingest(store: Store, label: string): Promise<void> {
  const t0 = performance.now();
  for (let i = 0; i < N; i++) {
    await store.transaction(async (tx) => {
      const row = await tx.inbox.insert({ source: "ghl", eventId: `evt-${i}`, payload });
      if (row.inserted)
        await tx.jobs.enqueue({ name: "ghl.event", payload: { inboxId: row.id }, key: `ghl:${i}` });
    });
  }
  const ingestPerSec = N / ((performance.now() - t0) / 1000);
  const t1 = performance.now();
  let done = 0;
  for (;;) {
    const jobs = await store.jobs.claim({ workerId: "bench", limit: 50, leaseMs: 30_000 });
    if (jobs.length === 0) break;
    for (const job of jobs) await store.jobs.complete(job.id, { workerId: "bench" });
    done += jobs.length;
  }
  const claimPerSec = done / ((performance.now() - t1) / 1000);
  console.log(
    `${label.padEnd(28)} ingest ${ingestPerSec.toFixed(0).padStart(6)}/s   claim(50)+complete ${claimPerSec.toFixed(0).padStart(6)} jobs/s`,
  );
}

const dir = mkdtempSync(join(tmpdir(), "store-bench-pg-"));
const server = await startTestPostgres();
const schema = await createTestSchema(server.url);
try {
  const sqlite = openSqliteStore({ path: join(dir, "a.db"), encryptionKey: KEY });
  await ingest(sqlite, "sqlite (hand-written)");
  await sqlite.close();
  const kysely = await openKyselySqliteStore({ path: join(dir, "b.db"), encryptionKey: KEY });
  await ingest(kysely, "sqlite (kysely)");
  await kysely.close();
  const pg = await openPostgresStore({ url: server.url, schema: schema.schema, encryptionKey: KEY });
  await ingest(pg, `postgres (${server.source})`);

  // 4 workers (4 pools, as 4 processes would have) draining one outbox with SKIP LOCKED
  for (let i = 0; i < N; i++) await pg.jobs.enqueue({ name: "n", payload: null, key: `multi:${i}` });
  const workers = await Promise.all(
    [1, 2, 3, 4].map(() => openPostgresStore({ url: server.url, schema: schema.schema, encryptionKey: KEY })),
  );
  const t = performance.now();
  const counts = await Promise.all(
    workers.map(async (w, n) => {
      let mine = 0;
      for (;;) {
        const jobs = await w.jobs.claim({ workerId: `w${n}`, limit: 10, leaseMs: 30_000 });
        if (jobs.length === 0) return mine;
        for (const job of jobs) await w.jobs.complete(job.id, { workerId: `w${n}` });
        mine += jobs.length;
      }
    }),
  );
  const total = counts.reduce((a, b) => a + b, 0);
  console.log(
    `${"postgres, 4 workers".padEnd(28)} claim(10)+complete ${(total / ((performance.now() - t) / 1000)).toFixed(0)} jobs/s (${counts.join(" / ")}; ${total} of ${N}, each once)`,
  );
  for (const w of workers) await w.close();
  await pg.close();
} finally {
  await schema.drop();
  await server.stop();
  rmSync(dir, { recursive: true, force: true });
}
