// The seeded 5xx fault must behave like independent coin flips at the configured share: no seed that
// (almost) never fails a first attempt, no long streaks, the same share at the HTTP level as in the
// picker. Bounds are ~5 standard deviations wide, so they hold for every seed yet catch a biased or
// correlated generator (a stuck or repeating stream fails them at once).
import { afterEach, describe, expect, it } from "vitest";
import { startHarness } from "../src/bulksms/test-harness.ts";
import { pickRequestFault } from "../src/faults.ts";
import type { GhlSimulator } from "../src/ghl/simulator.ts";
import { createRng } from "../src/rng.ts";
import { api, startGhl } from "./helpers.ts";

const RATE = 0.6;

function longestRun(flags: boolean[]): number {
  let best = 0;
  let run = 0;
  for (const f of flags) {
    run = f ? run + 1 : 0;
    best = Math.max(best, run);
  }
  return best;
}

describe("seeded fault rate", () => {
  it("each seed fails ~60% of 2,000 requests, with no long streaks", () => {
    for (const seed of ["1", "2", "3", "7", "ghl-sandbox", "bulksms", "1:faults", "7:faults"]) {
      const rng = createRng(seed);
      const failed = Array.from(
        { length: 2_000 },
        () => pickRequestFault({ errorRate: RATE }, rng, 0) !== undefined,
      );
      const share = failed.filter(Boolean).length / failed.length;
      expect(share, `seed ${seed}`).toBeGreaterThan(RATE - 0.05);
      expect(share, `seed ${seed}`).toBeLessThan(RATE + 0.05);
      // Expected longest streak in 2,000 draws at p = 0.6 is ~13; 30 would be a broken generator.
      expect(longestRun(failed), `seed ${seed}`).toBeLessThan(30);
    }
  });

  it("the first request fails for ~60% of seeds (first draws are not correlated across nearby seeds)", () => {
    for (const format of [(n: number) => n, (n: number) => `${n}:faults`]) {
      const first = Array.from(
        { length: 1_000 },
        (_, n) => pickRequestFault({ errorRate: RATE }, createRng(format(n)), 0) !== undefined,
      );
      const share = first.filter(Boolean).length / first.length;
      expect(share).toBeGreaterThan(RATE - 0.08);
      expect(share).toBeLessThan(RATE + 0.08);
      // Neighbouring seeds must not move together: agreement of seed n and n+1 ~ p² + (1-p)² = 0.52.
      let agree = 0;
      for (let n = 0; n + 1 < first.length; n++) if (first[n] === first[n + 1]) agree++;
      expect(agree / (first.length - 1)).toBeGreaterThan(0.52 - 0.08);
      expect(agree / (first.length - 1)).toBeLessThan(0.52 + 0.08);
    }
  });
});

describe("observed 5xx share over HTTP", () => {
  let sim: GhlSimulator | undefined;
  afterEach(async () => {
    await sim?.close();
    sim = undefined;
  });

  it("GHL simulator: ~60% of 300 requests are 5xx for seeds 1, 2, 3 and 7", async () => {
    for (const seed of ["1", "2", "3", "7"]) {
      sim = await startGhl({ seed, seedContacts: 0, faults: { errorRate: RATE } });
      const path = `/contacts/search/duplicate?locationId=${sim.locations[0]!.id}&email=a%40example.com`;
      const failed: boolean[] = [];
      for (let i = 0; i < 300; i++) failed.push((await api(sim, path)).status >= 500);
      const share = failed.filter(Boolean).length / failed.length;
      expect(share, `seed ${seed}`).toBeGreaterThan(RATE - 0.12);
      expect(share, `seed ${seed}`).toBeLessThan(RATE + 0.12);
      expect(longestRun(failed), `seed ${seed}`).toBeLessThan(25);
      await sim.close();
      sim = undefined;
    }
    // 1,200 sequential requests: ~2 s alone, but the whole repository's suite shares 2 cores (no speed asserted)
  }, 120_000);

  it("BulkSMS simulator: ~60% of 300 requests are 5xx for seeds 1, 2, 3 and 7", async () => {
    for (const seed of [1, 2, 3, 7]) {
      const h = await startHarness({ seed, faults: { errorRate: RATE } });
      try {
        const failed: boolean[] = [];
        for (let i = 0; i < 300; i++) failed.push((await h.call("GET", "/profile")).status >= 500);
        const share = failed.filter(Boolean).length / failed.length;
        expect(share, `seed ${seed}`).toBeGreaterThan(RATE - 0.12);
        expect(share, `seed ${seed}`).toBeLessThan(RATE + 0.12);
        expect(longestRun(failed), `seed ${seed}`).toBeLessThan(25);
      } finally {
        await h.close();
      }
    }
  }, 120_000);
});
