// Two job runners (two workers) on ONE database (a SQLite file, or PostgreSQL, where they run on
// graphile-worker), each with its own store connection or pool: every job runs
// exactly once, and JOB_CONCURRENCY_PER_LOCATION holds across both workers together (before, each worker
// counted only its own jobs, so two workers ran twice as many jobs of one location at once).
import type { Store } from "@ghl-bulksms/store";
import { afterEach, describe, expect, it } from "vitest";
import { z } from "zod";
import type { JobRunner } from "../src/job-runner.ts";
import { createLogger } from "../src/logger.ts";
import type { JobRegistry } from "../src/ports.ts";
import { createStoreJobRunner } from "../src/store-job-runner.ts";
import {
  createSharedDatabase,
  SHARED_DATABASE_KINDS,
  type SharedDatabase,
} from "./support/shared-database.ts";

type Catalog = { "t.run": { n: number } };
const KEY_HEX = "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff";
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const silent = createLogger({ level: "silent" });

let shared: SharedDatabase | null = null;
afterEach(async () => {
  await shared?.drop();
  shared = null;
});

describe.each(SHARED_DATABASE_KINDS)("two workers on one %s database: jobs", (kind) => {
  it("each job runs once, and a location never has more than its limit running across both", async () => {
    shared = await createSharedDatabase(kind);
    const stores: Store[] = [await shared.open(KEY_HEX), await shared.open(KEY_HEX)];
    const s0 = stores[0]!;
    for (let i = 0; i < 24; i++)
      await s0.jobs.enqueue({ name: "t.run", key: `a${i}`, payload: { n: i }, locationId: "A" });
    for (let i = 0; i < 8; i++)
      await s0.jobs.enqueue({ name: "t.run", key: `n${i}`, payload: { n: 100 + i }, locationId: null });
    let activeA = 0;
    let peakA = 0;
    const runs: number[] = [];
    const registry: JobRegistry<Catalog> = {
      "t.run": {
        schema: z.object({ n: z.number() }),
        handler: async ({ n }, ctx) => {
          runs.push(n);
          if (ctx.locationId === "A") {
            activeA++;
            peakA = Math.max(peakA, activeA);
          }
          await sleep(15);
          if (ctx.locationId === "A") activeA--;
          return { ok: true };
        },
      },
    };
    const runners: JobRunner[] = stores.map((store, i) =>
      createStoreJobRunner<Catalog>(store, {
        registry,
        workerId: `w${i}`,
        concurrency: 4,
        perLocationConcurrency: 2,
        maxAttempts: 3,
        leaseMs: 30_000,
        pollIntervalMs: 5,
        logger: silent,
      }),
    );
    // the worker's own runner for the store: graphile-worker on PostgreSQL, the outbox runner on SQLite
    expect(runners.map((r) => (r as { queue?: string }).queue)).toEqual(
      kind === "postgres" ? ["graphile-worker", "graphile-worker"] : ["outbox", "outbox"],
    );
    for (const r of runners) r.start();
    const end = Date.now() + 15_000;
    while (Date.now() < end) {
      const c = await s0.jobs.counts();
      if (c.done === 32) break;
      await sleep(20);
    }
    for (const r of runners) await r.stop({ timeoutMs: 1_000 });
    expect((await s0.jobs.counts()).done).toBe(32);
    expect(runs.sort((a, b) => a - b)).toEqual([
      ...Array.from({ length: 24 }, (_, i) => i),
      ...Array.from({ length: 8 }, (_, i) => 100 + i),
    ]);
    expect(peakA).toBeLessThanOrEqual(2);
    expect(peakA).toBe(2); // the limit is used, not undershot
    for (const s of stores) await s.close();
  });
});
