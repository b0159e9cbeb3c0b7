// Several engines, each on its own Store instance of ONE database (what several worker processes have: a
// SQLite file, or PostgreSQL with a pool each), run on both kinds: periodic jobs are enqueued once per cluster per time slot however many schedulers tick, and a
// location is reconciled by one worker at a time.
import { createBulkSmsClient } from "@ghl-bulksms/bulksms";
import { createGhlClient } from "@ghl-bulksms/ghl";
import { type Sandbox, startSandbox } from "@ghl-bulksms/sandbox";
import type { Store } from "@ghl-bulksms/store";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openSharedStore } from "../../bench/open-shared-store.js";
import { createEngine, type Engine, reconcile, registerLocation } from "../../src/index.js";
import { createSharedDatabase, SHARED_DATABASE_KINDS, type SharedDatabase } from "./shared-database.js";

const KEY_HEX = "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff";
const NOON_LONDON = Date.UTC(2026, 2, 10, 12, 0);

describe.each(SHARED_DATABASE_KINDS)("on %s", (kind) => {
  let sandbox: Sandbox;
  let shared: SharedDatabase;
  const stores: Store[] = [];
  const engines: Engine[] = [];

  beforeAll(async () => {
    shared = await createSharedDatabase(kind);
    sandbox = await startSandbox({
      seedContacts: 40,
      clockStart: NOON_LONDON,
      ghl: { locations: [{ country: "GB", timezone: "Europe/London" }] },
    });
    const location = sandbox.ghl.locations[0]!;
    const credential = sandbox.bulksms.credentials[0]!;
    const now = () => sandbox.clock.now();
    for (let i = 0; i < 3; i++) {
      const store = await openSharedStore(shared.location, KEY_HEX, now);
      const ghl = createGhlClient({
        auth: { kind: "private-integration", token: location.token },
        baseUrl: sandbox.ghl.url,
        now,
      });
      const sms = createBulkSmsClient({
        tokenId: credential.tokenId,
        tokenSecret: credential.tokenSecret,
        baseUrl: sandbox.bulksms.url,
        now,
      });
      stores.push(store);
      engines.push(createEngine({ store, ghl: () => ghl, sms, now }));
    }
    await registerLocation(engines[0]!.deps, { id: location.id, region: "GB", timezone: "Europe/London" });
  });

  afterAll(async () => {
    for (const s of stores) await s.close();
    await sandbox?.close();
    await shared?.drop();
  });

  describe("once per cluster", () => {
    it("three schedulers ticking at the same moments enqueue each periodic job once per slot", async () => {
      const minute = 60_000;
      let total = 0;
      // 30 minutes of ticks, every scheduler at the same instants (the worst case), all at once
      for (let t = NOON_LONDON; t < NOON_LONDON + 30 * minute; t += minute) {
        const counts = await Promise.all(engines.map((e) => e.schedule(t)));
        total += counts.reduce((a, b) => a + b, 0);
      }
      const queued = await stores[0]!.jobs.counts();
      // every enqueue the schedulers reported is one distinct row: none twice
      expect(queued.queued + queued.running + queued.done + queued.dead).toBe(total);
      // and as many as ONE scheduler alone would have made: 30 follow-up ticks (1 min), 6 digest ticks
      // (5 min), 2 incremental reconciles (15 min), 2 blocked pulls (15 min), 6 sweeps (5 min),
      // 1 housekeeping (hour), and today's full reconcile (due since 03:00)
      expect(total).toBe(30 + 6 + 2 + 2 + 6 + 1 + 1);
    });

    it("two workers reconciling the same location at once: one runs, the other is told it is running", async () => {
      const locationId = sandbox.ghl.locations[0]!.id;
      const [a, b] = await Promise.all(
        engines
          .slice(0, 2)
          .map((e, i) => reconcile({ deps: e.deps, locationId, kind: "full", owner: `w${i}` })),
      );
      const results = [a!, b!];
      expect(results.filter((r) => r.ok)).toHaveLength(1);
      expect(results.filter((r) => !r.ok).map((r) => (r.ok ? null : r.reason))).toEqual(["already_running"]);
      expect(await stores[2]!.runs.list({ locationId })).toHaveLength(1);
    });
  });
});
