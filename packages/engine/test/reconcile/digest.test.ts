// Daily digest: due at the configured LOCAL time on both sides of a DST change, once per local date and
// team number, within the configured number of SMS parts; the same digest as JSON.
import { afterEach, describe, expect, it } from "vitest";
import { buildDigest, digestTick, reconcile } from "../../src/index.js";
import { type LifecycleHarness, startLifecycleHarness } from "./lifecycle-harness.js";

let h: LifecycleHarness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

const TEAM = ["+447911000001", "+447911000002"];
const MIN = 60_000;

describe("daily digest", () => {
  it("goes out at 08:00 New York time before and after the March DST change, once per day and number", async () => {
    // Saturday 2026-03-07 05:00 EST (10:00 UTC); DST starts Sunday 2026-03-08 02:00 local.
    h = await startLifecycleHarness({
      clockStart: Date.UTC(2026, 2, 7, 10, 0),
      location: { country: "US", timezone: "America/New_York" },
      lifecycle: {
        defaults: { digest: { enabled: true, at: "08:00", recipients: TEAM, maxNames: 3, maxParts: 1 } },
      },
    });
    const control = h.sandbox.ghl.control;
    control.setFaults({ webhookDropRate: 1 });
    const names = [
      "Alexandria Montgomery",
      "Bartholomew Fitzgerald",
      "Cassandra Wellington",
      "Dmitri Vasquez",
      "Evangeline Okafor",
    ];
    for (const [i, n] of names.entries()) {
      const [first, last] = n.split(" ");
      control.createContact(h.locationId, { firstName: first, lastName: last, phone: `+1202555010${i}` });
    }
    await reconcile({ deps: h.engine.deps, locationId: h.locationId, kind: "full", config: h.lifecycle });
    const deps = h.engine.deps;

    // 07:59 EST = 12:59 UTC: not yet. 08:00 EST = 13:00 UTC: due.
    expect((await digestTick(deps, { config: h.lifecycle, now: Date.UTC(2026, 2, 7, 12, 59) })).sent).toEqual(
      [],
    );
    const sat = await digestTick(deps, { config: h.lifecycle, now: Date.UTC(2026, 2, 7, 13, 0) });
    expect(sat.sent.map((s) => [s.localDate, s.recipient])).toEqual([
      ["2026-03-07", TEAM[0]],
      ["2026-03-07", TEAM[1]],
    ]);
    expect((await digestTick(deps, { config: h.lifecycle, now: Date.UTC(2026, 2, 7, 13, 5) })).sent).toEqual(
      [],
    );
    const message = await h.store.messages.get(sat.sent[0]!.messageId);
    expect(message?.body).toMatch(/^Daily digest 2026-03-07: 5 new, 0 updated contacts\. /);
    expect(message?.body).toMatch(/\+\d+ more\.$/);

    // Sunday after the change: 08:00 EDT = 12:00 UTC (an hour earlier in UTC).
    expect((await digestTick(deps, { config: h.lifecycle, now: Date.UTC(2026, 2, 8, 11, 59) })).sent).toEqual(
      [],
    );
    const sun = await digestTick(deps, { config: h.lifecycle, now: Date.UTC(2026, 2, 8, 12, 0) });
    expect(sun.sent.map((s) => s.localDate)).toEqual(["2026-03-08", "2026-03-08"]);
    expect((await h.store.digests.get(h.locationId, "2026-03-08")).map((d) => d.recipient).sort()).toEqual(
      TEAM,
    );

    // The JSON form the CLI prints: same counts, names limited so the text fits maxParts.
    const json = await buildDigest(deps, {
      config: h.lifecycle,
      locationId: h.locationId,
      at: Date.UTC(2026, 2, 7, 13, 0),
    });
    expect(json).toMatchObject({
      localDate: "2026-03-07",
      timeZone: "America/New_York",
      newContacts: 5,
      updatedContacts: 0,
      parts: 1,
    });
    expect(json!.names.length).toBeLessThanOrEqual(3);
    expect(json!.text).toBe(message?.body);
  });

  it("keeps a long digest within maxParts by dropping names", async () => {
    h = await startLifecycleHarness({
      lifecycle: { defaults: { digest: { enabled: true, recipients: TEAM, maxNames: 20, maxParts: 1 } } },
    });
    const control = h.sandbox.ghl.control;
    control.setFaults({ webhookDropRate: 1 });
    for (let i = 0; i < 15; i++)
      control.createContact(h.locationId, {
        firstName: `Maximilian${i}`,
        lastName: "Longname-Doublebarrel",
        phone: `+4479111236${String(i).padStart(2, "0")}`,
      });
    await h.sandbox.clock.advance(MIN);
    await reconcile({ deps: h.engine.deps, locationId: h.locationId, kind: "full", config: h.lifecycle });
    const d = await buildDigest(h.engine.deps, { config: h.lifecycle, locationId: h.locationId });
    expect(d).toMatchObject({ newContacts: 15, parts: 1 });
    expect(d!.names.length).toBeGreaterThan(0);
    expect(d!.names.length).toBeLessThan(15);
    expect(d!.text).toContain(`+${15 - d!.names.length} more`);
  });

  it("counts first sight as new, not updated: a location imported today has only new contacts (issue 12)", async () => {
    h = await startLifecycleHarness({
      clockStart: Date.UTC(2026, 4, 4, 9, 0),
      lifecycle: { defaults: { digest: { enabled: true, recipients: TEAM, maxNames: 0, maxParts: 1 } } },
    });
    const control = h.sandbox.ghl.control;
    control.setFaults({ webhookDropRate: 1 });
    // 22 contacts that have been in GHL for months before the app was installed.
    const old = Array.from({ length: 22 }, (_, i) =>
      control.createContact(h!.locationId, {
        firstName: `Old${i}`,
        lastName: "Customer",
        phone: `+4479111240${String(i).padStart(2, "0")}`,
      }),
    );
    await h.sandbox.clock.advance(90 * 86_400_000);
    // Two of them were edited yesterday, before the engine ever saw them.
    control.updateContact(old[0]!.id, { city: "York" });
    control.updateContact(old[1]!.id, { city: "Hull" });
    await h.sandbox.clock.advance(MIN);
    await reconcile({ deps: h.engine.deps, locationId: h.locationId, kind: "full", config: h.lifecycle });
    const day1 = await buildDigest(h.engine.deps, { config: h.lifecycle, locationId: h.locationId });
    expect(day1).toMatchObject({ newContacts: 22, updatedContacts: 0 });
    expect(day1?.text).toMatch(/: 22 new, 0 updated contacts\.$/);

    // The next day: one edit in GHL and one contact added; the rest are neither.
    await h.sandbox.clock.advance(86_400_000);
    control.updateContact(old[2]!.id, { city: "Leeds" });
    control.createContact(h.locationId, { firstName: "Fresh", lastName: "Face", phone: "+447911124099" });
    await h.sandbox.clock.advance(MIN);
    await reconcile({ deps: h.engine.deps, locationId: h.locationId, kind: "full", config: h.lifecycle });
    const day2 = await buildDigest(h.engine.deps, { config: h.lifecycle, locationId: h.locationId });
    expect(day2).toMatchObject({ newContacts: 1, updatedContacts: 1 });
  });
});
