// Follow-up sequences: started by a tag seen by reconciliation, deferred by quiet hours, multi-step,
// stopped by a reply, by STOP, by the tag's removal; configuration errors name their path.
import { afterEach, describe, expect, it } from "vitest";
import {
  LifecycleConfigError,
  parseLifecycleConfig,
  previewFollowUpTemplate,
  reconcile,
  runDueFollowUps,
} from "../../src/index.js";
import { type LifecycleHarness, NOON_LONDON, startLifecycleHarness } from "./lifecycle-harness.js";

const HOUR = 3_600_000;
let h: LifecycleHarness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

const lifecycle = {
  defaults: {
    followUps: [
      {
        id: "quote",
        trigger: { type: "tag-added", tag: "quote-sent" },
        steps: [
          { afterHours: 10, template: "Hi {{firstName}}, any questions about your quote?" },
          { afterHours: 24, template: "Last reminder about your quote, {{firstName}}." },
        ],
      },
    ],
  },
};

async function start(n: number) {
  h = await startLifecycleHarness({ lifecycle });
  const control = h.sandbox.ghl.control;
  control.setFaults({ webhookDropRate: 1 });
  const people = Array.from({ length: n }, (_, i) =>
    control.createContact(h!.locationId, {
      firstName: `P${i}`,
      lastName: "Quote",
      phone: `+4479111235${String(i).padStart(2, "0")}`,
    }),
  );
  await reconcile({ deps: h.engine.deps, locationId: h.locationId, kind: "full", config: h.lifecycle });
  await h.sandbox.clock.advance(60_000);
  for (const p of people) control.updateContact(p.id, { tags: ["quote-sent"] });
  await h.sandbox.clock.advance(60_000);
  const r = await reconcile({
    deps: h.engine.deps,
    locationId: h.locationId,
    kind: "incremental",
    config: h.lifecycle,
  });
  if (!r.ok) throw new Error(JSON.stringify(r));
  return { harness: h, people };
}

function sentTo(harness: LifecycleHarness, phone: string): string[] {
  const digits = phone.replace(/\D/g, "");
  return harness.sandbox.bulksms.control
    .sentMessages()
    .filter((m) => String((m as { to?: string }).to ?? "").replace(/\D/g, "") === digits)
    .map((m) => String((m as { body?: string }).body));
}

describe("follow-ups", () => {
  it("starts from a tag added in GHL, defers for quiet hours, runs every step, then completes", async () => {
    const { harness, people } = await start(1);
    const p = people[0]!;
    const [seq] = await harness.store.followUps.listForContact(harness.locationId, p.id);
    expect(seq).toMatchObject({ ruleId: "quote", status: "active", step: 0 });
    // Due 10 h after 12:02 London = 22:02: outside the 08:00-21:00 window -> deferred to 08:00.
    const due = NOON_LONDON + 2 * 60_000 + 10 * HOUR;
    expect(seq?.nextRunAt).toBeGreaterThanOrEqual(due);
    expect(seq?.nextRunAt).toBeLessThan(due + 10_000); // the sandbox clock also runs in real time
    await harness.sandbox.clock.advance(10 * HOUR);
    const deferred = await runDueFollowUps(harness.engine.deps, { config: harness.lifecycle });
    expect(deferred.outcomes).toEqual([
      { id: seq!.id, action: "deferred", until: Date.UTC(2026, 2, 11, 8, 0), reason: "quiet_hours" },
    ]);
    await harness.settle();
    expect(sentTo(harness, p.phone!)).toEqual([]);

    await harness.sandbox.clock.advance(Date.UTC(2026, 2, 11, 8, 0) - harness.sandbox.clock.now());
    const first = await runDueFollowUps(harness.engine.deps, { config: harness.lifecycle });
    expect(first.outcomes).toEqual([expect.objectContaining({ action: "queued", step: 0 })]);
    await harness.settle();
    expect(sentTo(harness, p.phone!)).toEqual(["Hi P0, any questions about your quote?"]);
    // Running again at the same time sends nothing more (the step moved on).
    expect((await runDueFollowUps(harness.engine.deps, { config: harness.lifecycle })).processed).toBe(0);

    await harness.sandbox.clock.advance(24 * HOUR);
    await runDueFollowUps(harness.engine.deps, { config: harness.lifecycle });
    await harness.settle();
    expect(sentTo(harness, p.phone!)).toEqual([
      "Hi P0, any questions about your quote?",
      "Last reminder about your quote, P0.",
    ]);
    expect((await harness.store.followUps.get(seq!.id))?.status).toBe("completed");
  });

  it("stops on a reply, on STOP, and when the tag is removed (re-checked at the step)", async () => {
    const { harness, people } = await start(3);
    const [replier, stopper, untagged] = people;
    if (!replier || !stopper || !untagged) throw new Error("setup");
    const bulk = harness.sandbox.bulksms.control;
    bulk.simulateReply({ from: replier.phone!, body: "Thanks, I will call you" });
    bulk.simulateReply({ from: stopper.phone!, body: "STOP" });
    await harness.settle();
    harness.sandbox.ghl.control.updateContact(untagged.id, { tags: [] });
    await harness.sandbox.clock.advance(60_000);
    await reconcile({
      deps: harness.engine.deps,
      locationId: harness.locationId,
      kind: "incremental",
      config: harness.lifecycle,
    });

    await harness.sandbox.clock.advance(Date.UTC(2026, 2, 11, 9, 0) - harness.sandbox.clock.now());
    await runDueFollowUps(harness.engine.deps, { config: harness.lifecycle });
    await harness.settle();
    for (const p of [replier, stopper, untagged]) {
      const [seq] = await harness.store.followUps.listForContact(harness.locationId, p.id);
      expect(seq?.status).toBe("stopped");
    }
    const reasons = await Promise.all(
      [replier, stopper, untagged].map(
        async (p) => (await harness.store.followUps.listForContact(harness.locationId, p.id))[0]?.stopReason,
      ),
    );
    expect(reasons[0]).toMatch(/repl/);
    expect(reasons[1]).toMatch(/opt/);
    expect(reasons[2]).toBe("tag-removed");
    // No follow-up text went to any of them (the STOP confirmation is the only text to the stopper).
    expect(sentTo(harness, replier.phone!)).toEqual([]);
    expect(sentTo(harness, untagged.phone!)).toEqual([]);
    expect(sentTo(harness, stopper.phone!).filter((b) => b.includes("quote"))).toEqual([]);
  });

  it("rejects bad rule configuration with the path of each problem, and previews templates", () => {
    expect(() =>
      parseLifecycleConfig({
        defaults: {
          followUps: [
            { id: "Bad Id", trigger: { type: "tag-added", tag: "" }, steps: [] },
            { id: "x", trigger: { type: "nope" }, steps: [{ afterHours: -1, template: "" }] },
          ],
          digest: { at: "25:00", recipients: ["0123"] },
        },
      }),
    ).toThrow(LifecycleConfigError);
    try {
      parseLifecycleConfig({
        defaults: {
          followUps: [{ id: "Bad Id", trigger: { type: "tag-added", tag: "" }, steps: [] }],
          digest: { at: "25:00" },
        },
      });
    } catch (e) {
      const paths = (e as LifecycleConfigError).issues.map((i) => i.path);
      expect(paths).toEqual(
        expect.arrayContaining([
          "defaults.followUps.0.id",
          "defaults.followUps.0.trigger.tag",
          "defaults.followUps.0.steps",
          "defaults.digest.at",
        ]),
      );
    }
    const dup = () =>
      parseLifecycleConfig({
        defaults: { followUps: [lifecycle.defaults.followUps[0], lifecycle.defaults.followUps[0]] },
      });
    expect(dup).toThrow(/defaults\.followUps\.1\.id: duplicate rule id "quote"/);

    expect(previewFollowUpTemplate("Hi {{firstName}}, any questions?", { firstName: "Zoë" })).toMatchObject({
      ok: true,
      text: "Hi Zoë, any questions?",
      encoding: expect.any(String),
      parts: 1,
      credits: expect.any(Number),
    });
    const long = previewFollowUpTemplate("😀 ".repeat(60), {});
    expect(long).toMatchObject({ ok: true, encoding: expect.stringMatching(/UCS|UNICODE|UTF/i) });
    expect(long.ok && long.parts).toBeGreaterThan(1);
  });
});
