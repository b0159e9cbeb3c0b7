// CampaignsRepo on every store (hand-written SQLite, Kysely on SQLite, Kysely on PostgreSQL): the same
// ordering, conflicts, counters, JSON and times everywhere, and compare-and-set across several stores on
// one database.
import { describe, expect, it } from "vitest";
import type { Store } from "../src/index.js";
import { fakeClock } from "./helpers.js";
import { describeEachStore, type OpenStore } from "./support/stores.js";

async function setup(open: OpenStore) {
  const clock = fakeClock();
  const store = await open({ now: clock.now });
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

const recipient = (contactId: string, sendAt: number) => ({
  contactId,
  phoneE164: `+4474009000${contactId.slice(1)}`,
  timeZone: "Europe/London",
  sendAt,
});

describeEachStore((open, _name, openShared) => {
  describe("campaigns", () => {
    it("create is idempotent by id; an unknown location is refused by name", async () => {
      const { store, campaign } = await setup(open);
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
      const { store } = await setup(open);
      expect(await store.campaigns.update("cmp1", { status: "paused" }, ["running"])).toBeNull();
      expect((await store.campaigns.update("cmp1", { status: "scheduled" }, ["draft"]))?.status).toBe(
        "scheduled",
      );
      expect(
        (await store.campaigns.list({ locationId: "L1", status: "scheduled" })).map((c) => c.id),
      ).toEqual(["cmp1"]);
    });

    it("recipients: added once, due by send time then contact id, batches keep their exact membership", async () => {
      const { clock, store } = await setup(open);
      const t = clock.now();
      const row = (contactId: string, sendAt: number) => ({
        contactId,
        phoneE164: `+4474009000${contactId.slice(1)}`,
        timeZone: "Europe/London",
        sendAt,
      });
      expect(
        await store.campaigns.addRecipients("cmp1", [row("c3", t), row("c1", t), row("c2", t + 10)]),
      ).toBe(3);
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
      expect((await store.campaigns.listRecipients("cmp1", { batchSeq: 1 })).map((r) => r.contactId)).toEqual(
        ["c1", "c3"],
      );
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

    it("list: newest first then id; JSON and BIGINT times round-trip; update keeps what it does not patch", async () => {
      const { clock, store, campaign } = await setup(open);
      expect(campaign.createdAt).toBe(clock.now());
      expect(campaign.summary).toBeNull();
      expect(campaign.error).toBeNull();
      await store.campaigns.create({
        id: "cmp0",
        locationId: "L1",
        name: "B",
        template: "t",
        audience: {},
        options: {},
      });
      clock.advance(5);
      await store.campaigns.create({
        id: "cmp2",
        locationId: "L1",
        name: "C",
        template: "t",
        audience: {},
        options: {},
      });
      expect((await store.campaigns.list()).map((c) => c.id)).toEqual(["cmp2", "cmp0", "cmp1"]);
      expect((await store.campaigns.list({ limit: 1 })).map((c) => c.id)).toEqual(["cmp2"]);
      expect(await store.campaigns.list({ locationId: "L2" })).toEqual([]);
      clock.advance(10);
      const summary = { sent: 2, text: "é ünïcode", nested: [{ a: null }, true, 1.5] };
      const updated = await store.campaigns.update("cmp1", { summary, error: "insufficient credits" });
      expect(updated).toMatchObject({
        status: "draft",
        options: { batchSize: 2 },
        audience: { tags: { any: ["vip"] } },
        summary,
        error: "insufficient credits",
        createdAt: campaign.createdAt,
        updatedAt: clock.now(),
      });
      const cleared = await store.campaigns.update("cmp1", {
        error: null,
        summary: null,
        options: { x: [] },
      });
      expect(cleared).toMatchObject({ error: null, summary: null, options: { x: [] }, status: "draft" });
      expect(await store.campaigns.get("cmp1")).toEqual(cleared);
      expect(await store.campaigns.update("nope", { status: "running" })).toBeNull();
      expect(await store.campaigns.update("cmp1", { status: "running" }, [])).toBeNull();
      expect(await store.campaigns.get("missing")).toBeNull();
    });

    it("addRecipients: more rows than one insert, a contact twice in one call counts once, unknown campaign adds 0", async () => {
      const { clock, store } = await setup(open);
      const t = clock.now();
      const rows = Array.from({ length: 1203 }, (_, i) =>
        recipient(`c${String(i).padStart(5, "0")}`, t + (i % 7)),
      );
      expect(await store.campaigns.addRecipients("cmp1", [...rows, rows[0]!])).toBe(1203);
      expect(await store.campaigns.addRecipients("cmp1", rows.slice(0, 10))).toBe(0);
      expect(await store.campaigns.addRecipients("nope", rows.slice(0, 10))).toBe(0);
      const excluded = await store.campaigns.addRecipients("cmp1", [
        { ...recipient("x1", t), state: "excluded", reason: "opted_out" },
        { ...recipient("x2", t), state: "excluded", reason: "opted_out" },
        { ...recipient("x3", t), phoneE164: null, state: "excluded", reason: "no_phone" },
      ]);
      expect(excluded).toBe(3);
      // keyset pages by contact id cover every pending row once
      const seen: string[] = [];
      let after: string | undefined;
      for (;;) {
        const page = await store.campaigns.listRecipients("cmp1", {
          state: "pending",
          afterContactId: after,
          limit: 500,
        });
        if (page.length === 0) break;
        seen.push(...page.map((r) => r.contactId));
        after = page[page.length - 1]!.contactId;
      }
      expect(seen).toEqual(rows.map((r) => r.contactId));
      const due = await store.campaigns.listDue("cmp1", { now: t + 1, limit: 3 });
      expect(due.map((r) => [r.sendAt, r.contactId])).toEqual([
        [t, "c00000"],
        [t, "c00007"],
        [t, "c00014"],
      ]);
      expect(await store.campaigns.getRecipient("cmp1", "x3")).toMatchObject({
        phoneE164: null,
        state: "excluded",
        reason: "no_phone",
        batchSeq: null,
        messageId: null,
        submittedAt: null,
      });
      const counts = await store.campaigns.counts("cmp1");
      expect(counts.recipients).toEqual({
        pending: 1203,
        batched: 0,
        sent: 0,
        excluded: 3,
        cancelled: 0,
        failed: 0,
      });
      expect(counts.excluded).toEqual({ opted_out: 2, no_phone: 1 });
    });

    it("updateRecipients: sent stamps submittedAt once; explicit nulls clear; sendAt moves; counts join messages", async () => {
      const { clock, store } = await setup(open);
      const t = clock.now();
      await store.campaigns.addRecipients("cmp1", [
        recipient("c1", t),
        recipient("c2", t),
        recipient("c3", t),
      ]);
      const messageIds: string[] = [];
      for (const [i, cost] of [
        [1, 0.5],
        [2, 0.25],
      ] as const) {
        const created = await store.messages.create({
          key: `campaign:cmp1:c${i}`,
          locationId: "L1",
          contactId: `c${i}`,
          to: `+4474009000${i}`,
          body: "Hi",
        });
        if (!created.created) throw new Error("expected a new message");
        await store.messages.markSubmitted(created.message.id, {
          providerIds: [`p${i}`],
          status: "SENT",
          cost,
        });
        messageIds.push(created.message.id);
      }
      await store.campaigns.createBatch({ campaignId: "cmp1", seq: 1, dedupId: 2_000_000_001, size: 2 });
      await store.campaigns.updateRecipients("cmp1", [
        { contactId: "c1", state: "batched", batchSeq: 1, messageId: messageIds[0]! },
        { contactId: "c2", state: "batched", batchSeq: 1, messageId: messageIds[1]!, reason: "r" },
        { contactId: "c3", sendAt: t + 3_600_000 },
      ]);
      clock.advance(100);
      const sentAt = clock.now();
      await store.campaigns.updateRecipients("cmp1", [{ contactId: "c1", state: "sent" }]);
      clock.advance(100);
      await store.campaigns.updateRecipients("cmp1", [
        { contactId: "c1", state: "sent" },
        { contactId: "c2", state: "pending", batchSeq: null, messageId: null, reason: null },
      ]);
      expect(await store.campaigns.getRecipient("cmp1", "c1")).toMatchObject({
        state: "sent",
        submittedAt: sentAt,
        batchSeq: 1,
        updatedAt: clock.now(),
      });
      expect(await store.campaigns.getRecipient("cmp1", "c2")).toMatchObject({
        state: "pending",
        batchSeq: null,
        messageId: null,
        reason: null,
        submittedAt: null,
      });
      expect(await store.campaigns.nextSendAt("cmp1")).toBe(t);
      expect((await store.campaigns.getRecipient("cmp1", "c3"))?.sendAt).toBe(t + 3_600_000);
      const counts = await store.campaigns.counts("cmp1");
      expect(counts.messages).toMatchObject({ SENT: 1, QUEUED: 0 });
      expect(counts.credits).toBe(0.5);
      expect(counts.batches).toEqual({ sealed: 1, submitted: 0, failed: 0 });
      expect(await store.campaigns.getBatch("cmp1", 1)).toMatchObject({ dedupId: 2_000_000_001, size: 2 });
      const empty = await store.campaigns.counts("nope");
      expect(empty).toMatchObject({ replied: 0, optedOut: 0, credits: 0, excluded: {} });
      expect(Object.values(empty.recipients).every((n) => n === 0)).toBe(true);
    });

    it("batches: partial updates keep the rest, unknown batch is false, listed by seq and state", async () => {
      const { clock, store } = await setup(open);
      expect(await store.campaigns.lastBatchSeq("cmp1")).toBe(0);
      for (const seq of [2, 1, 3])
        await store.campaigns.createBatch({ campaignId: "cmp1", seq, dedupId: seq, size: 1 });
      expect(await store.campaigns.updateBatch("cmp1", 9, { state: "failed" })).toBe(false);
      expect(await store.campaigns.updateBatch("cmp1", 9, {})).toBe(false);
      expect(await store.campaigns.updateBatch("cmp1", 2, {})).toBe(true);
      expect(await store.campaigns.updateBatch("cmp1", 2, { attempts: 1, error: "timeout" })).toBe(true);
      expect(
        await store.campaigns.updateBatch("cmp1", 2, { state: "submitted", submittedAt: clock.now() + 1 }),
      ).toBe(true);
      expect(await store.campaigns.getBatch("cmp1", 2)).toEqual({
        campaignId: "cmp1",
        seq: 2,
        dedupId: 2,
        state: "submitted",
        size: 1,
        attempts: 1,
        sealedAt: clock.now(),
        submittedAt: clock.now() + 1,
        error: "timeout",
      });
      await store.campaigns.updateBatch("cmp1", 2, { error: null });
      expect((await store.campaigns.getBatch("cmp1", 2))?.error).toBeNull();
      expect((await store.campaigns.listBatches("cmp1")).map((b) => b.seq)).toEqual([1, 2, 3]);
      expect((await store.campaigns.listBatches("cmp1", { state: "sealed" })).map((b) => b.seq)).toEqual([
        1, 3,
      ]);
      expect(await store.campaigns.lastBatchSeq("cmp1")).toBe(3);
      expect(await store.campaigns.getBatch("cmp1", 9)).toBeNull();
    });

    it("several stores on one database: one create per id, one winner of a status compare-and-set", async () => {
      const stores = (await openShared(3)) as [Store, Store, Store];
      await stores[0].locations.upsert({ id: "L1" });
      const input = { id: "race", locationId: "L1", name: "n", template: "t", audience: {}, options: {} };
      const created = await Promise.all(
        Array.from({ length: 9 }, (_, i) => stores[i % 3]!.campaigns.create({ ...input, name: `n${i}` })),
      );
      expect(created.filter((c) => c.created)).toHaveLength(1);
      const winner = created.find((c) => c.created)!.campaign.name;
      for (const c of created) expect(c.campaign.name).toBe(winner);
      const moves = await Promise.all(
        Array.from({ length: 9 }, (_, i) =>
          stores[i % 3]!.campaigns.update("race", { status: "running", error: `w${i}` }, ["draft"]),
        ),
      );
      const won = moves.filter((m) => m !== null);
      expect(won).toHaveLength(1);
      expect(await stores[2].campaigns.get("race")).toMatchObject({
        status: "running",
        error: won[0]!.error,
      });
    });
  });
});
