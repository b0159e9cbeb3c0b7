// Ingestor over @ghl-bulksms/store: each event's inbox row and the job that processes it commit in one
// transaction, so an acknowledged event is never lost and never processed twice.
//
// Group commit (default on): the requests whose bodies complete in the same event-loop turn are committed
// together in ONE transaction at the end of that turn (setImmediate), and each request is answered only
// after that transaction has committed, so "durable before 2xx" holds for every one of them. Under light
// load a batch holds a single request and nothing waits; under load, one commit (the WAL write of the same
// few index and table pages) is shared by many requests. If a batch fails for any reason other than a busy
// database, its requests are retried one transaction each, so one poisonous event cannot fail the others.
//
// One batch is committed at a time by default (`maxInFlight`): the requests that arrive while it commits
// wait and go together in the next one, instead of each event-loop turn sending a statement of its own.
// Every statement has a fixed cost (on PostgreSQL the round trip, the driver's query building, and the
// parse and plan of the ingest statement in its backend: ~70 µs of worker CPU and ~320 µs of database CPU
// more than a prepared single-row INSERT), so fewer, larger batches are cheaper. In the ingest benchmark
// (BENCH_STORE=postgres, 16 connections) batches grew from ~6 to ~8 requests and the database CPU per
// request fell by ~15%. The one-by-one retries of a failed batch do not hold the slot.
import type { Store } from "@ghl-bulksms/store";
import { INBOX_PROCESS_JOB } from "../jobs.js";
import type { IncomingEvent, Ingestor, IngestResult } from "../ports.js";

export interface StoreIngestorOptions {
  readonly now?: () => number;
  /** Commit the requests of one event-loop turn in one transaction (default true). */
  readonly groupCommit?: boolean;
  /** Most events in one group commit (default 512). */
  readonly maxBatchEvents?: number;
  /** Most group commits under way at once (default 1); requests arriving meanwhile wait for the next. */
  readonly maxInFlight?: number;
}

/** SQLITE_BUSY / SQLITE_LOCKED: another writer holds the lock beyond the busy timeout. */
export function isBusyError(e: unknown): boolean {
  const code = (e as { code?: unknown } | null)?.code;
  return typeof code === "string" && /^SQLITE_(BUSY|LOCKED)/.test(code);
}

type Counts = { readonly ok: true; readonly inserted: number; readonly duplicates: number };

/** The events' inbox rows and jobs, all or nothing: one statement on PostgreSQL (store.inbox.ingest). */
async function insertAll(
  store: Pick<Store, "inbox">,
  events: readonly IncomingEvent[],
): Promise<readonly boolean[]> {
  const results = await store.inbox.ingest(events, { name: INBOX_PROCESS_JOB, keyPrefix: "inbox:" });
  return results.map((r) => r.inserted);
}

function counts(inserted: readonly boolean[]): Counts {
  const n = inserted.filter(Boolean).length;
  return { ok: true, inserted: n, duplicates: inserted.length - n };
}

function failure(e: unknown): IngestResult {
  return {
    ok: false,
    error: {
      code: isBusyError(e) ? "busy" : "unavailable",
      message: (e as Error)?.message ?? String(e),
    },
  };
}

interface Waiting {
  readonly events: readonly IncomingEvent[];
  readonly resolve: (result: IngestResult) => void;
}

export function createStoreIngestor(store: Store, options: StoreIngestorOptions = {}): Ingestor {
  const now = options.now ?? store.now;
  const groupCommit = options.groupCommit ?? true;
  const maxBatchEvents = Math.max(1, options.maxBatchEvents ?? 512);
  const maxInFlight = Math.max(1, options.maxInFlight ?? 1);

  async function ingestOne(events: readonly IncomingEvent[]): Promise<IngestResult> {
    try {
      return counts(await insertAll(store, events));
    } catch (e) {
      return failure(e);
    }
  }

  let queue: Waiting[] = [];
  let scheduled = false;
  let inFlight = 0;

  function schedule() {
    if (scheduled || inFlight >= maxInFlight) return;
    scheduled = true;
    setImmediate(() => {
      scheduled = false;
      if (queue.length === 0) return;
      inFlight++;
      const done = () => {
        inFlight--;
        // what arrived while this batch was committing goes in the next one
        if (queue.length > 0) schedule();
      };
      flush().then(done, done);
    });
  }

  /** A failed batch's requests, each in a transaction of its own. */
  async function isolate(batch: readonly Waiting[]): Promise<void> {
    for (const w of batch) w.resolve(await ingestOne(w.events));
  }

  async function flush(): Promise<void> {
    // take whole requests up to maxBatchEvents (a single larger request goes alone)
    let n = 0;
    let events = 0;
    while (n < queue.length && (n === 0 || events + (queue[n]?.events.length ?? 0) <= maxBatchEvents)) {
      events += queue[n]?.events.length ?? 0;
      n++;
    }
    const batch = queue.slice(0, n);
    queue = queue.slice(n);
    if (queue.length > 0) schedule();
    if (batch.length === 1) {
      const only = batch[0] as Waiting;
      only.resolve(await ingestOne(only.events));
      return;
    }
    let inserted: readonly boolean[];
    try {
      inserted = await insertAll(
        store,
        batch.flatMap((w) => w.events),
      );
    } catch (e) {
      if (isBusyError(e)) {
        const result = failure(e);
        for (const w of batch) w.resolve(result);
        return;
      }
      // isolate the failing request: everyone else still gets their own commit (outside the in-flight
      // bound, so the next batch does not wait for these retries)
      void isolate(batch);
      return;
    }
    let at = 0;
    for (const w of batch) {
      w.resolve(counts(inserted.slice(at, at + w.events.length)));
      at += w.events.length;
    }
  }

  return {
    ingest(events: readonly IncomingEvent[]): Promise<IngestResult> {
      if (events.length === 0) return Promise.resolve({ ok: true, inserted: 0, duplicates: 0 });
      if (!groupCommit) return ingestOne(events);
      return new Promise<IngestResult>((resolve) => {
        queue.push({ events, resolve });
        schedule();
      });
    },
    async backlog() {
      const lag = await store.inbox.lag(now());
      return { pending: lag.pending, lagMs: lag.lagMs };
    },
  };
}
