// Several worker processes against one sandbox location (which answers 429 past 100 requests per
// window): with the store-backed shared budget they get no 429 at all; with the per-process limiter
// (what every worker had before) they overrun the location's window and get 429s. On a shared SQLite file
// and on PostgreSQL (each process its own pool).
import { startGhlSimulator } from "@ghl-bulksms/sandbox";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { BudgetChildInput } from "../../bench/budget-child.js";
import { openSharedStore } from "../../bench/open-shared-store.js";
import { createSharedDatabase, SHARED_DATABASE_KINDS, type SharedDatabase } from "./shared-database.js";
import { runBudgetChild } from "./spawn-child.js";

const KEY_HEX = "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff";
// A 1 s window (GHL's is 10 s) keeps the test short; the limiters learn it from X-RateLimit-* headers.
const RATE = { burstMax: 100, burstIntervalMs: 1000, dailyMax: 200_000 };

describe.each(SHARED_DATABASE_KINDS)("shared GHL budget across worker processes on %s", (kind) => {
  let sim: Awaited<ReturnType<typeof startGhlSimulator>>;
  const databases: SharedDatabase[] = [];
  beforeAll(async () => {
    sim = await startGhlSimulator({ port: 0, locations: 1, seedContacts: 3, rateLimit: RATE });
  });
  afterEach(async () => {
    for (const db of databases.splice(0)) await db.drop();
  });
  afterAll(async () => {
    await sim.close();
  });

  const run = async (limiter: "shared" | "local") => {
    const location = sim.locations[0]!;
    const shared = await createSharedDatabase(kind);
    databases.push(shared);
    await (await openSharedStore(shared.location, KEY_HEX)).close(); // migrate once, before the race
    sim.control.reset();
    const input: BudgetChildInput = {
      ghlUrl: sim.url,
      token: sim.tokens.locations[location.id]!.token,
      locationId: location.id,
      database: shared.location,
      keyHex: KEY_HEX,
      limiter,
      requests: 120,
      concurrency: 32, // the engine's reconcile keeps up to 32 writes in flight per worker
      startAt: Date.now() + 3000,
    };
    const outs = await Promise.all([runBudgetChild(input), runBudgetChild(input), runBudgetChild(input)]);
    const count = (status: string) => outs.reduce((n, o) => n + (o.statuses[status] ?? 0), 0);
    return { ok: count("200"), tooMany: count("429"), outs };
  };

  it("three processes on the shared budget: every call answered, not one 429", {
    timeout: 60_000,
  }, async () => {
    const r = await run("shared");
    expect(r.tooMany).toBe(0);
    expect(r.ok).toBe(360);
  });

  it("control: three processes with per-process limiters overrun the location and get 429s", {
    timeout: 60_000,
  }, async () => {
    const r = await run("local");
    expect(r.tooMany).toBeGreaterThan(0);
  });
});
