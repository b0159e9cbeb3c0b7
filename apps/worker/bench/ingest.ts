// `pnpm bench` in apps/worker: signed GHL webhooks ingested per second with durable persistence.
//
// Servers (see serve.ts), each in its own process on 127.0.0.1, all on the same schema and durability
// (WAL, synchronous=NORMAL, 200 only after the inbox row + job committed):
//   worker (group commit, the production default), worker-unbatched (one transaction per request),
//   floor (minimal node:http + better-sqlite3, one transaction per request), floor-batched (the floor with
//   the worker's group commit), bare (a Fastify route that does nothing).
//
// Method: all servers are started at once (an idle one costs nothing) and warmed up. Throughput: CYCLES
// cycles; in each cycle every server gets one closed-loop slice of SLICE signed webhooks over CONCURRENCY
// keep-alive connections, in an order that rotates each cycle. The machine is shared and noisy, so servers
// are compared slice by slice: a ratio is computed within each cycle (slices a fraction of a second apart)
// and the median over cycles is reported, with the interquartile range, for wall-clock req/s and for
// requests per CPU-second of the server process (also over all slices together: the target's figure).
// Latency: worker and floor are driven open-loop at RATE req/s in alternating 1-second slices, RATE_SECONDS
// each; p50/p99 are over all their requests (the floor's p99 shows what the machine itself adds). Then the worker gets redeliveries
// of acknowledged events (each must be answered 200 "duplicate"), every server is SIGKILLed, and each
// database is read back: every acknowledged webhookId must be in the inbox with its job, once (on
// PostgreSQL the worker's job also in graphile-worker, the job queue there).
//
// BENCH_STORE=postgres (`pnpm bench` runs both): the same method on PostgreSQL, each server on a fresh
// database of its own (BENCH_DATABASE_URL, else TEST_DATABASE_URL, else a throwaway cluster from the
// PostgreSQL binaries on the machine): pg-worker (the real route on the PostgreSQL store, group commit),
// pg-worker-unbatched, and pg-floor (node:http, the Ed25519 check and ONE prepared INSERT round trip per
// request; see serve.ts). Target: pg-worker >= 0.8x pg-floor in requests per CPU-second. On PostgreSQL the
// CPU of each server's database backends is read too (their pids from pg_stat_activity, their run time from
// /proc when the server is on this machine), since the statements a server sends cost CPU there as well.
import { type ChildProcess, execSync, spawn } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { connect, type Socket } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createSignedGhlWebhook, generateGhlWebhookTestKeys } from "@ghl-bulksms/ghl/testing";
import { createTestDatabase, startTestPostgres, type TestPostgres } from "@ghl-bulksms/store/testing";
import Database from "better-sqlite3";
import pg from "pg";

/** Closed-loop slices per server, and requests per slice. */
const CYCLES = Number(process.env.BENCH_CYCLES ?? 15);
const SLICE = Number(process.env.BENCH_SLICE ?? 300);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 16);
const RATE = Number(process.env.BENCH_RATE ?? 500);
/** Open-loop seconds per paced server, in 1-second slices alternating between them. */
const RATE_SECONDS = Number(process.env.BENCH_RATE_SECONDS ?? 6);
const WARMUP = 400;
const DUPLICATES = 100;
/** Bound on the whole benchmark; it fails rather than hang. */
const TOTAL_TIMEOUT_MS = 300_000;

const POSTGRES = process.env.BENCH_STORE === "postgres";
const SQLITE_KINDS = ["floor", "floor-batched", "worker", "worker-unbatched", "bare"] as const;
const POSTGRES_KINDS = ["pg-floor", "pg-worker", "pg-worker-unbatched"] as const;
type Kind = (typeof SQLITE_KINDS)[number] | (typeof POSTGRES_KINDS)[number];
const KINDS: readonly Kind[] = process.env.BENCH_KINDS
  ? (process.env.BENCH_KINDS.split(",") as Kind[])
  : POSTGRES
    ? POSTGRES_KINDS
    : SQLITE_KINDS;
const PACED: readonly Kind[] = POSTGRES ? ["pg-worker", "pg-floor"] : ["worker", "floor"];
const isWorker = (k: Kind) => k.includes("worker");
const durable = (k: Kind) => k !== "bare";

const keys = generateGhlWebhookTestKeys();
type Webhook = { id: string; request: Buffer };

const CLOCK_TICKS = (() => {
  try {
    return Number(execSync("getconf CLK_TCK", { encoding: "utf8" }).trim()) || 100;
  } catch {
    return 100;
  }
})();

/**
 * CPU seconds a process (all its threads) has used so far, from /proc (Linux); null elsewhere. The
 * scheduler's nanosecond run time of each thread (schedstat) when the kernel has it: the stat file's
 * 10 ms ticks are too coarse to compare two servers slice by slice (a slice costs ~100 ms of CPU).
 */
function cpuSeconds(pid: number | undefined): number | null {
  if (pid === undefined) return null;
  try {
    let ns = 0;
    for (const task of readdirSync(`/proc/${pid}/task`))
      ns += Number(readFileSync(`/proc/${pid}/task/${task}/schedstat`, "utf8").split(" ")[0]);
    if (ns > 0) return ns / 1e9;
  } catch {
    // no schedstat (or the process is gone): the stat file's ticks
  }
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS; // utime, stime
  } catch {
    return null;
  }
}

/**
 * CPU seconds used so far by the PostgreSQL backends serving database `name`, by pid (their /proc stat;
 * null when the server is not on this machine). The node server's own CPU is only half of what a request
 * costs on PostgreSQL: the backends parse, plan and execute its statements on the same two cores.
 */
async function backendCpu(admin: pg.Client | null, name: string): Promise<Map<number, number> | null> {
  if (!admin) return null;
  const { rows } = await admin.query<{ pid: number }>(
    "SELECT pid FROM pg_stat_activity WHERE datname = $1 AND backend_type = 'client backend'",
    [name],
  );
  const out = new Map<number, number>();
  for (const { pid } of rows) {
    let comm: string;
    try {
      comm = readFileSync(`/proc/${pid}/comm`, "utf8");
    } catch {
      continue; // exited since the query
    }
    // a pid of another machine's server that happens to exist here
    if (!comm.startsWith("postgres")) return null;
    const s = cpuSeconds(pid);
    if (s !== null) out.set(pid, s);
  }
  return out;
}

/** CPU the backends used between two readings (a backend opened in between counts from zero). */
function backendDelta(before: Map<number, number> | null, after: Map<number, number> | null): number | null {
  if (!before || !after) return null;
  let sum = 0;
  for (const [pid, s] of after) sum += s - (before.get(pid) ?? 0);
  return sum;
}

/** Every server started, so a timeout can still kill them all. */
const children = new Set<ChildProcess>();

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
  children.add(child);
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
  /** closed by either side (e.g. a server's keep-alive timeout while another server was being driven) */
  closed = false;
  constructor(url: URL) {
    this.socket = connect({ host: url.hostname, port: Number(url.port) });
    this.socket.setNoDelay(true);
    this.socket.on("data", (d: Buffer) => {
      this.buf = this.buf.length === 0 ? d : Buffer.concat([this.buf, d]);
      this.parse();
    });
    this.socket.on("error", (e) => this.failed?.(e));
    this.socket.on("close", () => {
      this.closed = true;
      this.failed?.(new Error("connection closed by the server during a request"));
    });
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
    let conn = this.idle.pop();
    while (conn?.closed) conn = this.idle.pop();
    conn ??= this.open();
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
  return (performance.now() - t0) / 1000;
}

async function openLoop(client: Client, hooks: readonly Webhook[], acked: Set<string>, latencies: number[]) {
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
}

/**
 * readBack on PostgreSQL (the same query). With `graphile` (the worker's servers: their store runs jobs on
 * graphile-worker), an acknowledged event also needs its job in graphile-worker; the floor writes no such job.
 */
async function readBackPostgres(url: string, acked: ReadonlySet<string>, graphile: boolean) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const stored = new Set(
      (
        await client.query<{ id: string }>(
          `SELECT i.event_id AS id FROM inbox i JOIN jobs j ON j.key = 'inbox:' || i.id
           ${graphile ? "JOIN graphile_worker.jobs g ON g.key = 'job:' || j.id" : ""}
           WHERE i.source = 'ghl'`,
        )
      ).rows.map((r) => r.id),
    );
    let lost = 0;
    for (const id of acked) if (!stored.has(id)) lost++;
    const rows = Number((await client.query("SELECT COUNT(*) AS n FROM inbox")).rows[0]?.n);
    const jobs = Number((await client.query("SELECT COUNT(*) AS n FROM jobs")).rows[0]?.n);
    return { lost, rows, jobs };
  } finally {
    await client.end();
  }
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

interface Server {
  readonly kind: Kind;
  readonly dir: string;
  readonly dbPath: string;
  /** PostgreSQL database name (null on SQLite) */
  readonly dbName: string | null;
  /** its PostgreSQL backends' CPU seconds during the closed-loop slices (null: not measurable here) */
  pgCpu: number | null;
  readonly child: ChildProcess;
  readonly client: Client;
  readonly acked: Set<string>;
  readonly sliceRps: number[];
  seconds: number;
  /** the server process's CPU seconds during its closed-loop slices (null: not measurable here) */
  cpu: number | null;
  requests: number;
  readonly latencies: number[];
  warm: Webhook[];
}

/** One closed-loop slice of one server: wall-clock throughput, and requests per CPU-second. */
interface SliceFigures {
  readonly rps: number;
  /** requests per CPU-second of the server process */
  readonly perCpu: number;
  /** requests per CPU-second of the server process plus its PostgreSQL backends (NaN on SQLite) */
  readonly perCpuWithPg: number;
}

const quartiles = (xs: readonly number[]) => [pct(xs, 25), pct(xs, 50), pct(xs, 75)] as const;
const f0 = (n: number) => n.toFixed(0);
const f2 = (n: number) => n.toFixed(2);

async function bench(): Promise<number> {
  const servers: Server[] = [];
  let postgres: TestPostgres | null = null;
  /** reads which backends serve each bench database (their CPU is read from /proc) */
  let admin: pg.Client | null = null;
  const drops: Array<() => Promise<void>> = [];
  try {
    if (POSTGRES) {
      postgres = await startTestPostgres({
        ...process.env,
        ...(process.env.BENCH_DATABASE_URL ? { TEST_DATABASE_URL: process.env.BENCH_DATABASE_URL } : {}),
      });
      console.log(`PostgreSQL: ${postgres.source}`);
      admin = new pg.Client({ connectionString: postgres.url });
      await admin.connect();
    }
    for (const kind of KINDS) {
      const dir = mkdtempSync(join(tmpdir(), `bench-${kind}-`));
      let dbPath = join(dir, "bench.db");
      let dbName: string | null = null;
      if (postgres) {
        const db = await createTestDatabase(postgres.url);
        dbPath = db.url;
        dbName = db.name;
        drops.push(db.drop);
      }
      const { url, child } = await startServer(kind, dbPath);
      servers.push({
        kind,
        dir,
        dbPath,
        dbName,
        pgCpu: 0,
        child,
        client: new Client(url),
        acked: new Set(),
        sliceRps: [],
        seconds: 0,
        cpu: 0,
        requests: 0,
        latencies: [],
        warm: [],
      });
    }
    for (const s of servers) {
      s.warm = makeWebhooks(WARMUP, `${s.kind}-warm`);
      await closedLoop(s.client, s.warm, s.acked);
    }

    // closed loop, interleaved slices
    const perCycle: Map<Kind, SliceFigures>[] = [];
    for (let cycle = 0; cycle < CYCLES; cycle++) {
      const figures = new Map<Kind, SliceFigures>();
      for (let i = 0; i < servers.length; i++) {
        const s = servers[(i + cycle) % servers.length] as Server;
        const hooks = makeWebhooks(SLICE, `${s.kind}-c${cycle}`);
        const pg0 = s.dbName ? await backendCpu(admin, s.dbName) : null;
        const cpu0 = cpuSeconds(s.child.pid);
        const seconds = await closedLoop(s.client, hooks, s.acked);
        const cpu1 = cpuSeconds(s.child.pid);
        const pgUsed = s.dbName ? backendDelta(pg0, await backendCpu(admin, s.dbName)) : null;
        const used = cpu0 === null || cpu1 === null ? null : cpu1 - cpu0;
        s.cpu = used === null || s.cpu === null ? null : s.cpu + used;
        s.pgCpu = pgUsed === null || s.pgCpu === null ? null : s.pgCpu + pgUsed;
        s.seconds += seconds;
        s.requests += SLICE;
        s.sliceRps.push(SLICE / seconds);
        figures.set(s.kind, {
          rps: SLICE / seconds,
          perCpu: used ? SLICE / used : Number.NaN,
          perCpuWithPg: used && pgUsed !== null ? SLICE / (used + pgUsed) : Number.NaN,
        });
      }
      perCycle.push(figures);
    }

    // open loop at RATE, alternating 1-second slices
    const paced = servers.filter((s) => PACED.includes(s.kind));
    for (let second = 0; second < RATE_SECONDS; second++) {
      for (let i = 0; i < paced.length; i++) {
        const s = paced[(i + second) % paced.length] as Server;
        await openLoop(s.client, makeWebhooks(RATE, `${s.kind}-r${second}`), s.acked, s.latencies);
      }
    }

    // redeliveries of acknowledged events: 200 "duplicate", no second row or job
    let duplicateProblems = 0;
    for (const s of servers.filter((x) => isWorker(x.kind))) {
      for (const w of s.warm.slice(0, DUPLICATES)) {
        const a = await s.client.post(w);
        if (a.status !== 200 || !a.body.includes('"duplicate"')) duplicateProblems++;
      }
    }

    // crash every server, then read back what it acknowledged
    for (const s of servers) {
      s.client.close();
      await kill(s.child);
    }
    let lost = 0;
    let ackedTotal = 0;
    for (const s of servers.filter((x) => durable(x.kind))) {
      const back = POSTGRES
        ? await readBackPostgres(s.dbPath, s.acked, isWorker(s.kind))
        : readBack(s.dbPath, s.acked);
      lost += back.lost;
      ackedTotal += s.acked.size;
      if (back.rows !== s.acked.size || back.jobs !== s.acked.size)
        duplicateProblems += Math.abs(back.rows - s.acked.size) + Math.abs(back.jobs - s.acked.size);
    }

    // report
    const perCpu = (s: Server) => (s.cpu ? s.requests / s.cpu : null);
    const pgMicros = (s: Server) => (s.pgCpu === null || !s.dbName ? null : (1e6 * s.pgCpu) / s.requests);
    console.log(
      `server           | req/s (all slices) | per-slice req/s p25/median/p75 | req per CPU-s | µs CPU/req |${POSTGRES ? " PG backends µs CPU/req |" : ""} p50 ms | p99 ms`,
    );
    for (const s of servers) {
      const [q1, q2, q3] = quartiles(s.sliceRps);
      const lat = s.latencies.length > 0;
      const c = perCpu(s);
      const pgc = pgMicros(s);
      console.log(
        `${s.kind.padEnd(16)} | ${f0(s.requests / s.seconds).padStart(18)} | ${`${f0(q1)} / ${f0(q2)} / ${f0(q3)}`.padStart(30)} | ${(c ? f0(c) : "n/a").padStart(13)} | ${(c ? f0(1e6 / c) : "n/a").padStart(10)} |${POSTGRES ? ` ${(pgc === null ? "n/a" : f0(pgc)).padStart(22)} |` : ""} ${(lat ? f2(pct(s.latencies, 50)) : "-").padStart(6)} | ${(lat ? f2(pct(s.latencies, 99)) : "-").padStart(6)}`,
      );
    }
    /** over all slices: requests per CPU-second of a over those of b */
    const cpuRatio = (a: Kind, b: Kind, withPg: boolean) => {
      const x = servers.find((s) => s.kind === a);
      const y = servers.find((s) => s.kind === b);
      const per = (s: Server | undefined) =>
        !s?.cpu
          ? null
          : !withPg
            ? s.requests / s.cpu
            : s.pgCpu === null
              ? null
              : s.requests / (s.cpu + s.pgCpu);
      const px = per(x);
      const py = per(y);
      return px && py ? px / py : null;
    };
    /** per cycle (slices a fraction of a second apart): quartiles of a's figure over b's */
    const ratio = (a: Kind, b: Kind, figure: keyof SliceFigures) => {
      const each = perCycle
        .map((c) => (c.get(a)?.[figure] ?? Number.NaN) / (c.get(b)?.[figure] ?? Number.NaN))
        .filter((x) => Number.isFinite(x));
      return each.length > 0 ? quartiles(each) : null;
    };
    const iqr = (r: readonly [number, number, number]) => `${f2(r[1])}x (IQR ${f2(r[0])}-${f2(r[2])})`;
    // The target (issue 13) is in requests per CPU-second, judged on all slices together (total requests over
    // total CPU: the steadiest figure); the wall-clock median is judged too, for the record: on a shared
    // machine it also measures how much CPU each process was given.
    const show = (label: string, a: Kind, b: Kind, target?: number) => {
      const r = ratio(a, b, "rps");
      if (!r) return;
      const verdict = (x: number | null | undefined) =>
        target === undefined || x === null || x === undefined
          ? ""
          : `  >= ${target}: ${x >= target ? "met" : "NOT met"}`;
      const c = ratio(a, b, "perCpu");
      const all = cpuRatio(a, b, false);
      const withPg = ratio(a, b, "perCpuWithPg");
      const allWithPg = cpuRatio(a, b, true);
      const pad = "".padEnd(58);
      console.log(
        `${label.padEnd(58)} wall-clock ${iqr(r)}${verdict(r[1])}` +
          `\n${pad} per CPU-s ${c ? iqr(c) : "n/a"}, all slices ${all === null ? "n/a" : `${f2(all)}x`}${verdict(all)}` +
          (withPg
            ? `\n${pad} per CPU-s with PG backends ${iqr(withPg)}, all slices ${allWithPg === null ? "n/a" : `${f2(allWithPg)}x`}`
            : ""),
      );
    };
    console.log(
      `\nthroughput ratios, median of ${CYCLES} cycles (IQR): wall-clock req/s; requests per CPU-second of the server ` +
        "process (what a shared, noisy machine cannot skew), also over all slices together (the target's figure); " +
        "on PostgreSQL, requests per CPU-second of the server process plus its database backends",
    );
    if (POSTGRES) {
      show("pg-worker / pg-floor (one prepared INSERT per request)", "pg-worker", "pg-floor", 0.8);
      show("pg-worker-unbatched / pg-floor", "pg-worker-unbatched", "pg-floor");
    }
    show("worker / floor-batched (both group commit: like for like)", "worker", "floor-batched", 0.8);
    show("worker-unbatched / floor (both one commit per request)", "worker-unbatched", "floor", 0.8);
    show("worker / floor (production worker vs per-request floor)", "worker", "floor");
    show("worker / bare Fastify (a route that does nothing)", "worker", "bare");
    show("worker-unbatched / bare Fastify", "worker-unbatched", "bare");
    const worker = servers.find((s) => s.kind === PACED[0]);
    const floor = servers.find((s) => s.kind === PACED[1]);
    if (worker && worker.latencies.length > 0) {
      const p99 = pct(worker.latencies, 99);
      console.log(
        `\n${worker.kind} at ${RATE} req/s: p50 ${f2(pct(worker.latencies, 50))} ms, p99 ${f2(p99)} ms (target < 20 ms: ${p99 < 20 ? "met" : "NOT met"})` +
          (floor && floor.latencies.length > 0
            ? `; floor in the same slices: p50 ${f2(pct(floor.latencies, 50))} ms, p99 ${f2(pct(floor.latencies, 99))} ms`
            : ""),
      );
    }
    console.log(`acknowledged events lost: ${lost} (of ${ackedTotal} acknowledged, read back after SIGKILL)`);
    if (KINDS.some(isWorker))
      console.log(
        `duplicate redeliveries not answered 200 "duplicate", or rows/jobs stored twice: ${duplicateProblems}`,
      );
    return lost === 0 && duplicateProblems === 0 ? 0 : 1;
  } finally {
    for (const s of servers) {
      s.client.close();
      await kill(s.child);
      rmSync(s.dir, { recursive: true, force: true });
    }
    await admin?.end().catch(() => undefined);
    for (const drop of drops)
      await drop().catch((e: unknown) => console.error(`dropping a bench database: ${e}`));
    await postgres?.stop();
  }
}

console.log(
  `ingest benchmark: ${KINDS.join(", ")}; ${CYCLES} cycles of ${SLICE}-request closed-loop slices at ` +
    `concurrency ${CONCURRENCY}; (${PACED.join(", ")}) open-loop at ${RATE} req/s for ${RATE_SECONDS} s each\n`,
);
let timer: NodeJS.Timeout | undefined;
process.exitCode = await Promise.race([
  bench().finally(() => clearTimeout(timer)),
  new Promise<number>((_, reject) => {
    timer = setTimeout(() => {
      for (const c of children) c.kill("SIGKILL");
      reject(new Error(`the benchmark did not finish in ${TOTAL_TIMEOUT_MS} ms`));
    }, TOTAL_TIMEOUT_MS);
  }),
]);
