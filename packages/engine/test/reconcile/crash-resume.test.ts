// Crash safety: a full reconcile SIGKILLed at random moments resumes from its checkpoint and ends exactly
// like an uninterrupted run (GHL records and notes, mirror, opt-outs, run counts) with the same number of
// GHL writes. CI size: 5,000 contacts and 3 kills (env CRASH_CONTACTS / CRASH_KILLS); the 20,000-contact,
// 5-kill run is `pnpm bench:crash`.
import { describe, expect, it } from "vitest";
import { runCrashScenario } from "../../bench/crash-scenario.js";

const contacts = Number(process.env.CRASH_CONTACTS ?? 5_000);
const kills = Number(process.env.CRASH_KILLS ?? 3);

describe("reconcile crash safety", () => {
  it(`resumes a full run of ${contacts} contacts killed ${kills} times, with the uninterrupted result`, async () => {
    const report = await runCrashScenario({ contacts, kills });
    expect(report.kills).toBeGreaterThanOrEqual(1);
    // A kill can land before the child took the run over (start-up, waiting for the stale heartbeat).
    expect(report.resumes).toBeGreaterThanOrEqual(1);
    expect(report.resumes).toBeLessThanOrEqual(report.kills);
    expect(report.differences).toEqual([]);
    expect(report.countsB).toEqual(report.countsA);
    expect((report.countsA as { updated: number }).updated).toBeGreaterThan(0);
    expect(report.writesB).toBe(report.writesA);
  }, 180_000);
});
