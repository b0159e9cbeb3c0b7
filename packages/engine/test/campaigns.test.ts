// Issue 14: SMS campaigns to a segment. Asserted against the sandbox's record of what BulkSMS actually
// accepted (its send log), not against our own bookkeeping.
import { afterEach, describe, expect, it } from "vitest";
import {
  campaignStatus,
  cancelCampaign,
  createCampaign,
  pauseCampaign,
  previewCampaign,
  pullBlockedNumbers,
  resumeCampaign,
  scheduleCampaign,
  sendCampaign,
} from "../src/index.js";
import { type Harness, NOON_LONDON, startHarness } from "./harness.js";

let h: Harness | null = null;
afterEach(async () => {
  await h?.close();
  h = null;
});

const digits = (n: string) => n.replace(/\D/g, "");

/** What BulkSMS accepted: one line per text actually sent (dedup repeats add nothing). */
function sent(harness: Harness) {
  return harness.sandbox.bulksms.control.sentMessages();
}

async function start(options: Parameters<typeof startHarness>[0] = {}) {
  // a frozen clock: virtual time moves only with advance()
  h = await startHarness({ clockSpeed: 1e-9, ...options });
  return h;
}

function contact(
  harness: Harness,
  input: Parameters<Harness["sandbox"]["ghl"]["control"]["createContact"]>[1],
) {
  return harness.sandbox.ghl.control.createContact(harness.locationId, input).id;
}

describe("campaign preview", () => {
  it("counts and samples every exclusion, measures encoding, parts and credits, and reads the balance", async () => {
    const harness = await start();
    const vip = ["vip"];
    const ann = contact(harness, { firstName: "Ann", phone: "07400 800001", tags: vip });
    const zoe = contact(harness, { firstName: "Zoë 😀😀😀😀😀", phone: "07400 800002", tags: vip });
    const dnd = contact(harness, {
      firstName: "Dee",
      phone: "07400 800003",
      tags: vip,
      dndSettings: { SMS: { status: "active", message: "", code: "" } },
    });
    const stopped = contact(harness, { firstName: "Stu", phone: "07400 800004", tags: vip });
    const landline = contact(harness, { firstName: "Lan", phone: "020 7946 0018", tags: vip });
    const noName = contact(harness, { phone: "07400 800006", tags: vip });
    const blocked = contact(harness, { firstName: "Bo", phone: "07400 800007", tags: vip });
    contact(harness, { firstName: "Out", phone: "07400 800008", tags: ["other"] });
    contact(harness, { firstName: "Ex", phone: "07400 800009", tags: ["vip", "staff"] });
    await harness.settle();
    harness.sandbox.bulksms.control.simulateReply({ from: "+447400800004", body: "STOP" });
    harness.sandbox.bulksms.control.addBlocked(["+447400800007"]);
    await harness.settle();
    await pullBlockedNumbers(harness.engine.deps, harness.locationId);

    const created = await createCampaign(harness.engine.deps, {
      locationId: harness.locationId,
      name: "Spring sale",
      template: "Hi {{firstName}}, 20% off this week at our shop. Reply STOP to opt out.",
      audience: { tags: { any: ["vip"] }, exclude: { tags: ["staff"] } },
    });
    if (!created.ok) throw new Error(created.message);
    const before = sent(harness).length;
    const r = await previewCampaign(harness.engine.deps, created.campaign.id);
    if (!r.ok) throw new Error(r.message);
    const p = r.preview;
    expect(p.matched).toBe(7);
    expect(p.eligible).toBe(2);
    const ex = (reason: keyof typeof p.excluded) => ({
      count: p.excluded[reason].count,
      ids: p.excluded[reason].samples.map((s) => s.contactId),
    });
    expect(ex("dnd")).toEqual({ count: 1, ids: [dnd] });
    expect(ex("opted_out")).toEqual({ count: 1, ids: [stopped] });
    expect(ex("landline")).toEqual({ count: 1, ids: [landline] });
    expect(ex("missing_fields")).toEqual({ count: 1, ids: [noName] });
    expect(ex("blocked")).toEqual({ count: 1, ids: [blocked] });
    expect(p.excluded.missing_fields.samples[0]?.detail).toMatch(/firstName/);
    expect(p.encoding).toEqual({ "GSM-7": 1, "UCS-2": 1 });
    // "Hi Ann, ..." fits one GSM-7 part; the emoji make Zoë's UCS-2: 72 units (an emoji is 2) -> 2 parts
    expect(p.parts).toEqual({ min: 1, max: 2, total: 3 });
    expect(p.credits.total).toBe(3);
    expect(p.samples.map((s) => [s.contactId, s.encoding, s.parts])).toEqual([
      [ann, "GSM-7", 1],
      [zoe, "UCS-2", 2],
    ]);
    expect(p.samples[0]?.text).toBe("Hi Ann, 20% off this week at our shop. Reply STOP to opt out.");
    const credits = harness.sandbox.bulksms.control.credits();
    expect(p.balance).toEqual({ known: true, credits, sufficient: true, affordableTexts: 2 });
    expect(p.bulkSmsRequests).toBe(1);
    expect(sent(harness).length).toBe(before); // a preview sends nothing
    // the segment search is a documented POST /contacts/search body
    expect(harness.sandbox.ghl.control.contractViolations()).toEqual([]);
  });
});

describe("campaign send", () => {
  it("sends every eligible recipient once, in one BulkSMS request, and counts deliveries", async () => {
    const harness = await start();
    const ids = [];
    for (let i = 0; i < 6; i++)
      ids.push(contact(harness, { firstName: `P${i}`, phone: `07400 81000${i}`, tags: ["news"] }));
    contact(harness, {
      firstName: "Dee",
      phone: "07400 810009",
      tags: ["news"],
      dndSettings: { SMS: { status: "active", message: "", code: "" } },
    });
    await harness.settle();
    const c = await createCampaign(harness.engine.deps, {
      locationId: harness.locationId,
      name: "News",
      template: "Hello {{firstName}}!",
      audience: { tags: { any: ["news"] } },
      options: { tag: "got-news" },
    });
    if (!c.ok) throw new Error(c.message);
    const s = await sendCampaign(harness.engine.deps, c.campaign.id);
    expect(s.ok).toBe(true);
    await harness.settle();
    await harness.advance(60_000);
    const texts = sent(harness);
    expect(texts.map((t) => t.body).sort()).toEqual(ids.map((_, i) => `Hello P${i}!`).sort());
    expect(new Set(texts.map((t) => t.deduplicationId)).size).toBe(1);
    expect(texts.some((t) => digits(t.to).endsWith("810009"))).toBe(false);
    const status = await campaignStatus(harness.engine.deps, c.campaign.id);
    expect(status?.campaign.status).toBe("completed");
    expect(status?.counts.recipients).toMatchObject({ sent: 6, excluded: 1 });
    expect(status?.counts.excluded).toEqual({ dnd: 1 });
    // "why was nothing sent?" answers for campaigns too
    const why = await harness.store.decisions.list({
      locationId: harness.locationId,
      phoneE164: "+447400810009",
    });
    expect(why.map((d) => [d.kind, d.decision, d.reason])).toContainEqual([
      `campaign:${c.campaign.id}`,
      "skipped",
      "dnd",
    ]);
    expect(status?.counts.messages.DELIVERED).toBe(6);
    expect(status?.batches.map((b) => [b.seq, b.state, b.size])).toEqual([[1, "submitted", 6]]);
    expect(status?.campaign.summary).toMatchObject({ sent: 6, batches: 1 });
    // the optional GHL tag, once per recipient
    for (const id of ids) expect(harness.sandbox.ghl.control.getContact(id)?.tags).toContain("got-news");
  });

  // also on PostgreSQL: the whole campaign path (recipients, batches, counts) on the Kysely store
  it.each(["memory", "postgres"] as const)(
    "a lost answer is retried with the same deduplication id: each text exactly once (%s store)",
    async (store) => {
      let dropped = 0;
      const harness = await start({ store });
      for (let i = 0; i < 5; i++)
        contact(harness, { firstName: `Q${i}`, phone: `07400 82000${i}`, tags: ["x"] });
      await harness.settle();
      // the request reaches BulkSMS, the answer is lost (a timeout): twice
      const sms = harness.engine.deps.sms;
      const original = sms.submitBatch.bind(sms);
      (sms as { submitBatch: typeof sms.submitBatch }).submitBatch = async (input) => {
        const r = await original(input);
        if (dropped < 2) {
          dropped++;
          return {
            ok: false,
            error: { code: "network", status: 0, title: "timeout", retryable: true },
          } as never;
        }
        return r;
      };
      const c = await createCampaign(harness.engine.deps, {
        locationId: harness.locationId,
        name: "X",
        template: "Hi {{firstName}}",
        audience: { tags: { any: ["x"] } },
      });
      if (!c.ok) throw new Error(c.message);
      await sendCampaign(harness.engine.deps, c.campaign.id);
      await harness.settle();
      await harness.advance(5_000);
      expect(dropped).toBe(2);
      const texts = sent(harness);
      expect(texts).toHaveLength(5);
      expect(new Set(texts.map((t) => digits(t.to))).size).toBe(5);
      const status = await campaignStatus(harness.engine.deps, c.campaign.id);
      expect(status?.batches.map((b) => [b.state, b.attempts])).toEqual([["submitted", 3]]);
      expect(status?.counts.recipients.sent).toBe(5);
      expect(texts.map((t) => t.body).sort()).toEqual([0, 1, 2, 3, 4].map((i) => `Hi Q${i}`));
      // delivery reports came back for each text, once
      expect(status?.counts.messages).toMatchObject({ DELIVERED: 5, FAILED: 0, QUEUED: 0 });
      expect(status?.campaign.status).toBe("completed");
    },
  );

  it("schedules at each recipient's own local time (London 10:00 and Johannesburg 10:00)", async () => {
    const harness = await start();
    const london = contact(harness, {
      firstName: "Lo",
      phone: "07400 830001",
      tags: ["tz"],
      timezone: "Europe/London",
    });
    const joburg = contact(harness, {
      firstName: "Jo",
      phone: "+27 82 555 0101",
      tags: ["tz"],
      timezone: "Africa/Johannesburg",
    });
    await harness.settle();
    const c = await createCampaign(harness.engine.deps, {
      locationId: harness.locationId,
      name: "Morning",
      template: "Good morning {{firstName}}",
      audience: { tags: { any: ["tz"] } },
    });
    if (!c.ok) throw new Error(c.message);
    // NOON_LONDON is 2026-03-10 12:00 UTC; 10:00 on the 11th: Johannesburg (UTC+2) 08:00 UTC, London 10:00 UTC
    await scheduleCampaign(harness.engine.deps, c.campaign.id, {
      schedule: { kind: "local", date: "2026-03-11", time: "10:00" },
    });
    await harness.settle();
    for (let i = 0; i < 24; i++) await harness.advance(3_600_000);
    const at = Object.fromEntries(sent(harness).map((t) => [digits(t.to), t.at]));
    expect(at["447400830001"]).toBe(Date.UTC(2026, 2, 11, 10, 0));
    expect(at["27825550101"]).toBe(Date.UTC(2026, 2, 11, 8, 0));
    expect(NOON_LONDON).toBe(Date.UTC(2026, 2, 10, 12, 0));
    const status = await campaignStatus(harness.engine.deps, c.campaign.id);
    expect(status?.batches).toHaveLength(2);
    expect(status?.campaign.status).toBe("completed");
    void london;
    void joburg;
  });

  it("quiet hours move a recipient's text to its sending window, never into the night", async () => {
    // 2026-03-10 22:00 London: outside 08:00-21:00
    const harness = await start({ clockStart: Date.UTC(2026, 2, 10, 22, 0) });
    contact(harness, { firstName: "Ni", phone: "07400 840001", tags: ["n"], timezone: "Europe/London" });
    await harness.settle();
    const c = await createCampaign(harness.engine.deps, {
      locationId: harness.locationId,
      name: "Night",
      template: "Hi {{firstName}}",
      audience: { tags: { any: ["n"] } },
    });
    if (!c.ok) throw new Error(c.message);
    await sendCampaign(harness.engine.deps, c.campaign.id);
    await harness.settle();
    expect(sent(harness)).toHaveLength(0);
    for (let i = 0; i < 12; i++) await harness.advance(3_600_000);
    expect(sent(harness).map((t) => t.at)).toEqual([Date.UTC(2026, 2, 11, 8, 0)]);
  });
});

describe("campaign control", () => {
  async function paced(harness: Harness, n: number, prefix: string) {
    for (let i = 0; i < n; i++)
      contact(harness, {
        firstName: `C${i}`,
        phone: `07400 ${prefix}${String(i).padStart(3, "0")}`,
        tags: ["c"],
      });
    await harness.settle();
    const c = await createCampaign(harness.engine.deps, {
      locationId: harness.locationId,
      name: "Paced",
      template: "Hi {{firstName}}",
      audience: { tags: { any: ["c"] } },
    });
    if (!c.ok) throw new Error(c.message);
    // 2 texts a minute: batches of 2, one a minute
    await sendCampaign(harness.engine.deps, c.campaign.id, { throughputPerMinute: 2 });
    await harness.settle();
    return c.campaign.id;
  }

  it("pause holds the remaining batches, resume sends them; the throughput cap spaces batches", async () => {
    const harness = await start();
    const id = await paced(harness, 6, "850");
    expect(sent(harness)).toHaveLength(2);
    expect((await pauseCampaign(harness.engine.deps, id)).ok).toBe(true);
    await harness.advance(5 * 60_000);
    expect(sent(harness)).toHaveLength(2);
    expect((await resumeCampaign(harness.engine.deps, id)).ok).toBe(true);
    await harness.settle();
    expect(sent(harness)).toHaveLength(4);
    await harness.advance(30_000);
    expect(sent(harness)).toHaveLength(4); // the cap: the next batch a minute after the last
    await harness.advance(30_000);
    expect(sent(harness)).toHaveLength(6);
    const times = sent(harness).map((t) => t.at);
    expect(times[4]! - times[2]!).toBeGreaterThanOrEqual(60_000);
    const st = await campaignStatus(harness.engine.deps, id);
    expect([st?.campaign.status, st?.counts.recipients, st?.batches.length]).toEqual([
      "completed",
      { pending: 0, batched: 0, sent: 6, excluded: 0, cancelled: 0, failed: 0 },
      3,
    ]);
  });

  it("cancel: the remaining batches are not sent; a second cancel is refused with the reason", async () => {
    const harness = await start();
    const id = await paced(harness, 6, "860");
    expect(sent(harness)).toHaveLength(2);
    expect((await cancelCampaign(harness.engine.deps, id)).ok).toBe(true);
    await harness.advance(10 * 60_000);
    expect(sent(harness)).toHaveLength(2);
    const status = await campaignStatus(harness.engine.deps, id);
    expect(status?.counts.recipients).toMatchObject({ sent: 2, cancelled: 4 });
    const again = await cancelCampaign(harness.engine.deps, id);
    expect(again).toMatchObject({ ok: false, code: "wrong_status" });
  });

  it("a STOP during the campaign stops that person's remaining text and counts as the campaign's opt-out", async () => {
    const harness = await start();
    const id = await paced(harness, 4, "870");
    const first = sent(harness).map((t) => digits(t.to));
    expect(first).toHaveLength(2);
    // someone of the first batch replies, someone of the second opts out before it goes
    harness.sandbox.bulksms.control.simulateReply({ from: `+${first[0]}`, body: "Thanks!" });
    const later = ["447400870000", "447400870001", "447400870002", "447400870003"].filter(
      (n) => !first.includes(n),
    );
    harness.sandbox.bulksms.control.simulateReply({ from: `+${later[0]}`, body: "STOP" });
    harness.sandbox.bulksms.control.simulateReply({ from: `+${first[1]}`, body: "STOP" });
    await harness.settle();
    await harness.advance(5 * 60_000);
    const all = sent(harness)
      .filter((t) => t.body.startsWith("Hi C"))
      .map((t) => digits(t.to));
    expect(all).toHaveLength(3);
    expect(all).not.toContain(later[0]);
    const status = await campaignStatus(harness.engine.deps, id);
    expect(status?.counts.excluded).toEqual({ opted_out: 1 });
    expect(status?.counts.replied).toBe(1);
    expect(status?.counts.optedOut).toBe(1); // the STOP after a campaign text (the other never got one)
  });
});

describe("campaign refused by BulkSMS", () => {
  it("insufficient credits pause the campaign; after a top-up, resume sends the same sealed batch once", async () => {
    const harness = await start();
    for (let i = 0; i < 5; i++)
      contact(harness, { firstName: `K${i}`, phone: `07400 89000${i}`, tags: ["k"] });
    await harness.settle();
    harness.sandbox.bulksms.control.setCredits(2);
    const c = await createCampaign(harness.engine.deps, {
      locationId: harness.locationId,
      name: "K",
      template: "Hi {{firstName}}",
      audience: { tags: { any: ["k"] } },
    });
    if (!c.ok) throw new Error(c.message);
    await sendCampaign(harness.engine.deps, c.campaign.id);
    await harness.settle();
    expect(sent(harness)).toHaveLength(0);
    const paused = await campaignStatus(harness.engine.deps, c.campaign.id);
    expect(paused?.campaign.status).toBe("paused");
    expect(paused?.campaign.error).toMatch(/BulkSMS refused batch 1: .*[Cc]redit/);
    expect(paused?.batches.map((b) => [b.state, b.size])).toEqual([["sealed", 5]]);
    harness.sandbox.bulksms.control.setCredits(100);
    expect((await resumeCampaign(harness.engine.deps, c.campaign.id)).ok).toBe(true);
    await harness.settle();
    expect(sent(harness)).toHaveLength(5);
    const done = await campaignStatus(harness.engine.deps, c.campaign.id);
    expect(done?.campaign.status).toBe("completed");
    expect(done?.batches.map((b) => [b.seq, b.state, b.attempts])).toEqual([[1, "submitted", 2]]);
  });
});

describe("campaign triggers", () => {
  it("a tag added in GHL texts the contact once through the same machinery; contacts that had it are not texted", async () => {
    const harness = await start();
    const old = contact(harness, { firstName: "Old", phone: "07400 880001", tags: ["hot"] });
    const fresh = contact(harness, { firstName: "New", phone: "07400 880002", tags: [] });
    await harness.settle();
    const c = await createCampaign(harness.engine.deps, {
      locationId: harness.locationId,
      name: "Hot lead",
      template: "Hi {{firstName}}, thanks for your interest!",
      audience: { tags: { any: ["hot"] } },
      options: { trigger: { kind: "tag-added", tag: "hot" } },
    });
    if (!c.ok) throw new Error(c.message);
    await sendCampaign(harness.engine.deps, c.campaign.id);
    await harness.settle();
    expect(sent(harness)).toHaveLength(0);
    harness.sandbox.ghl.control.updateContact(fresh, { tags: ["hot"] });
    await harness.settle();
    // removed and added again: still one text per contact per campaign
    harness.sandbox.ghl.control.updateContact(fresh, { tags: [] });
    await harness.settle();
    harness.sandbox.ghl.control.updateContact(fresh, { tags: ["hot"] });
    await harness.settle();
    await harness.advance(10_000);
    expect(sent(harness).map((t) => [digits(t.to), t.body])).toEqual([
      ["447400880002", "Hi New, thanks for your interest!"],
    ]);
    const status = await campaignStatus(harness.engine.deps, c.campaign.id);
    expect(status?.campaign.status).toBe("running"); // a trigger campaign runs until cancelled
    expect(status?.counts.recipients.sent).toBe(1);
    void old;
  });

  it("a field changed in GHL (its source) texts the contact when it still matches the audience", async () => {
    const harness = await start();
    const id = contact(harness, { firstName: "Fay", phone: "07400 880011", tags: ["lead"], source: "web" });
    contact(harness, { firstName: "Gus", phone: "07400 880012", tags: ["other"], source: "web" });
    await harness.settle();
    const c = await createCampaign(harness.engine.deps, {
      locationId: harness.locationId,
      name: "Source moved",
      template: "Hi {{firstName}}, welcome to the fair!",
      audience: { tags: { any: ["lead"] } },
      options: { trigger: { kind: "field-changed", field: "source" } },
    });
    if (!c.ok) throw new Error(c.message);
    await sendCampaign(harness.engine.deps, c.campaign.id);
    await harness.settle();
    for (const contactId of harness.sandbox.ghl.control.listContacts(harness.locationId).map((x) => x.id))
      harness.sandbox.ghl.control.updateContact(contactId, { source: "trade fair" });
    await harness.settle();
    await harness.advance(10_000);
    expect(sent(harness).map((t) => t.body)).toEqual(["Hi Fay, welcome to the fair!"]);
    expect((await campaignStatus(harness.engine.deps, c.campaign.id))?.counts.recipients.sent).toBe(1);
    void id;
  });
});
