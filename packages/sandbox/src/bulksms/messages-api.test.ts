import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { basicAuth, type Harness, startHarness, T0 } from "./test-harness.js";
import type { BulkSmsMessage } from "./types.js";

let h: Harness;
beforeEach(async () => {
  h = await startHarness({
    credentials: [{ tokenId: "TOKEN-A-01-B", tokenSecret: "secret-a", credits: 100 }],
  });
});
afterEach(async () => {
  await h.close();
});

const send = (body: unknown, query = "") => h.call("POST", `/messages${query}`, body);
const msgs = (r: { body: unknown }) => r.body as BulkSmsMessage[];

describe("authentication and problem details", () => {
  it("answers 401 problem details without or with wrong Basic auth", async () => {
    for (const auth of [null, basicAuth("TOKEN-A-01-B", "wrong"), "Bearer x"]) {
      const r = await h.call("GET", "/profile", undefined, { auth });
      expect(r.status).toBe(401);
      expect(r.headers.get("www-authenticate")).toMatch(/^Basic/);
      expect(r.body).toMatchObject({
        status: 401,
        title: expect.any(String),
        type: expect.stringMatching(/^https:\/\/developer\.bulksms\.com\/json\/v1\/errors#/),
      });
    }
  });

  it("answers 400 problem details for bad JSON and invalid numbers, 404 for unknown ids", async () => {
    const bad = await h.call("POST", "/messages", undefined, { raw: "{not json" });
    expect(bad.status).toBe(400);
    expect(bad.body).toMatchObject({
      type: "https://developer.bulksms.com/json/v1/errors#bad-request",
      title: "Bad Request",
      status: 400,
    });
    const nat = await send({ to: "0821234567", body: "hi" });
    expect(nat.status).toBe(400);
    expect((nat.body as { detail: string }).detail).toContain("0821234567");
    const nf = await h.call("GET", "/messages/123456789");
    expect(nf.status).toBe(404);
    expect(nf.body).toEqual({
      type: "https://developer.bulksms.com/json/v1/errors#not-found",
      title: "Not Found",
      status: 404,
      detail: "Message with id '123456789' does not exist",
    });
    expect(h.sim.control.sentMessages()).toHaveLength(0);
  });

  it("serves the API with and without the /v1 prefix", async () => {
    const res = await fetch(`${h.sim.origin}/profile`, {
      headers: { authorization: basicAuth("TOKEN-A-01-B", "secret-a") },
    });
    expect(res.status).toBe(200);
  });
});

describe("sending", () => {
  it("accepts the canonical array form and the single-object form; ids are strings, numbers have no +", async () => {
    const a = await send([{ to: ["+27821234567", "447700900123"], body: "Hello" }]);
    expect(a.status).toBe(201);
    expect(msgs(a)).toHaveLength(2);
    const b = await send({ to: "+27829999999", body: "Hi", userSuppliedId: "ghl-123" });
    expect(b.status).toBe(201);
    const all = [...msgs(a), ...msgs(b)];
    for (const m of all) {
      expect(typeof m.id).toBe("string");
      expect(m.id).toMatch(/^\d{15,}$/);
      expect(m.to).not.toContain("+");
      expect(m.status).toEqual({ id: "ACCEPTED.null", type: "ACCEPTED", subtype: null });
      expect(m.numberOfParts).toBeNull();
      expect(m.creditCost).toBeNull();
    }
    expect(all.map((m) => m.to)).toEqual(["27821234567", "447700900123", "27829999999"]);
    expect(msgs(b)[0]?.userSuppliedId).toBe("ghl-123");
    expect(new Set(all.map((m) => m.id)).size).toBe(3);
    expect(msgs(a)[0]?.submission.id).toBe(msgs(a)[1]?.submission.id);
    expect(msgs(a)[0]?.submission.id).not.toBe(msgs(b)[0]?.submission.id);
    expect(msgs(a)[0]?.submission.date).toBe(new Date(T0).toISOString().replace(".000", ""));
  });

  it("rejects a userSuppliedId longer than 20 characters and sends nothing", async () => {
    const ok = await send({ to: "+27821234567", body: "x", userSuppliedId: "a".repeat(20) });
    expect(ok.status).toBe(201);
    const r = await send({ to: "+27821234567", body: "x", userSuppliedId: "a".repeat(21) });
    expect(r.status).toBe(400);
    expect((r.body as { detail: string }).detail).toMatch(/userSuppliedId/);
    expect(h.sim.control.sentMessages()).toHaveLength(1);
  });

  it("computes parts and charges per part: GSM, extension characters, unicode, ? replacement", async () => {
    await send({ to: "+27820000001", body: "a".repeat(160) });
    await send({ to: "+27820000002", body: "€".repeat(81), longMessageMaxParts: 5 });
    await send({ to: "+27820000003", body: "Привет ’мир’ ".repeat(6) }, "?auto-unicode=true");
    await send({ to: "+27820000004", body: "It’s 😀 time" });
    const log = h.sim.control.sentMessages();
    expect(log.map((r) => [r.to, r.encoding, r.parts, r.cost])).toEqual([
      ["27820000001", "TEXT", 1, 1],
      ["27820000002", "TEXT", 2, 2],
      ["27820000003", "UNICODE", 2, 2],
      ["27820000004", "TEXT", 1, 1],
    ]);
    expect(log[3]?.body).toBe("It?s ? time");
    expect(h.sim.control.credits()).toBe(94);
    const profile = await h.call("GET", "/profile");
    expect((profile.body as { credits: { balance: number } }).credits.balance).toBe(94);
    // The stored message has parts and cost filled in.
    const stored = await h.call("GET", `/messages/${log[1]?.id}`);
    expect(stored.body).toMatchObject({ numberOfParts: 2, creditCost: 2, encoding: "TEXT" });
  });

  it("refuses a body needing more parts than longMessageMaxParts (default 3)", async () => {
    const r = await send({ to: "+27820000001", body: "a".repeat(460) });
    expect(r.status).toBe(400);
    expect((r.body as { detail: string }).detail).toContain("4 parts");
    const ok = await send({ to: "+27820000001", body: "a".repeat(460), longMessageMaxParts: 4 });
    expect(ok.status).toBe(201);
  });

  it("answers 403 Insufficient Credits, charging and sending nothing", async () => {
    h.sim.control.setCredits(2);
    const r = await send({ to: ["+27820000001", "+27820000002", "+27820000003"], body: "hi" });
    expect(r.status).toBe(403);
    expect(r.body).toMatchObject({
      type: "https://developer.bulksms.com/json/v1/errors#insufficient-credits",
      title: "Insufficient Credits",
      status: 403,
    });
    expect(h.sim.control.credits()).toBe(2);
    expect(h.sim.control.sentMessages()).toHaveLength(0);
    expect((await send({ to: ["+27820000001", "+27820000002"], body: "hi" })).status).toBe(201);
    expect(h.sim.control.credits()).toBe(0);
  });

  it("deduplication-id: a repeat returns the original reply and sends nothing; another id sends; expiry after 12 h", async () => {
    const body = { to: "+27821234567", body: "once" };
    const first = await send(body, "?deduplication-id=42");
    const again = await send(body, "?deduplication-id=42");
    expect(again.status).toBe(201);
    expect(again.body).toEqual(first.body);
    expect(h.sim.control.sentMessages()).toHaveLength(1);
    expect(h.sim.control.credits()).toBe(99);
    await send(body, "?deduplication-id=43");
    expect(h.sim.control.sentMessages()).toHaveLength(2);
    await h.clock.advance(12 * 3600_000 - 60_000);
    await send(body, "?deduplication-id=42");
    expect(h.sim.control.sentMessages()).toHaveLength(2);
    await h.clock.advance(60_000);
    const late = await send(body, "?deduplication-id=42");
    expect(msgs(late)[0]?.id).not.toBe(msgs(first)[0]?.id);
    const log = h.sim.control.sentMessages();
    expect(log).toHaveLength(3);
    expect(log.map((r) => r.deduplicationId)).toEqual([42, 43, 42]);
    expect((await send(body, "?deduplication-id=abc")).status).toBe(400);
  });

  it("keeps dedup ids per account", async () => {
    await h.close();
    h = await startHarness({
      credentials: [
        { tokenId: "A", tokenSecret: "a", credits: 10 },
        { tokenId: "B", tokenSecret: "b", credits: 10 },
      ],
    });
    await h.call(
      "POST",
      "/messages?deduplication-id=7",
      { to: "+27821234567", body: "x" },
      { auth: basicAuth("A", "a") },
    );
    await h.call(
      "POST",
      "/messages?deduplication-id=7",
      { to: "+27821234567", body: "x" },
      { auth: basicAuth("B", "b") },
    );
    expect(h.sim.control.sentMessages().map((r) => r.account)).toEqual(["A", "B"]);
    expect(h.sim.control.credits("A")).toBe(9);
    expect(h.sim.control.credits("B")).toBe(9);
  });

  it("accepts GET /messages/send and form POSTs", async () => {
    const g = await h.call("GET", "/messages/send?to=%2B27821234567&body=hello");
    expect(g.status).toBe(201);
    const res = await fetch(`${h.sim.url}/messages`, {
      method: "POST",
      headers: {
        authorization: basicAuth("TOKEN-A-01-B", "secret-a"),
        "content-type": "application/x-www-form-urlencoded",
      },
      body: "to=%2B27820000009&body=form+body",
    });
    expect(res.status).toBe(201);
    expect(h.sim.control.sentMessages().map((r) => [r.to, r.body])).toEqual([
      ["27821234567", "hello"],
      ["27820000009", "form body"],
    ]);
  });
});

describe("status progression and the test number", () => {
  it("moves ACCEPTED -> SENT -> DELIVERED on the sandbox clock", async () => {
    const [m] = msgs(await send({ to: "+27821234567", body: "x" }));
    const status = async () => ((await h.call("GET", `/messages/${m?.id}`)).body as BulkSmsMessage).status.id;
    expect(await status()).toBe("ACCEPTED.null");
    await h.clock.advance(999);
    expect(await status()).toBe("ACCEPTED.null");
    await h.clock.advance(1);
    expect(await status()).toBe("SENT.null");
    await h.clock.advance(4000);
    expect(await status()).toBe("DELIVERED.null");
  });

  it("fails messages to 1111111 (any country code), free of charge", async () => {
    await send({ to: ["1111111", "+441111111", "+27821234567"], body: "x" });
    expect(h.sim.control.credits()).toBe(99);
    await h.clock.advance(10_000);
    const byTo = Object.fromEntries(h.sim.control.messages().map((m) => [m.to, m.status.id]));
    expect(byTo).toEqual({
      "1111111": "FAILED.NOT_SENT",
      "441111111": "FAILED.NOT_SENT",
      "27821234567": "DELIVERED.null",
    });
    expect(h.sim.control.sentMessages().map((r) => r.cost)).toEqual([0, 0, 1]);
  });

  it("setNumberOutcome makes a number fail with the chosen subtype", async () => {
    h.sim.control.setNumberOutcome("+27821234567", "HANDSET_ERROR");
    await send({ to: "+27821234567", body: "x" });
    await h.clock.advance(5000);
    expect(h.sim.control.messages({ status: "FAILED" }).map((m) => m.status.id)).toEqual([
      "FAILED.HANDSET_ERROR",
    ]);
  });
});

describe("GET /messages", () => {
  it("lists newest first, filters with type/status/date, and pages with id<", async () => {
    for (let i = 0; i < 5; i++) {
      await send({ to: `+2782000000${i}`, body: `m${i}` });
      await h.clock.advance(60_000);
    }
    h.sim.control.simulateReply({ from: "+27820000004", body: "hello back" });
    const all = msgs(await h.call("GET", "/messages"));
    expect(all.map((m) => m.body)).toEqual(["hello back", "m4", "m3", "m2", "m1", "m0"]);
    const sent = msgs(await h.call("GET", `/messages?filter=${encodeURIComponent("type=SENT")}`));
    expect(sent.map((m) => m.body)).toEqual(["m4", "m3", "m2", "m1", "m0"]);
    // Paging: limit 2, then id< the last seen id until empty.
    const pages: string[][] = [];
    let filter = "type=SENT";
    for (;;) {
      const page = msgs(await h.call("GET", `/messages?limit=2&filter=${encodeURIComponent(filter)}`));
      if (page.length === 0) break;
      pages.push(page.map((m) => m.body));
      filter = `type=SENT&id<${page[page.length - 1]?.id}`;
    }
    expect(pages).toEqual([["m4", "m3"], ["m2", "m1"], ["m0"]]);
    const since = new Date(T0 + 120_000).toISOString();
    const recent = msgs(
      await h.call(
        "GET",
        `/messages?filter=${encodeURIComponent(`submission.date>=${since} and type=SENT`)}`,
      ),
    );
    expect(recent.map((m) => m.body)).toEqual(["m4", "m3", "m2"]);
    const delivered = msgs(
      await h.call(
        "GET",
        `/messages?filter=${encodeURIComponent("status.type=DELIVERED")}&sortOrder=ASCENDING`,
      ),
    );
    expect(delivered.map((m) => m.body)).toEqual(["m0", "m1", "m2", "m3", "m4", "hello back"]);
    const newer = msgs(await h.call("GET", `/messages?filter=${encodeURIComponent(`id>${all[2]?.id}`)}`));
    expect(newer.map((m) => m.body)).toEqual(["hello back", "m4"]);
  });

  it("answers 400 naming the problem for a bad filter", async () => {
    const r = await h.call("GET", `/messages?filter=${encodeURIComponent("colour=red")}`);
    expect(r.status).toBe(400);
    expect((r.body as { detail: string }).detail).toContain("colour");
    const d = await h.call(
      "GET",
      `/messages?filter=${encodeURIComponent("submission.date>=2026-01-01T10:00:00")}`,
    );
    expect(d.status).toBe(400);
  });

  it("filters by userSuppliedId (SENT only), submission.id and status.id", async () => {
    const a = msgs(await send([{ to: ["+27820000001", "+441111111"], body: "a", userSuppliedId: "job-1" }]));
    await send({ to: "+27820000002", body: "b", userSuppliedId: "job-2" });
    await h.clock.advance(5000);
    const q = async (f: string) =>
      msgs(await h.call("GET", `/messages?filter=${encodeURIComponent(f)}`)).map((m) => m.to);
    expect(await q("userSuppliedId=job-1")).toEqual(["441111111", "27820000001"]);
    expect(await q(`submission.id=${a[0]?.submission.id}`)).toEqual(["441111111", "27820000001"]);
    expect(await q("status.id=FAILED.NOT_SENT")).toEqual(["441111111"]);
    expect(await q("status.type=DELIVERED&userSuppliedId=job-2")).toEqual(["27820000002"]);
  });
});

describe("sender ids and recipient forms", () => {
  it("accepts {type: INTERNATIONAL} recipients and validates sender ids by type", async () => {
    const ok = await send([
      { to: [{ type: "INTERNATIONAL", address: "+27820000001" }], body: "x", from: "MyShop" },
    ]);
    expect(ok.status).toBe(201);
    expect(msgs(ok)[0]?.from).toBe("MyShop");
    const intl = await send([
      { to: ["+27820000001"], body: "x", from: { type: "INTERNATIONAL", address: "+27829999999" } },
    ]);
    expect(msgs(intl)[0]?.from).toBe("27829999999");
    const long = await send([{ to: ["+27820000001"], body: "x", from: "TwelveChars!" }]);
    expect(long.status).toBe(400);
    expect((long.body as { detail: string }).detail).toContain("ALPHANUMERIC");
    const short = await send([
      { to: ["+27820000001"], body: "x", from: { type: "SHORTCODE", address: "1234567" } },
    ]);
    expect(short.status).toBe(400);
    const group = await send([{ to: [{ type: "GROUP", name: "Friends" }], body: "x" }]);
    expect(group.status).toBe(400);
    expect((group.body as { detail: string }).detail).toContain("GROUP");
    expect(h.sim.control.sentMessages()).toHaveLength(2);
  });

  it("links replies only to repliable messages (a named sender is not repliable)", async () => {
    const named = msgs(await send({ to: "+27820000001", body: "x", from: "MyShop" }));
    const reply1 = h.sim.control.simulateReply({ from: "+27820000001", body: "hi" });
    expect(reply1.relatedSentMessageId).toBeNull();
    const repliable = msgs(await send([{ to: ["+27820000001"], body: "y", from: { type: "REPLIABLE" } }]));
    const reply2 = h.sim.control.simulateReply({ from: "+27820000001", body: "hi again" });
    expect(reply2.relatedSentMessageId).toBe(repliable[0]?.id);
    expect(reply2.to).toBe(repliable[0]?.from);
    expect(named[0]?.id).not.toBe(repliable[0]?.id);
  });
});
