// pnpm bench: durable ingest throughput of the store alone (inbox insert + job enqueue in one transaction),
// job claim/complete throughput, and the store's own CPU cost per ingest transaction (in memory, against
// the same statements run on better-sqlite3 directly). Prints figures; not a test.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import { openMemoryStore, openSqliteStore } from "../src/index.js";
import { migrate } from "../src/sqlite/migrations.js";

const N = Number(process.env.BENCH_N ?? 20_000);
const dir = mkdtempSync(join(tmpdir(), "store-bench-"));
const store = openSqliteStore({ path: join(dir, "bench.db"), encryptionKey: "a".repeat(64) });
const payload = JSON.stringify({ type: "ContactUpdate", locationId: "L1", id: "c1", pad: "x".repeat(600) });

const latencies: number[] = [];
let t0 = performance.now();
for (let i = 0; i < N; i++) {
  const start = performance.now();
  await store.transaction(async (tx) => {
    const row = await tx.inbox.insert({ source: "ghl", eventId: `evt-${i}`, payload });
    if (row.inserted)
      await tx.jobs.enqueue({ name: "ghl.event", payload: { inboxId: row.id }, key: `ghl:${i}` });
  });
  latencies.push(performance.now() - start);
}
const ingestSecs = (performance.now() - t0) / 1000;
latencies.sort((a, b) => a - b);
const p = (q: number) =>
  latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))]!.toFixed(3);
console.log(
  `ingest (inbox + job, one transaction): ${(N / ingestSecs).toFixed(0)}/s, p50 ${p(0.5)} ms, p99 ${p(0.99)} ms`,
);

t0 = performance.now();
let done = 0;
for (;;) {
  const jobs = await store.jobs.claim({ workerId: "bench", limit: 50, leaseMs: 30_000 });
  if (jobs.length === 0) break;
  for (const job of jobs) await store.jobs.complete(job.id, { workerId: "bench" });
  done += jobs.length;
}
const claimSecs = (performance.now() - t0) / 1000;
console.log(`claim(50) + complete: ${(done / claimSecs).toFixed(0)} jobs/s (${done} jobs)`);
await store.close();
rmSync(dir, { recursive: true, force: true });

// Overhead: the same ingest in memory (no I/O), through the store and through bare prepared statements.
const mem = openMemoryStore();
const raw = new Database(":memory:");
raw.pragma("foreign_keys = ON");
migrate(raw, { now: Date.now(), path: ":memory:" });
const rawInbox = raw.prepare(
  `INSERT INTO inbox (source, event_id, event_type, location_id, payload, received_at)
   VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (source, event_id) DO NOTHING RETURNING id`,
);
const rawJob = raw.prepare(
  `INSERT INTO jobs (name, payload, key, location_id, priority, state, run_at, created_at, updated_at)
   VALUES (?, ?, ?, ?, 0, 'queued', ?, ?, ?) ON CONFLICT (key) DO NOTHING RETURNING id`,
);
const [rawBegin, rawCommit] = [raw.prepare("BEGIN IMMEDIATE"), raw.prepare("COMMIT")];
async function viaStore(from: number, to: number): Promise<number> {
  const t = performance.now();
  for (let i = from; i < to; i++) {
    await mem.transaction(async (tx) => {
      const row = await tx.inbox.insert({ source: "ghl", eventId: `m-${i}`, payload, locationId: "L1" });
      if (row.inserted)
        await tx.jobs.enqueue({
          name: "ghl.event",
          payload: { inboxId: row.id },
          key: `m:${i}`,
          locationId: "L1",
        });
    });
  }
  return ((performance.now() - t) * 1000) / (to - from);
}
async function viaRaw(from: number, to: number): Promise<number> {
  const t = performance.now();
  for (let i = from; i < to; i++) {
    rawBegin.run();
    const at = Date.now();
    const row = rawInbox.get("ghl", `m-${i}`, null, "L1", payload, at) as { id: number } | undefined;
    if (row) rawJob.get("ghl.event", JSON.stringify({ inboxId: row.id }), `m:${i}`, "L1", at, at, at);
    rawCommit.run();
    await null; // one await per transaction, as an async caller has
  }
  return ((performance.now() - t) * 1000) / (to - from);
}
const M = Math.max(1000, Math.floor(N / 2));
await viaStore(0, M); // warm-up
await viaRaw(0, M);
const overheads: number[] = [];
for (let r = 1; r <= 4; r++)
  overheads.push((await viaStore(r * M, (r + 1) * M)) - (await viaRaw(r * M, (r + 1) * M)));
overheads.sort((a, b) => a - b);
console.log(
  `store overhead per ingest transaction (in memory, vs bare better-sqlite3): median ${(((overheads[1] ?? 0) + (overheads[2] ?? 0)) / 2).toFixed(1)} µs`,
);
await mem.close();
raw.close();
