// One server for the ingest benchmark, in its own process so the load generator does not share its event
// loop. Every durable kind opens its database the same way (the store's migrations, WAL, synchronous=NORMAL:
// a committed row survives a crash of the process; use FULL for power loss) and answers 200 only after the
// row and its job have committed.
//
//   worker            the real route: buildServer + createStoreIngestor + createGhlVerifier, as app.ts wires
//                     them (Fastify, raw body, Ed25519 verify, replay window, overload gauge, metrics,
//                     logger at "info" with output discarded), group commit on (the production default)
//   worker-unbatched  the same with group commit off: one transaction per request
//   floor             node:http doing only the unavoidable work, with better-sqlite3 directly (no store
//                     abstraction): read the body, verify the same Ed25519 signature, parse, check type and
//                     timestamp window, insert the same inbox row + job in one transaction per request
//   floor-batched     the floor with the same group commit as the worker (requests of one event-loop turn
//                     committed together, each answered after its commit)
//   bare              a Fastify route that does nothing
// On PostgreSQL (BENCH_DB is a postgres:// URL of a fresh database; the store's migrations create the schema):
//   pg-worker         the real route as `worker`, on the PostgreSQL store (its pool, Kysely), group commit on
//   pg-worker-unbatched  the same, one transaction per request
//   pg-floor          node:http: read the body, the same Ed25519 check, parse, type and timestamp window, then
//                     ONE statement per request (inbox row + job in one CTE, a named prepared statement, one
//                     round trip, autocommit) on a pg pool of the store's default size
import { createPublicKey, verify } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import { parseBulkSmsWebhook } from "@ghl-bulksms/bulksms";
import { openSqliteStore, openStore } from "@ghl-bulksms/store";
import Database from "better-sqlite3";
import Fastify from "fastify";
import pg from "pg";
import { createGhlVerifier } from "../src/adapters/ghl-verifier.ts";
import { createStoreIngestor } from "../src/adapters/store-ingestor.ts";
import { createLogger } from "../src/logger.ts";
import { createMetrics } from "../src/metrics.ts";
import { buildServer } from "../src/server.ts";

const kind = process.argv[2];
const dbPath = process.env.BENCH_DB ?? "";
const publicPem = (process.env.BENCH_PUBLIC_KEY ?? "").replace(/\\n/g, "\n");
const TOLERANCE_MS = 15 * 60_000;

/** An empty answer with `status`. */
const fail = (res: ServerResponse, status: number) => res.writeHead(status, { "content-length": 0 }).end();

interface FloorEvent {
  webhookId: string;
  type: string;
  locationId?: unknown;
  timestamp?: unknown;
}

/**
 * The floors' request handler up to the write: reads the body, checks the Ed25519 signature on the raw
 * bytes, parses the JSON and checks the event's id, type and age, as the worker does; answers 401/400
 * itself, and hands a good event to `accept` with its text and receipt time.
 */
function verifiedEvents(
  publicPem: string,
  accept: (res: ServerResponse, event: FloorEvent, text: string, at: number) => void,
): (req: IncomingMessage, res: ServerResponse) => void {
  const key = createPublicKey(publicPem);
  return (req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const body = chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks);
      const sig = req.headers["x-ghl-signature"];
      if (typeof sig !== "string" || !verify(null, body, key, Buffer.from(sig, "base64"))) {
        fail(res, 401);
        return;
      }
      const text = body.toString("utf8");
      let event: { webhookId?: unknown; type?: unknown; locationId?: unknown; timestamp?: unknown };
      try {
        event = JSON.parse(text);
      } catch {
        fail(res, 400);
        return;
      }
      const at = Date.now();
      const ts = typeof event.timestamp === "string" ? Date.parse(event.timestamp) : Number.NaN;
      if (
        typeof event.type !== "string" ||
        typeof event.webhookId !== "string" ||
        !(Math.abs(at - ts) <= TOLERANCE_MS)
      ) {
        fail(res, 400);
        return;
      }
      accept(res, event as FloorEvent, text, at);
    });
  };
}

async function main() {
  if (kind === "bare") {
    const app = Fastify();
    app.post("/webhooks/ghl", async () => ({ ok: true }));
    const url = await app.listen({ host: "127.0.0.1", port: 0 });
    ready(url, async () => app.close());
    return;
  }
  if (kind === "pg-floor") {
    await pgFloor();
    return;
  }
  if (
    kind === "worker" ||
    kind === "worker-unbatched" ||
    kind === "pg-worker" ||
    kind === "pg-worker-unbatched"
  ) {
    const store = await openStore({ database: dbPath, encryptionKey: Buffer.alloc(32, 3) });
    const app = buildServer({
      options: {
        bodyLimitBytes: 1024 * 1024,
        overloadThreshold: 10_000_000,
        bulksmsWebhookSecret: null,
        workflowWebhookSecret: null,
      },
      ingestor: createStoreIngestor(store, { groupCommit: kind === "worker" || kind === "pg-worker" }),
      verifyGhl: createGhlVerifier({ ed25519PublicKey: publicPem, toleranceMs: TOLERANCE_MS }),
      parseBulkSms: parseBulkSmsWebhook,
      readiness: { check: async () => ({ ok: true as const }) },
      locations: { admit: async () => ({ ok: true as const }) },
      metrics: createMetrics(),
      logger: createLogger({ level: "info", destination: { write: () => undefined } as never }), // production level, output discarded
      now: Date.now,
      isShuttingDown: () => false,
    });
    const url = await app.listen({ host: "127.0.0.1", port: 0 });
    ready(url, async () => {
      await app.close();
      await store.close();
    });
    return;
  }
  if (kind === "floor" || kind === "floor-batched") {
    floor(kind === "floor-batched");
    return;
  }
  throw new Error(`unknown kind ${kind}`);
}

interface Row {
  readonly eventId: string;
  readonly eventType: string;
  readonly locationId: string | null;
  readonly payload: string;
  readonly receivedAt: number;
}

function floor(batched: boolean) {
  // the store creates and migrates the schema, then the floor writes with its own connection
  openSqliteStore({ path: dbPath, encryptionKey: Buffer.alloc(32, 3) })
    .close()
    .catch(() => undefined);
  const db = new Database(dbPath);
  db.pragma("busy_timeout = 5000");
  db.pragma("journal_mode = WAL");
  db.pragma("synchronous = NORMAL");
  db.pragma("foreign_keys = ON");
  const insertInbox = db.prepare(
    `INSERT INTO inbox (source, event_id, event_type, location_id, payload, received_at)
     VALUES ('ghl', ?, ?, ?, ?, ?) ON CONFLICT (source, event_id) DO NOTHING RETURNING id`,
  );
  const insertJob = db.prepare(
    `INSERT INTO jobs (name, payload, key, location_id, priority, state, run_at, created_at, updated_at)
     VALUES ('inbox.process', ?, ?, ?, 0, 'queued', ?, ?, ?) ON CONFLICT (key) DO NOTHING`,
  );
  const insertAll = db.transaction((rows: readonly Row[]) => {
    for (const r of rows) {
      const row = insertInbox.get(r.eventId, r.eventType, r.locationId, r.payload, r.receivedAt) as
        | { id: number }
        | undefined;
      if (row)
        insertJob.run(
          `{"inboxId":${row.id}}`,
          `inbox:${row.id}`,
          r.locationId,
          r.receivedAt,
          r.receivedAt,
          r.receivedAt,
        );
    }
  });
  const ok = (res: ServerResponse) =>
    res.writeHead(200, { "content-type": "application/json", "content-length": 11 }).end('{"ok":true}');
  const busy = (res: ServerResponse) => fail(res, 429);

  let queue: { row: Row; res: ServerResponse }[] = [];
  const flush = () => {
    const batch = queue;
    queue = [];
    try {
      insertAll.immediate(batch.map((b) => b.row));
    } catch {
      for (const b of batch) busy(b.res);
      return;
    }
    for (const b of batch) ok(b.res);
  };

  const server = createServer(
    verifiedEvents(publicPem, (res, event, text, at) => {
      const row: Row = {
        eventId: event.webhookId,
        eventType: event.type,
        locationId: typeof event.locationId === "string" ? event.locationId : null,
        payload: text,
        receivedAt: at,
      };
      if (batched) {
        if (queue.length === 0) setImmediate(flush);
        queue.push({ row, res });
        return;
      }
      try {
        insertAll.immediate([row]);
      } catch {
        busy(res);
        return;
      }
      ok(res);
    }),
  );
  // Fastify's keep-alive timeout (node:http's default of 5 s would close connections left idle while the
  // benchmark drives the other servers)
  server.keepAliveTimeout = 72_000;
  server.listen(0, "127.0.0.1", () => {
    const addr = server.address();
    const port = typeof addr === "object" && addr ? addr.port : 0;
    ready(`http://127.0.0.1:${port}`, async () => {
      await new Promise<void>((r) => server.close(() => r()));
      db.close();
    });
  });
}

/** The floor on PostgreSQL: the unavoidable work, then one prepared INSERT round trip per request. */
async function pgFloor() {
  // the store creates and migrates the schema, then the floor writes with its own pool
  await (await openStore({ database: dbPath, encryptionKey: Buffer.alloc(32, 3) })).close();
  const pool = new pg.Pool({ connectionString: dbPath, max: 10 });
  const insert = {
    name: "floor-ingest",
    text: `WITH i AS (
             INSERT INTO inbox (source, event_id, event_type, location_id, payload, received_at)
             VALUES ('ghl', $1, $2, $3, $4, $5) ON CONFLICT (source, event_id) DO NOTHING RETURNING id)
           INSERT INTO jobs (name, payload, key, location_id, priority, state, run_at, created_at, updated_at)
           SELECT 'inbox.process', jsonb_build_object('inboxId', i.id), 'inbox:' || i.id, $3, 0, 'queued', $5, $5, $5
           FROM i ON CONFLICT (key) DO NOTHING`,
  };
  const server = createServer(
    verifiedEvents(publicPem, (res, event, text, at) => {
      const locationId = typeof event.locationId === "string" ? event.locationId : null;
      pool.query({ ...insert, values: [event.webhookId, event.type, locationId, text, at] }).then(
        () =>
          res.writeHead(200, { "content-type": "application/json", "content-length": 11 }).end('{"ok":true}'),
        () => fail(res, 503),
      );
    }),
  );
  server.keepAliveTimeout = 72_000;
  server.listen(0, "127.0.0.1", () => {
    const addr = server.address();
    const port = typeof addr === "object" && addr ? addr.port : 0;
    ready(`http://127.0.0.1:${port}`, async () => {
      await new Promise<void>((r) => server.close(() => r()));
      await pool.end();
    });
  });
}

function ready(url: string, close: () => Promise<void>) {
  process.stdout.write(`READY ${url}\n`);
  process.on("SIGTERM", () => {
    close().then(() => process.exit(0));
  });
}

void main();
