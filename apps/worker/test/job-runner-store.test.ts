// The runner over the real SQLite outbox (store.jobs satisfies the JobQueue port as is).
import { openMemoryStore, type Store } from "@ghl-bulksms/store";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { z } from "zod";
import { createJobRunner } from "../src/job-runner.ts";
import { createLogger } from "../src/logger.ts";
import type { JobRegistry } from "../src/ports.ts";

type Catalog = { "t.run": { n: number } };
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const silent = createLogger({ level: "silent" });

let store: Store;
beforeEach(() => {
  store = openMemoryStore();
});
afterEach(() => store.close());

describe("job runner on the SQLite outbox", () => {
  it("respects per-location concurrency, retries, dead-letters with the last error", async () => {
    for (let i = 0; i < 6; i++)
      await store.jobs.enqueue({ name: "t.run", key: `a${i}`, payload: { n: i }, locationId: "A" });
    for (let i = 0; i < 3; i++)
      await store.jobs.enqueue({ name: "t.run", key: `b${i}`, payload: { n: 10 + i }, locationId: "B" });
    await store.jobs.enqueue({ name: "t.run", key: "bad", payload: { n: -1 }, locationId: "B" });
    const active = new Map<string, number>();
    let peakA = 0;
    let peakB = 0;
    const registry: JobRegistry<Catalog> = {
      "t.run": {
        schema: z.object({ n: z.number() }),
        handler: async ({ n }, ctx) => {
          const loc = ctx.locationId ?? "";
          active.set(loc, (active.get(loc) ?? 0) + 1);
          peakA = Math.max(peakA, active.get("A") ?? 0);
          peakB = Math.max(peakB, active.get("B") ?? 0);
          await sleep(3);
          active.set(loc, (active.get(loc) ?? 1) - 1);
          if (n < 0)
            return { ok: false, error: { code: "http_500", message: "vendor down", retryable: true } };
          return { ok: true };
        },
      },
    };
    const runner = createJobRunner<Catalog>({
      queue: store.jobs,
      registry,
      workerId: "w",
      concurrency: 4,
      perLocationConcurrency: 1,
      maxAttempts: 3,
      leaseMs: 30_000,
      pollIntervalMs: 5,
      backoff: { baseMs: 5, maxMs: 20 },
      logger: silent,
    });
    runner.start();
    const end = Date.now() + 5000;
    while (Date.now() < end) {
      const c = await store.jobs.counts();
      if (c.done === 9 && c.dead === 1) break;
      await sleep(10);
    }
    await runner.stop({ timeoutMs: 500 });
    expect(await store.jobs.counts()).toMatchObject({ done: 9, dead: 1, queued: 0, running: 0 });
    expect(peakA).toBe(1);
    expect(peakB).toBe(1);
    const [dead] = await store.deadLetters.list();
    expect(dead?.attempts).toBe(3);
    expect(dead?.lastError).toContain("vendor down");
  });

  it("stop() hands claimed jobs back without counting the attempt", async () => {
    await store.jobs.enqueue({ name: "t.run", key: "slow", payload: { n: 1 }, locationId: "A" });
    await store.jobs.enqueue({ name: "t.run", key: "waits", payload: { n: 2 }, locationId: "A" });
    const runner = createJobRunner<Catalog>({
      queue: store.jobs,
      registry: {
        "t.run": {
          schema: z.object({ n: z.number() }),
          handler: (_p, ctx) =>
            new Promise((resolve) => ctx.signal.addEventListener("abort", () => resolve({ ok: true }))),
        },
      },
      workerId: "w",
      concurrency: 4,
      perLocationConcurrency: 1,
      maxAttempts: 3,
      leaseMs: 30_000,
      logger: silent,
    });
    await runner.pollOnce();
    // the store's claim keeps the location at its limit (cluster-wide), so the second job stays queued
    // in the store instead of waiting in this worker
    expect(runner.stats()).toMatchObject({ running: 1, waiting: 0 });
    expect(await runner.stop({ timeoutMs: 50 })).toEqual({ finished: 0, released: 1 });
    const slow = await store.jobs.getByKey("slow");
    const waits = await store.jobs.getByKey("waits");
    expect(slow).toMatchObject({ state: "queued", attempts: 0 });
    expect(waits).toMatchObject({ state: "queued", attempts: 0 });
  });
});
