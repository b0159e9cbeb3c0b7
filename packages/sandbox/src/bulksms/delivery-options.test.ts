import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { type Harness, startHarness, T0 } from "./test-harness.js";
import type { BulkSmsMessage, BulkSmsWebhook } from "./types.js";
import { startWebhookReceiver, type WebhookReceiver } from "./webhook-receiver.js";

let h: Harness;
let rx: WebhookReceiver;
beforeEach(async () => {
  h = await startHarness({ dailyQuota: 5 });
  rx = await startWebhookReceiver();
  const r = await h.call("POST", "/webhooks", { name: "s", url: rx.url, triggerScope: "SENT" });
  expect((r.body as BulkSmsWebhook).id).toBeGreaterThan(0);
});
afterEach(async () => {
  await h.close();
  await rx.close();
});
const step = async (ms: number) => {
  await h.clock.advance(ms);
  await h.sim.control.settle();
};
const reported = () =>
  rx.requests
    .flatMap((r) => (Array.isArray(r.body) ? (r.body as BulkSmsMessage[]) : []))
    .map((m) => `${m.to}:${m.status.id}`);

describe("deliveryReports", () => {
  it("ALL reports SENT and DELIVERED; ERRORS only failures; NONE nothing", async () => {
    h.sim.control.setNumberOutcome("+27820000005", "EXPIRED");
    h.sim.control.setNumberOutcome("+27820000006", "EXPIRED");
    const sent = await h.call("POST", "/messages", [
      { to: ["+27820000001"], body: "x", deliveryReports: "ALL" },
      { to: ["+27820000002", "+27820000005"], body: "x", deliveryReports: "ERRORS" },
      { to: ["+27820000006"], body: "x", deliveryReports: "NONE" },
    ]);
    expect(sent.body).toHaveLength(4);
    await step(1000);
    await step(4000);
    expect(reported()).toEqual([
      "27820000001:SENT.null",
      "27820000001:DELIVERED.null",
      "27820000005:FAILED.EXPIRED",
    ]);
    const status = Object.fromEntries(h.sim.control.messages().map((m) => [m.to, m.status.id]));
    expect(status).toEqual({
      "27820000001": "DELIVERED.null",
      "27820000002": "SENT.null",
      "27820000005": "FAILED.EXPIRED",
      "27820000006": "SENT.null",
    });
  });
});

describe("scheduling, quota, connection errors", () => {
  it("schedule-date: SCHEDULED at submit, charged at once, hidden until due, then progresses", async () => {
    const at = new Date(T0 + 3600_000).toISOString();
    const r = await h.call("POST", `/messages?schedule-date=${encodeURIComponent(at)}`, {
      to: "+27820000001",
      body: "later",
    });
    expect((r.body as BulkSmsMessage[])[0]?.status.id).toBe("SCHEDULED.null");
    expect(h.sim.control.credits()).toBe(999);
    expect(await h.call("GET", "/messages")).toMatchObject({ body: [] });
    await step(3600_000);
    expect((await h.call("GET", "/messages")).body).toHaveLength(1);
    await step(1000);
    expect(reported()).toEqual(["27820000001:SENT.null"]);
    const bad = await h.call("POST", "/messages?schedule-date=2026-01-01T10:00:00", {
      to: "+27820000001",
      body: "x",
    });
    expect(bad.status).toBe(400);
  });

  it("enforces the daily quota with 403 and resets it the next day", async () => {
    const five = ["+27820000001", "+27820000002", "+27820000003", "+27820000004", "+27820000005"];
    expect((await h.call("POST", "/messages", { to: five, body: "x" })).status).toBe(201);
    const over = await h.call("POST", "/messages", { to: "+27820000006", body: "x" });
    expect(over.status).toBe(403);
    expect(over.body).toMatchObject({ status: 403, title: "Quota Exceeded" });
    expect(((await h.call("GET", "/profile")).body as { quota: unknown }).quota).toEqual({
      size: 5,
      remaining: 0,
    });
    await step(24 * 3600_000);
    expect((await h.call("POST", "/messages", { to: "+27820000004", body: "x" })).status).toBe(201);
  });

  it("retries when the webhook URL refuses connections", async () => {
    await rx.close();
    await h.call("POST", "/messages", { to: "+441111111", body: "x" });
    await step(1000);
    const [e] = h.sim.control.deliveryLog().filter((x) => x.event === "status-report");
    expect(e).toMatchObject({ outcome: "retry-scheduled", httpStatus: null, attempt: 1 });
    expect(e?.error).toMatch(/ECONNREFUSED|fetch failed|connect/i);
    expect(e?.nextAttemptAt).toBe((e?.at ?? 0) + 90_000);
    rx = await startWebhookReceiver(); // for afterEach
  });
});
