import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { type BulkSmsClient, createBulkSmsClient } from "./client.js";
import { dedupIdFor } from "./send/dedup-id.js";
import { type FakeBulkSms, startFakeBulkSms } from "./test-support/fake-bulksms-server.js";

let fake: FakeBulkSms;
let client: BulkSmsClient;
const sleeps: number[] = [];

function makeClient(extra: Partial<Parameters<typeof createBulkSmsClient>[0]> = {}): BulkSmsClient {
  return createBulkSmsClient({
    tokenId: "TOKEN-ID",
    tokenSecret: "token-secret",
    baseUrl: fake.baseUrl,
    defaultRegion: "GB",
    timeoutMs: 2_000,
    retry: { attempts: 4, baseDelayMs: 1, maxDelayMs: 5 },
    sleep: async (ms) => {
      sleeps.push(ms);
    },
    ...extra,
  });
}

beforeEach(async () => {
  fake = await startFakeBulkSms();
  client = makeClient();
  sleeps.length = 0;
});
afterEach(async () => {
  await fake.close();
});

const send = (c: BulkSmsClient, jobKey = "ghl-msg-1") =>
  c.sendMessages({
    jobKey,
    to: ["07911 123456", "+44 7911 123457"],
    body: "Hello “there” – bye",
    userSuppliedId: "ghl-msg-1",
  });

describe("BulkSmsClient against a BulkSMS-like HTTP server", () => {
  it("sends with Basic auth up front, canonical array body, E.164 numbers and a stable dedup id", async () => {
    const result = await send(client);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(fake.requests).toHaveLength(1);
    const req = fake.requests[0];
    expect(req?.headers.authorization).toBe(
      `Basic ${Buffer.from("TOKEN-ID:token-secret").toString("base64")}`,
    );
    expect(req?.query.get("deduplication-id")).toBe(String(dedupIdFor("ghl-msg-1")));
    expect(req?.query.get("auto-unicode")).toBe("true");
    expect(JSON.parse(req?.body ?? "")).toEqual([
      {
        body: 'Hello "there" - bye',
        userSuppliedId: "ghl-msg-1",
        to: [
          { type: "INTERNATIONAL", address: "+447911123456" },
          { type: "INTERNATIONAL", address: "+447911123457" },
        ],
      },
    ]);
    // the server echoes numbers WITHOUT "+", the client hands them back in E.164, ids as 19-digit strings
    expect(result.data.messages.map((m) => m.to)).toEqual(["+447911123456", "+447911123457"]);
    expect(result.data.messages[0]?.id).toMatch(/^\d{19}$/);
    expect(result.data.messages[0]?.status).toEqual({ id: "ACCEPTED.null", type: "ACCEPTED", subtype: null });
  });

  it("retries a 5xx burst with the IDENTICAL body and dedup id, and sends exactly once", async () => {
    fake.inject(
      { status: 503, body: "" },
      { status: 500, body: '{"title":"oops","status":500}' },
      { status: 502 },
    );
    const result = await send(client);
    expect(result.ok).toBe(true);
    expect(fake.requests).toHaveLength(4);
    const bodies = new Set(fake.requests.map((r) => r.body));
    const ids = new Set(fake.requests.map((r) => r.query.get("deduplication-id")));
    expect(bodies.size).toBe(1);
    expect(ids.size).toBe(1);
    expect(fake.created).toHaveLength(2); // one logical send of 2 recipients
    expect(sleeps).toHaveLength(3);
  });

  it("a retry after the server processed the request (lost answer) does not send twice", async () => {
    fake.inject({ dropConnection: true });
    // first attempt: connection dropped before any answer -> network error -> retried; server dedups
    const first = await send(client);
    expect(first.ok).toBe(true);
    // a whole re-run of the same job (e.g. the worker crashed) hits BulkSMS's dedup memory
    const again = await send(client);
    expect(again.ok).toBe(true);
    if (!first.ok || !again.ok) return;
    expect(again.data.messages.map((m) => m.id)).toEqual(first.data.messages.map((m) => m.id));
    expect(fake.created).toHaveLength(2);
  });

  it("gives up after the bounded number of attempts with a retryable server_error", async () => {
    fake.inject(
      { status: 503 },
      { status: 503 },
      { status: 503 },
      { status: 503, headers: { "retry-after": "7" } },
    );
    const result = await send(client);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error).toMatchObject({
      code: "server_error",
      status: 503,
      retryable: true,
      retryAfterMs: 7000,
    });
    expect(fake.requests).toHaveLength(4);
    expect(fake.created).toHaveLength(0);
  });

  it("never retries a 400 (even with an empty body) or a 403", async () => {
    fake.inject({ status: 400, body: "" });
    const bad = await send(client);
    expect(bad.ok).toBe(false);
    if (!bad.ok)
      expect(bad.error).toMatchObject({
        code: "bad_request",
        status: 400,
        retryable: false,
        title: "Bad request",
      });
    expect(fake.requests).toHaveLength(1);

    fake.inject({
      status: 403,
      body: JSON.stringify({
        type: "https://developer.bulksms.com/json/v1/errors#insufficient-credits",
        title: "Insufficient Credits",
        status: 403,
        detail: "You need 2 credits",
      }),
    });
    const broke = await send(client, "ghl-msg-2");
    expect(broke.ok).toBe(false);
    if (!broke.ok)
      expect(broke.error).toMatchObject({
        code: "insufficient_credits",
        retryable: false,
        detail: "You need 2 credits",
      });
    expect(fake.requests).toHaveLength(2);
    expect(fake.created).toHaveLength(0);
  });

  it("times out a slow answer and retries it; the retry is deduplicated", async () => {
    // Generous real-time margins: CI runs every package's tests at once on 2 cores.
    client = makeClient({ timeoutMs: 1_000 });
    fake.inject({ delayMs: 1_500 }); // handled normally, but only after the client gave up
    const result = await send(client);
    expect(result.ok).toBe(true);
    expect(fake.requests.length).toBeGreaterThanOrEqual(2);
    expect(new Set(fake.requests.map((r) => r.query.get("deduplication-id"))).size).toBe(1);
    await new Promise((r) => setTimeout(r, 1_700)); // let the slow first attempt finish on the server
    expect(fake.created).toHaveLength(2); // the retry created them; the slow first attempt then hit the dedup memory
  });

  it("reports a timeout as a retryable error when every attempt is slow", async () => {
    client = makeClient({ timeoutMs: 300, retry: { attempts: 2, baseDelayMs: 1, maxDelayMs: 1 } });
    fake.inject({ delayMs: 3_000, status: 200 }, { delayMs: 3_000, status: 200 });
    const result = await client.getProfile();
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error).toMatchObject({ code: "timeout", retryable: true, status: 0 });
  });

  it("splits more than 4,000 recipients into batches with their own stable dedup ids", async () => {
    const to = Array.from({ length: 4003 }, (_, i) => `+4479${String(11_000_000 + i).padStart(8, "0")}`);
    const result = await client.sendMessages({ jobKey: "bulk-1", to, body: "hi" });
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(fake.requests).toHaveLength(2);
    expect(result.data.batches.map((b) => b.recipients)).toEqual([4000, 3]);
    expect(fake.requests[0]?.query.get("deduplication-id")).toBe(String(dedupIdFor("bulk-1")));
    expect(fake.requests[1]?.query.get("deduplication-id")).not.toBe(
      fake.requests[0]?.query.get("deduplication-id"),
    );
    expect(result.data.messages).toHaveLength(4003);
  });

  it("a batch failing mid-send reports completedBatches; re-running the job resends only what is missing", async () => {
    const to = Array.from({ length: 4002 }, (_, i) => `+4479${String(11_000_000 + i).padStart(8, "0")}`);
    fake.inject({}, { status: 403, body: JSON.stringify({ title: "Insufficient Credits", status: 403 }) });
    const first = await client.sendMessages({ jobKey: "bulk-2", to, body: "hi" });
    expect(first).toMatchObject({
      ok: false,
      error: { code: "insufficient_credits", completedBatches: 1, retryable: false },
    });
    expect(fake.created).toHaveLength(4000);
    // credits topped up; the job runner re-runs the same job key
    const again = await client.sendMessages({ jobKey: "bulk-2", to, body: "hi" });
    expect(again.ok).toBe(true);
    expect(fake.created).toHaveLength(4002); // batch 0 answered from BulkSMS's dedup memory, batch 1 sent once
    expect(new Set(fake.created.map((m) => m.to)).size).toBe(4002);
  });

  it("rejects invalid numbers by position before any request", async () => {
    const result = await client.sendMessages({ jobKey: "j", to: ["+447911123456", "12"], body: "x" });
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.error.code).toBe("invalid_number");
      expect(result.error.detail).toContain("1");
    }
    expect(fake.requests).toHaveLength(0);
  });

  it("keeps 19-digit ids exact even when the server sends them as JSON numbers", async () => {
    await fake.close();
    fake = await startFakeBulkSms({ idsAsNumbers: true });
    client = makeClient();
    const sent = await client.sendMessages({ jobKey: "num-ids", to: ["+447911123456"], body: "x" });
    expect(sent.ok).toBe(true);
    if (!sent.ok) return;
    expect(sent.data.messages[0]?.id).toBe(fake.created[0]?.id);
    const fetched = await client.getMessage(fake.created[0]?.id ?? "");
    expect(fetched.ok && fetched.data.id).toBe(fake.created[0]?.id);
  });

  it("iterates all messages with id< paging until an empty page, filter URL-encoded", async () => {
    await fake.close();
    fake = await startFakeBulkSms({ pageSize: 2 });
    client = makeClient();
    const ids = Array.from({ length: 5 }, (_, i) => `95326283385904330${i}0`); // 19 digits, beyond 2^53
    fake.seed(
      ids.map((id, i) => ({
        id,
        type: "RECEIVED",
        from: "447911123456",
        to: "447000000000",
        body: `reply ${i}`,
        status: null,
      })),
    );
    const seen: string[] = [];
    for await (const m of client.iterateMessages({ filter: { type: "RECEIVED" }, limit: 1000 })) {
      seen.push(m.id);
      expect(m.from).toBe("+447911123456");
    }
    expect(seen).toEqual([...ids].reverse());
    const filters = fake.requests.map((r) => r.query.get("filter"));
    expect(filters).toEqual([
      "type=RECEIVED",
      `type=RECEIVED&id<${ids[3]}`,
      `type=RECEIVED&id<${ids[1]}`,
      `type=RECEIVED&id<${ids[0]}`,
    ]);
    expect(fake.requests[1]?.rawUrl).toContain(`filter=type%3DRECEIVED%26id%3C${ids[3]}`);
  });

  it("incremental polling: idAfter + id< paging returns every newer message exactly once", async () => {
    await fake.close();
    fake = await startFakeBulkSms({ pageSize: 3 });
    client = makeClient();
    const ids = Array.from({ length: 8 }, (_, i) => String(9_532_628_338_590_433_000n + BigInt(i)));
    fake.seed(
      ids.map((id) => ({
        id,
        type: "RECEIVED",
        from: "447911123456",
        to: "447000000000",
        body: "r",
        status: null,
      })),
    );
    const seen: string[] = [];
    for await (const m of client.iterateMessages({ filter: { type: "RECEIVED", idAfter: ids[2] ?? "" } }))
      seen.push(m.id);
    expect(seen).toEqual(ids.slice(3).reverse());
  });

  it("reads the profile (credits) and a 401 maps to unauthorized", async () => {
    const profile = await client.getProfile();
    expect(profile.ok && profile.data.credits.balance).toBe(123.5);
    const wrong = createBulkSmsClient({ tokenId: "x", tokenSecret: "y", baseUrl: fake.baseUrl });
    const denied = await wrong.getProfile();
    expect(denied.ok).toBe(false);
    if (!denied.ok)
      expect(denied.error).toMatchObject({ code: "unauthorized", status: 401, retryable: false });
  });

  it("adds blocked numbers in chunks of 1,000 and pages them back with min-id, in E.164", async () => {
    const numbers = Array.from({ length: 1001 }, (_, i) => `+4479${String(11_000_000 + i).padStart(8, "0")}`);
    const added = await client.addBlockedNumbers(numbers);
    expect(added).toEqual({ ok: true, data: { added: 1001, requests: 2 } });
    const listed: string[] = [];
    for await (const b of client.iterateBlockedNumbers({ limit: 600 })) listed.push(b.phoneNumber);
    expect(listed).toHaveLength(1001);
    expect(listed[0]).toBe("+447911000000");
    const minIds = fake.requests.filter((r) => r.method === "GET").map((r) => r.query.get("min-id"));
    expect(minIds).toEqual([null, "601", "1002"]);
  });

  it("ensureWebhooks creates both scopes, then is a no-op, then updates by POST /webhooks/{id}", async () => {
    const secret = "s3cr3t-s3cr3t-s3cr3t";
    const first = await client.ensureWebhooks({ baseUrl: "https://hooks.example.com/bulksms", secret });
    expect(first.ok).toBe(true);
    if (!first.ok) return;
    expect(first.data.changes.map((c) => c.action)).toEqual(["created", "created"]);
    expect(fake.webhooks.map((w) => [w.name, w.triggerScope, w.url])).toEqual([
      ["ghl-bulksms-sent", "SENT", `https://hooks.example.com/bulksms?secret=${secret}`],
      ["ghl-bulksms-received", "RECEIVED", `https://hooks.example.com/bulksms?secret=${secret}`],
    ]);
    const second = await client.ensureWebhooks({ baseUrl: "https://hooks.example.com/bulksms", secret });
    expect(second.ok && second.data.changes.map((c) => c.action)).toEqual(["unchanged", "unchanged"]);
    const before = fake.requests.length;
    const third = await client.ensureWebhooks({ baseUrl: "https://hooks.example.com/v2", secret });
    expect(third.ok && third.data.changes.map((c) => c.action)).toEqual(["updated", "updated"]);
    const updates = fake.requests.slice(before).filter((r) => r.method === "POST");
    expect(updates.map((r) => r.path)).toEqual(["/webhooks/1", "/webhooks/2"]);
    expect(fake.webhooks.length).toBe(2);
    // BulkSMS's published Webhook object has no invokeOption: a hook without it still counts as matching
    for (const w of fake.webhooks) delete w.invokeOption;
    const fourth = await client.ensureWebhooks({ baseUrl: "https://hooks.example.com/v2", secret });
    expect(fourth.ok && fourth.data.changes.map((c) => c.action)).toEqual(["unchanged", "unchanged"]);
    expect((await client.deleteWebhook("1")).ok).toBe(true);
    expect(fake.webhooks.map((w) => w.id)).toEqual([2]);
    const missing = await client.deleteWebhook("1");
    expect(missing).toMatchObject({ ok: false, error: { code: "not_found", status: 404, retryable: false } });
  });

  it("getMessage: 404 maps to not_found, a non-numeric id is refused locally", async () => {
    expect(await client.getMessage("123")).toMatchObject({
      ok: false,
      error: { code: "not_found", status: 404 },
    });
    expect(await client.getMessage("12;DROP")).toMatchObject({ ok: false, error: { code: "invalid_input" } });
    expect(fake.requests).toHaveLength(1);
  });
});
