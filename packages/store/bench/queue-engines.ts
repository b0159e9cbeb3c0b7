// pnpm --filter @ghl-bulksms/store bench:queue-engines: the evidence behind docs/adr/0001-postgres-job-queue.md.
// On one PostgreSQL (TEST_DATABASE_URL, else a throwaway cluster) it checks, for pg-boss 10 and
// graphile-worker 0.16, what our job contract needs (enqueue inside our open transaction and rollback,
// idempotency keys after completion, a caller-chosen retry delay, dead letter and replay), and measures
// jobs/s claimed+completed with 1 and 4 workers against our SKIP LOCKED outbox. Prints figures; not a test.
import { Logger, run as runGraphile, runMigrations } from "graphile-worker";
import pg from "pg";
import PgBoss from "pg-boss";
import { openPostgresStore, type Store } from "../src/index.js";
import { createTestSchema, startTestPostgres } from "../src/testing/index.js";

const N = Number(process.env.BENCH_N ?? 2_000);
const KEY = "a".repeat(64);
const server = await startTestPostgres();
const url = server.url;
const line = (label: string, value: string) => console.log(`${label.padEnd(58)} ${value}`);
const rate = (n: number, t0: number) =>
  `${(n / ((performance.now() - t0) / 1000)).toFixed(0).padStart(6)} jobs/s`;

/** Enqueue inside a transaction opened on our own pg client, then roll back: is the job gone? */
async function inOurTransaction(
  enqueue: (client: pg.PoolClient) => Promise<void>,
  count: () => Promise<number>,
): Promise<{ rolledBack: number; committed: number }> {
  const pool = new pg.Pool({ connectionString: url, max: 1 });
  const client = await pool.connect();
  await client.query("BEGIN");
  await enqueue(client);
  await client.query("ROLLBACK");
  const rolledBack = await count();
  await client.query("BEGIN");
  await enqueue(client);
  await client.query("COMMIT");
  const committed = await count();
  client.release();
  await pool.end();
  return { rolledBack, committed };
}

// ------------------------------------------------------------------------------------------------ pg-boss
async function pgBoss(): Promise<void> {
  console.log("\n# pg-boss 10.4");
  const schema = `boss_${process.pid}`;
  const boss = new PgBoss({ connectionString: url, schema, supervise: false, schedule: false });
  boss.on("error", (error) => console.error("pg-boss:", error.message));
  await boss.start();
  await boss.createQueue("t", { name: "t", retryLimit: 3 });
  await boss.createQueue("t-dead");
  await boss.createQueue("t-dl", { name: "t-dl", retryLimit: 0, deadLetter: "t-dead" });
  const countRows = async (name: string) => {
    const c = new pg.Client({ connectionString: url });
    await c.connect();
    const r = await c.query(`SELECT count(*)::int AS n FROM ${schema}.job WHERE name = $1`, [name]);
    await c.end();
    return r.rows[0].n as number;
  };
  const tx = await inOurTransaction(
    async (client) => {
      await boss.send("t", { a: 1 }, { db: { executeSql: (text, values) => client.query(text, values) } });
    },
    () => countRows("t"),
  );
  line("send({ db }) in our tx: after ROLLBACK / after COMMIT", `${tx.rolledBack} / ${tx.committed}`);
  await boss.createQueue("k", { name: "k", retryLimit: 3 });

  // idempotency: singletonKey while queued, then after the job completed
  const a = await boss.send("k", {}, { singletonKey: "k1" });
  const b = await boss.send("k", {}, { singletonKey: "k1" });
  line("singletonKey while queued: 2nd send", b === null ? "null (deduplicated)" : `new job ${b}`);
  const [got] = await boss.fetch("k");
  await boss.complete("k", got?.id ?? String(a));
  const c = await boss.send("k", {}, { singletonKey: "k1" });
  line(
    "singletonKey after completion: 3rd send",
    c === null ? "null (deduplicated)" : "NEW JOB (key not for life)",
  );

  // retry delay: fail() reschedules with the queue/job retryDelay, chosen at send time
  await boss.createQueue("r", { name: "r", retryLimit: 2, retryDelay: 60 });
  const rid = await boss.send("r", {});
  const [r1] = await boss.fetch("r");
  await boss.fail("r", r1?.id ?? "", { error: "boom" });
  const rj = await boss.getJobById("r", rid ?? "");
  const delay = rj ? (new Date(rj.startAfter).getTime() - Date.now()) / 1000 : Number.NaN;
  line("fail(): next try after (s), set by retryDelay at send time", delay.toFixed(0));

  // dead letter and replay
  const did = await boss.send("t-dl", { x: 1 });
  const [d1] = await boss.fetch("t-dl");
  await boss.fail("t-dl", d1?.id ?? "", { error: "permanent" });
  const failed = await boss.getJobById("t-dl", did ?? "");
  line(
    "retryLimit 0 + fail(): state / copy in dead-letter queue",
    `${failed?.state} / ${await countRows("t-dead")}`,
  );
  await boss.retry("t-dl", did ?? "");
  const replayed = await boss.getJobById("t-dl", did ?? "");
  line("retry(id) on the failed job (replay): state", String(replayed?.state));

  // per-location concurrency: the closest is a 'singleton' queue with singletonKey = location (1 active per key)
  await boss.createQueue("loc", { name: "loc", policy: "singleton" });
  for (let i = 0; i < 4; i++) await boss.send("loc", { i }, { singletonKey: "L1" });
  const first = await boss.fetch("loc", { batchSize: 10 });
  const second = await boss.fetch("loc", { batchSize: 10 });
  line(
    "singleton queue, 4 jobs of L1: fetch(10) then fetch(10) while active",
    `${first.length} then ${second.length} (cap fixed at 1)`,
  );
  // lease: expire_in is fixed per job at send time and enforced by the supervisor; no API extends it
  const methods = Object.getOwnPropertyNames(Object.getPrototypeOf(boss));
  line(
    "lease extension / heartbeat method on PgBoss",
    methods.filter((m) => /touch|extend|heartbeat/i.test(m)).join(",") || "none",
  );

  // throughput: fetch(batch 50) + complete, 1 and 4 workers (4 PgBoss instances = 4 pools)
  await boss.createQueue("bench");
  await boss.insert(Array.from({ length: N }, (_, i) => ({ name: "bench", data: { i } })));
  let t0 = performance.now();
  let done = 0;
  for (;;) {
    const jobs = await boss.fetch("bench", { batchSize: 50 });
    if (jobs.length === 0) break;
    await boss.complete(
      "bench",
      jobs.map((j) => j.id),
    );
    done += jobs.length;
  }
  line("1 worker fetch(50) + complete(batch)", rate(done, t0));
  await boss.insert(Array.from({ length: N }, (_, i) => ({ name: "bench", data: { i } })));
  t0 = performance.now();
  done = 0;
  for (;;) {
    const [job] = await boss.fetch("bench", { batchSize: 1 });
    if (!job) break;
    await boss.complete("bench", job.id);
    done++;
  }
  line("1 worker fetch(1) + complete(1)", rate(done, t0));
  await boss.insert(Array.from({ length: N }, (_, i) => ({ name: "bench", data: { i } })));
  const workers = await Promise.all(
    [1, 2, 3, 4].map(async () => {
      const w = new PgBoss({
        connectionString: url,
        schema,
        supervise: false,
        schedule: false,
        migrate: false,
      });
      await w.start();
      return w;
    }),
  );
  t0 = performance.now();
  const each = await Promise.all(
    workers.map(async (w) => {
      let n = 0;
      for (;;) {
        const jobs = await w.fetch("bench", { batchSize: 50 });
        if (jobs.length === 0) return n;
        await w.complete(
          "bench",
          jobs.map((j) => j.id),
        );
        n += jobs.length;
      }
    }),
  );
  line(`4 workers fetch(50) + complete(batch) [${each.join("+")}]`, rate(N, t0));
  for (const w of workers) await w.stop({ graceful: false, wait: true });
  await boss.stop({ graceful: false, wait: true });
}

// ---------------------------------------------------------------------------------------- graphile-worker
async function graphile(): Promise<void> {
  console.log("\n# graphile-worker 0.16");
  const schema = `gw_${process.pid}`;
  await runMigrations({ connectionString: url, schema, logger: quietLogger() });
  const pool = new pg.Pool({ connectionString: url, max: 4 });
  const q = async <T = Record<string, unknown>>(text: string, values: unknown[] = []) =>
    (await pool.query(text, values)).rows as T[];
  const count = async () =>
    (await q<{ n: number }>(`SELECT count(*)::int AS n FROM ${schema}.jobs`))[0]?.n ?? 0;
  const tx = await inOurTransaction(async (client) => {
    await client.query(`SELECT ${schema}.add_job('t', '{"a":1}'::json)`);
  }, count);
  line("SELECT add_job() in our tx: after ROLLBACK / after COMMIT", `${tx.rolledBack} / ${tx.committed}`);
  await q(`DELETE FROM ${schema}._private_jobs`);

  // idempotency: job_key ('unsafe_dedupe' keeps the first job), then after the job completed
  const [a] = await q<{ id: string }>(
    `SELECT id FROM ${schema}.add_job('t', '{}', job_key => 'k1', job_key_mode => 'unsafe_dedupe')`,
  );
  const [b] = await q<{ id: string }>(
    `SELECT id FROM ${schema}.add_job('t', '{}', job_key => 'k1', job_key_mode => 'unsafe_dedupe')`,
  );
  line("job_key while queued: 2nd add_job", a?.id === b?.id ? "same job (deduplicated)" : "new job");
  await q(`SELECT ${schema}.complete_jobs(ARRAY[$1::bigint])`, [a?.id]);
  const [c] = await q<{ id: string }>(
    `SELECT id FROM ${schema}.add_job('t', '{}', job_key => 'k1', job_key_mode => 'unsafe_dedupe')`,
  );
  line(
    "job_key after completion: 3rd add_job",
    c?.id === a?.id ? "deduplicated" : "NEW JOB (completed jobs are deleted)",
  );
  await q(`DELETE FROM ${schema}._private_jobs`);

  // retry delay: the worker's own fail sets run_at = now + exp(attempts) s; reschedule_jobs() takes ours
  const [r] = await q<{ id: string }>(`SELECT id FROM ${schema}.add_job('t', '{}')`);
  const [rs] = await q<{ run_at: Date }>(
    `SELECT run_at FROM ${schema}.reschedule_jobs(ARRAY[$1::bigint], run_at => now() + interval '90 seconds')`,
    [r?.id],
  );
  line(
    "reschedule_jobs(run_at => +90 s): next try after (s)",
    (((rs?.run_at.getTime() ?? 0) - Date.now()) / 1000).toFixed(0),
  );

  // dead letter and replay
  const [pf] = await q<{ attempts: number; max_attempts: number; last_error: string }>(
    `SELECT attempts, max_attempts, last_error FROM ${schema}.permanently_fail_jobs(ARRAY[$1::bigint], 'permanent')`,
    [r?.id],
  );
  line(
    "permanently_fail_jobs(): attempts/max_attempts, last_error",
    `${pf?.attempts}/${pf?.max_attempts}, ${pf?.last_error}`,
  );
  const [rp] = await q<{ attempts: number }>(
    `SELECT attempts FROM ${schema}.reschedule_jobs(ARRAY[$1::bigint], run_at => now(), attempts => 0)`,
    [r?.id],
  );
  line("reschedule_jobs(attempts => 0) (replay): attempts", String(rp?.attempts));
  await q(`DELETE FROM ${schema}._private_jobs`);

  // per-location concurrency: a named queue (queue_name = location) runs its jobs one at a time
  await q(`SELECT ${schema}.add_job('slow', '{}', queue_name => 'L1') FROM generate_series(1, 4)`);
  let running = 0;
  let most = 0;
  let left = 4;
  let allDone = () => {};
  const drained = new Promise<void>((r) => {
    allDone = r;
  });
  const probe = await runGraphile({
    connectionString: url,
    schema,
    concurrency: 4,
    noHandleSignals: true,
    pollInterval: 100,
    logger: quietLogger(),
    taskList: {
      slow: async () => {
        most = Math.max(most, ++running);
        await new Promise((r) => setTimeout(r, 150));
        running--;
        if (--left === 0) allDone();
      },
    },
  });
  await drained;
  await probe.stop();
  line("queue_name = L1, 4 jobs, runner concurrency 4: most at once", `${most} (cap fixed at 1)`);
  line("lease: locked_at, reclaimed after (fixed, no heartbeat API)", "4 hours (sql/000016.sql)");

  // throughput: graphile's own runner(s), no-op task, 1 runner of concurrency 1 and 4 runners of 1
  for (const runners of [1, 4]) {
    await q(
      `SELECT ${schema}.add_jobs(array_agg(ROW('bench', json_build_object('i', g), NULL, NULL, NULL, NULL, NULL, NULL)::${schema}.job_spec)) FROM generate_series(1, $1) g`,
      [N],
    );
    const t0 = performance.now();
    let done = 0;
    let resolve = () => {};
    const finished = new Promise<void>((r) => {
      resolve = r;
    });
    const instances = await Promise.all(
      Array.from({ length: runners }, () =>
        runGraphile({
          connectionString: url,
          schema,
          concurrency: 1,
          noHandleSignals: true,
          pollInterval: 100,
          logger: quietLogger(),
          taskList: {
            bench: async () => {
              if (++done === N) resolve();
            },
          },
        }),
      ),
    );
    await finished;
    line(`${runners} runner(s) x concurrency 1 (run + complete)`, rate(N, t0));
    for (const i of instances) await i.stop();
  }
  await pool.end();
}

// ------------------------------------------------------------------------------------- our outbox (today)
async function outbox(): Promise<void> {
  console.log("\n# our outbox (jobs table, FOR UPDATE SKIP LOCKED)");
  const { schema } = await createTestSchema(url);
  const open = () => openPostgresStore({ url, schema, encryptionKey: KEY });
  const store = await open();
  const fill = async () => {
    for (let i = 0; i < N; i += 200)
      await store.transaction(async (tx) => {
        for (let j = i; j < Math.min(N, i + 200); j++)
          await tx.jobs.enqueue({ name: "bench", payload: { j }, key: `b:${Math.random()}:${j}` });
      });
  };
  const drain = async (s: Store, limit: number, batch = false) => {
    let n = 0;
    for (;;) {
      const jobs = await s.jobs.claim({ workerId: `w${Math.random()}`, limit, leaseMs: 30_000 });
      if (jobs.length === 0) return n;
      if (batch)
        await s.transaction(async (tx) => {
          for (const job of jobs) await tx.jobs.complete(job.id);
        });
      else for (const job of jobs) await s.jobs.complete(job.id);
      n += jobs.length;
    }
  };
  await fill();
  let t0 = performance.now();
  line("1 worker claim(50) + complete(1 each)", rate(await drain(store, 50), t0));
  await fill();
  t0 = performance.now();
  line("1 worker claim(1) + complete(1)", rate(await drain(store, 1), t0));
  await fill();
  t0 = performance.now();
  line(
    "1 worker claim(50) + complete(50 in one tx), as pg-boss batches",
    rate(await drain(store, 50, true), t0),
  );
  await fill();
  const workers = await Promise.all([1, 2, 3, 4].map(open));
  t0 = performance.now();
  const each = await Promise.all(workers.map((w) => drain(w, 50)));
  line(`4 workers claim(50) + complete [${each.join("+")}]`, rate(N, t0));
  for (const w of workers) await w.close();
  await store.close();
}

function quietLogger(): Logger {
  return new Logger(() => (level, message) => {
    if (level === "error") console.error("graphile-worker:", message);
  });
}

console.log(`PostgreSQL: ${server.source}, N = ${N}`);
try {
  if (!process.env.SKIP_OUTBOX) await outbox();
  if (!process.env.SKIP_BOSS) await pgBoss();
  await graphile();
} finally {
  await server.stop();
}
// pg-boss and graphile-worker keep timers/pools of their own after stop(); the figures are printed
process.exit(0);
