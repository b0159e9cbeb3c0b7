// Issue 14 crash test: a campaign sent by a worker (a child process running the job runner) SIGKILLed three
// times mid-send. Asserted against the sandbox's record of what BulkSMS actually accepted. This test runs
// 1,000 recipients to keep the suite's time reasonable; `pnpm --filter @ghl-bulksms/worker crash:campaign`
// runs the full 5,000 (same scenario, same assertions, exit code 1 on any failure).
import { describe, expect, it } from "vitest";
import { runCampaignCrash } from "../bench/campaign-crash.js";

describe("campaign crash safety", () => {
  it("three SIGKILLs: 0 duplicates, 0 lost, 0 to opted-out or DND, 0 in quiet hours", async () => {
    const r = await runCampaignCrash({ recipients: 1000, kills: 3 });
    expect(r.sent).toBe(r.expected);
    expect({
      duplicates: r.duplicates,
      lost: r.lost,
      toOptedOutOrDnd: r.toOptedOutOrDnd,
      inQuietHours: r.inQuietHours,
    }).toEqual({ duplicates: 0, lost: 0, toOptedOutOrDnd: 0, inQuietHours: 0 });
    // 100 of 1,000 are DND and 40 opted out; full batches of 100 (excluded and deferred recipients take no
    // place): 8 daytime batches (760) + 1 for Auckland's morning (100)
    expect(r.expected).toBe(860);
    expect(r.bulkSmsRequests).toBe(9);
  }, 300_000);
});
