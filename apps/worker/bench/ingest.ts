// `pnpm bench` in apps/worker: signed GHL webhooks ingested per second with durable persistence.
//
// Servers (see serve.ts), each in its own process on 127.0.0.1, all on the same schema and durability
// (WAL, synchronous=NORMAL, 200 only after the inbox row + job committed):
//   worker (group commit, the production default), worker-unbatched (one transaction per request),
//   floor (minimal node:http + better-sqlite3, one transaction per request), floor-batched (the floor with
//   the worker's group commit), bare (a Fastify route that does nothing).
//
// Method: ROUNDS rounds; in each round every server is started fresh, warmed up, then driven closed-loop
// (CONCURRENCY keep-alive connections, REQUESTS signed webhooks) for throughput; worker and floor are also
// driven open-loop at RATE req/s for RATE_SECONDS for p50/p99 latency. The server order rotates each round.
// The machine is shared and noisy, so each ratio is computed within a round (servers measured seconds
// apart) and the median over rounds is reported. After each durable run the server is SIGKILLed and the
// database is read back: every acknowledged webhookId must be in the inbox with its job. The worker is also
// sent duplicates of acknowledged events: each must be answered 200 without a second row or job.
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { connect, type Socket } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createSignedGhlWebhook, generateGhlWebhookTestKeys } from "@ghl-bulksms/ghl/testing";
import Database from "better-sqlite3";

const REQUESTS = Number(process.env.BENCH_REQUESTS ?? 3000);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 16);
const RATE = Number(process.env.BENCH_RATE ?? 500);
const RATE_SECONDS = Number(process.env.BENCH_RATE_SECONDS ?? 3);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const WARMUP = 400;
const DUPLICATES = 100;
/** Bound on one server's whole run (start, load, checks); the bench fails rather than hang. */
const RUN_TIMEOUT_MS = 120_000;

const ALL_KINDS = ["floor", "floor-batched", "worker", "worker-unbatched", "bare"] as const;
type Kind = (typeof ALL_KINDS)[number];
const KINDS: readonly Kind[] = process.env.BENCH_KINDS
  ? (process.env.BENCH_KINDS.split(",") as Kind[])
  : ALL_KINDS;
const PACED: readonly Kind[] = ["worker", "floor"];
const durable = (k: Kind) => k !== "bare";

const keys = generateGhlWebhookTestKeys();
type Webhook = { id: string; request: Buffer };

function startServer(kind: Kind, db: string): Promise<{ url: URL; child: ChildProcess }> {
  const child = spawn(
    process.execPath,
    [
      // e.g. BENCH_SERVER_NODE_ARGS="--cpu-prof --cpu-prof-dir=/tmp/prof" with BENCH_STOP=SIGTERM
      ...(process.env.BENCH_SERVER_NODE_ARGS ?? "").split(" ").filter(Boolean),
      "--conditions=@ghl-bulksms/source",
      "--import",
      "tsx",
      join(import.meta.dirname, "serve.ts"),
      kind,
    ],
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
      if (m?.[1]) resolve({ url: new URL(m[1]), child });
    });
    child.on("exit", (code) => reject(new Error(`${kind} server exited ${code}`)));
  });
}

/** SIGKILL: what was acknowledged must already be on disk, no graceful close helps. */
function kill(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    child.removeAllListeners("exit");
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    child.on("exit", () => resolve());
    // BENCH_STOP=SIGTERM lets a server exit normally (e.g. to write a --cpu-prof profile)
    child.kill(process.env.BENCH_STOP === "SIGTERM" ? "SIGTERM" : "SIGKILL");
  });
}

/**
 * A lean HTTP/1.1 keep-alive connection: pre-built request bytes, one request in flight, responses parsed
 * just enough (status, Content-Length, body). node:http's client costs more CPU per request than a fast
 * server does, and on a 2-core machine a heavy client caps and compresses every figure.
 */
class Conn {
  private readonly socket: Socket;
  private buf: Buffer = Buffer.alloc(0);
  private waiting: ((r: { status: number; body: string }) => void) | null = null;
  private failed: ((e: Error) => void) | null = null;
  constructor(url: URL) {
    this.socket = connect({ host: url.hostname, port: Number(url.port) });
    this.socket.setNoDelay(true);
    this.socket.on("data", (d: Buffer) => {
      this.buf = this.buf.length === 0 ? d : Buffer.concat([this.buf, d]);
      this.parse();
    });
    this.socket.on("error", (e) => this.failed?.(e));
    this.socket.on("close", () => this.failed?.(new Error("connection closed by the server")));
  }
  private parse() {
    const end = this.buf.indexOf("\r\n\r\n");
    if (end < 0) return;
    const head = this.buf.subarray(0, end).toString("latin1");
    const status = Number(head.slice(9, 12));
    const m = /\r\ncontent-length: *(\d+)/i.exec(head);
    if (!m) throw new Error(`response without content-length: ${head}`);
    const total = end + 4 + Number(m[1]);
    if (this.buf.length < total) return;
    const body = this.buf.subarray(end + 4, total).toString("utf8");
    this.buf = this.buf.subarray(total);
    const done = this.waiting;
    this.waiting = null;
    this.failed = null;
    done?.({ status, body });
  }
  send(bytes: Buffer): Promise<{ status: number; body: string }> {
    return new Promise((resolve, reject) => {
      this.waiting = resolve;
      this.failed = reject;
      this.socket.write(bytes);
    });
  }
  close() {
    this.socket.destroy();
  }
}

/** A pool of CONCURRENCY-or-more connections, each used by one request at a time. */
class Client {
  private readonly idle: Conn[] = [];
  private readonly all: Conn[] = [];
  private readonly url: URL;
  constructor(url: URL) {
    this.url = url;
  }
  async post(w: Webhook): Promise<{ status: number; body: string; ms: number }> {
    const conn = this.idle.pop() ?? this.open();
    const t0 = performance.now();
    const r = await conn.send(w.request);
    const ms = performance.now() - t0;
    this.idle.push(conn);
    return { ...r, ms };
  }
  private open() {
    const c = new Conn(this.url);
    this.all.push(c);
    return c;
  }
  close() {
    for (const c of this.all) c.close();
  }
}

function makeWebhooks(n: number, tag: string): Webhook[] {
  return Array.from({ length: n }, (_, i) => {
    const id = `${tag}-${i}`;
    const w = createSignedGhlWebhook(
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
      { webhookId: id },
    );
    const head = Object.entries(w.headers)
      .map(([k, v]) => `${k}: ${v}\r\n`)
      .join("");
    const request = Buffer.from(
      `POST /webhooks/ghl HTTP/1.1\r\nhost: 127.0.0.1\r\n${head}content-length: ${Buffer.byteLength(w.body)}\r\n\r\n${w.body}`,
    );
    return { id, request };
  });
}

const pct = (xs: readonly number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] ?? Number.NaN;
};
const median = (xs: readonly number[]) => pct(xs, 50);

interface RunResult {
  kind: Kind;
  round: number;
  rps: number;
  p50: number | null;
  p99: number | null;
  acked: number;
  lost: number | null;
  duplicateProblems: number | null;
}

async function closedLoop(client: Client, hooks: readonly Webhook[], acked: Set<string>) {
  let next = 0;
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < hooks.length) {
        const w = hooks[next++] as Webhook;
        const r = await client.post(w);
        if (r.status === 200) acked.add(w.id);
      }
    }),
  );
  return hooks.length / ((performance.now() - t0) / 1000);
}

async function openLoop(client: Client, hooks: readonly Webhook[], acked: Set<string>) {
  const latencies: number[] = [];
  const pending: Promise<void>[] = [];
  const start = performance.now();
  for (let i = 0; i < hooks.length; i++) {
    const wait = start + (i * 1000) / RATE - performance.now();
    if (wait > 1) await new Promise((r) => setTimeout(r, wait));
    const w = hooks[i] as Webhook;
    pending.push(
      client.post(w).then((r) => {
        latencies.push(r.ms);
        if (r.status === 200) acked.add(w.id);
      }),
    );
  }
  await Promise.all(pending);
  return { p50: pct(latencies, 50), p99: pct(latencies, 99) };
}

/** Reads the database of a killed server: acknowledged ids missing (row or job), and row counts. */
function readBack(dbPath: string, acked: ReadonlySet<string>) {
  const db = new Database(dbPath, { readonly: true, fileMustExist: true });
  try {
    const stored = new Set(
      (
        db
          .prepare(
            `SELECT i.event_id AS id FROM inbox i JOIN jobs j ON j.key = 'inbox:' || i.id
             WHERE i.source = 'ghl'`,
          )
          .all() as { id: string }[]
      ).map((r) => r.id),
    );
    let lost = 0;
    for (const id of acked) if (!stored.has(id)) lost++;
    const rows = (db.prepare("SELECT COUNT(*) AS n FROM inbox").get() as { n: number }).n;
    const jobs = (db.prepare("SELECT COUNT(*) AS n FROM jobs").get() as { n: number }).n;
    return { lost, rows, jobs };
  } finally {
    db.close();
  }
}

async function run(kind: Kind, round: number): Promise<RunResult> {
  const dir = mkdtempSync(join(tmpdir(), `bench-${kind}-${round}-`));
  const dbPath = join(dir, "bench.db");
  const { url, child } = await startServer(kind, dbPath);
  const client = new Client(url);
  const acked = new Set<string>();
  try {
    const warm = makeWebhooks(WARMUP, `${kind}-${round}-warm`);
    await closedLoop(client, warm, acked);
    const rps = await closedLoop(client, makeWebhooks(REQUESTS, `${kind}-${round}-tp`), acked);
    let p50: number | null = null;
    let p99: number | null = null;
    if (PACED.includes(kind)) {
      const paced = new Client(url);
      ({ p50, p99 } = await openLoop(
        paced,
        makeWebhooks(RATE * RATE_SECONDS, `${kind}-${round}-rate`),
        acked,
      ));
      paced.close();
    }
    let duplicateProblems: number | null = null;
    if (kind === "worker" || kind === "worker-unbatched") {
      // redeliveries of acknowledged events: 200 "duplicate", no second row or job
      duplicateProblems = 0;
      const again = warm.slice(0, DUPLICATES);
      const answers = await Promise.all(again.map((w) => client.post(w)));
      for (const a of answers) if (a.status !== 200 || !a.body.includes('"duplicate"')) duplicateProblems++;
    }
    client.close();
    await kill(child);
    let lost: number | null = null;
    if (durable(kind)) {
      const back = readBack(dbPath, acked);
      lost = back.lost;
      // every stored row is an acknowledged one (no double rows from the duplicates) and has one job
      if (duplicateProblems !== null && (back.rows !== acked.size || back.jobs !== acked.size))
        duplicateProblems += Math.abs(back.rows - acked.size) + Math.abs(back.jobs - acked.size);
    }
    return { kind, round, rps, p50, p99, acked: acked.size, lost, duplicateProblems };
  } finally {
    client.close();
    await kill(child);
    rmSync(dir, { recursive: true, force: true });
  }
}

function withTimeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    p.finally(() => clearTimeout(timer)),
    new Promise<T>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`${what} did not finish in ${ms} ms`)), ms);
    }),
  ]);
}

const f0 = (n: number | null | undefined) => (n === null || n === undefined ? "-" : n.toFixed(0));
const f2 = (n: number | null | undefined) => (n === null || n === undefined ? "-" : n.toFixed(2));

console.log(
  `ingest benchmark: ${ROUNDS} rounds; per server and round ${REQUESTS} signed webhooks closed-loop at ` +
    `concurrency ${CONCURRENCY}, then (${PACED.join(", ")}) ${RATE} req/s open-loop for ${RATE_SECONDS} s\n`,
);
console.log("round | server           |  req/s | p50 ms | p99 ms | acked | lost");
const all: RunResult[] = [];
for (let round = 0; round < ROUNDS; round++) {
  const order = KINDS.map((_, i) => KINDS[(i + round) % KINDS.length] as Kind);
  for (const kind of order) {
    const r = await withTimeout(run(kind, round), RUN_TIMEOUT_MS, `${kind} run`);
    all.push(r);
    console.log(
      `${String(round + 1).padStart(5)} | ${kind.padEnd(16)} | ${f0(r.rps).padStart(6)} | ${f2(r.p50).padStart(6)} | ${f2(r.p99).padStart(6)} | ${String(r.acked).padStart(5)} | ${r.lost ?? "-"}`,
    );
  }
}

const of = (kind: Kind) => all.filter((r) => r.kind === kind);
console.log(`\nmedians over ${ROUNDS} rounds`);
console.log("server           |  req/s | p50 ms | p99 ms");
for (const kind of KINDS) {
  const runs = of(kind);
  const lat = runs.filter((r) => r.p99 !== null);
  console.log(
    `${kind.padEnd(16)} | ${f0(median(runs.map((r) => r.rps))).padStart(6)} | ${(lat.length ? f2(median(lat.map((r) => r.p50 as number))) : "-").padStart(6)} | ${(lat.length ? f2(median(lat.map((r) => r.p99 as number))) : "-").padStart(6)}`,
  );
}

/** Median over rounds of (a's req/s / b's req/s) measured in the same round. */
function ratio(a: Kind, b: Kind): { median: number; each: number[] } | null {
  if (!KINDS.includes(a) || !KINDS.includes(b)) return null;
  const each: number[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    const x = all.find((r) => r.kind === a && r.round === round);
    const y = all.find((r) => r.kind === b && r.round === round);
    if (x && y) each.push(x.rps / y.rps);
  }
  return { median: median(each), each };
}
const show = (label: string, r: ReturnType<typeof ratio>, target?: number) => {
  if (!r) return;
  const verdict =
    target === undefined
      ? ""
      : r.median >= target
        ? `  (target >= ${target}: met)`
        : `  (target >= ${target}: NOT met)`;
  console.log(
    `${label.padEnd(62)} ${r.median.toFixed(2)}x  [rounds: ${r.each.map((x) => x.toFixed(2)).join(", ")}]${verdict}`,
  );
};
console.log("\nratios (each computed within one round; median over rounds)");
show("worker / floor-batched (both group commit: like for like)", ratio("worker", "floor-batched"), 0.8);
show("worker-unbatched / floor (both one commit per request)", ratio("worker-unbatched", "floor"), 0.8);
show("worker / floor (production worker vs per-request floor)", ratio("worker", "floor"));
show("worker / bare Fastify (a route that does nothing)", ratio("worker", "bare"));
show("worker-unbatched / bare Fastify", ratio("worker-unbatched", "bare"));

const workerLat = of("worker").filter((r) => r.p99 !== null);
if (workerLat.length > 0) {
  const p99 = median(workerLat.map((r) => r.p99 as number));
  console.log(
    `\nworker latency at ${RATE} req/s: p50 ${f2(median(workerLat.map((r) => r.p50 as number)))} ms, p99 ${f2(p99)} ms (median over rounds; target p99 < 20 ms: ${p99 < 20 ? "met" : "NOT met"})`,
  );
}
const lost = all.reduce((n, r) => n + (r.lost ?? 0), 0);
const acked = all.filter((r) => durable(r.kind)).reduce((n, r) => n + r.acked, 0);
console.log(
  `acknowledged events lost: ${lost} (of ${acked} acknowledged, read back after SIGKILL of each server)`,
);
const dup = all.reduce((n, r) => n + (r.duplicateProblems ?? 0), 0);
if (KINDS.some((k) => k.startsWith("worker")))
  console.log(`duplicate redeliveries not answered 200 "duplicate" or stored twice: ${dup}`);
if (lost !== 0 || dup !== 0) process.exitCode = 1;
