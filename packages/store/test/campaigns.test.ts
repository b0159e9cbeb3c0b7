import { describe, expect, it } from "vitest";
import { openMemoryStore } from "../src/index.js";
import { fakeClock } from "./helpers.js";

async function setup() {
  const clock = fakeClock();
  const store = openMemoryStore({ now: clock.now });
  await store.locations.upsert({ id: "L1" });
  const { campaign } = await store.campaigns.create({
    id: "cmp1",
    locationId: "L1",
    name: "Spring",
    template: "Hi {{firstName}}",
    audience: { tags: { any: ["vip"] } },
    options: { batchSize: 2 },
  });
  return { clock, store, campaign };
}

describe("campaigns", () => {
  it("create is idempotent by id; an unknown location is refused by name", async () => {
    const { store, campaign } = await setup();
    expect(campaign).toMatchObject({ id: "cmp1", status: "draft", audience: { tags: { any: ["vip"] } } });
    const again = await store.campaigns.create({ ...campaign, name: "Other", audience: {}, options: {} });
    expect(again).toMatchObject({ created: false, campaign: { name: "Spring" } });
    await expect(
      store.campaigns.create({
        id: "x",
        locationId: "nope",
        name: "n",
        template: "t",
        audience: {},
        options: {},
      }),
    ).rejects.toThrow(/unknown location "nope"/);
  });

  it("update with `from` is a compare-and-set on the status", async () => {
    const { store } = await setup();
    expect(await store.campaigns.update("cmp1", { status: "paused" }, ["running"])).toBeNull();
    expect((await store.campaigns.update("cmp1", { status: "scheduled" }, ["draft"]))?.status).toBe(
      "scheduled",
    );
    expect((await store.campaigns.list({ locationId: "L1", status: "scheduled" })).map((c) => c.id)).toEqual([
      "cmp1",
    ]);
  });

  it("recipients: added once, due by send time then contact id, batches keep their exact membership", async () => {
    const { clock, store } = await setup();
    const t = clock.now();
    const row = (contactId: string, sendAt: number) => ({
      contactId,
      phoneE164: `+4474009000${contactId.slice(1)}`,
      timeZone: "Europe/London",
      sendAt,
    });
    expect(await store.campaigns.addRecipients("cmp1", [row("c3", t), row("c1", t), row("c2", t + 10)])).toBe(
      3,
    );
    expect(await store.campaigns.addRecipients("cmp1", [row("c1", t + 99)])).toBe(0);
    expect((await store.campaigns.listDue("cmp1", { now: t, limit: 10 })).map((r) => r.contactId)).toEqual([
      "c1",
      "c3",
    ]);
    expect(await store.campaigns.nextSendAt("cmp1")).toBe(t);
    const batch = await store.campaigns.createBatch({ campaignId: "cmp1", seq: 1, dedupId: 4242, size: 2 });
    expect(batch).toMatchObject({ seq: 1, dedupId: 4242, state: "sealed", attempts: 0 });
    await store.campaigns.updateRecipients("cmp1", [
      { contactId: "c1", state: "batched", batchSeq: 1, messageId: "m1" },
      { contactId: "c3", state: "batched", batchSeq: 1, messageId: "m3" },
    ]);
    expect((await store.campaigns.listRecipients("cmp1", { batchSeq: 1 })).map((r) => r.contactId)).toEqual([
      "c1",
      "c3",
    ]);
    expect(await store.campaigns.nextSendAt("cmp1")).toBe(t + 10);
    expect(await store.campaigns.lastBatchSeq("cmp1")).toBe(1);
    await expect(
      store.campaigns.createBatch({ campaignId: "cmp1", seq: 1, dedupId: 1, size: 1 }),
    ).rejects.toThrow();
    clock.advance(1000);
    await store.campaigns.updateRecipients("cmp1", [
      { contactId: "c1", state: "sent" },
      { contactId: "c3", state: "sent" },
    ]);
    await store.campaigns.updateBatch("cmp1", 1, {
      state: "submitted",
      attempts: 1,
      submittedAt: clock.now(),
    });
    expect(await store.campaigns.cancelPending("cmp1", "campaign cancelled")).toBe(1);
    const counts = await store.campaigns.counts("cmp1");
    expect(counts.recipients).toMatchObject({ sent: 2, cancelled: 1, pending: 0 });
    expect(counts.batches).toEqual({ sealed: 0, submitted: 1, failed: 0 });
    // reply attribution: the newest campaign text to the number, submitted since `since`
    const latest = await store.campaigns.findLatestSentTo("L1", "+44740090001", t);
    expect(latest).toMatchObject({ campaignId: "cmp1", contactId: "c1", submittedAt: clock.now() });
    expect(await store.campaigns.findLatestSentTo("L1", "+44740090001", clock.now() + 1)).toBeNull();
    await store.campaigns.markResponse("cmp1", "c1", { repliedAt: 5 });
    await store.campaigns.markResponse("cmp1", "c1", { repliedAt: 6, optedOutAt: 7 });
    expect(await store.campaigns.getRecipient("cmp1", "c1")).toMatchObject({ repliedAt: 5, optedOutAt: 7 });
    expect((await store.campaigns.counts("cmp1")).replied).toBe(1);
  });
});
