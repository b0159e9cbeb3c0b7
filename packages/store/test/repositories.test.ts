import { describe, expect, it } from "vitest";
import { fakeClock } from "./helpers.js";
import { describeEachStore } from "./support/stores.js";

describeEachStore((open) => {
  const P1 = "+27820000001";
  const P2 = "+27820000002";

  async function setup() {
    const clock = fakeClock();
    const store = await open({ now: clock.now });
    await store.locations.upsert({ id: "L1", name: "Acme", region: "ZA", timezone: "Africa/Johannesburg" });
    return { clock, store };
  }

  describe("locations", () => {
    it("upserts with defaults, keeps omitted fields, validates quiet hours", async () => {
      const { store } = await setup();
      expect(await store.locations.get("L1")).toMatchObject({
        name: "Acme",
        region: "ZA",
        quietHours: { start: "08:00", end: "21:00" },
        settings: {},
        active: true,
      });
      await store.locations.upsert({
        id: "L1",
        quietHours: { start: "09:00", end: "20:30" },
        settings: { welcome: true },
      });
      expect(await store.locations.get("L1")).toMatchObject({ name: "Acme", quietHours: { start: "09:00" } });
      await expect(
        store.locations.upsert({ id: "L1", quietHours: { start: "9am", end: "20:00" } }),
      ).rejects.toThrow(/quietHours.start must be "HH:MM"/);
      await store.locations.upsert({ id: "L2" });
      expect(await store.locations.setActive("L2", false)).toBe(true);
      expect((await store.locations.list({ activeOnly: true })).map((l) => l.id)).toEqual(["L1"]);
      expect((await store.locations.list()).map((l) => l.id)).toEqual(["L1", "L2"]);
    });
  });

  describe("contacts mirror", () => {
    it("upserts partially, keeps the three-way base, finds identities by phone and email", async () => {
      const { store, clock } = await setup();
      await store.contacts.upsert({
        locationId: "L1",
        contactId: "c1",
        ghl: { firstName: "Ann", phone: P1 },
        base: { firstName: "Ann" },
        phoneE164: P1,
        emailNorm: "ann@example.com",
        nameKey: "ann",
        dateUpdated: clock.now(),
      });
      clock.advance(10);
      const updated = await store.contacts.upsert({
        locationId: "L1",
        contactId: "c1",
        profile: { consent: true },
      });
      expect(updated).toMatchObject({
        ghl: { firstName: "Ann" },
        base: { firstName: "Ann" },
        profile: { consent: true },
      });
      expect(updated.updatedAt).toBe(updated.createdAt + 10);
      await store.contacts.upsert({ locationId: "L1", contactId: "c2", phoneE164: P1 });
      await store.contacts.upsert({ locationId: "L1", contactId: "c3", phoneE164: P2 });
      expect((await store.contacts.findByPhone("L1", P1)).map((c) => c.contactId)).toEqual(["c1", "c2"]);
      expect((await store.contacts.findByEmail("L1", "ann@example.com")).map((c) => c.contactId)).toEqual([
        "c1",
      ]);
      await store.contacts.markDeleted("L1", "c2");
      expect((await store.contacts.findByPhone("L1", P1)).map((c) => c.contactId)).toEqual(["c1"]);
      expect(await store.contacts.count("L1")).toBe(2);
      expect(await store.contacts.count("L1", { includeDeleted: true })).toBe(3);
      await store.contacts.upsert({ locationId: "L1", contactId: "c1", phoneE164: null });
      expect(await store.contacts.findByPhone("L1", P1)).toEqual([]);
    });

    it("keeps the consent view time until an upsert sets it (migration 4)", async () => {
      const { store, clock } = await setup();
      const c = await store.contacts.upsert({ locationId: "L1", contactId: "v1", phoneE164: P1 });
      expect(c.consentCheckedAt).toBeNull();
      const t = clock.now();
      await store.contacts.upsert({ locationId: "L1", contactId: "v1", consentCheckedAt: t });
      clock.advance(500);
      const kept = await store.contacts.upsert({ locationId: "L1", contactId: "v1", ghl: { id: "v1" } });
      expect(kept.consentCheckedAt).toBe(t);
      expect((await store.contacts.get("L1", "v1"))?.consentCheckedAt).toBe(t);
    });

    it("pages by contact id, finds unseen and recently changed contacts", async () => {
      const { store, clock } = await setup();
      const t0 = clock.now();
      for (const id of ["a", "b", "c", "d"])
        await store.contacts.upsert({ locationId: "L1", contactId: id, lastSeenAt: t0 });
      const page1 = await store.contacts.list({ locationId: "L1", limit: 3 });
      const page2 = await store.contacts.list({
        locationId: "L1",
        limit: 3,
        afterContactId: page1.at(-1)!.contactId,
      });
      expect([...page1, ...page2].map((c) => c.contactId)).toEqual(["a", "b", "c", "d"]);
      clock.advance(1000);
      await store.contacts.upsert({ locationId: "L1", contactId: "b", lastSeenAt: clock.now() });
      await store.contacts.upsert({ locationId: "L1", contactId: "e", dateUpdated: clock.now() });
      expect((await store.contacts.listNotSeenSince("L1", clock.now())).map((c) => c.contactId)).toEqual([
        "a",
        "c",
        "d",
        "e",
      ]);
      expect((await store.contacts.listChangedSince("L1", clock.now())).map((c) => c.contactId)).toEqual([
        "e",
      ]);
    });

    it("marks the welcome SMS once, never twice", async () => {
      const { store } = await setup();
      await store.contacts.upsert({ locationId: "L1", contactId: "c1" });
      expect(await store.contacts.markWelcomeSent("L1", "c1")).toBe(true);
      expect(await store.contacts.markWelcomeSent("L1", "c1")).toBe(false);
      expect((await store.contacts.get("L1", "c1"))?.welcomeSentAt).not.toBeNull();
      await store.contacts.upsert({ locationId: "L1", contactId: "c1", ghl: { x: 1 } });
      expect((await store.contacts.get("L1", "c1"))?.welcomeSentAt).not.toBeNull();
      expect(await store.contacts.markRetired("L1", "c1")).toBe(true);
      expect((await store.contacts.get("L1", "c1"))?.retired).toBe(true);
    });
  });

  describe("opt-outs", () => {
    it("keeps the current state with source and time, and the full history", async () => {
      const { store, clock } = await setup();
      expect(await store.optOuts.isOptedOut("L1", P1)).toBe(false);
      const out = await store.optOuts.set({
        locationId: "L1",
        phoneE164: P1,
        state: "opted_out",
        source: "sms_stop",
      });
      expect(out).toEqual({ changed: true, previous: null });
      expect(await store.optOuts.isOptedOut("L1", P1)).toBe(true);
      expect(await store.optOuts.isOptedOut("L1", P1, "whatsapp")).toBe(false);
      clock.advance(10);
      const again = await store.optOuts.set({
        locationId: "L1",
        phoneE164: P1,
        state: "opted_out",
        source: "ghl_dnd",
      });
      expect(again.changed).toBe(false);
      clock.advance(10);
      await store.optOuts.set({
        locationId: "L1",
        phoneE164: P1,
        state: "opted_in",
        source: "operator",
        note: "START",
      });
      expect(await store.optOuts.get("L1", P1)).toMatchObject({
        state: "opted_in",
        source: "operator",
        at: clock.now(),
      });
      // An older event arriving late is recorded in the history but does not override the newer state.
      const late = await store.optOuts.set({
        locationId: "L1",
        phoneE164: P1,
        state: "opted_out",
        source: "bulksms_blocked",
        at: clock.now() - 15,
      });
      expect(late.changed).toBe(false);
      expect(await store.optOuts.isOptedOut("L1", P1)).toBe(false);
      expect((await store.optOuts.history("L1", P1)).map((h) => h.source)).toEqual([
        "sms_stop",
        "ghl_dnd",
        "operator",
        "bulksms_blocked",
      ]);
      await store.optOuts.set({ locationId: "L1", phoneE164: P2, state: "opted_out", source: "import" });
      expect(
        (await store.optOuts.list({ locationId: "L1", state: "opted_out" })).map((o) => o.phoneE164),
      ).toEqual([P2]);
      await expect(
        store.optOuts.set({
          locationId: "L1",
          phoneE164: P2,
          state: "opted_out",
          source: "carrier" as "import",
        }),
      ).rejects.toThrow(/source must be one of/);
    });
  });

  describe("opt-outs by the events' own times", () => {
    it("an older event processed later changes nothing; at the same instant an opt-out wins", async () => {
      const { store } = await setup();
      const base = { locationId: "L1", phoneE164: P1 } as const;
      await store.optOuts.set({
        ...base,
        state: "opted_out",
        source: "sms_stop",
        eventAt: 5_000,
        eventKey: "stop",
      });
      // a START sent before that STOP, delivered after it
      const late = await store.optOuts.set({
        ...base,
        state: "opted_in",
        source: "sms_stop",
        eventAt: 1_000,
        eventKey: "start",
      });
      expect(late.changed).toBe(false);
      expect(await store.optOuts.get("L1", P1)).toMatchObject({
        state: "opted_out",
        eventAt: 5_000,
        eventKey: "stop",
      });
      const tie = await store.optOuts.set({
        ...base,
        state: "opted_in",
        source: "operator",
        eventAt: 5_000,
        eventKey: "op",
      });
      expect(tie.changed).toBe(false);
      expect(await store.optOuts.isOptedOut("L1", P1)).toBe(true);
      // a redelivered event is recorded once
      expect(
        (
          await store.optOuts.set({
            ...base,
            state: "opted_out",
            source: "sms_stop",
            eventAt: 5_000,
            eventKey: "stop",
          })
        ).changed,
      ).toBe(false);
      expect((await store.optOuts.history("L1", P1)).map((e) => e.eventKey)).toEqual(["stop", "start", "op"]);
    });

    it("record() appends an event once per key; put() writes the decided state", async () => {
      const { store } = await setup();
      const event = {
        locationId: "L1",
        phoneE164: P1,
        state: "opted_out" as const,
        source: "ghl_dnd" as const,
        eventAt: 42,
        eventKey: "ghl:1",
      };
      expect(await store.optOuts.record(event)).toEqual({ inserted: true });
      expect(await store.optOuts.record(event)).toEqual({ inserted: false });
      expect(await store.optOuts.get("L1", P1)).toBeNull(); // history only
      await store.optOuts.put({ ...event, note: "DND", at: 50 });
      expect(await store.optOuts.get("L1", P1)).toMatchObject({
        state: "opted_out",
        eventAt: 42,
        eventKey: "ghl:1",
        at: 50,
      });
      await expect(
        store.optOuts.record({ ...event, eventKey: "ghl:2", eventAt: Number.NaN }),
      ).rejects.toThrow(/eventAt must be a time/);
    });
  });

  describe("merge undo, follow-ups, digests, settings", () => {
    it("merge undo log keeps full records and tracks undo", async () => {
      const { store } = await setup();
      const snapshot = {
        contact: { id: "c2", firstName: "Bo" },
        tags: ["vip"],
        notes: [{ body: "n" }],
        tasks: [],
      };
      const id = await store.mergeUndo.record({
        locationId: "L1",
        survivorId: "c1",
        mergedId: "c2",
        snapshot,
      });
      expect(await store.mergeUndo.get(id)).toMatchObject({ status: "recorded", snapshot });
      expect(await store.mergeUndo.markApplied(id)).toBe(true);
      expect(await store.mergeUndo.markUndone(id, "c9")).toBe(true);
      expect(await store.mergeUndo.markUndone(id, "c10")).toBe(false);
      expect(await store.mergeUndo.list({ locationId: "L1", status: "undone" })).toMatchObject([
        { recreatedId: "c9" },
      ]);
    });

    it("follow-up sequences: one active per rule and contact, advance, stop, due list", async () => {
      const { store, clock } = await setup();
      const due = clock.now() + 1000;
      const a = await store.followUps.start({
        locationId: "L1",
        ruleId: "quote",
        contactId: "c1",
        nextRunAt: due,
      });
      expect(a.started).toBe(true);
      const dup = await store.followUps.start({
        locationId: "L1",
        ruleId: "quote",
        contactId: "c1",
        nextRunAt: due + 5,
      });
      expect(dup).toMatchObject({ started: false, followUp: { id: a.followUp.id, nextRunAt: due } });
      await store.followUps.start({ locationId: "L1", ruleId: "other", contactId: "c1", nextRunAt: due });
      expect(await store.followUps.listDue()).toEqual([]);
      clock.advance(1000);
      expect((await store.followUps.listDue()).length).toBe(2);
      expect(await store.followUps.advance(a.followUp.id, 1, clock.now() + 86_400_000)).toBe(true);
      expect((await store.followUps.listDue()).map((f) => f.ruleId)).toEqual(["other"]);
      expect(await store.followUps.stopForContact("L1", "c1", "replied")).toBe(2);
      expect(await store.followUps.get(a.followUp.id)).toMatchObject({
        status: "stopped",
        stopReason: "replied",
        step: 1,
      });
      const b = await store.followUps.start({
        locationId: "L1",
        ruleId: "quote",
        contactId: "c1",
        nextRunAt: due,
      });
      expect(b.started).toBe(true);
      expect(await store.followUps.complete(b.followUp.id)).toBe(true);
      expect(await store.followUps.getActive("L1", "quote", "c1")).toBeNull();
      expect((await store.followUps.listForContact("L1", "c1")).length).toBe(3);
    });

    it("digests are recorded once per local date and recipient", async () => {
      const { store } = await setup();
      const first = await store.digests.record({
        locationId: "L1",
        localDate: "2026-03-29",
        recipient: P1,
        summary: { n: 3 },
      });
      const dup = await store.digests.record({
        locationId: "L1",
        localDate: "2026-03-29",
        recipient: P1,
        summary: { n: 4 },
      });
      expect(dup).toEqual({ recorded: false, id: first.id });
      await store.digests.record({ locationId: "L1", localDate: "2026-03-29", recipient: P2, summary: {} });
      expect((await store.digests.get("L1", "2026-03-29")).map((d) => d.summary)).toEqual([{ n: 3 }, {}]);
      await expect(
        store.digests.record({ locationId: "L1", localDate: "29/03/2026", recipient: P1, summary: {} }),
      ).rejects.toThrow(/YYYY-MM-DD/);
    });

    it("settings key-value table", async () => {
      const { store } = await setup();
      await store.settings.set("cursor:L1", { since: 5 });
      await store.settings.set("cursor:L2", { since: 6 });
      await store.settings.set("other", true);
      expect(await store.settings.get<{ since: number }>("cursor:L1")).toEqual({ since: 5 });
      expect((await store.settings.list("cursor:")).map((s) => s.key)).toEqual(["cursor:L1", "cursor:L2"]);
      expect(await store.settings.delete("other")).toBe(true);
      expect(await store.settings.get("other")).toBeNull();
    });
  });
});
