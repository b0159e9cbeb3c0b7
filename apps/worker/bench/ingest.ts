// `pnpm bench` in apps/worker: signed GHL webhooks ingested per second with durable persistence, against
// (1) the floor, a minimal node:http handler doing only the unavoidable work, and (2) a bare Fastify route.
// Prints throughput (closed loop), p50/p99 latency at a fixed 500 req/s (open loop), ratios, and checks that
// every acknowledged event is in the inbox.
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { Agent, request } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createSignedGhlWebhook, generateGhlWebhookTestKeys } from "@ghl-bulksms/ghl/testing";
import { openSqliteStore } from "@ghl-bulksms/store";

const THROUGHPUT_REQUESTS = Number(process.env.BENCH_REQUESTS ?? 4000);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 16);
const RATE = Number(process.env.BENCH_RATE ?? 500);
const RATE_SECONDS = Number(process.env.BENCH_RATE_SECONDS ?? 4);
// Rounds alternate the servers, so background load on a shared machine hits all of them alike; the best
// throughput and the lowest p99 of each server are reported.
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 2);

const keys = generateGhlWebhookTestKeys();
type Kind = "floor" | "worker" | "bare";

function startServer(kind: Kind, db: string): Promise<{ url: string; child: ChildProcess }> {
  const child = spawn(
    process.execPath,
    ["--conditions=@ghl-bulksms/source", "--import", "tsx", join(import.meta.dirname, "serve.ts"), kind],
    {
      env: { ...process.env, BENCH_DB: db, BENCH_PUBLIC_KEY: keys.ed25519.publicKeyPem },
      stdio: ["ignore", "pipe", "inherit"],
    },
  );
  return new Promise((resolve, reject) => {
    let out = "";
    child.stdout?.on("data", (d: Buffer) => {
      out += d.toString();
      const m = /READY (\S+)/.exec(out);
      if (m?.[1]) resolve({ url: m[1], child });
    });
    child.on("exit", (code) => reject(new Error(`${kind} server exited ${code}`)));
  });
}

function stop(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    child.removeAllListeners("exit");
    child.on("exit", () => resolve());
    child.kill("SIGTERM");
  });
}

function post(
  agent: Agent,
  url: URL,
  body: string,
  headers: Record<string, string>,
): Promise<{ status: number; ms: number }> {
  const t0 = performance.now();
  return new Promise((resolve, reject) => {
    const req = request(
      {
        agent,
        hostname: url.hostname,
        port: url.port,
        path: "/webhooks/ghl",
        method: "POST",
        headers: { ...headers, "content-length": Buffer.byteLength(body) },
      },
      (res) => {
        res.resume();
        res.on("end", () => resolve({ status: res.statusCode ?? 0, ms: performance.now() - t0 }));
      },
    );
    req.on("error", reject);
    req.end(body);
  });
}

function makeWebhooks(n: number, tag: string) {
  return Array.from({ length: n }, (_, i) =>
    createSignedGhlWebhook(
      {
        type: "ContactUpdate",
        locationId: `loc${i % 4}`,
        id: `c${i}`,
        phone: "+27820000000",
        email: "bench@example.com",
        firstName: "Bench",
        tags: ["a", "b"],
      },
      keys,
      { webhookId: `${tag}-${i}` },
    ),
  );
}

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] ?? 0;
};

async function run(kind: Kind, round: number) {
  const dir = mkdtempSync(join(tmpdir(), `bench-${kind}-${round}-`));
  const db = join(dir, "bench.db");
  const { url, child } = await startServer(kind, db);
  const target = new URL(url);
  const agent = new Agent({ keepAlive: true, maxSockets: CONCURRENCY });
  // warm-up
  for (const w of makeWebhooks(200, `${kind}-${round}-warm`)) await post(agent, target, w.body, w.headers);

  // closed loop: throughput
  const hooks = makeWebhooks(THROUGHPUT_REQUESTS, `${kind}-${round}-tp`);
  let next = 0;
  let acked = 0;
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < hooks.length) {
        const w = hooks[next++];
        if (!w) break;
        const r = await post(agent, target, w.body, w.headers);
        if (r.status === 200) acked++;
      }
    }),
  );
  const seconds = (performance.now() - t0) / 1000;
  const rps = hooks.length / seconds;

  // open loop: latency at a fixed rate
  const paced = makeWebhooks(RATE * RATE_SECONDS, `${kind}-${round}-rate`);
  const latencies: number[] = [];
  const pending: Promise<void>[] = [];
  const start = performance.now();
  for (let i = 0; i < paced.length; i++) {
    const due = start + (i * 1000) / RATE;
    const wait = due - performance.now();
    if (wait > 1) await new Promise((r) => setTimeout(r, wait));
    const w = paced[i];
    if (!w) continue;
    pending.push(
      post(agent, target, w.body, w.headers).then((r) => {
        latencies.push(r.ms);
        if (r.status === 200) acked++;
      }),
    );
  }
  await Promise.all(pending);
  agent.destroy();
  await stop(child);

  let stored: number | null = null;
  if (kind !== "bare") {
    const store = openSqliteStore({ path: db, encryptionKey: Buffer.alloc(32, 3) });
    const lag = await store.inbox.lag();
    stored = lag.pending - 200; // minus warm-up
    await store.close();
  }
  rmSync(dir, { recursive: true, force: true });
  return { kind, rps, p50: pct(latencies, 50), p99: pct(latencies, 99), acked, stored };
}

type Result = Awaited<ReturnType<typeof run>>;
const all: Result[] = [];
for (let round = 0; round < ROUNDS; round++) {
  for (const kind of ["floor", "worker", "bare"] as const) all.push(await run(kind, round));
}
const results = (["floor", "worker", "bare"] as const).map((kind) => {
  const runs = all.filter((r) => r.kind === kind);
  const best = (f: (r: Result) => number, pick: (a: number, b: number) => number) => runs.map(f).reduce(pick);
  return {
    kind,
    rps: best(
      (r) => r.rps,
      (a, b) => Math.max(a, b),
    ),
    p50: best(
      (r) => r.p50,
      (a, b) => Math.min(a, b),
    ),
    p99: best(
      (r) => r.p99,
      (a, b) => Math.min(a, b),
    ),
    acked: runs.reduce((n, r) => n + r.acked, 0),
    stored: kind === "bare" ? null : runs.reduce((n, r) => n + (r.stored ?? 0), 0),
  };
});
const floor = results.find((r) => r.kind === "floor");
const bare = results.find((r) => r.kind === "bare");
const worker = results.find((r) => r.kind === "worker");
console.log(
  `\ningest benchmark: ${THROUGHPUT_REQUESTS} requests at concurrency ${CONCURRENCY}, then ${RATE} req/s for ${RATE_SECONDS} s; best of ${ROUNDS} rounds\n`,
);
console.log("server  | req/s  | p50 ms | p99 ms | acked | stored");
for (const r of results) {
  console.log(
    `${r.kind.padEnd(7)} | ${r.rps.toFixed(0).padStart(6)} | ${r.p50.toFixed(2).padStart(6)} | ${r.p99.toFixed(2).padStart(6)} | ${String(r.acked).padStart(5)} | ${r.stored ?? "-"}`,
  );
}
if (floor && worker && bare) {
  const vsFloor = worker.rps / floor.rps;
  console.log(`\nworker / floor throughput: ${vsFloor.toFixed(2)}x (target >= 0.80)`);
  console.log(`worker / bare Fastify throughput: ${(worker.rps / bare.rps).toFixed(2)}x`);
  console.log(`worker p99 at ${RATE} req/s: ${worker.p99.toFixed(2)} ms (target < 20 ms)`);
  const lost = worker.acked - (worker.stored ?? 0);
  console.log(`acknowledged but not stored (worker): ${lost}`);
  if (lost !== 0) process.exitCode = 1;
}
