import { openMemoryStore, type Store } from "@ghl-bulksms/store";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { IncomingEvent } from "../ports.js";
import { createStoreIngestor } from "./store-ingestor.js";

const event = (id: string, extra: Partial<IncomingEvent> = {}): IncomingEvent => ({
  source: "ghl",
  eventId: id,
  eventType: "ContactUpdate",
  locationId: "loc1",
  payload: `{"webhookId":"${id}"}`,
  receivedAt: 1_000,
  ...extra,
});

describe("createStoreIngestor group commit", () => {
  let store: Store;
  let transactions: number;
  beforeEach(() => {
    store = openMemoryStore();
    transactions = 0;
    // every commit of the ingest path is one store.inbox.ingest call (atomic: one transaction, or on
    // PostgreSQL one statement)
    const inbox = store.inbox;
    store = {
      ...store,
      inbox: {
        ...inbox,
        ingest: (events, job) => {
          transactions++;
          return inbox.ingest(events, job);
        },
      },
    } as Store;
  });
  afterEach(async () => {
    await store.close();
  });

  it("commits the requests of one event-loop turn in one transaction, each answered after the commit", async () => {
    const ingestor = createStoreIngestor(store);
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) => ingestor.ingest([event(`e${i}`)])),
    );
    expect(transactions).toBe(1);
    expect(results.every((r) => r.ok && r.inserted === 1 && r.duplicates === 0)).toBe(true);
    expect((await store.inbox.lag()).pending).toBe(20);
    const jobs = await store.jobs.claim({ workerId: "t", leaseMs: 1000, limit: 100, now: 2_000 });
    expect(jobs).toHaveLength(20);
  });

  it("answers the second delivery of an event in the same batch as a duplicate, with one row and one job", async () => {
    const ingestor = createStoreIngestor(store);
    const [a, b] = await Promise.all([ingestor.ingest([event("same")]), ingestor.ingest([event("same")])]);
    expect(a).toEqual({ ok: true, inserted: 1, duplicates: 0 });
    expect(b).toEqual({ ok: true, inserted: 0, duplicates: 1 });
    expect((await store.inbox.lag()).pending).toBe(1);
    const jobs = await store.jobs.claim({ workerId: "t", leaseMs: 1000, limit: 10, now: 2_000 });
    expect(jobs).toHaveLength(1);
  });

  it("isolates a failing request: the others of its batch still commit", async () => {
    const ingestor = createStoreIngestor(store);
    const poison = event("bad", { payload: null as unknown as string }); // NOT NULL constraint
    const results = await Promise.all([
      ingestor.ingest([event("ok1")]),
      ingestor.ingest([poison]),
      ingestor.ingest([event("ok2")]),
    ]);
    expect(results[0]).toEqual({ ok: true, inserted: 1, duplicates: 0 });
    expect(results[1]).toMatchObject({ ok: false, error: { code: "unavailable" } });
    expect(results[2]).toEqual({ ok: true, inserted: 1, duplicates: 0 });
    expect((await store.inbox.lag()).pending).toBe(2);
  });

  it("splits a turn's requests into batches of at most maxBatchEvents", async () => {
    const ingestor = createStoreIngestor(store, { maxBatchEvents: 4 });
    const results = await Promise.all(
      Array.from({ length: 10 }, (_, i) => ingestor.ingest([event(`m${i}`)])),
    );
    expect(results.every((r) => r.ok && r.inserted === 1)).toBe(true);
    expect(transactions).toBe(3);
  });

  /** The store, with ingest calls recorded and held at a gate (for batches that `holds`) until released. */
  function gatedStore(holds: (eventIds: string[]) => boolean) {
    const inbox = store.inbox;
    const batches: string[][] = [];
    let release: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    const gated = {
      ...store,
      inbox: {
        ...inbox,
        ingest: async (events, job) => {
          const ids = events.map((e) => e.eventId);
          batches.push(ids);
          if (holds(ids)) await gate;
          return inbox.ingest(events, job);
        },
      } as Store["inbox"],
    } as Store;
    return { gated, batches, release: () => release() };
  }

  it("commits one batch at a time: requests arriving while it commits go together in the next one", async () => {
    const { gated, batches, release } = gatedStore(() => true); // the first commit is slow
    const ingestor = createStoreIngestor(gated);
    const turn = () => new Promise((r) => setImmediate(r));
    const first = ingestor.ingest([event("a")]);
    await turn();
    const later: Promise<unknown>[] = [];
    for (const id of ["b", "c", "d"]) {
      later.push(ingestor.ingest([event(id)])); // each in an event-loop turn of its own
      await turn();
    }
    expect(batches).toEqual([["a"]]); // b, c and d wait for a's commit
    release();
    const results = await Promise.all([first, ...later]);
    expect(batches).toEqual([["a"], ["b", "c", "d"]]);
    expect(results.every((r) => (r as { ok: boolean; inserted: number }).inserted === 1)).toBe(true);
    expect((await store.inbox.lag()).pending).toBe(4);
  });

  it("with maxInFlight 2, a second batch commits while the first is still under way", async () => {
    const { gated, batches, release } = gatedStore((ids) => ids[0] === "a");
    const ingestor = createStoreIngestor(gated, { maxInFlight: 2 });
    const first = ingestor.ingest([event("a")]);
    await new Promise((r) => setImmediate(r));
    expect(await ingestor.ingest([event("b")])).toEqual({ ok: true, inserted: 1, duplicates: 0 });
    expect(batches).toEqual([["a"], ["b"]]);
    release();
    expect(await first).toEqual({ ok: true, inserted: 1, duplicates: 0 });
  });

  it("with groupCommit off, uses one transaction per request", async () => {
    const ingestor = createStoreIngestor(store, { groupCommit: false });
    await Promise.all(Array.from({ length: 5 }, (_, i) => ingestor.ingest([event(`u${i}`)])));
    expect(transactions).toBe(5);
    expect((await store.inbox.lag()).pending).toBe(5);
  });

  it("answers every request of a batch 'unavailable' when the store is closed", async () => {
    const ingestor = createStoreIngestor(store);
    await store.close();
    const results = await Promise.all([ingestor.ingest([event("x")]), ingestor.ingest([event("y")])]);
    for (const r of results) expect(r).toMatchObject({ ok: false, error: { code: "unavailable" } });
  });
});
