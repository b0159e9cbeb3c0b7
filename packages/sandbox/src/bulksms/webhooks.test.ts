import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { type Harness, startHarness } from "./test-harness.js";
import type { BulkSmsMessage, BulkSmsWebhook } from "./types.js";
import { startWebhookReceiver, type WebhookReceiver } from "./webhook-receiver.js";

let h: Harness;
let rx: WebhookReceiver;
beforeEach(async () => {
  h = await startHarness({
    credentials: [{ tokenId: "TOKEN-A-01-B", tokenSecret: "secret-a", credits: 100 }],
  });
  rx = await startWebhookReceiver();
});
afterEach(async () => {
  await h.close();
  await rx.close();
});

const register = async (entry: Partial<BulkSmsWebhook> & { triggerScope: "SENT" | "RECEIVED" }) => {
  const r = await h.call("POST", "/webhooks", {
    name: `hook-${entry.triggerScope}-${Math.random()}`,
    url: rx.url,
    ...entry,
  });
  expect(r.status).toBe(200);
  return r.body as BulkSmsWebhook;
};
const reports = () => rx.requests.filter((r) => Array.isArray(r.body) && r.body.length > 0);
/** Numbers whose messages fail at the SENT step, so each produces exactly one (FAILED) status report. */
const failing = (numbers: string[]): string[] => {
  for (const n of numbers) h.sim.control.setNumberOutcome(n, "NOT_SENT");
  return numbers;
};
const step = async (ms: number) => {
  await h.clock.advance(ms);
  await h.sim.control.settle();
};

describe("webhook registration", () => {
  it("test-POSTs [] and refuses a URL that does not answer 2xx", async () => {
    rx.answerTestPosts = false;
    rx.respond(() => 403);
    const refused = await h.call("POST", "/webhooks", { name: "a", url: rx.url, triggerScope: "SENT" });
    expect(refused.status).toBe(400);
    expect(refused.body).toMatchObject({
      status: 400,
      title: "Bad Request",
      detail: "Invoking the Webhook URL caused an error: 403 - Forbidden",
    });
    expect(rx.requests).toHaveLength(1);
    expect(rx.requests[0]?.body).toEqual([]);
    expect(rx.requests[0]?.headers["user-agent"]).toBe("BulkSMS Invoker");
    const dead = await h.call("POST", "/webhooks", {
      name: "b",
      url: "http://127.0.0.1:1/nothing",
      triggerScope: "SENT",
    });
    expect(dead.status).toBe(400);
    expect((await h.call("GET", "/webhooks")).body).toEqual([]);
    // Inactive hooks are not tested and can be registered.
    const inactive = await h.call("POST", "/webhooks", {
      name: "c",
      url: rx.url,
      triggerScope: "SENT",
      active: false,
    });
    expect(inactive.status).toBe(200);
    expect(rx.requests).toHaveLength(1);
    // Activating it later tests the URL again, and still refuses.
    const id = (inactive.body as BulkSmsWebhook).id;
    const upd = await h.call("POST", `/webhooks/${id}`, {
      name: "c",
      url: rx.url,
      triggerScope: "SENT",
      active: true,
    });
    expect(upd.status).toBe(400);
    expect(rx.requests).toHaveLength(2);
  });

  it("CRUD: create, list, read, update (POST), delete; names unique; 404 for unknown ids", async () => {
    const created = await register({ triggerScope: "SENT", name: "status", invokeOption: "MANY" });
    expect(created).toMatchObject({
      name: "status",
      url: rx.url,
      triggerScope: "SENT",
      active: true,
      invokeOption: "MANY",
    });
    expect(typeof created.id).toBe("number");
    const dup = await h.call("POST", "/webhooks", { name: "status", url: rx.url, triggerScope: "RECEIVED" });
    expect(dup.status).toBe(400);
    expect((await h.call("GET", `/webhooks/${created.id}`)).body).toEqual(created);
    const upd = await h.call("POST", `/webhooks/${created.id}`, {
      name: "status-2",
      url: rx.url,
      triggerScope: "SENT",
    });
    expect(upd.body).toMatchObject({ id: created.id, name: "status-2" });
    expect((await h.call("GET", "/webhooks")).body).toHaveLength(1);
    const del = await h.call("DELETE", `/webhooks/${created.id}`);
    expect(del.status).toBe(200);
    expect(del.text).toBe("");
    const gone = await h.call("GET", `/webhooks/${created.id}`);
    expect(gone.status).toBe(404);
    expect((gone.body as { detail: string }).detail).toBe(`Webhook with id '${created.id}' does not exist`);
    const badScope = await h.call("POST", "/webhooks", { name: "x", url: rx.url, triggerScope: "sent" });
    expect(badScope.status).toBe(400);
  });
});

describe("status reports", () => {
  it("POSTs each status change as a flat Message array with the X-BulkSMS headers", async () => {
    const hook = await register({ triggerScope: "SENT" });
    const [m] = (await h.call("POST", "/messages", { to: "+27821234567", body: "hi", userSuppliedId: "u1" }))
      .body as BulkSmsMessage[];
    await step(1000);
    await step(4000);
    const got = reports();
    expect(got.map((r) => (r.body as BulkSmsMessage[]).map((x) => x.status.id))).toEqual([
      ["SENT.null"],
      ["DELIVERED.null"],
    ]);
    const first = (got[0]?.body as BulkSmsMessage[] | undefined)?.[0];
    expect(first).toMatchObject({
      id: m?.id,
      type: "SENT",
      to: "27821234567",
      body: "hi",
      userSuppliedId: "u1",
      numberOfParts: 1,
      creditCost: 1,
    });
    expect(typeof first?.id).toBe("string");
    const headers = got[0]?.headers ?? {};
    expect(headers["x-bulksms-event"]).toBe("status-report");
    expect(headers["x-bulksms-webhook-id"]).toBe(String(hook.id));
    expect(headers["x-bulksms-delivery-attempt"]).toBe("1");
    expect(headers["x-bulksms-delivery"]).toMatch(/^\d+$/);
    expect(headers["user-agent"]).toBe("BulkSMS Invoker");
    expect(headers["content-type"]).toBe("application/json");
    expect(got[0]?.headers["x-bulksms-delivery"]).not.toBe(got[1]?.headers["x-bulksms-delivery"]);
  });

  it("invokeOption ONE posts one message per call; MANY batches up to 10", async () => {
    await register({ triggerScope: "SENT", invokeOption: "ONE" });
    const to = Array.from({ length: 12 }, (_, i) => `+278200000${String(i).padStart(2, "0")}`);
    await h.call("POST", "/messages", [{ to, body: "x" }]);
    await step(1000);
    expect(reports().map((r) => (r.body as unknown[]).length)).toEqual(Array(12).fill(1));
    await h.close();
    rx.requests.length = 0;
    h = await startHarness();
    await register({ triggerScope: "SENT", invokeOption: "MANY" });
    await h.call("POST", "/messages", [{ to, body: "x" }]);
    await step(1000);
    expect(reports().map((r) => (r.body as unknown[]).length)).toEqual([10, 2]);
  });

  it("retries a 500 after 90 s, 3, 6, 12 min, then every 15 min; the attempt header counts up", async () => {
    await register({ triggerScope: "SENT" });
    rx.respond(() => 500);
    await h.call("POST", "/messages", { to: "+441111111", body: "x" });
    await step(1000);
    for (const ms of [90_000, 180_000, 360_000, 720_000, 900_000, 900_000]) await step(ms);
    const log = h.sim.control.deliveryLog().filter((e) => e.event === "status-report");
    expect(log.map((e) => e.attempt)).toEqual([1, 2, 3, 4, 5, 6, 7]);
    const gaps = log.slice(1).map((e, i) => e.at - (log[i]?.at ?? 0));
    expect(gaps).toEqual([90_000, 180_000, 360_000, 720_000, 900_000, 900_000]);
    expect(new Set(log.map((e) => e.deliveryId)).size).toBe(1);
    expect(log.every((e) => e.outcome === "retry-scheduled" && e.httpStatus === 500)).toBe(true);
    expect(reports().map((r) => r.headers["x-bulksms-delivery-attempt"])).toEqual([
      "1",
      "2",
      "3",
      "4",
      "5",
      "6",
      "7",
    ]);
    // Now the receiver recovers: the next attempt is acknowledged and retries stop.
    rx.respond(() => 200);
    await step(900_000);
    await step(3_600_000);
    const after = h.sim.control.deliveryLog().filter((e) => e.event === "status-report");
    expect(after.map((e) => e.outcome).slice(-1)).toEqual(["delivered"]);
    expect(after).toHaveLength(8);
  });

  it("gives up after 2 days of retries", async () => {
    await register({ triggerScope: "SENT" });
    rx.respond(() => 503);
    await h.call("POST", "/messages", { to: "+441111111", body: "x" });
    await step(1000);
    for (let t = 0; t < 49 * 3600_000; t += 900_000)
      await h.clock.advance(900_000).then(() => h.sim.control.settle());
    const log = h.sim.control.deliveryLog().filter((e) => e.event === "status-report");
    expect(log[log.length - 1]?.outcome).toBe("gave-up");
    const span = (log[log.length - 1]?.at ?? 0) - (log[0]?.at ?? 0);
    expect(span).toBeLessThanOrEqual(2 * 24 * 3600_000);
    expect(span).toBeGreaterThan(2 * 24 * 3600_000 - 900_000);
  });

  it("drops a delivery answered 4xx without retrying", async () => {
    await register({ triggerScope: "SENT" });
    rx.respond(() => 410);
    await h.call("POST", "/messages", { to: "+441111111", body: "x" });
    await step(1000);
    await step(3600_000);
    const log = h.sim.control.deliveryLog().filter((e) => e.event === "status-report");
    expect(log.map((e) => [e.attempt, e.outcome, e.httpStatus])).toEqual([[1, "dropped-4xx", 410]]);
  });

  it("treats no answer within 30 s as a failure and retries", async () => {
    await register({ triggerScope: "SENT" });
    rx.respond(() => "hang");
    await h.call("POST", "/messages", { to: "+441111111", body: "x" });
    await h.clock.advance(1000);
    await vi.waitFor(() => expect(reports()).toHaveLength(1), { timeout: 5_000 });
    await step(30_000);
    const [e] = h.sim.control.deliveryLog().filter((x) => x.event === "status-report");
    expect(e).toMatchObject({ outcome: "retry-scheduled", httpStatus: null, error: "timeout after 30 s" });
    expect(e?.nextAttemptAt).toBe((e?.at ?? 0) + 30_000 + 90_000);
  });

  it("splits a failed MANY batch into single-message retries", async () => {
    await register({ triggerScope: "SENT", invokeOption: "MANY" });
    let calls = 0;
    rx.respond(() => (++calls === 1 ? 500 : 200));
    await h.call("POST", "/messages", {
      to: failing(["+27820000001", "+27820000002", "+27820000003"]),
      body: "x",
    });
    await step(1000);
    await step(90_000);
    expect(reports().map((r) => (r.body as unknown[]).length)).toEqual([3, 1, 1, 1]);
  });
});

describe("replies and STOP", () => {
  it("records a RECEIVED message linked to the latest sent message and fires RECEIVED webhooks", async () => {
    await register({ triggerScope: "RECEIVED" });
    await h.call("POST", "/messages", { to: "+27821234567", body: "first" });
    const [second] = (await h.call("POST", "/messages", { to: "+27821234567", body: "second" }))
      .body as BulkSmsMessage[];
    const reply = h.sim.control.simulateReply({ from: "+27821234567", body: "Yes please" });
    await h.sim.control.settle();
    expect(reply).toMatchObject({
      type: "RECEIVED",
      from: "27821234567",
      body: "Yes please",
      relatedSentMessageId: second?.id,
    });
    const [req] = reports();
    expect(req?.headers["x-bulksms-event"]).toBe("incoming-message");
    expect(req?.body).toEqual([reply]);
    const related = await h.call("GET", `/messages/${second?.id}/relatedReceivedMessages`);
    expect(related.body).toEqual([reply]);
    expect(h.sim.control.blockedNumbers()).toEqual([]);
  });

  it("STOP blocks the number; the next send ends FAILED.BLOCKED, reported and still charged", async () => {
    await register({ triggerScope: "SENT" });
    await h.call("POST", "/messages", { to: "+27821234567", body: "promo" });
    await step(5000);
    h.sim.control.simulateReply({ from: "+27821234567", body: "  stop " });
    expect(h.sim.control.blockedNumbers()).toEqual(["27821234567"]);
    const listed = await h.call("GET", "/blocked-numbers");
    expect(listed.body).toEqual([{ id: 1, phoneNumber: "27821234567" }]);
    const before = h.sim.control.credits();
    rx.requests.length = 0;
    await h.call("POST", "/messages", { to: "+27821234567", body: "promo 2" });
    expect(h.sim.control.credits()).toBe(before - 1);
    await step(5000);
    expect(reports().map((r) => (r.body as BulkSmsMessage[])[0]?.status)).toEqual([
      { id: "FAILED.BLOCKED", type: "FAILED", subtype: "BLOCKED" },
    ]);
  });

  it("START does not unblock (no unblock API): a confirmation to the number ends FAILED.BLOCKED, billed", async () => {
    await register({ triggerScope: "SENT" });
    await h.call("POST", "/messages", { to: "+27821234567", body: "promo" });
    await step(5000);
    h.sim.control.simulateReply({ from: "+27821234567", body: "STOP" });
    h.sim.control.simulateReply({ from: "+27821234567", body: "START" });
    expect(h.sim.control.blockedNumbers()).toEqual(["27821234567"]);
    const before = h.sim.control.credits();
    const [sent] = (await h.call("POST", "/messages", { to: "+27821234567", body: "Resubscribed" }))
      .body as BulkSmsMessage[];
    await step(5000);
    expect(h.sim.control.credits()).toBe(before - 1);
    const stored = (await h.call("GET", `/messages/${sent?.id}`)).body as BulkSmsMessage;
    expect(stored).toMatchObject({ status: { id: "FAILED.BLOCKED" }, creditCost: 1 });
  });

  it("honours configurable stop words", async () => {
    h.sim.control.setStopWords(["HALT"]);
    h.sim.control.simulateReply({ from: "+27820000001", body: "stop" });
    h.sim.control.simulateReply({ from: "+27820000002", body: "halt" });
    expect(h.sim.control.blockedNumbers()).toEqual(["27820000002"]);
  });
});

describe("blocked numbers API", () => {
  it("POST adds numbers (200, empty body); GET pages with min-id and limit <= 10000", async () => {
    const post = await h.call("POST", "/blocked-numbers", ["+27820000001", "27820000002", "+27820000001"]);
    expect(post.status).toBe(200);
    expect(post.text).toBe("");
    h.sim.control.addBlocked(["+27820000003"]);
    const page1 = await h.call("GET", "/blocked-numbers?limit=2");
    expect(page1.body).toEqual([
      { id: 1, phoneNumber: "27820000001" },
      { id: 2, phoneNumber: "27820000002" },
    ]);
    const page2 = await h.call("GET", "/blocked-numbers?min-id=3");
    expect(page2.body).toEqual([{ id: 3, phoneNumber: "27820000003" }]);
    expect((await h.call("GET", "/blocked-numbers?limit=10001")).status).toBe(400);
    const tooMany = await h.call(
      "POST",
      "/blocked-numbers",
      Array.from({ length: 1001 }, (_, i) => `+2782${String(i).padStart(7, "0")}`),
    );
    expect(tooMany.status).toBe(400);
    expect((await h.call("POST", "/blocked-numbers", ["not-a-number"])).status).toBe(400);
  });
});

describe("faults", () => {
  it("answers a share of API requests with 5xx or 429 problem details, and never control routes", async () => {
    h.sim.control.setFaults({ errorRate: 1 });
    const r = await h.call("GET", "/profile");
    expect([500, 502, 503]).toContain(r.status);
    expect(r.body).toMatchObject({
      status: r.status,
      title: expect.any(String),
      type: expect.stringContaining("#"),
    });
    expect((await h.call("GET", "/__sandbox/sent")).status).toBe(200);
    h.sim.control.setFaults({ errorRate: null, rateLimitRate: 1 });
    const limited = await h.call("GET", "/profile");
    expect(limited.status).toBe(429);
    expect(limited.body).toMatchObject({ status: 429, title: "Too Many Requests" });
    expect(h.sim.control.setFaults({ rateLimitRate: null })).toEqual({});
    expect((await h.call("GET", "/profile")).status).toBe(200);
    expect(() => h.sim.control.setFaults({ errorRate: 2 })).toThrow(/errorRate/);
  });

  it("stalls a connection when asked", async () => {
    h.sim.control.setFaults({ stallRate: 1 });
    const ctrl = new AbortController();
    const pending = fetch(`${h.sim.url}/profile`, { signal: ctrl.signal }).then(
      () => "answered",
      () => "aborted",
    );
    const raced = await Promise.race([pending, new Promise((r) => setTimeout(() => r("stalled"), 150))]);
    expect(raced).toBe("stalled");
    ctrl.abort();
    expect(await pending).toBe("aborted");
  });

  it("adds latency", async () => {
    h.sim.control.setFaults({ latencyMs: 120 });
    const t = Date.now();
    await h.call("GET", "/profile");
    expect(Date.now() - t).toBeGreaterThanOrEqual(110);
  });

  it("drops, duplicates and reorders webhook deliveries", async () => {
    await register({ triggerScope: "SENT" });
    h.sim.control.setFaults({ webhookDropRate: 1 });
    await h.call("POST", "/messages", { to: "+441111111", body: "x" });
    await step(1000);
    expect(reports()).toHaveLength(0);
    expect(
      h.sim.control
        .deliveryLog()
        .filter((e) => e.event === "status-report")
        .map((e) => e.outcome),
    ).toEqual(["dropped-by-fault"]);

    h.sim.control.setFaults({ webhookDropRate: null, webhookDuplicateRate: 1 });
    await h.call("POST", "/messages", { to: "+11111111", body: "x" });
    await step(1000);
    expect(reports()).toHaveLength(2);
    expect(reports()[0]?.headers["x-bulksms-delivery"]).toBe(reports()[1]?.headers["x-bulksms-delivery"]);
    expect(
      h.sim.control
        .deliveryLog()
        .filter((e) => e.event === "status-report")
        .map((e) => e.outcome)
        .sort(),
    ).toEqual(["delivered", "dropped-by-fault", "duplicate"]);

    rx.requests.length = 0;
    h.sim.control.setFaults({ webhookDuplicateRate: null, webhookReorderRate: 0.5 });
    const to = Array.from({ length: 8 }, (_, i) => `+2782100000${i}`);
    await h.call("POST", "/messages", { to: failing(to), body: "x" });
    await step(1000);
    await step(1000);
    const order = reports().map((r) => (r.body as BulkSmsMessage[])[0]?.to);
    expect([...order].sort()).toEqual(to.map((n) => n.slice(1)));
    expect(order).not.toEqual(to.map((n) => n.slice(1)));
  });
});

describe("control routes over HTTP", () => {
  it("reply, sent, messages, deliveries, credits, blocked, faults, advance, reset", async () => {
    await h.call("POST", "/messages", { to: "+27821234567", body: "x" });
    const sent = await h.call("GET", "/__sandbox/sent");
    expect((sent.body as unknown[]).length).toBe(1);
    const reply = await h.call("POST", "/__sandbox/reply", { from: "+27821234567", body: "STOP" });
    expect(reply.body).toMatchObject({ type: "RECEIVED", body: "STOP" });
    expect((await h.call("POST", "/__sandbox/credits", { credits: 5 })).body).toEqual({ credits: 5 });
    expect((await h.call("POST", "/__sandbox/blocked", { numbers: ["+27820000009"] })).body).toEqual({
      blocked: ["27821234567", "27820000009"],
    });
    expect((await h.call("POST", "/__sandbox/faults", { latencyMs: 1 })).body).toEqual({ latencyMs: 1 });
    await h.call("POST", "/__sandbox/advance", { ms: 10_000 });
    // Blocking applies to later sends; the message already submitted is delivered.
    const failed = await h.call("GET", "/__sandbox/messages?status=FAILED");
    expect((failed.body as BulkSmsMessage[]).map((m) => m.status.id)).toEqual([]);
    const ok = await h.call("GET", "/__sandbox/messages?status=DELIVERED&type=SENT");
    expect((ok.body as unknown[]).length).toBe(1);
    expect((await h.call("GET", "/__sandbox/deliveries")).status).toBe(200);
    expect((await h.call("POST", "/__sandbox/reply", { body: "x" })).status).toBe(400);
    await h.call("POST", "/__sandbox/reset");
    expect(h.sim.control.sentMessages()).toEqual([]);
    expect(h.sim.control.credits()).toBe(100);
    expect(h.sim.control.blockedNumbers()).toEqual([]);
    expect(h.sim.control.faults()).toEqual({});
  });
});
