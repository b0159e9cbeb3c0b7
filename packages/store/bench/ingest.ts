// pnpm bench: durable ingest throughput of the store alone (inbox insert + job enqueue in one transaction),
// and job claim/complete throughput. Prints figures; not a test.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { openSqliteStore } from "../src/index.js";

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
    if (row.inserted) await tx.jobs.enqueue({ name: "ghl.event", payload: { inboxId: row.id }, key: `ghl:${i}` });
  });
  latencies.push(performance.now() - start);
}
const ingestSecs = (performance.now() - t0) / 1000;
latencies.sort((a, b) => a - b);
const p = (q: number) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))]!.toFixed(3);
console.log(`ingest (inbox + job, one transaction): ${(N / ingestSecs).toFixed(0)}/s, p50 ${p(0.5)} ms, p99 ${p(0.99)} ms`);

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
